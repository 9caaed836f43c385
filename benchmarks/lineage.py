"""Latency of the lineage lookups (kg.read.lineage), on the curated build and on a store with
generated derivation trees added.

    python benchmarks/lineage.py                       # the curated build/kg.nq alone
    python benchmarks/lineage.py --models 100000       # plus 100k generated models
    python benchmarks/lineage.py --models 100000 --hub 5000 --repeat 200
    python benchmarks/lineage.py --store build/store   # the store kg serve built (read-only)

A tiny generator, not the hub-scale one: ``--models`` models in trees of about
``--tree`` models each (every new model derives from a random earlier model of its tree, by a
random kind of the ontology, nearer the root more often; one in twenty also merges a second
parent), licences inherited from the parent four times in five, and one ``--hub`` base with
that many descendants. The triples go outside any fact graph, as ``kg load`` of an imported
dump would put them. Prints p50/p99 in milliseconds as Markdown. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.compile.rdf import ONTOLOGY_GRAPH  # noqa: E402
from kg.graph import KnowledgeGraph  # noqa: E402
from kg.read.lineage import derivation_kinds, licence_drift, lineage  # noqa: E402
from kg.schema.vocabulary import ID, PREFIXES  # noqa: E402

LLMKG, RDF, RDFS = PREFIXES["llmkg"], PREFIXES["rdf"], PREFIXES["rdfs"]
LICENCES = ["apache-2.0", "mit", "llama-3.1-community", "cc-by-nc-4.0", "gemma", "openrail-m"]
WEIGHTS = {"fine-tune": 50, "quantization": 30, "adapter": 12, "merge": 5}  # others: 1


def generate(store: ox.Store, models: int, tree: int, hub: int, seed: int = 7) -> list[str]:
    """Add ``models`` generated models (and a hub of ``hub``) to ``store``; their ids."""
    rng = random.Random(seed)
    kinds = [k for k in derivation_kinds(KnowledgeGraph(store)) if k.name != "unspecified"]
    weights = [WEIGHTS.get(k.name, 1) for k in kinds]
    a, label = ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{RDFS}label")
    model, licensed = ox.NamedNode(f"{LLMKG}Model"), ox.NamedNode(f"{LLMKG}licensedUnder")
    derived, ident = (
        ox.NamedNode(f"{LLMKG}derivedFrom"),
        ox.NamedNode(f"{PREFIXES['dcterms']}identifier"),
    )
    quads: list[ox.Quad] = []
    ids: list[str] = []
    licence_of: dict[str, str] = {}

    def add(id_: str, parents: list[str]) -> None:
        node = ox.NamedNode(f"{ID}model/{id_}")
        own = licence_of[parents[0]] if parents and rng.random() < 0.8 else rng.choice(LICENCES)
        licence_of[id_] = own
        quads.extend(
            [
                ox.Quad(node, a, model),
                ox.Quad(node, label, ox.Literal(id_.replace("-", " ").title())),
                ox.Quad(node, ident, ox.Literal(id_)),
                ox.Quad(node, licensed, ox.NamedNode(f"{ID}license/{own}")),
            ]
        )
        for parent in parents:
            kind = rng.choices(kinds, weights)[0]
            base = ox.NamedNode(f"{ID}model/{parent}")
            quads.extend(
                [ox.Quad(node, ox.NamedNode(kind.property), base), ox.Quad(node, derived, base)]
            )
        ids.append(id_)

    def grow(prefix: str, size: int) -> None:
        members = [f"{prefix}-0"]
        add(members[0], [])
        for i in range(1, size):
            parent = members[min(int(rng.expovariate(0.5)), len(members) - 1)]
            parents = [parent]
            if rng.random() < 0.05 and len(members) > 1:
                other = rng.choice(members)
                parents += [other] if other != parent else []
            members.append(f"{prefix}-{i}")
            add(members[-1], parents)

    if hub:
        grow("hub", hub)
    for t in range(max(0, models - hub) // tree):
        grow(f"gen{t}", tree)
    store.extend(quads)
    return ids


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """p50 and p99 of ``repeat`` calls, in milliseconds (after one warm-up call)."""
    call()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, round(0.99 * (len(runs) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, default=ROOT / "build" / "kg.nq")
    parser.add_argument("--store", type=Path, help="an on-disk store to read (a kg serve store)")
    parser.add_argument("--models", type=int, default=0)
    parser.add_argument("--tree", type=int, default=40)
    parser.add_argument("--hub", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    start = time.perf_counter()
    store = ox.Store.read_only(str(args.store)) if args.store else ox.Store()
    if args.store is None and args.dump.exists():
        store.bulk_load(path=args.dump, format=ox.RdfFormat.N_QUADS)
    elif args.store is None:
        store.load(path=ROOT / "ontology" / "llmkg.ttl", to_graph=ONTOLOGY_GRAPH)
    kg = KnowledgeGraph(store)
    curated = [
        str(r["id"].value)
        for r in kg.query(  # type: ignore[union-attr]
            "SELECT DISTINCT ?id WHERE { ?m llmkg:derivedFrom|^llmkg:derivedFrom ?o ;"
            " a llmkg:Model ; dcterms:identifier ?id }",
            prefixes=True,
        )
    ]
    generated = generate(store, args.models, args.tree, args.hub) if args.models else []
    print(
        f"store: {len(store)} quads, {len(curated)} curated models with a lineage, "
        f"{len(generated)} generated ({time.perf_counter() - start:.1f} s to make)\n"
    )
    rng = random.Random(1)
    pool = generated or curated
    cases: list[tuple[str, Callable[[], object]]] = [
        ("lineage, random model, both, depth 10", lambda: lineage(kg, rng.choice(pool))),
        (
            "lineage, random model, descendants, depth 1",
            lambda: lineage(kg, rng.choice(pool), direction="descendants", depth=1),
        ),
        (
            "lineage, random model, fine-tune only",
            lambda: lineage(kg, rng.choice(pool), relations=["fine-tune"]),
        ),
    ]
    if args.hub:
        cases += [
            ("lineage, hub base (descendants, depth 10, 1st page)", lambda: lineage(kg, "hub-0")),
            ("licence drift, ?base=hub base", lambda: licence_drift(kg, base="hub-0")),
        ]
    cases.append(("licence drift, whole store", lambda: licence_drift(kg)))
    print("| lookup | p50 ms | p99 ms | runs |\n|---|---:|---:|---:|")
    for name, call in cases:
        heavy = "whole store" in name or "hub" in name
        repeat = max(5, args.repeat // 10) if heavy and generated else args.repeat
        p50, p99 = timed(call, repeat)
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {repeat} |", flush=True)


if __name__ == "__main__":
    main()
