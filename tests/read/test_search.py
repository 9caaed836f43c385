"""The search index: exact matches first, every entity found by its own id."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.read.search import Entry, SearchIndex

slugs = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,12}", fullmatch=True)
labels = st.text(
    alphabet=st.characters(blacklist_characters="\n\x1f", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
)


@given(st.lists(st.tuples(slugs, labels), min_size=1, max_size=30, unique_by=lambda t: t[0]))
def test_every_entity_is_found_by_its_id_and_exact_matches_lead(
    items: list[tuple[str, str]],
) -> None:
    index = SearchIndex(
        Entry("model", id_, f"urn:{id_}", label, tuple(dict.fromkeys((label.lower(), id_))))
        for id_, label in items
    )
    for id_, _ in items:
        found = index.search(id_)
        assert f"urn:{id_}" in [e.iri for e in found]
        assert id_ in found[0].names  # an exact match ranks first


def test_kinds_and_within_filter() -> None:
    index = SearchIndex(
        [
            Entry("model", "a", "urn:a", "Alpha", ("alpha", "a")),
            Entry("dataset", "b", "urn:b", "Alpha Data", ("alpha data", "b")),
        ]
    )
    assert [e.id for e in index.search("alpha")] == ["a", "b"]
    assert [e.id for e in index.search("alpha", kinds={"dataset"})] == ["b"]
    assert [e.id for e in index.search(None, within={"urn:b"})] == ["b"]
    assert index.search("lpha d") == [index.entries[1]]
    assert index.search("a\nb") == []  # never across two names
