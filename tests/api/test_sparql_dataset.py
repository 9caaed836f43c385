"""SPARQL 1.1 dataset semantics: the query's FROM / FROM NAMED, the protocol's parameters,
and the union default graph when neither is given; over HTTP and in kg.graph."""

from __future__ import annotations

import httpx
import pytest

from kg.graph import KnowledgeGraph

PROVENANCE = "https://w3id.org/llmkg/id/graph/provenance"
ONTOLOGY = "https://w3id.org/llmkg/ns"
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def _count(fixture_kg: KnowledgeGraph, query: str) -> int:
    (row,) = fixture_kg.query(query)  # type: ignore[misc]
    return int(row["n"].value)


@pytest.fixture(scope="module")
def sizes(fixture_kg: KnowledgeGraph) -> dict[str, int]:
    """Quads of the whole store, of the provenance graph, and the number of named graphs."""
    return {
        "all": len(fixture_kg),
        "provenance": _count(
            fixture_kg, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{PROVENANCE}> {{ ?s ?p ?o }} }}"
        ),
        "ontology": _count(
            fixture_kg, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }}"
        ),
        "graphs": _count(fixture_kg, GRAPHS.format(**{"from": ""})),
    }


def _http(base_url: str, query: str, **dataset: list[str]) -> int:
    params: list[tuple[str, str]] = [("query", query)]
    for name, graphs in dataset.items():
        params += [(name.replace("_", "-"), g) for g in graphs]
    response = httpx.get(
        f"{base_url}/sparql", params=params, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_the_fixture_has_several_graphs(sizes: dict[str, int]) -> None:
    assert sizes["graphs"] > 2
    assert 0 < sizes["provenance"] < sizes["all"]


@pytest.mark.parametrize(
    ("query", "dataset", "expected"),
    [
        # neither: the union of all graphs, every named graph visible
        (COUNT.format(**{"from": ""}), {}, "all"),
        (GRAPHS.format(**{"from": ""}), {}, "graphs"),
        # the query's own dataset
        (COUNT.format(**{"from": f"FROM <{PROVENANCE}>"}), {}, "provenance"),
        (
            COUNT.format(**{"from": f"FROM <{PROVENANCE}> FROM <{ONTOLOGY}>"}),
            {},
            "provenance+ontology",
        ),
        (COUNT.format(**{"from": f"FROM NAMED <{PROVENANCE}>"}), {}, "none"),
        (GRAPHS.format(**{"from": f"FROM NAMED <{PROVENANCE}>"}), {}, "one"),
        (GRAPHS.format(**{"from": f"FROM <{PROVENANCE}>"}), {}, "none"),
        # the protocol's parameters replace it
        (COUNT.format(**{"from": ""}), {"default_graph_uri": [PROVENANCE]}, "provenance"),
        (GRAPHS.format(**{"from": ""}), {"default_graph_uri": [PROVENANCE]}, "none"),
        (COUNT.format(**{"from": ""}), {"named_graph_uri": [PROVENANCE]}, "none"),
        (GRAPHS.format(**{"from": ""}), {"named_graph_uri": [PROVENANCE, ONTOLOGY]}, "two"),
        (
            COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"}),
            {"default_graph_uri": [PROVENANCE]},
            "provenance",
        ),
    ],
    ids=[
        "union",
        "union-named",
        "from",
        "from-two",
        "from-named-empty-default",
        "from-named",
        "from-no-named",
        "default-graph-uri",
        "default-graph-uri-no-named",
        "named-graph-uri-empty-default",
        "named-graph-uri",
        "protocol-over-from",
    ],
)
def test_dataset(
    base_url: str,
    fixture_kg: KnowledgeGraph,
    sizes: dict[str, int],
    query: str,
    dataset: dict[str, list[str]],
    expected: str,
) -> None:
    want = {
        **sizes,
        "none": 0,
        "one": 1,
        "two": 2,
        "provenance+ontology": sizes["provenance"] + sizes["ontology"],
    }[expected]
    assert _http(base_url, query, **dataset) == want
    if not dataset:  # kg query and the library follow the query's own dataset too
        assert _count(fixture_kg, query) == want
