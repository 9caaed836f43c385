"""How far the MOF classes of `kg import mot` agree with the Model Openness Tool's own.

    python tools/mof_agreement.py [MOT_DIR] [--details]

Imports MOT_DIR (default ../shared/thirdparty/model_openness_tool) into a temporary folder
with `kg import mot`, reads the class of every imported record from its facts, computes the
tool's own class of the same record (kg.importers.mof_tool), and prints, as Markdown for
docs/mof.md: the classes of both, how many agree, and for each disagreement the components
the two judge differently, with their licenses. --details lists the disagreeing records.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.importers.mof import (  # noqa: E402
    CLASS_NAMES,
    LicenseList,
    component,
    component_license,
    judge,
    mof_class,
    read_license_list,
)
from kg.importers.mof_tool import tool_judgements  # noqa: E402
from kg.importers.names import name_key  # noqa: E402
from kg.importers.run import import_catalogue  # noqa: E402
from kg.settings import Settings  # noqa: E402

MOF_CLASS = "https://w3id.org/llmkg/ns#mofClass"
ASSESSMENT = "https://w3id.org/llmkg/id/assessment/mot/"
LEVELS = {"class-i": 1, "class-ii": 2, "class-iii": 3, "unclassified": 0}


def imported_classes(directory: Path) -> dict[str, int]:
    """Assessment id (``olmo7b``) -> the MOF class `kg import mot` gives it."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=ROOT / "data",
            ontology_dir=ROOT / "ontology",
            imports_dir=Path(tmp) / "imports",
            build_dir=Path(tmp) / "build",
        )
        import_catalogue(settings, "mot", directory)
        quads = ox.parse(path=Path(tmp) / "imports/mot.nq", format=ox.RdfFormat.N_QUADS)
        return {
            q.subject.value.removeprefix(ASSESSMENT): LEVELS[q.object.value.rsplit("/", 1)[1]]
            for q in quads
            if q.predicate.value == MOF_CLASS
        }


def importer_opens(release: dict[str, Any], listed: LicenseList) -> dict[str, tuple[str, bool]]:
    """Component name -> (license, open) as the importer judges the release."""
    raw = release.get("license")
    given = raw if isinstance(raw, dict) else {}
    names = {k: (v or {}).get("name") for k, v in given.items() if isinstance(v, dict | None)}
    out: dict[str, tuple[str, bool]] = {}
    for item in release.get("components") or []:
        part = component(str(item.get("name") or ""))
        if part is None or part.name in out:
            continue
        is_in, license_ = component_license(item.get("license", ...), part.content_types, names)
        if is_in:
            judged = judge(part, license_, listed)
            out[part.name] = (license_ or "unlicensed", judged.open)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=ROOT.parent / "shared/thirdparty/model_openness_tool",
    )
    parser.add_argument("--details", action="store_true", help="list the disagreeing records")
    args = parser.parse_args()
    listed, _ = read_license_list(args.directory / "web/modules/mof/mof-licenses.json")
    ours = imported_classes(args.directory)
    pairs: Counter[tuple[int, int]] = Counter()
    reasons: Counter[str] = Counter()
    details: list[str] = []
    split: set[str] = set()
    for path in sorted((args.directory / "models").glob("*.yml")):
        key = name_key(path.stem)
        if key not in ours:
            continue  # skipped by the import (no producer)
        release = yaml.safe_load(path.read_text("utf-8"))["release"]
        judged = tool_judgements(release, listed)
        tool = mof_class(judged)
        pairs[(ours[key], tool)] += 1
        mine = importer_opens(release, listed)
        differ = [
            i for i in judged if i.component.name in mine and mine[i.component.name][1] != i.open
        ]
        for i in differ:
            reasons[f"{i.license!r} ({'open' if i.open else 'not open'} to the tool)"] += 1
        if differ:
            split.add(key)
        if ours[key] != tool:
            shown = "; ".join(
                f"{i.component.name}: {i.license!r} {'open' if i.open else 'not open'} to the tool"
                for i in differ
            )
            details.append(
                f"- {path.name}: {CLASS_NAMES[ours[key]]} here, {CLASS_NAMES[tool]} by the tool; {shown}"
            )
    total = sum(pairs.values())
    agree = sum(n for (a, b), n in pairs.items() if a == b)
    write = sys.stdout.write
    write(f"records imported: {total}\n")
    for label, side in (("kg import mot", 0), ("the tool", 1)):
        counts = Counter(pair[side] for pair in pairs.elements())
        shown = ", ".join(f"{CLASS_NAMES[c]} {counts[c]}" for c in (1, 2, 3, 0))
        write(f"{label}: {shown}; a class for {total - counts[0]}\n")
    write(f"agree: {agree} of {total}; disagree: {total - agree}\n\n")
    write(
        "| here \\ tool | Class I | Class II | Class III | unclassified |\n|---|---|---|---|---|\n"
    )
    for a in (1, 2, 3, 0):
        cells = " | ".join(str(pairs[(a, b)]) for b in (1, 2, 3, 0))
        write(f"| {CLASS_NAMES[a]} | {cells} |\n")
    write(
        f"\ncomponents judged differently (open or not), in {len(split)} records, "
        "by the license the tool sees:\n"
    )
    for reason, n in reasons.most_common():
        write(f"  {n:3d}  {reason}\n")
    if args.details:
        write("\n" + "\n".join(details) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
