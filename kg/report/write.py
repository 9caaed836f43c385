"""``kg report``: the collaboration networks, their metrics, charts and exports, in one folder.

:func:`write_report` analyses the actor, project and actor-artifact networks and the lineage
network of a projection and writes report.md and report.html (readable without the tool), one CSV and
one JSON per table (tables/), PNG and SVG charts (charts/) and GraphML and GEXF files
(exports/). The same projection always gives the same files. A failed report leaves the
previous one in place.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ReportError
from kg.networks import large
from kg.networks.exports import write_graph_files
from kg.networks.governance import governance_by_node
from kg.networks.metrics import METRICS, NETWORKS
from kg.report import charts
from kg.report.analysis import (
    Analysis,
    LineageAnalysis,
    Progress,
    Table,
    analyse,
    analyse_lineage,
    phase_table,
)
from kg.report.text import (
    NETWORK_TITLES,
    TITLES,
    render_html,
    render_markdown,
    report_blocks,
)

logger = logging.getLogger(__name__)


def _write_table(table: Table, folder: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    (folder / f"{table.name}.csv").write_text(text.getvalue(), encoding="utf-8")
    body = json.dumps(table.records(), ensure_ascii=False, indent=1)
    (folder / f"{table.name}.json").write_text(body + "\n", encoding="utf-8")


def _node_columns(a: Analysis) -> dict[str, dict[str, Any]]:
    """Every metric and the community of each node, for the exports."""
    community = {n: i for i, members in enumerate(a.communities, 1) for n in members}
    return {**a.values, "community": community}


def _write_lineage(a: LineageAnalysis, out: Path, top: int, progress: Progress) -> None:
    progress("lineage network: charts")
    for metric, title in (("descendants", "Descendants"), ("pagerank", "PageRank")):
        rows = [r for r in a.top(metric, top) if r.value > 0]
        charts.bar_chart(rows, f"{title}: lineage network", out / "charts" / f"lineage-{metric}")
    progress("lineage network: exports")
    write_graph_files(a.L, out / "exports" / "lineage", a.values)


def _write_files(
    G: nx.MultiDiGraph,
    analyses: list[Analysis],
    lineage: LineageAnalysis,
    out: Path,
    top: int,
    progress: Progress,
) -> None:
    for folder in ("tables", "charts", "exports"):
        (out / folder).mkdir()
    blocks, tables = report_blocks(G, analyses, phase_table(G, progress), top, lineage)
    progress("tables")
    for table in tables:
        _write_table(table, out / "tables")
    for a in analyses:
        progress(f"{a.name} network: charts")
        for metric in METRICS:
            charts.bar_chart(
                a.top(metric, top),
                f"{TITLES[metric]}: {a.name} network",
                out / "charts" / f"{a.name}-{metric}",
            )
        charts.network_map(
            a.H,
            a.map_groups(),
            a.values["pagerank"],
            NETWORK_TITLES[a.name],
            out / "charts" / f"{a.name}-map",
        )
        progress(f"{a.name} network: exports")
        write_graph_files(a.H, out / "exports" / a.name, _node_columns(a))
    _write_lineage(lineage, out, top, progress)
    progress("projection: exports")
    write_graph_files(G, out / "exports" / "projection")
    (out / "report.md").write_text(render_markdown(blocks), encoding="utf-8")
    (out / "report.html").write_text(render_html(blocks), encoding="utf-8")


@contextmanager
def _frozen_objects() -> Iterator[None]:
    """Spare the garbage collector rescanning the networks' millions of objects.

    Within, ``gc.freeze()`` moves the objects that exist to a generation that is never
    collected; at the end they are unfrozen.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def write_report(
    G: nx.MultiDiGraph, out: Path, *, top: int = 10, progress: Progress | None = None
) -> list[Analysis]:
    """Analyse the collaboration networks of ``G`` and write the report into ``out``.

    The report is written next to ``out`` and moved into place only when complete, so a
    failure leaves the previous report as it was.

    Parameters
    ----------
    G
        The projection (:func:`kg.networks.projection.to_networkx`).
    out
        The report folder; replaced if it holds a previous report (a report.md).
    top
        Rows per kind in each top-N table.
    progress
        Called with the name of each step as it starts.

    Raises
    ------
    ReportError
        If ``out`` is a file, or a folder with other content than a report.
    """
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / "report.md").exists())
    ):
        raise ReportError(f"{out} exists and is not a report folder; choose another --out")
    step = progress or (lambda _: None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        with _frozen_objects(), large.reusing_conversions():
            analyses = []
            tied = governance_by_node(G)
            for name in NETWORKS:
                analyses.append(analyse(G, name, step, tied))
                gc.freeze()  # a network and its metrics stay until the end: no need to rescan them
            lineage = analyse_lineage(G, step)
            gc.freeze()
            _write_files(G, analyses, lineage, tmp, top, step)
        old = out.with_name(f"{tmp.name}-old")
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("wrote the report to %s", out)
    return analyses
