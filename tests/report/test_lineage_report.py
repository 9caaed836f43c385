"""The lineage network in ``kg report``: its text, tables, charts and exports on the fixture."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from kg.report.write import write_report


@pytest.fixture(scope="module")
def report(fixture_nx: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lineage-report") / "report"
    write_report(fixture_nx, out)
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_lineage_files(report: Path) -> None:
    for name in ("descendants", "pagerank", "deepest-chain", "relations"):
        for ext in ("csv", "json"):
            assert (report / f"tables/lineage-{name}.{ext}").is_file()
    for chart in ("descendants", "pagerank"):
        for ext in ("png", "svg"):
            assert (report / f"charts/lineage-{chart}.{ext}").is_file()
    for ext in ("graphml", "gexf"):
        assert (report / f"exports/lineage.{ext}").is_file()


def test_lineage_tables(report: Path) -> None:
    assert rows(report / "tables/lineage-descendants.csv") == [
        {"rank": "1", "node": "model/base-7b", "label": "Base 7B", "descendants": "2",
         "descendants:fine-tune": "2", "derivatives": "1"},
        {"rank": "2", "node": "model/chat-7b", "label": "Chat 7B", "descendants": "1",
         "descendants:fine-tune": "1", "derivatives": "1"},
    ]  # fmt: skip
    chain = rows(report / "tables/lineage-deepest-chain.csv")
    assert [(r["node"], r["depth"]) for r in chain] == [
        ("model/community-7b", "2"),
        ("model/chat-7b", "1"),
        ("model/base-7b", "0"),
    ]
    assert rows(report / "tables/lineage-relations.csv") == [
        {"relation": "fine-tune", "derivations": "2", "bases": "2"}
    ]
    top = json.loads((report / "tables/lineage-pagerank.json").read_text(encoding="utf-8"))
    assert [r["node"] for r in top] == ["model/base-7b", "model/chat-7b", "model/community-7b"]
    assert top[0]["value"] == pytest.approx(0.474412, abs=1e-6)


def test_lineage_text(report: Path) -> None:
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "## Lineage network: models and the models they were derived from" in text
    assert (
        "3 models, 2 derivations; 1 of the models are derived from no other;"
        " the deepest chain is 2 derivation step(s)." in text
    )
    assert "Community 7B → Chat 7B → Base 7B: 2 step(s)" in text
    assert "![Descendants, top 10](charts/lineage-descendants.svg)" in text
    assert "<h2>Lineage network: models and the models they were derived from</h2>" in (
        report / "report.html"
    ).read_text(encoding="utf-8")


def test_lineage_export_reads_back_directed(report: Path) -> None:
    L = nx.read_graphml(report / "exports/lineage.graphml")
    assert L.is_directed()
    assert sorted(L.edges(data="relation")) == [
        ("model/chat-7b", "model/base-7b", "fine-tune"),
        ("model/community-7b", "model/chat-7b", "fine-tune"),
    ]
    base = L.nodes["model/base-7b"]
    assert (base["descendants"], base["descendants:fine-tune"], base["depth"]) == (2.0, 2.0, 0.0)
    gexf = nx.read_gexf(report / "exports/lineage.gexf")
    assert gexf.is_directed()
    assert len(gexf) == 3
