"""kg publish --release against a real `oxigraph serve`: a release's own graphs beside the live ones."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import NotFoundError, ReleaseError
from kg.release.publish import publish_release, release_graph
from kg.store.publish import publish
from kg.store.remote import Endpoint
from tests.release.conftest import Made
from tests.triplestores import Server, oxigraph, quads_of

RELEASE = "https://w3id.org/llmkg/release/2026.11"
DCTERMS = "http://purl.org/dc/terms/"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with oxigraph(tmp_path) as running:
        yield running


def live_store(made: Made) -> ox.Store:
    store = ox.Store()
    store.load(path=made.settings.build_dir / "kg.nq", format=ox.RdfFormat.N_QUADS)
    return store


def test_a_release_is_published_as_its_own_graphs(made: Made, server: Server) -> None:
    endpoint = Endpoint(query_url=server.query, update_url=server.update, gsp_url=server.gsp)
    live = live_store(made)
    publish(live, endpoint, via="update")
    done = publish_release(made.settings, "2026.11", endpoint, via="update")
    originals = sorted(live.named_graphs(), key=str)
    published = quads_of(server)
    description = ox.NamedNode(RELEASE)
    release_quads = {q for q in published if q.graph_name.value.startswith(RELEASE)}
    assert published - release_quads == set(live)  # the live graphs as they were
    for graph in originals:
        name = ox.NamedNode(
            f"{RELEASE}/graph/{hashlib.sha256(graph.value.encode()).hexdigest()[:12]}"
        )
        assert name == release_graph("2026.11", graph)
        copied = {q.triple for q in release_quads if q.graph_name == name}
        assert copied == {q.triple for q in live.quads_for_pattern(None, None, None, graph)}
        assert ox.Quad(name, ox.NamedNode(DCTERMS + "source"), graph, description) in published
        assert ox.Quad(name, ox.NamedNode(DCTERMS + "isPartOf"), description, description) in (
            published
        )
    described = ox.Store()
    described.load(path=made.release.path / "release.ttl", format=ox.RdfFormat.TURTLE)
    assert {q.triple for q in release_quads if q.graph_name == description} == {
        q.triple for q in described
    } | {q.triple for q in release_quads if q.subject.value.startswith(f"{RELEASE}/graph/")}
    assert {q.graph_name for q in release_quads} == {
        description,
        *(release_graph("2026.11", g) for g in originals),
    }
    mapping = 2 * len(originals)
    assert (done.quads, done.graphs) == (
        made.release.quads + len(described) + mapping,
        len(originals) + 1,
    )
    again = publish_release(made.settings, "2026.11", endpoint, via="update")
    assert again.quads == done.quads
    assert quads_of(server) == published
    pruned = publish(live, endpoint, via="update", prune=True)  # the live graphs again
    assert (pruned.dropped, quads_of(server)) == (0, published)


def test_a_missing_or_changed_release_is_not_published(made: Made, tmp_path: Path) -> None:
    endpoint = Endpoint(gsp_url="http://127.0.0.1:9/store")
    with pytest.raises(NotFoundError, match=r"^no release '2027.01' \(releases: 2026.11\)$"):
        publish_release(made.settings, "2027.01", endpoint)
    copy = made.settings.model_copy(update={"releases_dir": tmp_path})
    (tmp_path / "2026.11").mkdir()
    for path in made.release.path.iterdir():
        (tmp_path / "2026.11" / path.name).write_bytes(path.read_bytes())
    with (tmp_path / "2026.11" / "kg.nq").open("ab") as dump:
        dump.write(b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    with pytest.raises(ReleaseError) as changed:
        publish_release(copy, "2026.11", endpoint)
    assert str(changed.value) == (
        f"{tmp_path / '2026.11' / 'kg.nq'}: its SHA-256 is not the one release.json records; "
        "the release was changed after it was made"
    )


def test_kg_publish_release(made: Made, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("data_dir", "build_dir", "imports_dir", "releases_dir"):
        monkeypatch.setenv(f"LLMKG_{name.upper()}", str(getattr(made.settings, name)))
    monkeypatch.setenv("LLMKG_UPDATE_URL", server.update)
    result = CliRunner().invoke(main, ["publish", "--release", "2026.11", "--to", server.gsp])
    assert result.exit_code == 0, result.output
    graphs = len({q.graph_name for q in quads_of(server)})
    line = result.output.splitlines()[-1]
    assert line.startswith(
        f"published release 2026.11: {len(quads_of(server))} quads in {graphs} graphs under "
        f"{RELEASE}/ to {server.gsp} in "
    )
    refused = CliRunner().invoke(main, ["publish", "--release", "2026.11", "--prune"])
    assert refused.exit_code == 2
    assert "--release publishes a release: not with --store or --prune" in refused.output
