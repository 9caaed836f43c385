"""REST endpoints over the fixture graph, with httpx against uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def test_search_ranks_exact_matches_first(client: httpx.Client) -> None:
    body = client.get("/entities", params={"q": "chat-7b"}).json()
    assert body["total"] == 1
    assert body["items"] == [
        {
            "kind": "model",
            "id": "chat-7b",
            "iri": "https://w3id.org/llmkg/id/model/chat-7b",
            "label": "Chat 7B",
        }
    ]


def test_search_by_alias_type_region_and_pages(client: httpx.Client) -> None:
    assert [
        i["id"] for i in client.get("/entities", params={"q": "artificial"}).json()["items"]
    ] == ["acme"]
    europe = client.get("/entities", params={"type": "organization", "region": "europe"}).json()
    assert [i["id"] for i in europe["items"]] == ["hpc-center", "openlab"]
    page = client.get("/entities", params={"type": "model", "limit": 2, "offset": 2}).json()
    assert (page["total"], [i["id"] for i in page["items"]]) == (3, ["community-7b"])


def test_entity_facts_carry_provenance(client: httpx.Client) -> None:
    body = client.get("/entities/model/community-7b").json()
    assert body["label"] == "Community 7B"
    (fine_tuned,) = [f for f in body["facts"] if f["relation"] == "fine_tuned_from"]
    assert fine_tuned == {
        "source": "https://example.org/community-7b",
        "confidence": "curator-inference",
        "phase": "post-release-reuse",
        "note": "The model card names Chat 7B as its base without saying how it was tuned.",
        "valid_from": None,
        "valid_until": None,
        "graph": fine_tuned["graph"],
        "property": "https://w3id.org/llmkg/ns#fineTunedFrom",
        "relation": "fine_tuned_from",
        "property_label": "fine-tuned from",
        "object": {
            "iri": "https://w3id.org/llmkg/id/model/chat-7b",
            "label": "Chat 7B",
            "kind": "model",
            "id": "chat-7b",
            "value": None,
            "datatype": None,
            "language": None,
        },
    }


def test_entity_as_jsonld(client: httpx.Client) -> None:
    response = client.get("/entities/model/base-7b", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    (node,) = response.json()["@graph"]
    assert node["@id"] == "model:base-7b"
    assert node["llmkg:trainedOn"] == [{"@id": "dataset:corpus"}]


def test_links_by_direction_relation_and_phase(client: httpx.Client) -> None:
    links = client.get("/entities/model/chat-7b/links").json()
    assert {(link["direction"], link["relation"], link["other"]["id"]) for link in links} >= {
        ("out", "fine_tuned_from", "base-7b"),
        ("out", "developed_by", "acme"),
        ("in", "fine_tuned_from", "community-7b"),
    }
    incoming = client.get(
        "/entities/model/chat-7b/links", params={"direction": "in", "relation": "derived_from"}
    ).json()
    assert [(link["other"]["id"], link["phase"]) for link in incoming] == [
        ("community-7b", "post-release-reuse")
    ]
    pre = client.get("/entities/project/alpha/links", params={"phase": "pre-training"}).json()
    assert [(link["relation"], link["other"]["id"]) for link in pre] == [
        ("compute_from", "jz-alpha")
    ]


# ---------------------------------------------------------------- dated facts


def licenses(body: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [
        (f["object"]["id"], f["valid_from"], f["valid_until"])
        for f in body["facts"]
        if f["relation"] == "licensed_under"
    ]


def test_entity_as_of_a_date_leaves_out_facts_that_did_not_hold(client: httpx.Client) -> None:
    def chat(**params: str) -> dict[str, Any]:
        response = client.get("/entities/model/chat-7b", params=params)
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    assert licenses(chat()) == [("apache-2.0", "2024-02", "2024-05"), ("mit", "2024-06-01", None)]
    assert licenses(chat(as_of="2024-01-31")) == []
    assert licenses(chat(as_of="2024-05-31")) == [("apache-2.0", "2024-02", "2024-05")]
    assert licenses(chat(as_of="2024-06")) == [("mit", "2024-06-01", None)]
    assert licenses(chat(as_of="2024")) == licenses(chat())

    def undated(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [f for f in body["facts"] if f["valid_from"] is None and f["valid_until"] is None]

    assert undated(chat(as_of="1990")) == undated(chat(as_of="2030-12-31")) == undated(chat())
    assert len(undated(chat())) == len(chat()["facts"]) - 2


def test_a_dated_plain_field_is_left_out_before_it_held(client: httpx.Client) -> None:
    def governance(as_of: str) -> list[tuple[str, str | None]]:
        body = client.get("/entities/project/alpha", params={"as_of": as_of}).json()
        return [
            (f["object"]["iri"].rsplit("/", 1)[-1], f["valid_from"])
            for f in body["facts"]
            if f["relation"] == "governance_model"
        ]

    assert governance("2022-12-31") == []
    assert governance("2023-01-01") == [("single-company", "2023")]


def test_links_as_of_a_date(client: httpx.Client) -> None:
    def compute(as_of: str) -> list[tuple[str, str, str | None, str | None]]:
        links = client.get("/entities/project/alpha/links", params={"as_of": as_of}).json()
        return [
            (link["relation"], link["other"]["id"], link["valid_from"], link["valid_until"])
            for link in links
            if link["relation"] == "compute_from"
        ]

    window = [("compute_from", "jz-alpha", "2023-06", "2024")]
    assert compute("2023-05-31") == []
    assert compute("2023-06-01") == compute("2024-12-31") == window  # valid_until 2024: all of it
    assert compute("2025-01-01") == []
    incoming = client.get(
        "/entities/license/mit/links", params={"direction": "in", "as_of": "2024-05-31"}
    ).json()
    assert [link["other"]["id"] for link in incoming] == ["community-7b"]
    incoming = client.get(
        "/entities/license/mit/links", params={"direction": "in", "as_of": "2024-06-01"}
    ).json()
    assert [link["other"]["id"] for link in incoming] == ["chat-7b", "community-7b"]


def test_entity_as_of_a_date_as_jsonld(client: httpx.Client) -> None:
    def licensed(as_of: str) -> object:
        response = client.get(
            "/entities/model/chat-7b",
            params={"as_of": as_of},
            headers={"Accept": "application/ld+json"},
        )
        assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
        (node,) = response.json()["@graph"]
        assert node["@id"] == "model:chat-7b"
        return node["llmkg:licensedUnder"]

    assert licensed("2024-03") == [{"@id": "license:apache-2.0"}]
    assert licensed("2024-07") == [{"@id": "license:mit"}]


@pytest.mark.parametrize(
    ("path", "as_of", "detail"),
    [
        (
            "/entities/model/chat-7b",
            "June 2024",
            "as_of 'June 2024' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (2024, 2024-03 or 2024-03-15)",
        ),
        (
            "/entities/model/chat-7b/links",
            "2024-13",
            "as_of '2024-13' is not a date: month must be in 1..12",
        ),
        (
            "/entities/model/chat-7b",
            "2024-02-30",
            "as_of '2024-02-30' is not a date: day is out of range for month",
        ),
    ],
    ids=["words", "no-such-month", "no-such-day"],
)
def test_a_bad_as_of_is_a_422_problem(
    client: httpx.Client, path: str, as_of: str, detail: str
) -> None:
    response = client.get(path, params={"as_of": as_of})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Invalid parameter",
        "status": 422,
        "detail": detail,
        "instance": path,
    }


def test_projects_and_artifacts(client: httpx.Client) -> None:
    assert client.get(
        "/projects", params={"governance_model": "single-company", "region": "europe"}
    ).json() == [
        {
            "kind": "project",
            "id": "alpha",
            "iri": "https://w3id.org/llmkg/id/project/alpha",
            "label": "Alpha",
            "governance_model": "single-company",
            "regions": ["europe", "us"],
        }
    ]
    assert (
        client.get("/projects", params={"governance_model": "single-research-institute"}).json()
        == []
    )
    assert [a["id"] for a in client.get("/artifacts", params={"kind": "dataset"}).json()] == [
        "corpus"
    ]
    assert len(client.get("/artifacts").json()) == 6


def test_unknown_id_is_a_404_problem_with_did_you_mean(client: httpx.Client) -> None:
    response = client.get("/entities/model/chat7b")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "no model with id 'chat7b' (did you mean 'chat-7b'?)",
        "instance": "/entities/model/chat7b",
    }


@pytest.mark.parametrize(
    ("path", "params", "status", "detail"),
    [
        (
            "/entities/modle/chat-7b",
            {},
            404,
            "no kind 'modle' (did you mean 'model'?); kinds: benchmark, compute-partnership, dataset, finding, forum, framework, leaderboard, license, model, organization, project, publication",
        ),
        ("/entities", {"region": "eurpe"}, 422, "unknown region 'eurpe' (did you mean 'europe'?)"),
        (
            "/entities",
            {"limit": "0"},
            422,
            "query.limit: Input should be greater than or equal to 1",
        ),
        (
            "/entities/model/chat-7b/links",
            {"direction": "sideways"},
            422,
            "query.direction: Input should be 'in', 'out' or 'both'",
        ),
        (
            "/projects",
            {"governance_model": "single-compny"},
            422,
            "unknown governance model 'single-compny' (did you mean 'single-company'?); models: company-sponsored-grassroots, multi-organizational-research-institute, non-profit-sponsored-grassroots, single-company, single-research-institute",
        ),
        (
            "/artifacts",
            {"kind": "modle"},
            422,
            "unknown artifact kind 'modle' (did you mean 'model'?); kinds: model, dataset, benchmark, framework, leaderboard, compute-partnership, forum",
        ),
        ("/no-such-route", {}, 404, "no resource at /no-such-route; see /docs for the API"),
    ],
    ids=[
        "unknown-kind",
        "unknown-region",
        "bad-limit",
        "bad-direction",
        "unknown-governance",
        "unknown-artifact-kind",
        "unknown-route",
    ],
)
def test_errors_are_problems(
    client: httpx.Client, path: str, params: dict[str, str], status: int, detail: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


def test_openapi_documents_every_route(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {
        "/sparql",
        "/sparql/examples",
        "/entities",
        "/entities/{kind}/{id}",
        "/entities/{kind}/{id}/links",
        "/projects",
        "/artifacts",
    }
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            assert operation.get("description") or operation.get("summary"), path
    assert client.get("/docs").status_code == 200


def test_example_queries_are_listed_and_run(client: httpx.Client) -> None:
    examples = client.get("/sparql/examples").json()
    assert [e["name"] for e in examples][:2] == ["cq01-governance-models", "cq02-project-artifacts"]
    cq12 = next(e for e in examples if e["name"] == "cq12-license-changes")
    assert (
        cq12["title"]
        == "CQ12: Which derived models carry a license different from their base model's?"
    )
    rows = client.get(cq12["run"], headers={"Accept": "application/sparql-results+json"}).json()[
        "results"
    ]["bindings"]
    assert [(r["model"]["value"], r["license"]["value"]) for r in rows] == [
        ("Community 7B", "MIT License")
    ]
    text = client.get("/sparql/examples/cq12-license-changes")
    assert text.headers["content-type"] == "application/sparql-query; charset=utf-8"
    assert text.text == cq12["query"]


def test_collaborators_with_shared_items_and_weights(client: httpx.Client) -> None:
    body = client.get("/actors/acme/collaborators").json()
    assert [(c["node"], c["weight"]) for c in body] == [
        ("organization/openlab", 4),
        ("organization/hpc-center", 1),
    ]
    assert [i["node"] for i in body[0]["items"]] == [
        "benchmark/bench",
        "dataset/corpus",
        "model/chat-7b",
        "project/alpha",
    ]
    pre = client.get(
        "/actors/organization/acme/collaborators".replace("/organization", ""),
        params={"phase": "pre-training"},
    ).json()
    assert [(c["node"], [i["node"] for i in c["items"]]) for c in pre] == [
        ("organization/hpc-center", ["compute-partnership/jz-alpha"]),
        ("organization/openlab", ["dataset/corpus"]),
    ]


def test_paths_between_two_entities(client: httpx.Client) -> None:
    paths = client.get(
        "/paths", params={"from": "model/community-7b", "to": "organization/hpc-center"}
    ).json()
    assert len(paths) == 3
    assert [(s["node"], s["relations"]) for s in paths[0]] == [
        ("model/community-7b", []),
        ("model/chat-7b", ["fine_tuned_from"]),
        ("model/base-7b", ["fine_tuned_from"]),
        ("compute-partnership/jz-alpha", ["compute_from"]),
        ("organization/hpc-center", ["provided_by"]),
    ]
    assert (
        client.get(
            "/paths",
            params={"from": "model/community-7b", "to": "organization/hpc-center", "max_hops": 3},
        ).json()
        == []
    )


def test_centrality_report(client: httpx.Client) -> None:
    rows = client.get(
        "/reports/centrality", params={"network": "actor", "metric": "pagerank"}
    ).json()
    assert [(r["rank"], r["node"]) for r in rows] == [
        (1, "organization/acme"),
        (2, "organization/openlab"),
        (3, "organization/hpc-center"),
    ]
    assert sum(r["value"] for r in rows) == pytest.approx(1.0)
    datasets = client.get(
        "/reports/centrality",
        params={"network": "actor-artifact", "metric": "degree", "kind": "dataset"},
    ).json()
    assert datasets == [
        {
            "rank": 1,
            "node": "dataset/corpus",
            "label": "Open Corpus",
            "kind": "dataset",
            "value": 2.0,
        }
    ]


@pytest.mark.parametrize(
    ("path", "params", "status", "detail"),
    [
        ("/actors/acmee/collaborators", {}, 404, "no actor 'acmee' in the graph"),
        (
            "/paths",
            {"from": "model/nope", "to": "organization/acme"},
            404,
            "no entity 'model/nope' in the collaboration graph",
        ),
        (
            "/paths",
            {"from": "bloom", "to": "organization/acme"},
            422,
            "'bloom' is not kind/id, e.g. model/bloom",
        ),
        (
            "/reports/centrality",
            {"metric": "pagernk"},
            422,
            "query.metric: Input should be 'degree', 'weighted_degree', 'betweenness', 'closeness', 'eigenvector' or 'pagerank'",
        ),
        (
            "/reports/centrality",
            {"kind": "modle"},
            422,
            "unknown kind 'modle' (did you mean 'model'?); one of: benchmark, compute-partnership, dataset, finding, forum, framework, leaderboard, license, model, organization, project, publication",
        ),
    ],
    ids=["unknown-actor", "unknown-entity", "not-kind-id", "unknown-metric", "unknown-kind"],
)
def test_network_errors_are_problems(
    client: httpx.Client, path: str, params: dict[str, str], status: int, detail: str
) -> None:
    response = client.get(path, params=params)
    assert (response.status_code, response.json()["detail"]) == (status, detail)


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        (
            "/entities/model/bl%22oom",
            404,
            "no model with id 'bl\"oom': ids and codes match ^[a-z0-9][a-z0-9.-]*$",
        ),
        (
            "/entities/model/x%3E%20%7D/links",
            404,
            "no model with id 'x> }': ids and codes match ^[a-z0-9][a-z0-9.-]*$",
        ),
        (
            "/projects?governance_model=a%20b",
            422,
            "no governance model 'a b': ids and codes match ^[a-z0-9][a-z0-9.-]*$",
        ),
        (
            "/entities?region=%22",
            422,
            "no region '\"': ids and codes match ^[a-z0-9][a-z0-9.-]*$",
        ),
    ],
)
def test_request_values_never_become_query_text(
    base_url: str, path: str, status: int, detail: str
) -> None:
    """A value that cannot be an id is refused as one, before any SPARQL is written."""
    response = httpx.get(base_url + path)
    assert (response.status_code, response.json()["detail"]) == (status, detail)


def test_paths_go_through_licences_only_when_asked(client: httpx.Client) -> None:
    ends = {"from": "dataset/corpus", "to": "model/chat-7b"}

    def nodes(params: dict[str, str]) -> list[list[str]]:
        return [[s["node"] for s in p] for p in client.get("/paths", params=params).json()]

    assert nodes(ends) == [["dataset/corpus", "model/base-7b", "model/chat-7b"]]
    assert nodes({**ends, "include_hubs": "true"}) == [
        ["dataset/corpus", "license/apache-2.0", "model/chat-7b"],
        ["dataset/corpus", "model/base-7b", "model/chat-7b"],
    ]
