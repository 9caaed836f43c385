"""kg report: the files, their content, determinism, and the real data's hubs and brokers."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import get_args

import networkx as nx
import pytest

from kg.errors import ReportError
from kg.networks.metrics import METRICS, NETWORKS, Metric, Network
from kg.networks.projection import to_networkx
from kg.pipeline import build
from kg.report import charts
from kg.report.text import MEANING, NETWORK_TITLES, TITLES
from kg.report.write import write_report
from kg.settings import Settings


@pytest.fixture(scope="module")
def report(fixture_nx: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(fixture_nx, out)
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_report_folder_has_every_kind_of_file(report: Path) -> None:
    names = set(files(report))
    assert {"report.md", "report.html"} <= names
    for network in ("actor", "project", "actor-artifact"):
        for metric in (
            "degree",
            "weighted_degree",
            "betweenness",
            "closeness",
            "eigenvector",
            "pagerank",
        ):
            assert {f"tables/{network}-{metric}.{e}" for e in ("csv", "json")} <= names
            assert {f"charts/{network}-{metric}.{e}" for e in ("png", "svg")} <= names
        for table in ("communities", "bridges", "articulation-points", "governance"):
            assert {f"tables/{network}-{table}.{e}" for e in ("csv", "json")} <= names
        assert {f"charts/{network}-map.{e}" for e in ("png", "svg")} <= names
        assert {f"exports/{network}.{e}" for e in ("graphml", "gexf")} <= names
    assert {
        "exports/projection.graphml",
        "exports/projection.gexf",
        "tables/actor-phases.csv",
    } <= names


def test_report_text_names_hubs_and_brokers(report: Path) -> None:
    text = (report / "report.md").read_text(encoding="utf-8")
    assert (
        "- Top actors by PageRank (hubs): Acme AI (0.4865), Open Lab (0.3808), HPC Center (0.1327)."
        in text
    )
    assert (
        "- Top actors by betweenness (brokers): Acme AI (1), HPC Center (0), Open Lab (0)." in text
    )
    assert "![The actor network](charts/actor-map.svg)" in text
    page = (report / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<td>Acme AI</td>" in page
    assert '<img src="charts/actor-pagerank.svg"' in page


def test_metric_tables_as_csv_and_json(report: Path) -> None:
    with (report / "tables/actor-pagerank.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["rank"], r["node"]) for r in rows] == [
        ("1", "organization/acme"),
        ("2", "organization/openlab"),
        ("3", "organization/hpc-center"),
    ]
    records = json.loads((report / "tables/actor-pagerank.json").read_text(encoding="utf-8"))
    assert records[0] == {
        "kind": "organization",
        "rank": 1,
        "node": "organization/acme",
        "label": "Acme AI",
        "value": pytest.approx(18 / 37, abs=1e-6),
    }
    phases = json.loads((report / "tables/actor-phases.json").read_text(encoding="utf-8"))
    assert [(p["phase"], p["actors"], p["links"]) for p in phases] == [
        ("pre-training", 3, 2),
        ("post-training", 2, 1),
        ("post-release-reuse", 2, 1),
    ]
    bridges = json.loads((report / "tables/actor-bridges.json").read_text(encoding="utf-8"))
    assert [(b["other_label"], b["weight"], b["shared"]) for b in bridges] == [
        ("Open Lab", 4, "benchmark/bench; dataset/corpus; model/chat-7b; project/alpha"),
        ("HPC Center", 1, "compute-partnership/jz-alpha"),
    ]


def test_exports_read_back_with_networkx(report: Path, fixture_nx: nx.MultiDiGraph) -> None:
    G = nx.read_graphml(report / "exports/projection.graphml")
    assert (len(G), G.number_of_edges()) == (len(fixture_nx), fixture_nx.number_of_edges())
    assert G.nodes["organization/acme"]["organization_type"] == "startup-or-company"
    H = nx.read_gexf(report / "exports/actor.gexf")
    assert H.nodes["organization/acme"]["label"] == "Acme AI"
    assert H.nodes["organization/acme"]["pagerank"] == pytest.approx(18 / 37, abs=1e-5)
    assert H.edges["organization/acme", "organization/openlab"]["weight"] == 4.0
    A = nx.read_graphml(report / "exports/actor.graphml")
    assert A.nodes["organization/acme"]["betweenness"] == 1.0
    assert A.nodes["organization/acme"]["community"] == 1


def test_report_is_deterministic(report: Path, fixture_nx: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_report(fixture_nx, tmp_path / "again")
    assert files(tmp_path / "again") == files(report)
    svg = (report / "charts/actor-pagerank.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert b"Matplotlib version" not in (report / "charts/actor-pagerank.png").read_bytes()


def test_failed_report_leaves_the_previous_one(
    fixture_nx: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write_report(fixture_nx, out)
    before = files(out)

    def broken(*args: object) -> list[Path]:
        raise OSError("disk full")

    monkeypatch.setattr(charts, "network_map", broken)
    with pytest.raises(OSError, match="disk full"):
        write_report(fixture_nx, out)
    assert files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_report_refuses_a_folder_that_is_not_a_report(
    fixture_nx: nx.MultiDiGraph, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match="is not a report folder; choose another --out"):
        write_report(fixture_nx, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_real_data_report_names_top_actors(tmp_path: Path) -> None:
    built = build(Settings())
    G = to_networkx(built.graph.rdf)
    out = tmp_path / "report"
    write_report(G, out)
    text = (out / "report.md").read_text(encoding="utf-8")
    hubs = text.split("- Top actors by PageRank (hubs): ", 1)[1].split("\n", 1)[0]
    brokers = text.split("- Top actors by betweenness (brokers): ", 1)[1].split("\n", 1)[0]
    assert hubs.startswith("TU Dresden (")
    assert "Hugging Face" in hubs
    assert "AI Singapore" in hubs
    assert brokers.startswith("AI Singapore (")
    assert "Hugging Face" in brokers
    assert "Allen Institute for AI" in brokers
    exported = nx.read_graphml(out / "exports/projection.graphml")
    networked = [key for key in built.records if key[0] != "finding"]  # findings are no nodes
    assert len(exported) == len(G) == len(networked)


def test_networks_and_metrics_are_declared_once() -> None:
    """The Literals are the declaration; every table keyed by them covers exactly them."""
    assert tuple(NETWORKS) == tuple(NETWORK_TITLES) == get_args(Network)
    assert tuple(METRICS) == tuple(TITLES) == tuple(MEANING) == get_args(Metric)
