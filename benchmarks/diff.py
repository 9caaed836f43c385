"""Speed and memory of `kg diff` (kg.release.diff.diff_dumps) on synthetic dumps, against
`sort` + `comm`.

    python benchmarks/diff.py [--triples 1000000 10000000] [--runs 3] [--seed 0]

For each size: writes a synthetic dump with benchmarks/generate.py, sorted as `kg build`
writes kg.nq (GNU sort on the graph and subject, which gives the real build's bytes), and a
perturbed copy (seeded: facts removed, added and changed in value, fact graphs whose
confidence changed, entities removed and added), both under build/bench/. Then times
`diff_dumps` on the pair, each run in a fresh process (median wall time, peak RSS from
getrusage), checks that it found exactly the perturbations made, and times the classic line
diff in the same run: `LC_ALL=C sort` of each file, then `comm -3` (the lines of one file
only; no provenance, no pairing of changes). Prints a Markdown table for docs/benchmarks.md.
This is a benchmark, not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from kg.release.blocks import PROVENANCE, block_key, is_facts, record_of  # noqa: E402

BENCH = ROOT / "build" / "bench"
LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"
COUNT = b"<https://w3id.org/llmkg/ns#parameterCount>"
ALT = b"<http://www.w3.org/2004/02/skos/core#altLabel>"
CONFIDENCE = b"<https://w3id.org/llmkg/ns#confidence>"
CONFIDENCES = [b"public-record", b"paper", b"curator-inference"]
RATE = 0.001
"""Share of fact lines removed, of fact lines given a new fact beside them, and of label and
parameter count lines given a new value."""
GRAPH_RATE = 0.0005
"""Share of records one of whose fact graphs changes confidence."""
ENTITY_RATE = 0.00005
"""Share of records removed, and of records given a new sibling record."""


@dataclass
class Expected:
    entities_added: int = 0
    entities_removed: int = 0
    facts_added: int = 0
    facts_removed: int = 0
    facts_changed: int = 0


def sorted_dump(triples: int, seed: int) -> Path:
    """The synthetic dump of about ``triples``, sorted as kg build writes kg.nq (made once)."""
    path = BENCH / f"diff-{triples}-{seed}-old.nq"
    if path.exists():
        return path
    BENCH.mkdir(parents=True, exist_ok=True)
    raw = BENCH / f"diff-{triples}-{seed}-raw.nq"
    with raw.open("w", encoding="utf-8") as out:
        for line in generate(triples, seed):
            out.write(line + "\n")
    # Graph and subject in front, sorted bytewise, then taken off: kg build's order (it gives
    # the real build/kg.nq byte for byte). -u: a store holds a quad once; the generator's
    # random picks may repeat one.
    script = (
        f'awk \'{{print $(NF-1) "\\t" $1 "\\t" $0}}\' {raw} | '
        f"LC_ALL=C sort -u -T {BENCH} | cut -f3- > {path}.tmp && mv {path}.tmp {path}"
    )
    subprocess.run(["/bin/bash", "-o", "pipefail", "-c", script], check=True)
    raw.unlink()
    return path


def _sort_key(line: bytes) -> tuple[bytes, bytes]:
    return line.rsplit(b" ", 2)[1], line


def _sibling(prefix: bytes) -> tuple[bytes, bytes]:
    """(old, new) text of a record's IRIs: `.../model/m12` -> `.../model/m12-new`, which sorts
    just before it."""
    record = prefix[len(b"<https://w3id.org/llmkg/id/fact/") : -1]
    return b"/" + record, b"/" + record + b"-new"


def _renamed(line: bytes, old: bytes, new: bytes) -> bytes:
    return line.replace(old + b">", new + b">").replace(old + b"/", new + b"/")


def _record_facts(lines: list[bytes], rng: random.Random, expected: Expected) -> list[bytes]:
    """A record's fact lines with some removed, added beside, or changed in value."""
    out = []
    for line in lines:
        draw = rng.random()
        subject, predicate, rest = line.split(b" ", 2)
        if draw < RATE:
            expected.facts_removed += 1
            continue
        if draw < 2 * RATE:
            graph = line.rsplit(b" ", 2)[1]
            out.append(b'%s %s "alt %d" %s .\n' % (subject, ALT, rng.randrange(10**9), graph))
            expected.facts_added += 1
        elif predicate in (LABEL, COUNT) and draw < 2 * RATE + 3 * RATE:
            value, graph, end = rest.rsplit(b" ", 2)
            if predicate == LABEL:
                value = value[:-1] + b' (new)"'
            else:
                number = value[1 : value.index(b'"', 1)]
                value = value.replace(number, b"%d" % (int(number) + 1), 1)
            line = b" ".join((subject, predicate, value, graph, end))
            expected.facts_changed += 1
        out.append(line)
    return sorted(out, key=_sort_key)


def perturbed(old: Path, seed: int) -> tuple[Path, Expected]:
    """A copy of ``old`` with seeded changes, sorted as kg build writes it, and what a diff of
    the two must find."""
    path = old.with_name(old.name.replace("-old", "-new"))
    expected = Expected()
    removed: set[bytes] = set()
    siblings: dict[bytes, list[bytes]] = {}
    regraphed: dict[bytes, bytes] = {}  # old fact graph IRI -> new, of another confidence
    with old.open("rb") as stream, path.open("wb") as out:
        for key, group in itertools.groupby(stream, key=block_key):
            lines = list(group)
            record = record_of(key)
            if record is None:
                out.writelines(lines)
                continue
            rng = random.Random(f"{seed}{record!r}")
            if is_facts(key):
                out.writelines(_facts(record, lines, rng, expected, removed, siblings, regraphed))
            else:
                out.writelines(_provenance(record, lines, removed, siblings, regraphed))
    return path, expected


