"""A seeded synthetic open LLM ecosystem in the project's own ontology, as N-Quads.

    python benchmarks/generate.py 1000000 build/bench/1m.nq [--seed 0]

The output has the shape of a real build: every fact in a fact graph, the provenance graph
describing each fact graph, and the ontology graph, so that the competency queries run on it.
Models form power-law derivation trees (a new model derives from an earlier one chosen by
preferential attachment), organizations and datasets are reused with Zipf-like popularity,
and the entities the competency queries name (project olmo, model bloom, model
llama-3.1-8b...) exist, with llama-3.1-8b the root of a large derivation tree.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.compile.rdf import ontology_quads  # noqa: E402

ID = "https://w3id.org/llmkg/id/"
NS = "https://w3id.org/llmkg/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
ISSUED = "http://purl.org/dc/terms/issued"
PROVENANCE = f"{ID}graph/provenance"
XSD = "http://www.w3.org/2001/XMLSchema#"
DERIVATIONS = (
    "fineTunedFrom",
    "continuedPretrainingFrom",
    "mergedFrom",
    "distilledFrom",
    "quantizedFrom",
)
PHASES = ("pre-training", "post-training", "post-release-reuse")
CONFIDENCES = ("public-record", "public-record", "public-record", "paper", "curator-inference")
GOVERNANCE = ("single-company", "single-research-institute", "multi-organizational-research-institute",
              "non-profit-sponsored-grassroots", "company-sponsored-grassroots")  # fmt: skip
ORG_TYPES = (
    "big-tech",
    "startup-or-company",
    "research-institute",
    "university",
    "non-profit",
    "public-body",
)
COUNTRIES = ("us", "fr", "de", "pl", "sg", "th", "cn", "no", "ca", "gb", "ng", "ke", "jp", "in")
MOTIVATIONS = (
    "open-science",
    "language-representation",
    "regional-ecosystems",
    "democratizing-access",
)
LANGUAGES = ("en", "fr", "de", "pl", "th", "zh", "id", "sw", "yo", "no")
# Named by the competency queries in ontology/queries/: each exists in every generated graph.
ANCHORS = {
    "project": ["olmo", "bloom", "sea-lion", "typhoon"],
    "model": ["llama-3.1-8b", "bloom"],
    "organization": ["meta", "ai2", "hugging-face"],
}


def iri(kind: str, id_: str) -> str:
    return f"<{ID}{kind}/{id_}>"


def literal(value: object, datatype: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"^^<{XSD}{datatype}>' if datatype else f'"{text}"'


class Writer:
    """Writes the facts of one entity at a time, grouped into fact graphs with provenance."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.triples = 0

    def entity(self, kind: str, id_: str, facts: list[tuple[str, str, str | None]]) -> None:
        """``facts``: (predicate IRI, object, phase or None). One fact graph per phase."""
        subject = iri(kind, id_)
        graphs: dict[str | None, str] = {}
        source = f"<https://example.org/source/{kind}/{id_}>"
        confidence = self.rng.choice(CONFIDENCES)
        for predicate, obj, phase in facts:
            if phase not in graphs:
                digest = hashlib.sha256(f"{id_}{phase}".encode()).hexdigest()[:12]
                graph = f"<{ID}fact/{kind}/{id_}/{digest}>"
                graphs[phase] = graph
                prov = f"<{PROVENANCE}>"
                self.lines += [
                    f"{graph} <{RDF_TYPE}> <{NS}FactGraph> {prov} .",
                    f"{graph} <http://xmlns.com/foaf/0.1/primaryTopic> {subject} {prov} .",
                    f"{graph} <http://www.w3.org/ns/prov#wasDerivedFrom> {source} {prov} .",
                    f"{graph} <{NS}confidence> <{ID}confidence/{confidence}> {prov} .",
                ]
                self.triples += 4
                if phase:
                    self.lines.append(
                        f"{graph} <{NS}lifecyclePhase> <{ID}lifecycle-phase/{phase}> {prov} ."
                    )
                    self.triples += 1
            self.lines.append(f"{subject} <{predicate}> {obj} {graphs[phase]} .")
            self.triples += 1


def zipf_pick(rng: random.Random, items: list[str]) -> str:
    """An item, the first ones far more often than the last (popularity ~ 1 / rank)."""
    return items[min(int(len(items) ** rng.random()) - 1, len(items) - 1)]


