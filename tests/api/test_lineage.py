"""The lineage routes and picture over the fixture graph, httpx against uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from api.pages.lineage import lineage_picture
from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.graph import KnowledgeGraph
from kg.schema.vocabulary import ID, PREFIXES

LINEAGE = "/entities/model/{}/lineage"
ROOT = Path(__file__).resolve().parents[2]
LLMKG = PREFIXES["llmkg"]
RDFS_LABEL = ox.NamedNode(f"{PREFIXES['rdfs']}label")


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def test_lineage_of_chat_7b(client: httpx.Client) -> None:
    body = client.get(LINEAGE.format("chat-7b")).json()
    assert body["model"]["id"] == "chat-7b"
    assert [(n["direction"], n["id"], n["depth"]) for n in body["nodes"]] == [
        ("ancestor", "base-7b", 1),
        ("descendant", "community-7b", 1),
    ]
    assert body["edges"] == [
        {
            "source": "chat-7b",
            "target": "base-7b",
            "relation": "fine-tune",
            "property": "https://w3id.org/llmkg/ns#fineTunedFrom",
            "direction": "ancestor",
            "depth": 1,
        },
        {
            "source": "community-7b",
            "target": "chat-7b",
            "relation": "fine-tune",
            "property": "https://w3id.org/llmkg/ns#fineTunedFrom",
            "direction": "descendant",
            "depth": 1,
        },
    ]
    assert body["nodes"][1]["licences"] == [
        {
            "id": "mit",
            "iri": "https://w3id.org/llmkg/id/license/mit",
            "label": "MIT License",
            "valid_from": None,
            "valid_until": None,
            "current": True,
        }
    ]
    assert (body["total"], body["edges_total"], body["depth"], body["limit"]) == (2, 2, 10, 100)
    assert body["counts"] == {
        "relations": {"fine-tune": 2},
        "licences": {"apache-2.0": 1, "mit": 1},
        "no_licence": 0,
    }


def test_direction_depth_relation_and_pages(client: httpx.Client) -> None:
    def ids(id_: str, **params: object) -> list[tuple[str, int]]:
        body = client.get(LINEAGE.format(id_), params=params).json()
        return [(n["id"], n["depth"]) for n in body["nodes"]]

    assert ids("base-7b", direction="descendants") == [("chat-7b", 1), ("community-7b", 2)]
    assert ids("base-7b", direction="descendants", depth=1) == [("chat-7b", 1)]
    assert ids("base-7b", direction="ancestors") == []
    assert ids("community-7b", direction="ancestors") == [("base-7b", 2), ("chat-7b", 1)][::-1]
    assert ids("base-7b", relation="quantization") == []
    assert ids("base-7b", relation=["quantization", "fine-tune"]) == [
        ("chat-7b", 1),
        ("community-7b", 2),
    ]
    page = client.get(LINEAGE.format("base-7b"), params={"limit": 1, "offset": 1}).json()
    assert (page["total"], [n["id"] for n in page["nodes"]]) == (2, ["community-7b"])
    kinds = client.get("/lineage/kinds").json()
    assert {"fine-tune", "quantization", "merge", "unspecified"} <= {k["name"] for k in kinds}


def test_problems(client: httpx.Client) -> None:
    missing = client.get(LINEAGE.format("chat-8b"))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "no model with id 'chat-8b' (did you mean 'chat-7b'?)",
        "instance": "/entities/model/chat-8b/lineage",
    }
    bad = client.get(LINEAGE.format("chat-7b"), params={"relation": "finetune"})
    assert bad.status_code == 422
    assert bad.json()["title"] == "Invalid parameter"
    assert bad.json()["detail"].startswith(
        "unknown derivation kind 'finetune' (did you mean 'fine-tune'?); kinds: "
    )
    deep = client.get(LINEAGE.format("chat-7b"), params={"depth": 11})
    assert (deep.status_code, deep.json()["title"], deep.json()["detail"]) == (
        422,
        "Invalid request",
        "query.depth: Input should be less than or equal to 10",
    )
    for params in ({"limit": 501}, {"offset": -1}, {"direction": "up"}, {"depth": "x"}):
        response = client.get(LINEAGE.format("chat-7b"), params=params)
        assert response.status_code == 422, params
    drift = client.get("/lineage/licence-drift", params={"base": "nope"})
    assert (drift.status_code, drift.json()["detail"]) == (404, "no model with id 'nope'")
    when = client.get("/lineage/licence-drift", params={"as_of": "2024-13"})
    assert when.status_code == 422


def test_licence_drift(client: httpx.Client) -> None:
    body = client.get("/lineage/licence-drift", params={"as_of": "2025-01-01"}).json()
    assert (body["total"], body["base"], body["as_of"]) == (2, None, "2025-01-01")
    assert [(d["model"]["id"], d["ancestor"]["id"], d["distance"]) for d in body["items"]] == [
        ("chat-7b", "base-7b", 1),
        ("community-7b", "base-7b", 2),
    ]
    assert [(lic["id"], lic["current"]) for lic in body["items"][0]["licences"]] == [
        ("apache-2.0", False),
        ("mit", True),
    ]
    before = client.get(
        "/lineage/licence-drift", params={"as_of": "2024-03", "base": "chat-7b"}
    ).json()
    assert [(d["model"]["id"], d["ancestor"]["id"]) for d in before["items"]] == [
        ("community-7b", "chat-7b")
    ]


def test_openapi_documents_the_routes_with_examples(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (LINEAGE.format("{id}"), "/lineage/licence-drift", "/lineage/kinds"):
        assert paths[path]["get"]["description"], path
    for path in (LINEAGE.format("{id}"), "/lineage/licence-drift"):
        content = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert content["example"]["items" if "drift" in path else "nodes"], path


class Picture(HTMLParser):
    """The lineage figure of a page: its SVG's title, the labels of its boxes, its edges."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.where, self.text = False, "", ""
        self.title = ""
        self.labels: list[str] = []
        self.edges: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("class") == "lineage-svg":
            self.inside = True
        if self.inside:
            self.where = tag if tag in ("title", "text", "line") else self.where
            if tag == "a":
                self.links.append(a.get("href") or "")
            if tag == "line":
                self.edges.append(a.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.inside = False
        if self.inside and tag == "text":
            self.labels.append(self.text.strip())
        if tag in ("text", "title"):
            self.where, self.text = "", ""

    def handle_data(self, data: str) -> None:
        if self.inside and self.where == "text":
            self.text += data
        if self.inside and self.where == "title" and not self.title:
            self.title = data


def picture(client: httpx.Client, path: str) -> Picture:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    parsed = Picture()
    parsed.feed(response.text)
    return parsed


def test_model_page_draws_the_lineage(client: httpx.Client) -> None:
    chat = picture(client, "/id/model/chat-7b")
    assert chat.title.startswith("The lineage of Chat 7B")
    assert chat.labels == ["Base 7B", "Chat 7B", "Community 7B"]  # top to bottom
    assert chat.links == ["/id/model/base-7b", "/id/model/chat-7b", "/id/model/community-7b"]
    assert chat.edges == ["derivation relation-fine-tune"] * 2
    base = picture(client, "/id/model/base-7b")
    assert base.labels == ["Base 7B", "Chat 7B", "Community 7B"]
    page = client.get("/id/model/base-7b", headers={"Accept": "text/html"}).text
    assert '<a href="/entities/model/base-7b/lineage">as JSON</a>' in page
    assert "fine-tune (fine-tuned from)" in page  # the legend
    assert (
        "lineage-svg" not in client.get("/id/dataset/corpus", headers={"Accept": "text/html"}).text
    )


def test_picture_is_capped_with_a_link_to_the_rest() -> None:
    store = ox.Store()
    store.load(path=ROOT / "ontology" / "llmkg.ttl", to_graph=ONTOLOGY_GRAPH)
    quads = [ox.Quad(ox.NamedNode(f"{ID}model/base"), RDFS_LABEL, ox.Literal("Base"))]
    for i in range(60):
        child = ox.NamedNode(f"{ID}model/q{i:02}")
        quads += [
            ox.Quad(child, RDFS_LABEL, ox.Literal(f"Base Q{i:02}")),
            ox.Quad(child, ox.NamedNode(f"{LLMKG}quantizedFrom"), ox.NamedNode(f"{ID}model/base")),
        ]
    store.extend(quads)
    drawn = lineage_picture(KnowledgeGraph(store), "base")
    assert drawn is not None
    assert (drawn.total, drawn.hidden, len(drawn.nodes), len(drawn.edges)) == (60, 10, 51, 50)
    assert [n.label for n in drawn.nodes[:3]] == ["Base", "Base Q00", "Base Q01"]
    assert drawn.width <= 1040
    assert drawn.rest == "/entities/model/base/lineage"
    assert [k.relation for k in drawn.legend] == ["quantization"]
    assert lineage_picture(KnowledgeGraph(store), "q00") is not None
