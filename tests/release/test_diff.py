"""kg.release.diff on hand-written dumps: entities and facts added, removed and changed, per
kind and per project, in Markdown, JSON and HTML; and two properties on random dumps."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import DumpError
from kg.pipeline import Build
from kg.read.models import EntitySummary
from kg.release import blocks
from kg.release.changes import DiffCounts, DiffFact, DiffTerm, FactChange, FactState
from kg.release.diff import Diff, diff_dumps, render, summary
from kg.release.formats import term_text
from tests.release.dumps import ID, LABEL, NS, TYPE, group, integer, node, ontology, write

HF = "https://huggingface.co/bigscience/bloom"
PAPER = "https://arxiv.org/abs/2211.05100"
PARAMETERS = NS + "parameterCount"
PART = NS + "partOfProject"
TRAINED = NS + "trainedOn"
LICENSED = NS + "licensedUnder"


def old_world() -> list[list[ox.Quad]]:
    return [
        group("model/bloom", HF, "public-record", [
            (LABEL, ox.Literal("BLOOM")), (PARAMETERS, integer(176_000_000_000)),
            (PART, node("project/bigscience")), (TYPE, node("ns#Model"))]),
        group("model/bloom", PAPER, "paper", [
            (TRAINED, node("dataset/roots")), (TRAINED, node("dataset/oscar"))],
            phase="pre-training"),
        group("model/bloom", "https://example.org/licence-v1", "public-record", [
            (LICENSED, node("license/rail"))]),
        group("project/bigscience", "https://bigscience.huggingface.co/", "public-record", [
            (LABEL, ox.Literal("BigScience")), (TYPE, node("ns#Project"))]),
        group("organization/hf", "https://huggingface.co/", "public-record", [
            (LABEL, ox.Literal("Hugging Face")), (TYPE, node("ns#Organization"))]),
        ontology("Model"),
    ]  # fmt: skip


def new_world() -> list[list[ox.Quad]]:
    return [
        group("model/bloom", HF, "public-record", [
            (LABEL, ox.Literal("BLOOM <script>alert(1)</script>")),
            (PARAMETERS, integer(176_000_000_000)), (PART, node("project/bigscience")),
            (TYPE, node("ns#Model")), (NS + "targetsLanguage", node("language/fr"))]),
        group("model/bloom", PAPER, "paper", [(TRAINED, node("dataset/roots"))],
              phase="pre-training"),
        group("model/bloom", "https://example.org/licence-v2", "public-record", [
            (LICENSED, node("license/rail"))]),
        group("project/bigscience", "https://bigscience.huggingface.co/", "curator-inference", [
            (LABEL, ox.Literal("BigScience")), (TYPE, node("ns#Project"))]),
        group("model/bloomz", "https://huggingface.co/bigscience/bloomz", "public-record", [
            (LABEL, ox.Literal("BLOOMZ")), (TYPE, node("ns#Model")),
            (PART, node("project/bigscience")), (NS + "fineTunedFrom", node("model/bloom"))]),
        ontology("Model, renamed"),  # the ontology graph is not compared
    ]  # fmt: skip


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("dumps")
    return write(folder / "old.nq", old_world()), write(folder / "new.nq", new_world())


@pytest.fixture(scope="module")
def diff(dumps: tuple[Path, Path]) -> Diff:
    return diff_dumps(*dumps, names=("2026.11", "2026.12"))


def rows(facts: list[DiffFact]) -> list[tuple[str, ...]]:
    return [
        (f.record.removeprefix(ID), f.subject.removeprefix(ID), f.predicate,
         term_text(f.value), f.source or "", f.confidence or "", f.phase or "")
        for f in facts
    ]  # fmt: skip


def entity(kind: str, id_: str, label: str) -> EntitySummary:
    return EntitySummary(kind=kind, id=id_, iri=f"{ID}{kind}/{id_}", label=label)


def test_entities_added_and_removed(diff: Diff) -> None:
    assert diff.kinds["model"].entities_added == [entity("model", "bloomz", "BLOOMZ")]
    assert diff.kinds["organization"].entities_removed == [
        entity("organization", "hf", "Hugging Face")
    ]
    assert [k.entities_removed for k in (diff.kinds["model"], diff.kinds["project"])] == [[], []]


def test_facts_added_with_their_provenance(diff: Diff) -> None:
    z = "https://huggingface.co/bigscience/bloomz"
    assert rows(diff.kinds["model"].facts_added) == [
        ("model/bloom", "model/bloom", NS + "targetsLanguage", "language:fr", HF, "public-record", ""),
        ("model/bloomz", "model/bloomz", TYPE, "llmkg:Model", z, "public-record", ""),
        ("model/bloomz", "model/bloomz", LABEL, '"BLOOMZ"', z, "public-record", ""),
        ("model/bloomz", "model/bloomz", NS + "fineTunedFrom", "model:bloom", z, "public-record", ""),
        ("model/bloomz", "model/bloomz", PART, "project:bigscience", z, "public-record", ""),
    ]  # fmt: skip


def test_facts_removed_a_value_of_several_is_not_a_change(diff: Diff) -> None:
    assert rows(diff.kinds["model"].facts_removed) == [
        ("model/bloom", "model/bloom", TRAINED, "dataset:oscar", PAPER, "paper", "pre-training")
    ]
    hf = "https://huggingface.co/"
    assert rows(diff.kinds["organization"].facts_removed) == [
        ("organization/hf", "organization/hf", TYPE, "llmkg:Organization", hf, "public-record", ""),
        ("organization/hf", "organization/hf", LABEL, '"Hugging Face"', hf, "public-record", ""),
    ]  # fmt: skip


def test_changed_value_and_changed_source_only(diff: Diff) -> None:
    bloom = f"{ID}model/bloom"
    assert diff.kinds["model"].facts_changed == [
        FactChange(
            record=bloom, subject=bloom, predicate=LABEL, changed=["value"],
            old=FactState(value=DiffTerm(value="BLOOM"), source=HF, confidence="public-record"),
            new=FactState(value=DiffTerm(value="BLOOM <script>alert(1)</script>"), source=HF,
                          confidence="public-record"),
        ),
        FactChange(
            record=bloom, subject=bloom, predicate=LICENSED, changed=["source"],
            old=FactState(value=DiffTerm(iri=f"{ID}license/rail"),
                          source="https://example.org/licence-v1", confidence="public-record"),
            new=FactState(value=DiffTerm(iri=f"{ID}license/rail"),
                          source="https://example.org/licence-v2", confidence="public-record"),
        ),
    ]  # fmt: skip


def test_changed_confidence_only(diff: Diff) -> None:
    changes = diff.kinds["project"].facts_changed
    assert [(c.predicate, c.changed, c.old.confidence, c.new.confidence) for c in changes] == [
        (TYPE, ["confidence"], "public-record", "curator-inference"),
        (LABEL, ["confidence"], "public-record", "curator-inference"),
    ]
    assert {c.old.value for c in changes} == {c.new.value for c in changes}


def test_counts_per_kind_and_in_all(diff: Diff) -> None:
    assert list(diff.kinds) == ["model", "organization", "project"]
    assert {k: v.counts for k, v in diff.kinds.items()} == {
        "model": DiffCounts(entities_added=1, facts_added=5, facts_removed=1, facts_changed=2),
        "organization": DiffCounts(entities_removed=1, facts_removed=2),
        "project": DiffCounts(facts_changed=2),
    }
    assert diff.counts == DiffCounts(
        entities_added=1, entities_removed=1, facts_added=5, facts_removed=3, facts_changed=4
    )


def test_per_project_the_project_and_the_records_part_of_it(diff: Diff) -> None:
    (project,) = diff.projects
    assert project.project == entity("project", "bigscience", "BigScience")
    assert project.records == [f"{ID}model/bloom", f"{ID}model/bloomz", f"{ID}project/bigscience"]
    assert project.counts == DiffCounts(
        entities_added=1, facts_added=5, facts_removed=1, facts_changed=4
    )


def test_summary_for_the_data_changelog(diff: Diff) -> None:
    assert summary(diff) == (
        "- In all: 1 entity added, 1 removed; 5 facts added, 3 removed, 4 changed.\n"
        "- model: 1 entity added; 5 facts added, 1 removed, 2 changed.\n"
        "- organization: 1 entity removed; 2 facts removed.\n"
        "- project: 2 facts changed.\n"
    )


def test_the_same_dump_twice_has_no_changes(dumps: tuple[Path, Path]) -> None:
    same = diff_dumps(dumps[0], dumps[0], names=("a", "a"))
    assert same == Diff(old="a", new="a", counts=DiffCounts(), kinds={}, projects=[])
    assert summary(same) == "No changes.\n"


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_same_bytes_every_time(dumps: tuple[Path, Path], tmp_path: Path, fmt: str) -> None:
    copies = [tmp_path / "a.nq", tmp_path / "b.nq"]
    for copy, dump in zip(copies, dumps, strict=True):
        copy.write_bytes(dump.read_bytes())
    first = render(diff_dumps(*dumps, names=("x", "y")), fmt)
    again = render(diff_dumps(*copies, names=("x", "y")), fmt)
    assert first == again


def test_json_is_the_diff_model(diff: Diff) -> None:
    data = json.loads(render(diff, "json"))
    assert list(data) == ["old", "new", "counts", "kinds", "projects"]
    assert list(data["kinds"]["model"]) == [
        "counts", "entities_added", "entities_removed", "facts_added", "facts_removed",
        "facts_changed",
    ]  # fmt: skip
    assert list(data["kinds"]["model"]["facts_added"][0]) == [
        "record", "subject", "predicate", "value", "source", "confidence", "phase", "note",
        "valid_from", "valid_until",
    ]  # fmt: skip
    assert list(data["kinds"]["model"]["facts_changed"][0]) == [
        "record", "subject", "predicate", "changed", "old", "new"
    ]  # fmt: skip
    assert data["projects"][0]["project"]["iri"] == f"{ID}project/bigscience"
    assert Diff.model_validate(data) == diff


def test_markdown_headings_and_tables(diff: Diff) -> None:
    text = render(diff, "md")
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# Changes from 2026.11 to 2026.12",
        "## model", "### Entities added", "### Facts changed", "### Facts added",
        "### Facts removed",
        "## organization", "### Entities removed", "### Facts removed",
        "## project", "### Facts changed",
        "## Per project",
    ]  # fmt: skip
    assert "| model | 1 | 0 | 5 | 1 | 2 |" in text
    assert "| all | 1 | 1 | 5 | 3 | 4 |" in text
    assert "| BigScience (project:bigscience) | 1 | 0 | 5 | 1 | 4 |" in text
    assert (
        '| model:bloom | rdfs:label | value | "BLOOM" (https://huggingface.co/bigscience/bloom,'
        ' public-record) | "BLOOM &lt;script&gt;alert(1)&lt;/script&gt;" ('
    ) in text
    assert (
        "| model:bloom | llmkg:trainedOn | dataset:oscar | https://arxiv.org/abs/2211.05100 |"
        in text
    )
    assert "<script>" not in text


def test_html_page_is_self_contained_and_escapes_labels(diff: Diff) -> None:
    page = render(diff, "html")
    assert page.startswith("<!DOCTYPE html>\n")
    assert page.endswith("</html>\n")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"<(link|img|iframe)\b|src=", page)
    links = re.findall(r'href="([^"]+)"', page)
    assert {link for link in links if not link.startswith("#")} == {
        HF, PAPER, "https://huggingface.co/bigscience/bloomz", "https://huggingface.co/",
        "https://example.org/licence-v1", "https://example.org/licence-v2",
        "https://bigscience.huggingface.co/",
    }  # fmt: skip
    headings = re.findall(r"<h([123])[^>]*>([^<]+)</h\1>", page)
    assert headings[:4] == [("1", "Changes from 2026.11 to 2026.12"), ("2", "model"),
                            ("3", "Entities added"), ("3", "Facts changed")]  # fmt: skip
    assert headings[-1] == ("2", "Per project")


def test_provenance_changed_under_the_same_fact_graph(tmp_path: Path) -> None:
    """A fact graph whose IRI stayed while its provenance changed (a hand-edited dump): its
    facts are read from the dump, though no fact line differs."""
    facts = [(LABEL, ox.Literal("BLOOM"))]
    old = write(tmp_path / "a.nq", [group("model/bloom", HF, "paper", facts, tag="1" * 12)])
    new = write(tmp_path / "b.nq", [group("model/bloom", HF, "paper", facts, tag="1" * 12,
                                          phase="pre-training", note="moved")])  # fmt: skip
    (change,) = diff_dumps(old, new).kinds["model"].facts_changed
    assert (change.changed, change.new.phase, change.new.note) == (
        ["phase", "note"],
        "pre-training",
        "moved",
    )


def test_a_subject_with_two_values_on_one_side_is_added_and_removed(tmp_path: Path) -> None:
    old = write(tmp_path / "a.nq", [group("model/m", HF, "paper", [(LABEL, ox.Literal("A"))])])
    new = write(tmp_path / "b.nq", [group("model/m", HF, "paper", [
        (LABEL, ox.Literal("B")), (LABEL, ox.Literal("C"))])])  # fmt: skip
    part = diff_dumps(old, new).kinds["model"]
    assert (len(part.facts_changed), len(part.facts_added), len(part.facts_removed)) == (0, 2, 1)


def test_a_dump_not_sorted_as_kg_build_writes_it(tmp_path: Path, dumps: tuple[Path, Path]) -> None:
    lines = dumps[0].read_bytes().splitlines(keepends=True)
    shuffled = tmp_path / "shuffled.nq"
    shuffled.write_bytes(b"".join(lines[len(lines) // 2 :] + lines[: len(lines) // 2]))
    with pytest.raises(DumpError, match=r"is not sorted as kg build writes kg\.nq"):
        diff_dumps(dumps[0], shuffled)


def test_the_fixture_build_against_itself_and_an_edited_copy(
    fixture_build: Build, tmp_path: Path
) -> None:
    store = fixture_build.graph.rdf
    old = tmp_path / "old.nq"
    write(old, [list(store)])
    assert not diff_dumps(old, old).counts
    label = ox.NamedNode(LABEL)
    (quad,) = [q for q in store if q.subject == node("model/base-7b") and q.predicate == label]
    edited = [ox.Quad(q.subject, q.predicate, ox.Literal("Base 7B v2"), q.graph_name)
              if q == quad else q for q in store]  # fmt: skip
    new = write(tmp_path / "new.nq", [edited])
    found = diff_dumps(old, new)
    (change,) = found.kinds["model"].facts_changed
    assert (change.changed, change.old.value, change.new.value) == (
        ["value"],
        DiffTerm(value=str(quad.object.value)),
        DiffTerm(value="Base 7B v2"),
    )
    assert found.counts == DiffCounts(facts_changed=1)
    assert [p.project.id for p in found.projects] == ["alpha"]


# Properties, on random dumps of a few records


SOURCES = ("https://a.example/", "https://b.example/")
VALUES = (ox.Literal("x"), ox.Literal("y"), integer(7), node("dataset/d1"), node("dataset/d2"))
FACTS = st.tuples(
    st.sampled_from(["model/m1", "model/m2", "project/p1"]),
    st.sampled_from([LABEL, PART, TRAINED]),
    st.sampled_from(VALUES),
    st.sampled_from(SOURCES),
    st.sampled_from(["public-record", "paper"]),
)
WORLDS = st.frozensets(FACTS, max_size=14)


def dump_of(world: frozenset[tuple[str, str, object, str, str]], path: Path) -> Path:
    groups = [
        group(record, source, confidence, [(predicate, value)])
        for record, predicate, value, source, confidence in world
    ]
    return write(path, groups)


def said(
    record: str, fact: DiffFact | FactState, subject: str, predicate: str
) -> tuple[object, ...]:
    return (record, subject, predicate, term_text(fact.value), fact.source, fact.confidence)


def facts_of(world: frozenset[tuple[str, str, object, str, str]]) -> set[tuple[object, ...]]:
    return {
        (f"{ID}{r}", f"{ID}{r}", p, term_text(DiffTerm(iri=v.value) if isinstance(v, ox.NamedNode)
                                               else _literal(v)), s, c)
        for r, p, v, s, c in world
    }  # fmt: skip


def _literal(value: ox.Literal) -> DiffTerm:
    datatype = value.datatype.value
    return DiffTerm(value=value.value, datatype=None if datatype.endswith("#string") else datatype)


def applied(before: set[tuple[object, ...]], diff: Diff) -> set[tuple[object, ...]]:
    after = set(before)
    for part in diff.kinds.values():
        after -= {said(f.record, f, f.subject, f.predicate) for f in part.facts_removed}
        after -= {said(c.record, c.old, c.subject, c.predicate) for c in part.facts_changed}
        after |= {said(f.record, f, f.subject, f.predicate) for f in part.facts_added}
        after |= {said(c.record, c.new, c.subject, c.predicate) for c in part.facts_changed}
    return after


@pytest.mark.parametrize("chunk", [64, blocks.CHUNK])
@settings(max_examples=60, deadline=None)
@given(a=WORLDS, b=WORLDS)
def test_applying_the_diff_to_a_gives_b_and_a_against_itself_is_empty(
    chunk: int, a: frozenset[tuple[str, str, object, str, str]],
    b: frozenset[tuple[str, str, object, str, str]],
) -> None:  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(blocks, "CHUNK", chunk):
        old, new = dump_of(a, Path(folder) / "a.nq"), dump_of(b, Path(folder) / "b.nq")
        assert not diff_dumps(old, old).counts
        diff = diff_dumps(old, new)
    assert applied(facts_of(a), diff) == facts_of(b)
    records_a, records_b = {f"{ID}{r[0]}" for r in a}, {f"{ID}{r[0]}" for r in b}
    added = {e.iri for part in diff.kinds.values() for e in part.entities_added}
    removed = {e.iri for part in diff.kinds.values() for e in part.entities_removed}
    assert (added, removed) == (records_b - records_a, records_a - records_b)
