"""The term cache lookups read labels and codes through: each key read once, the least recently
used dropped past its size, and a lookup answers the same with the cache cold or warm."""

from __future__ import annotations

import pyoxigraph as ox

from kg.graph import KnowledgeGraph, TermCache
from kg.read.lookup import fetch_labels


def test_each_key_is_read_once_and_the_least_recently_used_goes_first() -> None:
    reads: list[str] = []

    def reader(answer: str | None):
        def read() -> str | None:
            reads.append(str(answer))
            return answer

        return read

    cache = TermCache(size=2)
    assert cache.get(("label", "a"), reader("A")) == "A"
    assert cache.get(("label", "b"), reader(None)) is None
    assert cache.get(("label", "a"), reader("changed")) == "A"  # kept, "b" is now the oldest
    assert cache.get(("label", "c"), reader("C")) == "C"  # drops "b"
    assert cache.get(("label", "b"), reader("B")) == "B"  # read again
    assert cache.get(("notation", "a"), reader("n")) == "n"  # another kind of answer, own key
    assert reads == ["A", "None", "C", "B", "n"]
    assert len(cache.answers) == 2


def test_labels_are_the_same_read_cold_or_warm(fixture_kg: KnowledgeGraph) -> None:
    kg = KnowledgeGraph(fixture_kg.rdf)  # a cache of its own, cold
    iris = {quad.subject.value for quad in kg.rdf if isinstance(quad.subject, ox.NamedNode)}
    iris.add("https://example.org/no-such-thing")
    cold = fetch_labels(kg, iris)
    warm = fetch_labels(kg, iris)
    assert cold == warm
    assert "https://example.org/no-such-thing" not in cold
    assert len(cold) > 100
