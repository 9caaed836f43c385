"""Terms of the open-llm-kg ontology as an rdflib DefinedNamespace (generated; do not edit)."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class LLMKG(DefinedNamespace):
    """The open-llm-kg ontology terms (https://w3id.org/llmkg/ns#).

    Generated from ontology/llmkg.ttl by ``make namespace`` (tools/gen_namespace.py);
    tests/schema/test_namespace.py keeps the two in sync.
    """

    _NS = Namespace("https://w3id.org/llmkg/ns#")

    _fail = True

    Artifact: URIRef  # Something a project produces or uses that collaboration forms around: a model, dataset, benchmark, framework, leaderboard, compute partnership or forum.
    ArtifactDomain: URIRef  # A domain of collaboration artifacts in the paper (v2): models, data, software, evaluation, compute, community engagement.
    Benchmark: URIRef  # A dataset or suite of tasks used to evaluate models.
    Catalogue: URIRef  # A public catalogue of AI models imported into the graph (the Open Source AI Index, the Model Openness Tool, os-ai-map), as one snapshot of its repository at one commit.
    CollaborationDomain: URIRef  # A domain of collaboration whose on-ramps and challenges the paper maps (figures 1 to 5): model, data, software, evaluation, non-technical; and compute.
    ComputePartnership: URIRef  # Compute given by an actor to a project: a supercomputer allocation, cloud credits or a hardware partner.
    Confidence: URIRef  # How sure a curated fact is: stated in the paper, in a public record, or inferred by curators.
    Dataset: URIRef  # A dataset used to pre-train or post-train models.
    FactGraph: URIRef  # A named graph holding curated facts that share one source, one confidence, one note and, for links, one lifecycle phase, and, for dated facts, one period of validity. Its metadata lives in the provenance graph.
    Finding: URIRef  # A finding of the paper as a source states it: a recommendation to stakeholder groups (or the short version of a group's recommendations), a collaboration pattern of a lifecycle phase, or an on-ramp to or a challenge of collaboration in a domain and phase. Its label is its text.
    FindingType: URIRef  # What a finding is: recommendation, recommendation summary, collaboration pattern, on-ramp or challenge.
    Forum: URIRef  # A knowledge-sharing or discussion channel: a Discord server, a mailing list, a discussion board.
    Framework: URIRef  # Open source software for training, data processing, serving or evaluating models.
    GovernanceModel: URIRef  # One of the paper's five organizational models of open LLM projects.
    Language: URIRef  # A natural language, identified by its ISO 639 code.
    Leaderboard: URIRef  # A public ranking of models on one or more benchmarks.
    License: URIRef  # A license under which models, data or software are released.
    LifecyclePhase: URIRef  # A phase of the open LLM lifecycle: pre-training, post-training or post-release reuse.
    Model: URIRef  # A released language model checkpoint or model family.
    MofClass: URIRef  # A class of the Model Openness Framework: Class I (open science), Class II (open tooling), Class III (open model), or unclassified.
    Motivation: URIRef  # A reason for taking part in open LLM collaboration: social, economic or technological, with narrower motivations.
    OpennessAssessment: URIRef  # One catalogue record's judgement of how open an artifact is: its judgements per dimension or component, the catalogue's overall class and score, and, for Model Openness Tool records, the MOF class computed from them.
    OpennessDimension: URIRef  # Something a catalogue judges the openness of: a dimension of the Open Source AI Index or a component of the Model Openness Framework.
    OpennessJudgement: URIRef  # The judgement of one openness dimension or one MOF component of an artifact: its level with evidence links and a note (Open Source AI Index), or the component's license (Model Openness Tool).
    OpennessLevel: URIRef  # How open a dimension is judged to be: open, partial or closed.
    Organization: URIRef  # An actor of the ecosystem: a company, research institute, university, non-profit, grassroots community, public body or funder.
    OrganizationType: URIRef  # What kind of organization an actor is.
    Place: URIRef  # A country or world region, as a concept with broader regions.
    Project: URIRef  # An open LLM project: an organized effort that develops and releases open models and the artifacts around them; the unit of study of the paper.
    Publication: URIRef  # A paper, technical report or article that describes projects or artifacts.
    Software: URIRef  # A software product or service as a catalogue lists it, open source or not; the curated data records open source software as frameworks instead.
    StakeholderGroup: URIRef  # A group of actors the paper's recommendations address: AI researchers and developers, AI companies, policymakers, platform providers, foundations.
    about: URIRef  # A project, artifact or organization a source ties a finding to.
    aboutPhase: URIRef  # The lifecycle phase a finding is about (llmkg:lifecyclePhase is the phase of a fact graph's links instead).
    access: URIRef  # How the weights of a model can be obtained: open-weights, gated or api-only.
    activeParameterCount: URIRef  # Parameters active per token, for mixture-of-experts models.
    adapterOf: URIRef  # A model that is an adapter (such as LoRA weights) trained for a base model and applied on top of that model's weights, which it does not contain.
    artifactDomain: URIRef  # The artifact domain of the paper an artifact class belongs to.
    arxivId: URIRef  # The arXiv identifier of a publication, e.g. 2211.05100.
    authorList: URIRef  # The authors of a publication in order, separated by semicolons.
    authorName: URIRef  # The name of an author of a publication; llmkg:authorList keeps their order.
    baseModelName: URIRef  # The name of a base model as a catalogue gives it, kept when it resolves to no model of the graph.
    basedIn: URIRef  # The country or region an organization is based in.
    builtWith: URIRef  # Software used to build, train or evaluate a project, model, leaderboard or framework.
    catalogueOrganizationType: URIRef  # What kind of organization a catalogue says an actor is, in the catalogue's own words (os-ai-map: company, lab, foundation...).
    collaborationDomain: URIRef  # The domain of collaboration an on-ramp, challenge or pattern belongs to.
    commit: URIRef  # The git commit of the catalogue repository a snapshot was imported from.
    componentLicense: URIRef  # The license a MOF component is released under, resolved as the Model Openness Tool does: the component's own license, else the release's license for the component's content type, else its distribution license.
    computeFrom: URIRef  # A compute partnership a project or model received compute from.
    confidence: URIRef  # How sure the facts of a fact graph are.
    continuedPretrainingFrom: URIRef  # A model made by continuing the pre-training of a base model on more data.
    contributesTo: URIRef  # An organization whose people contribute to a project without leading or funding it.
    derivedFrom: URIRef  # An artifact built from another one of the same kind; models use the narrower properties, which the build also states as this one.
    describes: URIRef  # A project, artifact or organization a publication describes.
    developedBy: URIRef  # An organization that develops a project or created an artifact.
    dimension: URIRef  # The openness dimension or MOF component a judgement is about.
    distilledFrom: URIRef  # A model trained to imitate a teacher model.
    doi: URIRef  # The DOI of a publication, without the resolver prefix.
    evaluatedOn: URIRef  # A benchmark a model was evaluated on.
    evidence: URIRef  # A link the catalogue gives as evidence for a judgement or an assessment.
    facility: URIRef  # The machine or service of a compute partnership, e.g. Jean Zay.
    findingType: URIRef  # What a finding is: a recommendation, a recommendation summary, a collaboration pattern, an on-ramp or a challenge.
    fineTunedFrom: URIRef  # A model fine-tuned (supervised, instruction or preference tuning) from a base model.
    fundedBy: URIRef  # An organization that funds a project or artifact.
    governanceModel: URIRef  # The organizational model a project follows.
    hostsForum: URIRef  # An organization that hosts or runs a forum.
    hubLibrary: URIRef  # The library the Hugging Face Hub names for loading a model (its library_name), e.g. transformers, peft, gguf.
    hubPipelineTag: URIRef  # The task the Hugging Face Hub files a model under (its pipeline_tag), e.g. text-generation.
    identified: URIRef  # False for a project the paper counts but does not name.
    includesBenchmark: URIRef  # A benchmark a leaderboard ranks models on.
    judgement: URIRef  # The judgement of one dimension or component within an openness assessment.
    languageCount: URIRef  # Number of languages a model covers, where more are covered than are listed.
    licenseStatement: URIRef  # A license as a catalogue states it, verbatim, whether or not it resolves to a license entity.
    licenseType: URIRef  # Broad family of a license: permissive, copyleft, open-rail, community, non-commercial or proprietary.
    licensedUnder: URIRef  # A license an artifact is released under.
    lifecyclePhase: URIRef  # The lifecycle phase the links of a fact graph belong to.
    listedOn: URIRef  # A leaderboard a model is ranked on.
    maintains: URIRef  # An organization that maintains an artifact.
    memberCount: URIRef  # Number of members of a forum, as reported.
    memberOfFamily: URIRef  # The model family a model checkpoint belongs to.
    mergedFrom: URIRef  # A model made by merging the weights of this and other models.
    modality: URIRef  # What a model generates or processes, as a catalogue states it: text, code, image, audio, video...
    mofClass: URIRef  # The Model Openness Framework class an assessment's components and licenses meet, computed by open-llm-kg with the rules of the Model Openness Tool.
    mofContentType: URIRef  # A content type (code, data or document) the Model Openness Tool accepts a license as an open license for.
    motivation: URIRef  # A motivation a project states or is reported to have.
    opennessAssessment: URIRef  # A catalogue's assessment of how open an artifact is.
    opennessClass: URIRef  # The catalogue's own overall openness class, verbatim (os-ai-map: open_source, open_weights, restricted, closed for models).
    opennessLevel: URIRef  # How open the catalogue judges the dimension: open, partial or closed.
    opennessScore: URIRef  # The catalogue's own overall openness score (os-ai-map: 0 to 5).
    organizationType: URIRef  # What kind of organization an actor is.
    osiApproved: URIRef  # Whether the Open Source Initiative approved a license.
    parameterCount: URIRef  # Total number of parameters of a model.
    partOfProject: URIRef  # The project an artifact belongs to.
    partnerOf: URIRef  # An organization that is a partner of a project (consortium member, engineering or data partner).
    platform: URIRef  # Where a forum runs: discord, slack, github, hugging-face, mailing-list, website or other.
    providedBy: URIRef  # An organization that provides the compute of a compute partnership.
    quantizedFrom: URIRef  # A model made by quantizing the weights of a base model.
    resources: URIRef  # What a compute partnership gave, as its source states it.
    size: URIRef  # Size of a dataset as its source states it, e.g. 825 GiB.
    spdxId: URIRef  # The SPDX identifier of a license.
    stakeholderGroup: URIRef  # A stakeholder group a recommendation is addressed to.
    studies: URIRef  # A project a study (such as arXiv 2509.25397) includes in its sample.
    targetsLanguage: URIRef  # A language a project serves or an artifact covers.
    targetsRegion: URIRef  # A country or region a project serves or an artifact is made for.
    tokenCount: URIRef  # Size of a dataset in tokens.
    trainedOn: URIRef  # A dataset a model was pre-trained or post-trained on.
    trainingTokens: URIRef  # Number of tokens a model was pre-trained on.
