"""Reports the server computes in a forked child: the same as computed in place, and a child
that dies is a clear 503 that the next visit retries."""

from __future__ import annotations

import os

import networkx as nx
import pytest

from kg.report import cache
from kg.report.cache import ReportCache, ReportLostError, network_report, report_apart


def test_a_report_computed_apart_is_the_one_computed_here(fixture_nx: nx.MultiDiGraph) -> None:
    here, apart = network_report(fixture_nx, "actor"), report_apart(fixture_nx, "actor")
    assert apart.analysis.values == here.analysis.values
    assert apart.analysis.communities == here.analysis.communities
    assert sorted(apart.analysis.H.edges) == sorted(here.analysis.H.edges)
    assert apart.charts.keys() == here.charts.keys()
    assert apart.legend == here.legend


def test_a_child_that_dies_is_reported_and_tried_again(
    fixture_nx: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "network_report", lambda *_: os._exit(9))
    with pytest.raises(ReportLostError) as lost:
        report_apart(fixture_nx, "project")
    assert str(lost.value) == (
        "the process computing the report of the project network stopped (exit code 9); "
        "reload the page to try again"
    )
    assert lost.value.status == 503

    reports = ReportCache()
    reports._compute(fixture_nx, "project")
    assert "project" not in reports.failed
    assert "project" not in reports.done
    monkeypatch.undo()
    reports._compute(fixture_nx, "project")
    assert "project" in reports.done
