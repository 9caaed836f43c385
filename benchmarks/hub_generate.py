"""A seeded Hugging Face Hub-sized graph: the curated build plus N Hub models, as N-Quads.

    python benchmarks/hub_generate.py /tmp/hub/hub.nq [--models 1202732] [--curated build/kg.nq]

Calibrated to HuggingKG (the largest public crawl of the Hub, 2024-12-15: 1,202,732 models,
328,616 model-to-model lineage edges: adapter 155,642, fine-tune 107,162, quantized 45,809,
merge 20,003; 96,546 model-to-dataset edges). The Hub layer has the shape of what
`kg import hf` writes (kg/importers/hf.py): per model one record fact graph (type, identifier,
label, seeAlso, developedBy its author, keywords, hubLibrary, hubPipelineTag, created,
licenseStatement and licensedUnder, interactionStatistic), one graph for its two
schema:InteractionCounter (downloads, likes), one graph for its lineage (a typed derivation
and llmkg:derivedFrom per parent; a merge has two parents) and one for its datasets
(trainedOn), each fact graph described in the provenance graph, as benchmarks/generate.py
writes them (its helpers are reused). The curated build (fact graphs, provenance, ontology) is
copied first, so every competency query names what it names, and Hub models derive from the
curated foundation models (llama-3.1-8b, qwen3-8b, mistral-7b-v0.1, gemma-2-9b...).

Shapes: models per author follow a discrete power law (exponent 2.2: two thirds of authors
have one model, a few have thousands); lineage edges are drawn at HuggingKG's rate and mix;
parents are a foundation model (Zipf over the curated ones, Llama first) or, by preferential
attachment, an earlier fine-tune or merge (most base models stay childless; quantized models
and adapters are leaves), depth at most 6; licences follow the Hub's mix (45% none; a
derivative keeps its parent's licence 70% of the time); downloads and likes are heavy-tailed.
Prints the calibration next to HuggingKG's figures.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import IDENTIFIER, LABEL, NS, RDF_TYPE, Writer, iri, literal, zipf_pick

HUGGINGKG = {
    "models": 1_202_732,
    "lineage edges": 328_616,
    "adapter": 155_642,
    "fine-tune": 107_162,
    "quantized": 45_809,
    "merge": 20_003,
    "model-dataset edges": 96_546,
}
KINDS = {"adapter": "adapterOf", "fine-tune": "fineTunedFrom", "quantized": "quantizedFrom",
         "merge": "mergedFrom"}  # fmt: skip
SDO = "https://schema.org/"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
CREATED = "http://purl.org/dc/terms/created"
HUB = "https://huggingface.co"
SNAPSHOT = "2024-12-15"
# Foundation models of data/, most popular first (Zipf over this order); others follow.
FOUNDATIONS = ["llama-3.1-8b", "qwen3-8b", "mistral-7b-v0.1", "llama-3-8b", "gemma-2-9b",
               "llama-2-7b", "qwen-7b", "llama-3.1-8b-instruct", "llama-3.1-70b", "qwen3-4b",
               "mistral-7b-v0.2", "qwen3-0.6b", "qwen3-1.7b", "smollm-1.7b", "bloom",
               "llama-3-8b-instruct", "qwen3-14b", "olmo-7b", "pythia-1.4b", "gpt-neox-20b"]  # fmt: skip
# (licence id, share of models); None: no licence stated. Rough Hub mix of late 2024.
LICENSES = [(None, 0.45), ("apache-2.0", 0.22), ("mit", 0.08), ("other", 0.05),
            ("llama-3.1-community", 0.03), ("llama-3-community", 0.02), ("cc-by-nc-4.0", 0.03),
            ("llama-2-community", 0.02), ("openrail", 0.03), ("cc-by-4.0", 0.02),
            ("gemma-terms", 0.02), ("creativeml-openrail-m", 0.015), ("cc-by-sa-4.0", 0.01),
            ("gpl-3.0", 0.005), ("bsd-3-clause", 0.005), ("tongyi-qianwen", 0.005),
            ("afl-3.0", 0.005)]  # fmt: skip
LIBRARIES = {"adapter": "peft", "quantized": "gguf", "fine-tune": "transformers",
             "merge": "transformers", None: "transformers"}  # fmt: skip
PIPELINES = ("text-generation", "text-generation", "text-classification", "text2text-generation",
             "feature-extraction", "automatic-speech-recognition", "text-to-image", None)  # fmt: skip
TAGS = ("safetensors", "pytorch", "conversational", "en", "autotrain", "tensorboard", "llama",
        "qwen2", "mistral", "gemma2", "trl", "sft", "unsloth", "4-bit")  # fmt: skip
DEPTH = 6
CURATED_LICENSES = {"apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-4.0", "cc-by-sa-4.0", "gemma-terms",
                    "llama-2-community", "llama-3-community", "llama-3.1-community", "tongyi-qianwen"}  # fmt: skip


def author_sizes(
    rng: random.Random, models: int, exponent: float = 2.2, cap: int = 25_000
) -> list[int]:
    """Models per author, a discrete power law P(s) ~ s^-exponent, summing to ``models``."""
    sizes: list[int] = []
    total = 0
    while total < models:
        s = min(cap, int((1 - rng.random()) ** (-1 / (exponent - 1))))
        s = min(s, models - total)
        sizes.append(s)
        total += s
    return sorted(sizes, reverse=True)


def heavy(rng: random.Random, zero: float, mu: float, sigma: float) -> int:
    """A count that is 0 with probability ``zero``, else log-normal."""
    return 0 if rng.random() < zero else int(math.exp(rng.gauss(mu, sigma)))


class HubWriter(Writer):
    """Writer, plus fact graphs about several subjects (the counters of one model)."""

    def graph(self, kind: str, id_: str, topic: str, facts: list[tuple[str, str, str]]) -> None:
        saved = self.lines
        self.lines = []
        super().entity(kind, id_, [(p, o, None) for _, p, o in facts])
        # entity() wrote the provenance lines, then one line per fact about its own subject:
        own = iri(kind, id_)
        prov = [line for line in self.lines if not line.startswith(own)]
        graph = prov[0].split(" ", 1)[0]
        prov = [line.replace(own, topic) if "primaryTopic" in line else line for line in prov]
        saved += prov + [f"{s} <{p}> {o} {graph} ." for s, p, o in facts]
        self.lines = saved


def generate(out, models: int, curated: Path, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    with curated.open(encoding="utf-8") as f:
        for line in f:
            out.write(line)
            counts["curated quads"] += 1
    w = HubWriter(rng)
    sizes = author_sizes(rng, models, cap=max(50, models // 50))
    counts["authors"] = len(sizes)
    counts["top-1 author models"] = sizes[0]
    counts["top-10 authors models"] = sum(sizes[:10])
    counts["top-100 authors models"] = sum(sizes[:100])
    counts["authors with 1-3 models"] = sum(1 for s in sizes if s <= 3)
    owner = [a for a, s in enumerate(sizes) for _ in range(s)]
    rng.shuffle(owner)
    rates = {k: HUGGINGKG[k] / HUGGINGKG["models"] for k in KINDS}
    rates["merge"] /= 2  # a merge model has two parents
    seen_authors: set[int] = set()
    datasets = [f"hf--ds{i}" for i in range(max(100, models // 25))]
    seen_datasets: set[str] = set()
    seen_licences: set[str] = set()
    depth: dict[str, int] = {f: 0 for f in FOUNDATIONS}
    licence_of: dict[str, str | None] = {f: None for f in FOUNDATIONS}
    attach: list[str] = []  # preferential attachment over fine-tunes and merges
    children: Counter[str] = Counter()
    families: Counter[str] = Counter()
    family: dict[str, str] = {f: f for f in FOUNDATIONS}
    licence_ids = [name for name, _ in LICENSES]
    licence_weights = [p for _, p in LICENSES]
    start = time.perf_counter()

    def parent(kind: str) -> str:
        for _ in range(4):
            if not attach or rng.random() < 0.45:
                base = zipf_pick(rng, FOUNDATIONS)
            else:
                base = attach[rng.randrange(len(attach))]
            if depth[base] < DEPTH - 1:
                return base
        return zipf_pick(rng, FOUNDATIONS)

    for i in range(models):
        a = owner[i]
        author = f"hf--user{a}"
        id_ = f"{author}--m{i}"
        if a not in seen_authors:
            seen_authors.add(a)
            w.entity("organization", author, [
                (RDF_TYPE, f"<{NS}Organization>", None), (IDENTIFIER, literal(author), None),
                (LABEL, literal(f"user{a}"), None), ("http://xmlns.com/foaf/0.1/homepage", f"<{HUB}/user{a}>", None)])  # fmt: skip
        roll = rng.random()
        kind = None
        for k, rate in rates.items():
            if roll < rate:
                kind = k
                break
            roll -= rate
        parents = []
        if kind is not None:
            first = parent(kind)
            parents = [first]
            if kind == "merge":
                second = first
                while second == first:
                    second = parent(kind)
                parents.append(second)
        if parents and rng.random() < 0.7:
            licence = licence_of[parents[0]]
        else:
            licence = rng.choices(licence_ids, licence_weights)[0]
        year = 2021 + i * 4 // models
        created = f"{min(year, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00Z"
        m = iri("model", id_)
        pipeline = rng.choice(PIPELINES)
        facts = [(RDF_TYPE, f"<{NS}Model>", None), (IDENTIFIER, literal(id_), None),
                 (LABEL, literal(f"user{a}/m{i}"), None), (SEE_ALSO, f"<{HUB}/user{a}/m{i}>", None),
                 (f"{NS}developedBy", iri("organization", author), None),
                 (f"{NS}hubLibrary", literal(LIBRARIES[kind]), None),
                 (CREATED, literal(created, "dateTime"), None)]  # fmt: skip
        if pipeline:
            facts.append((f"{NS}hubPipelineTag", literal(pipeline), None))
        for tag in {rng.choice(TAGS) for _ in range(rng.randint(1, 3))}:
            facts.append((f"{SDO}keywords", literal(tag), None))
        if licence:
            facts.append((f"{NS}licenseStatement", literal(licence), None))
            counts[f"licence {licence}"] += 1
        if licence and licence != "other":  # "other" names no known licence: a statement only
            facts.append((f"{NS}licensedUnder", iri("license", licence), None))
            if licence not in CURATED_LICENSES and licence not in seen_licences:
                seen_licences.add(licence)
                w.entity("license", licence, [(RDF_TYPE, f"<{NS}License>", None), (IDENTIFIER, literal(licence), None),
                                              (LABEL, literal(licence), None)])  # fmt: skip
        stats = [iri("statistic", f"hf/{id_}/{what}/{SNAPSHOT}") for what in ("downloads", "likes")]
        facts += [(f"{SDO}interactionStatistic", s, None) for s in stats]
        for p in parents:  # lineage: its own graph (post-release reuse), as the importer's
            facts.append((f"{NS}{KINDS[kind]}", iri("model", p), "post-release-reuse"))  # type: ignore[index]
            facts.append((f"{NS}derivedFrom", iri("model", p), "post-release-reuse"))
            counts[f"edge {kind}"] += 1
            children[p] += 1
            families[family[p]] += 1
        n_sets = 0
        if rng.random() < 0.057:
            n_sets = 1 + min(int(rng.expovariate(1 / 0.8)), 20)
        for _ in range(n_sets):
            ds = zipf_pick(rng, datasets)
            if ds not in seen_datasets:
                seen_datasets.add(ds)
                w.entity("dataset", ds, [(RDF_TYPE, f"<{NS}Dataset>", None), (IDENTIFIER, literal(ds), None),
                                         (LABEL, literal(f"datasets/{ds[4:]}"), None)])  # fmt: skip
            facts.append((f"{NS}trainedOn", iri("dataset", ds), "pre-training"))
            counts["model-dataset edges"] += 1
        w.entity("model", id_, facts)
        counters = []
        for s, what, action, count in (
            (stats[0], "downloads in the 30 days to", "DownloadAction", heavy(rng, 0.35, 2.5, 2.2)),
            (stats[1], "likes as of", "LikeAction", heavy(rng, 0.8, 0.8, 1.3)),
        ):
            counters += [(s, RDF_TYPE, f"<{SDO}InteractionCounter>"),
                         (s, LABEL, literal(f"Hugging Face {what} {SNAPSHOT}")),
                         (s, f"{SDO}interactionType", f"<{SDO}{action}>"),
                         (s, f"{SDO}userInteractionCount", literal(count, "integer")),
                         (s, f"{SDO}endTime", literal(SNAPSHOT, "date"))]  # fmt: skip
        w.graph("statistic", f"hf/{id_}/{SNAPSHOT}", m, counters)
        licence_of[id_] = licence
        if parents:
            depth[id_] = 1 + max(depth[p] for p in parents)
            family[id_] = family[parents[0]]
            counts[f"depth {depth[id_]}"] += 1
            attach.extend(parents)  # rich get richer
            if kind in ("fine-tune", "merge"):
                attach.append(id_)
        else:
            depth[id_] = 0
            family[id_] = id_
            if rng.random() < 0.02:  # the odd Hub-only base gets a following
                attach.append(id_)
        if len(w.lines) > 200_000:
            counts["hub quads"] += len(w.lines)
            out.write("\n".join(w.lines) + "\n")
            w.lines = []
        if i and i % 200_000 == 0:
            print(f"  {i} models, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    counts["hub quads"] += len(w.lines)
    out.write("\n".join(w.lines) + "\n")
    counts["hub models"] = models
    counts["datasets"] = len(seen_datasets)
    counts["childless base models"] = sum(1 for k, d in depth.items() if d == 0 and not children[k])
    counts["base models"] = sum(1 for d in depth.values() if d == 0)
    for name, n in families.most_common(5):
        counts[f"family {name}"] = n
    return counts


def report(counts: Counter[str], models: int) -> None:
    edges = sum(counts[f"edge {k}"] for k in KINDS)
    print(
        "| figure | HuggingKG (2024-12-15) | generated | per model, HuggingKG | per model, generated |"
    )
    print("|---|---|---|---|---|")
    hk = HUGGINGKG["models"]
    rows = [("models", hk, models), ("lineage edges", HUGGINGKG["lineage edges"], edges)]
    rows += [(f"  {k}", HUGGINGKG[k], counts[f"edge {k}"]) for k in KINDS]
    rows += [
        ("model-dataset edges", HUGGINGKG["model-dataset edges"], counts["model-dataset edges"])
    ]
    for name, theirs, ours in rows:
        print(f"| {name} | {theirs:,} | {ours:,} | {theirs / hk:.4f} | {ours / models:.4f} |")
    print()
    for k in KINDS:
        print(f"- {k}: {counts[f'edge {k}'] / max(edges, 1):.1%} of lineage edges "
              f"(HuggingKG {HUGGINGKG[k] / HUGGINGKG['lineage edges']:.1%})")  # fmt: skip
    print(f"- authors: {counts['authors']:,}; with 1-3 models: {counts['authors with 1-3 models'] / counts['authors']:.0%}; "
          f"top author {counts['top-1 author models']:,} models ({counts['top-1 author models'] / models:.1%}), "
          f"top 10 {counts['top-10 authors models'] / models:.1%}, top 100 {counts['top-100 authors models'] / models:.1%}")  # fmt: skip
    print(
        f"- base models (no parent): {counts['base models']:,}, childless: {counts['childless base models'] / counts['base models']:.1%}"
    )
    print("- largest families (descendant edges): " + ", ".join(
        f"{k[7:]} {v:,}" for k, v in counts.items() if k.startswith("family ")))  # fmt: skip
    print("- depth: " + ", ".join(f"{d}: {counts[f'depth {d}']:,}" for d in range(1, DEPTH + 1)))
    licensed = sum(v for k, v in counts.items() if k.startswith("licence "))
    print(
        f"- models with a licence: {licensed / models:.0%}; datasets named: {counts['datasets']:,}"
    )
    print(f"- quads: {counts['curated quads']:,} curated + {counts['hub quads']:,} Hub = "
          f"{counts['curated quads'] + counts['hub quads']:,} ({counts['hub quads'] / models:.1f} per Hub model)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--models", type=int, default=HUGGINGKG["models"])
    parser.add_argument("--curated", type=Path, default=Path("build/kg.nq"))
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with args.output.open("w", encoding="utf-8") as out:
        counts = generate(out, args.models, args.curated, args.seed)
    print(f"wrote {args.output} in {time.perf_counter() - start:.0f} s\n")
    report(counts, args.models)


if __name__ == "__main__":
    main()