def generate(target: int, seed: int) -> Iterator[str]:
    """N-Quads lines of an ecosystem of about ``target`` triples (ontology included)."""
    rng = random.Random(seed)
    n = max(40, target // 40)  # models; the other kinds in proportion
    sizes = {"organization": n // 6, "dataset": n // 5, "benchmark": n // 12, "leaderboard": max(4, n // 200),
             "compute-partnership": max(4, n // 100), "project": max(4, n // 50), "license": 20}  # fmt: skip
    ids: dict[str, list[str]] = {}
    for kind, size in sizes.items():
        anchors = ANCHORS.get(kind, [])
        ids[kind] = anchors + [f"{kind[:3]}{i}" for i in range(size - len(anchors))]
    models = ANCHORS["model"] + [f"m{i}" for i in range(n - len(ANCHORS["model"]))]
    out = Writer(rng)

    def common(kind: str, id_: str) -> list[tuple[str, str, str | None]]:
        return [(RDF_TYPE, f"<{NS}{''.join(p.title() for p in kind.split('-'))}>", None),
                (IDENTIFIER, literal(id_), None), (LABEL, literal(f"{kind.title()} {id_}"), None)]  # fmt: skip

    for id_ in ids["organization"]:
        out.entity("organization", id_, [*common("organization", id_), (f"{NS}organizationType", f"<{ID}organization-type/{rng.choice(ORG_TYPES)}>", None), (f"{NS}basedIn", f"<{ID}place/{rng.choice(COUNTRIES)}>", None)])  # fmt: skip
    for id_ in ids["license"]:
        out.entity(
            "license",
            id_,
            [*common("license", id_), (f"{NS}licenseType", literal("permissive"), None)],
        )
    for id_ in ids["project"]:
        facts = [
            *common("project", id_),
            (f"{NS}governanceModel", f"<{ID}governance-model/{rng.choice(GOVERNANCE)}>", None),
            (f"{NS}developedBy", iri("organization", zipf_pick(rng, ids["organization"])), None),
            (f"{NS}motivation", f"<{ID}motivation/{rng.choice(MOTIVATIONS)}>", None),
            (f"{NS}targetsLanguage", f"<{ID}language/{rng.choice(LANGUAGES)}>", None),
            (f"{NS}identified", literal("true", "boolean"), None),
        ]
        out.entity("project", id_, facts)
    for kind in ("dataset", "benchmark", "leaderboard"):
        for id_ in ids[kind]:
            facts = [
                *common(kind, id_),
                (
                    f"{NS}developedBy",
                    iri("organization", zipf_pick(rng, ids["organization"])),
                    None,
                ),
            ]
            if kind == "leaderboard":
                facts += [
                    (
                        f"{NS}includesBenchmark",
                        iri("benchmark", zipf_pick(rng, ids["benchmark"])),
                        None,
                    )
                    for _ in range(5)
                ]
            out.entity(kind, id_, facts)
    for id_ in ids["compute-partnership"]:
        out.entity("compute-partnership", id_, [*common("compute-partnership", id_), (f"{NS}providedBy", iri("organization", zipf_pick(rng, ids["organization"])), None)])  # fmt: skip
    yield from out.lines
    out.lines = []
    bases: list[str] = []  # one entry per model and per derivative: preferential attachment
    for index, id_ in enumerate(models):
        project = zipf_pick(rng, ids["project"])
        facts = [
            *common("model", id_),
            (f"{NS}developedBy", iri("organization", zipf_pick(rng, ids["organization"])), None),
            (f"{NS}partOfProject", iri("project", project), None),
            (
                ISSUED,
                literal(
                    f"{2022 + index * 4 // n}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "date",
                ),
                None,
            ),
            (
                f"{NS}parameterCount",
                literal(rng.choice((7, 8, 13, 70, 176)) * 10**9, "integer"),
                None,
            ),
            (f"{NS}licensedUnder", iri("license", zipf_pick(rng, ids["license"])), None),
        ]
        facts += [
            (f"{NS}trainedOn", iri("dataset", zipf_pick(rng, ids["dataset"])), "pre-training")
            for _ in range(rng.randint(1, 4))
        ]
        facts += [
            (
                f"{NS}evaluatedOn",
                iri("benchmark", zipf_pick(rng, ids["benchmark"])),
                "post-training",
            )
            for _ in range(rng.randint(1, 5))
        ]
        if rng.random() < 0.3:
            facts.append(
                (
                    f"{NS}listedOn",
                    iri("leaderboard", rng.choice(ids["leaderboard"])),
                    "post-release-reuse",
                )
            )
        if rng.random() < 0.1:
            facts.append(
                (
                    f"{NS}computeFrom",
                    iri("compute-partnership", rng.choice(ids["compute-partnership"])),
                    "pre-training",
                )
            )
        if index >= 2 and rng.random() < 0.85:
            base = bases[rng.randrange(len(bases))] if rng.random() < 0.9 else "llama-3.1-8b"
            kind = rng.choice(DERIVATIONS)
            facts += [
                (f"{NS}{kind}", iri("model", base), "post-release-reuse"),
                (f"{NS}derivedFrom", iri("model", base), "post-release-reuse"),
            ]
            bases.append(base)
        bases.append(id_)
        out.entity("model", id_, facts)
        if len(out.lines) > 100_000:
            yield from out.lines
            out.lines = []
    yield from out.lines
    for quad in ontology_quads(ROOT / "ontology"):
        yield f"{quad} ."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int, help="approximate number of triples, e.g. 1000000")
    parser.add_argument("output", type=Path, help="N-Quads file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    count = 0
    with args.output.open("w", encoding="utf-8") as out:
        for line in generate(args.triples, args.seed):
            out.write(line + "\n")
            count += 1
    print(f"wrote {count} quads to {args.output} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