def _facts(
    record: bytes,
    lines: list[bytes],
    rng: random.Random,
    expected: Expected,
    removed: set[bytes],
    siblings: dict[bytes, list[bytes]],
    regraphed: dict[bytes, bytes],
) -> list[bytes]:
    draw = rng.random()
    if draw < ENTITY_RATE:
        removed.add(record)
        expected.entities_removed += 1
        expected.facts_removed += len(lines)
        return []
    if draw < 2 * ENTITY_RATE:
        siblings[record] = []
        old, new = _sibling(record)
        expected.entities_added += 1
        expected.facts_added += len(lines)
        return [_renamed(line, old, new) for line in lines] + lines
    if draw < 2 * ENTITY_RATE + GRAPH_RATE:
        graphs = sorted({line.rsplit(b" ", 2)[1] for line in lines})
        graph = rng.choice(graphs)
        digest = hashlib.sha256(graph).hexdigest()[:12].encode()
        new = graph[: graph.rindex(b"/") + 1] + digest + b">"
        regraphed[graph] = new
        moved = [line.replace(b" " + graph + b" ", b" " + new + b" ") for line in lines]
        expected.facts_changed += sum(line.endswith(b" " + graph + b" .\n") for line in lines)
        return sorted(moved, key=_sort_key)
    return _record_facts(lines, rng, expected)


def _provenance(
    record: bytes,
    lines: list[bytes],
    removed: set[bytes],
    siblings: dict[bytes, list[bytes]],
    regraphed: dict[bytes, bytes],
) -> list[bytes]:
    if record in removed:
        return []
    if record in siblings:
        old, new = _sibling(record)
        return [_renamed(line, old, new) for line in lines] + lines
    out = []
    for line in lines:
        subject, predicate, _ = line.split(b" ", 2)
        if subject in regraphed:
            graph = regraphed[subject]
            line = line.replace(subject, graph, 1)
            if predicate == CONFIDENCE:  # the next confidence
                old = next(c for c in CONFIDENCES if b"/" + c + b">" in line)
                confidence = CONFIDENCES[(CONFIDENCES.index(old) + 1) % len(CONFIDENCES)]
                line = b"%s %s <https://w3id.org/llmkg/id/confidence/%s> %s .\n" % (
                    graph, predicate, confidence, PROVENANCE)  # fmt: skip
        out.append(line)
    return sorted(out)


def measure(old: Path, new: Path) -> None:
    """In a fresh process: diff the pair once, print seconds, peak RSS (MiB) and counts."""
    from kg.release.diff import diff_dumps

    start = time.perf_counter()
    diff = diff_dumps(old, new)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "counts": diff.counts.model_dump()}))


def timed_children(commands: Iterable[str]) -> tuple[float, float]:
    """Run shell ``commands`` one after the other in a fresh process: seconds, and the peak RSS
    (MiB) of the largest of them."""
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "for command in sys.argv[1:]:\n"
        "    subprocess.run(['/bin/bash', '-c', command], check=True)\n"
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *commands], check=True, capture_output=True)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def ours(old: Path, new: Path, runs: int) -> Iterator[dict[str, object]]:
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(old), str(new)],
            check=True,
            capture_output=True,
            text=True,
        )
        yield json.loads(out.stdout)


def peer(old: Path, new: Path) -> dict[str, tuple[float, float]]:
    """The classic line diff, step by step: seconds and peak RSS (MiB)."""
    sort = f"LC_ALL=C sort -T {BENCH}"
    sorted_old, sorted_new = BENCH / f"{old.name}.sorted", BENCH / f"{new.name}.sorted"
    out = BENCH / "comm.out"
    steps = {
        "sort old": timed_children([f"{sort} {old} > {sorted_old}"]),
        "sort new": timed_children([f"{sort} {new} > {sorted_new}"]),
        "comm -3": timed_children([f"LC_ALL=C comm -3 {sorted_old} {sorted_new} > {out}"]),
    }
    for path in (sorted_old, sorted_new, out):
        path.unlink()
    return steps


def run(triples: int, seed: int, runs: int) -> list[str]:
    start = time.perf_counter()
    old = sorted_dump(triples, seed)
    made = time.perf_counter() - start
    new, expected = perturbed(old, seed)
    quads = sum(1 for _ in old.open("rb"))
    print(f"{old.name}: {quads:,} quads, {old.stat().st_size / 2**20:,.0f} MiB (made in "
          f"{made:.0f} s); expected {asdict(expected)}", file=sys.stderr)  # fmt: skip
    results = list(ours(old, new, runs))
    found = results[0]["counts"]
    same = found == asdict(expected)
    print(f"found {found}: {'as expected' if same else 'NOT AS EXPECTED'}", file=sys.stderr)
    seconds = statistics.median(float(str(r["seconds"])) for r in results)
    peak = max(float(str(r["peak"])) for r in results)
    steps = peer(old, new)
    total = sum(s for s, _ in steps.values())
    rows = [f"| {quads:,} | kg diff (`diff_dumps`) | {seconds:.1f} | {peak:,.0f} | "
            f"{'yes' if same else 'no'} |"]  # fmt: skip
    rows += [f"| | {name} | {s:.1f} | {p:,.0f} | |" for name, (s, p) in steps.items()]
    rows.append(
        f"| | sort + comm in all | {total:.1f} | {max(p for _, p in steps.values()):,.0f} | |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("\n| quads | diff | seconds | peak RSS (MiB) | found the changes made |")
    print("|---|---|---|---|---|")
    for triples in args.triples:
        for row in run(triples, args.seed, args.runs):
            print(row, flush=True)


if __name__ == "__main__":
    main()
