"""Publish a release to a remote SPARQL 1.1 service as graphs of its own.

Every graph ``G`` of the release becomes ``https://w3id.org/llmkg/release/<VERSION>/graph/<12
hex digits of sha256(G)>``, and the release's description graph
``https://w3id.org/llmkg/release/<VERSION>`` holds ``release.ttl`` and, for each of them, the
graph it copies::

    <https://w3id.org/llmkg/release/2026.12/graph/3f0c9a2e1b4d> dcterms:source <G> ;
        dcterms:isPartOf <https://w3id.org/llmkg/release/2026.12> .

So a release never replaces the live graphs (``kg publish``) nor another release, and
``kg publish --prune`` never drops it. The graphs are sent with :func:`kg.store.publish.publish`:
staged, then moved into place in one SPARQL Update when the service takes updates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import NotFoundError, PublishError, ReleaseError
from kg.release.description import DESCRIPTION, release_iri, term
from kg.release.snapshot import Release, file_sha256, list_releases
from kg.settings import Settings
from kg.store.publish import Published, Via, publish
from kg.store.remote import Endpoint
from kg.store.staging import Graph


def release_graph(version: str, graph: Graph) -> ox.NamedNode:
    """The name of ``graph`` in the published release ``version``.

    Examples
    --------
    >>> release_graph("2026.12", ox.NamedNode("https://w3id.org/llmkg/ns")).value
    'https://w3id.org/llmkg/release/2026.12/graph/920aebecdbd6'
    >>> release_graph("2026.12", ox.DefaultGraph()).value
    'https://w3id.org/llmkg/release/2026.12/graph/default'
    """
    if isinstance(graph, ox.DefaultGraph):
        return ox.NamedNode(f"{release_iri(version).value}/graph/default")
    name = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return ox.NamedNode(f"{release_iri(version).value}/graph/{digest}")


def find_release(settings: Settings, version: str) -> Release:
    """The release ``version``, checked against the SHA-256 its ``release.json`` records.

    Raises
    ------
    NotFoundError
        If there is no such release (the message lists them).
    ReleaseError
        If its ``kg.nq`` was changed since it was made.
    """
    releases = list_releases(settings)
    for release in releases:
        if release.version == version:
            if file_sha256(release.dump) != release.sha256:
                raise ReleaseError(
                    f"{release.dump}: its SHA-256 is not the one release.json records; the "
                    "release was changed after it was made"
                )
            return release
    known = ", ".join(r.version for r in releases) or "none"
    raise NotFoundError(f"no release {version!r} (releases: {known})")


def release_store(release: Release) -> ox.Store:
    """An in-memory store of ``release`` as it is published: its graphs under their release
    names, and the description graph.

    Raises
    ------
    PublishError
        If two graphs of the release would get the same name (12 hex digits of a hash).
    """
    names: dict[Graph, ox.NamedNode] = {}

    def renamed() -> Iterator[ox.Quad]:
        for quad in ox.parse(path=release.dump, format=ox.RdfFormat.N_QUADS):
            name = names.get(quad.graph_name)
            if name is None:
                name = names[quad.graph_name] = release_graph(release.version, quad.graph_name)
            yield ox.Quad(quad.subject, quad.predicate, quad.object, name)

    store = ox.Store()
    store.bulk_extend(renamed())
    if len(set(names.values())) != len(names):
        raise PublishError(f"two graphs of release {release.version} get the same release name")
    description = release_iri(release.version)
    store.bulk_extend(_description(release.path / DESCRIPTION, description, names))
    return store


def _description(
    path: Path, description: ox.NamedNode, names: dict[Graph, ox.NamedNode]
) -> Iterator[ox.Quad]:
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, description)
    source, part_of = term("dcterms:source"), term("dcterms:isPartOf")
    for original, name in names.items():
        yield ox.Quad(name, part_of, description, description)
        if not isinstance(original, ox.DefaultGraph):
            yield ox.Quad(name, source, original, description)


def publish_release(
    settings: Settings,
    version: str,
    endpoint: Endpoint,
    *,
    via: Via = "gsp",
    batch: int = 1_000,
    parallel: int = 4,
    advance: Callable[[int], None] = lambda n: None,
) -> Published:
    """Publish release ``version`` to the service at ``endpoint`` (see the module).

    Publishing it again leaves the same graphs. The lock is the one of ``kg publish`` to the
    same service.

    Raises
    ------
    NotFoundError, ReleaseError
        If there is no release ``version``, or its dump was changed (:func:`find_release`).
    PublishError
        If the service refuses a request or cannot be reached.
    """
    store = release_store(find_release(settings, version))
    return publish(
        store,
        endpoint,
        via=via,
        batch=batch,
        parallel=parallel,
        advance=advance,
        lock_dir=settings.build_dir,
    )
