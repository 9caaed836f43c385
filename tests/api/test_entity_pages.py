"""Entity pages over the fixture graph: facts and links grouped into rows, every relation worded
from the page's entity, project artifacts read the right way round, notes as footnotes, the
neighbourhood's labels whole, and the parts that collapse when a page would be too long."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import networkx as nx
import pytest

from api.pages import linked_data
from api.pages.linked_data import (
    BUDGET,
    WORDING,
    Block,
    _fit,
    incoming_label,
    outgoing_label,
    sentence,
)
from kg.graph import KnowledgeGraph
from kg.networks import ego
from kg.networks.projection import RELATIONS
from kg.read import lookup
from kg.read.models import EntitySummary, LinkFact

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=BROWSER, timeout=30) as client:
        yield client


def fetch(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    return response.text


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def rows(html: str, table: str) -> list[str]:
    """The rows of the tables of class ``table``, each as its cells' text joined by " | "."""
    found = []
    for body in re.findall(rf'<table class="{table}">(.*?)</table>', html, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            found.append(" ".join(" | ".join(_text(c) for c in cells).split()))
    return found


def section(html: str, heading: str) -> str:
    """The HTML of the section labelled by the heading with id ``heading``."""
    match = re.search(rf'<section aria-labelledby="{heading}">(.*?)</section>', html, re.S)
    assert match is not None, heading
    return match.group(1)


# ---------------------------------------------------------------- wording


def test_every_relation_between_entities_is_worded_from_both_ends(
    fixture_kg: KnowledgeGraph,
) -> None:
    labels = lookup.fetch_labels(fixture_kg, set(RELATIONS))
    assert set(WORDING) == set(RELATIONS)  # one entry per property the pages show, none stale
    for iri in RELATIONS:
        out, back, verb = (f(iri, labels) for f in (outgoing_label, incoming_label, sentence))
        assert out, iri
        assert back, iri
        assert verb, iri
        assert out == labels.get(iri, WORDING[iri].outgoing), iri  # the ontology's label
        assert back != out, iri  # the inverse says something else
        if iri not in labels:  # dcterms:isPartOf, org:subOrganizationOf
            assert WORDING[iri].outgoing, iri


@pytest.mark.parametrize(
    ("name", "outgoing", "incoming", "verb"),
    [
        ("derivedFrom", "derived from", "derivatives", "is derived from"),
        ("fineTunedFrom", "fine-tuned from", "fine-tuned derivatives", "is fine-tuned from"),
        ("trainedOn", "trained on", "models trained on it", "is trained on"),
        ("developedBy", "developed by", "develops", "is developed by"),
        ("partnerOf", "partner of", "partners", "is a partner of"),
        ("licensedUnder", "licensed under", "licensed under it", "is licensed under"),
    ],
)
def test_pinned_wordings(
    fixture_kg: KnowledgeGraph, name: str, outgoing: str, incoming: str, verb: str
) -> None:
    iri = f"https://w3id.org/llmkg/ns#{name}"
    labels = lookup.fetch_labels(fixture_kg, {iri})
    assert (outgoing_label(iri, labels), incoming_label(iri, labels), sentence(iri, labels)) == (
        outgoing,
        incoming,
        verb,
    )


def test_a_property_without_wording_still_reads() -> None:
    iri = "https://example.org/ns#hasMascot"
    assert (outgoing_label(iri, {}), incoming_label(iri, {}), sentence(iri, {})) == (
        "has mascot",
        "has mascot it",
        "has mascot",
    )


# ---------------------------------------------------------------- links


def test_links_are_worded_from_the_page_entity(client: httpx.Client) -> None:
    base = fetch(client, "/id/model/base-7b")
    assert rows(base, "links") == [
        "Relation | Linked | Kind | Phase | Confidence | Source",
        "compute from | HPC allocation for Alpha | Compute partnership | Pre-training"
        " | public record | example.org",
        "developed by | Acme AI | Organization | | public record | example.org",
        "licensed under | Apache License 2.0 | License | | public record | example.org",
        "part of project | Alpha | Project | | public record | example.org",
        "trained on | Open Corpus | Dataset | Pre-training | public record | example.org",
        # Chat 7B is fine-tuned from Base 7B: on Base 7B's page, a derivative
        "fine-tuned derivatives | Chat 7B | Model | Post-training | public record | example.org",
    ]
    corpus = fetch(client, "/id/dataset/corpus")
    assert "models trained on it | Base 7B | Model | Pre-training" in " ".join(
        rows(corpus, "links")
    )
    acme = rows(fetch(client, "/id/organization/acme"), "links")
    assert acme[1:] == [
        "develops | Base 7B | Model | | public record | example.org",
        "Chat 7B | Model | | public record | example.org",  # another source, another row
        "Alpha | Project | | public record | example.org",
    ]


def test_a_derivation_is_shown_once_by_its_narrowest_property(client: httpx.Client) -> None:
    """The build states derivedFrom beside fineTunedFrom; the page says fine-tuned only."""
    chat = rows(fetch(client, "/id/model/chat-7b"), "links")
    assert [r.split(" | ")[0] for r in chat[1:]] == [
        "developed by",
        "evaluated on",
        "fine-tuned from",
        "licensed under",
        "MIT License from 2024-06-01",  # another source and validity, another row
        "part of project",
        "fine-tuned derivatives",
    ]
    assert not any("derived from" in r for r in chat)


def test_dated_links_and_facts_show_when_they_held(client: httpx.Client) -> None:
    chat = rows(fetch(client, "/id/model/chat-7b"), "links")
    assert [r for r in chat if "License" in r] == [
        "licensed under | Apache License 2.0 2024-02 to 2024-05 | License | | public record | example.org",
        "MIT License from 2024-06-01 | License | | public record | example.org",
    ]
    assert '<span class="muted validity">2024-02 to 2024-05</span>' in fetch(
        client, "/id/model/chat-7b"
    )


def test_links_of_a_relation_that_share_provenance_share_a_row() -> None:
    """Links grouped by kind, phase, source and confidence; each keeps its note."""

    def link(id_: str, note: str | None, source: str = "https://s") -> LinkFact:
        other = EntitySummary(
            kind="organization",
            id=id_,
            iri=f"https://w3id.org/llmkg/id/organization/{id_}",
            label=id_.upper(),
        )
        return LinkFact(
            direction="in",
            relation="contributes_to",
            property=CONTRIBUTES,
            other=other,
            source=source,
            confidence="public-record",
            phase="pre-training",
            note=note,
        )

    groups = linked_data._link_groups(
        [link("b", "two"), link("a", "one"), link("c", None, "https://t")],
        {CONTRIBUTES: "contributes to"},
    )
    assert [(g.wording, g.count) for g in groups] == [("contributors", 3)]
    assert [[(o.entity.id, o.note) for o in r.others] for r in groups[0].rows] == [
        [("a", "one"), ("b", "two")],
        [("c", None)],
    ]


CONTRIBUTES = "https://w3id.org/llmkg/ns#contributesTo"


# ---------------------------------------------------------------- facts, notes


def test_facts_sharing_property_and_provenance_are_one_row(client: httpx.Client) -> None:
    alpha = fetch(client, "/id/project/alpha")
    facts = rows(alpha, "facts")
    assert "targets language | German, English | public record | example.org" in facts
    assert sum(r.startswith("targets language") for r in facts) == 1
    assert '<a href="/id/language/de">German</a>, <a href="/id/language/en">English</a>' in section(
        alpha, "facts-heading"
    )


def test_notes_are_numbered_footnotes_listed_once(client: httpx.Client) -> None:
    chat = fetch(client, "/id/model/chat-7b")
    note = "The model card names Chat 7B as its base without saying how it was tuned."
    assert (
        '<a href="/id/model/community-7b">Community 7B</a><sup class="ref">'
        f'<a href="#note-1" title="{note}" aria-label="note 1">1</a></sup>'
    ) in chat
    notes = re.search(r'<details class="notes">(.*?)</details>', chat, re.S)
    assert notes is not None
    assert "Notes on the facts and links" in _text(notes.group(1))
    assert f'<li value="1" id="note-1">{note}</li>' in notes.group(1)
    assert chat.count('id="note-1"') == 1


# ---------------------------------------------------------------- project artifacts


def test_project_artifacts_read_the_right_way_round(client: httpx.Client) -> None:
    alpha = fetch(client, "/id/project/alpha")
    summaries = re.findall(r"<summary><h3>([^<]+)</h3> <span[^>]*>([^<]+)</span>", alpha)
    assert summaries == [
        ("Pre-training", "(3)"),
        ("Post-training", "(2)"),
        ("Phase not stated", "(2)"),
    ]
    assert alpha.count('<details class="section" open>') == 3  # a small project: all open
    head = "Artifact | Kind | Link | Confidence | Source"
    assert rows(alpha, "artifacts") == [
        head,
        "HPC allocation for Alpha | Compute partnership | The project receives compute from it"
        " | public record | example.org",
        "HPC allocation for Alpha | Compute partnership | Base 7B receives compute from it"
        " | public record | example.org",
        "Open Corpus | Dataset | Base 7B is trained on it | public record | example.org",
        head,
        "Bench | Benchmark | Chat 7B is evaluated on it | public record | example.org",
        # Chat 7B is fine-tuned from Base 7B (never "Base 7B fine-tuned from, through Chat 7B")
        "Base 7B | Model | Chat 7B is fine-tuned from it | public record | example.org",
        head,
        "Base 7B | Model | It is part of the project | public record | example.org",
        "Chat 7B | Model | It is part of the project | public record | example.org",
    ]
    # what the artifacts show is not repeated under Links
    links = section(alpha, "links-heading")
    assert rows(links, "links")[1:] == [
        "developed by | Acme AI | Organization | | public record | example.org",
        "partners | Open Lab | Organization | | paper | example.org",
    ]
    assert "Links (2)" in _text(links)
    assert "under Artifacts by lifecycle phase" in _text(links)


# ---------------------------------------------------------------- the neighbourhood


def svg_labels(html: str) -> list[tuple[str, str]]:
    """(aria-label, text of the label, its lines joined by spaces) of each node."""
    svg = re.search(r'<svg viewBox="[^"]*"[^>]*>(.*?)</svg>', html, re.S)
    assert svg is not None
    found = []
    for name, text in re.findall(
        r'<a href="/id/[^"]+" aria-label="([^"]+)">.*?<text [^>]*>(.*?)</text>', svg.group(1), re.S
    ):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", text)
        found.append((name, " ".join(lines)))
    return found


@pytest.mark.parametrize(
    "path", ["/id/organization/acme", "/id/project/alpha", "/id/model/community-7b"]
)
def test_every_label_in_the_picture_is_whole(client: httpx.Client, path: str) -> None:
    labels = svg_labels(fetch(client, path))
    assert labels
    for name, text in labels:
        assert name == f"{text} ({name.rsplit(' (', 1)[1]}", (name, text)


LONG = (
    "A Cartography of Open Collaboration in Open Source AI: Mapping Practices, Motivations,"
    " and Governance in 14 Open Large Language Model Projects"
)


def test_long_labels_wrap_inside_the_picture_without_overlapping() -> None:
    star = nx.MultiDiGraph()
    star.add_node("project/hub", label="Jean Zay compute grant for BigScience / BLOOM")
    for i in range(30):
        node = f"publication/p{i:02}"
        star.add_node(node, label=LONG if i % 3 == 0 else f"Paper {i}")
        star.add_edge(node, "project/hub", key="studies")
    picture = ego.ego_network(star, "project/hub")
    chars = int((picture.width / 2 - picture.width * ego.RADIUS - ego.GAP - ego.MARGIN) / ego.CHAR)
    boxes = []
    for n in picture.nodes:
        assert " ".join(n.lines) == n.label  # never cut
        if n is picture.nodes[0]:
            continue
        assert all(len(line) <= chars for line in n.lines)
        width = max(len(line) for line in n.lines) * ego.CHAR
        left = n.label_x if n.anchor == "start" else n.label_x - width
        top = n.label_y - 12
        bottom = n.label_y + (len(n.lines) - 1) * ego.LINE + 4
        assert left >= 0, n
        assert left + width <= picture.width, n
        assert top >= 0, n
        assert bottom <= picture.height, n
        boxes.append((left, top, left + width, bottom))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert picture.hidden == 30 - ego.LIMIT


# ---------------------------------------------------------------- fitting


def test_a_page_over_budget_collapses_its_tallest_parts_first() -> None:
    blocks = [Block(("a",), 300, True), Block(("b",), 900, True), Block(("c",), 200, False)]
    assert _fit(0, blocks) == {("a",), ("b",)}  # fits: all that may be open are
    assert _fit(BUDGET - 600, blocks) == {("a",)}  # b is the tallest
    assert _fit(BUDGET, blocks) == set()


def test_what_points_at_a_concept_is_grouped_by_property_and_kind(client: httpx.Client) -> None:
    english = fetch(client, "/id/language/en")
    assert rows(english, "facts") == [
        "Through | Kind | Resources",
        "targets language | Project | Alpha",
    ]
