"""`kg publish` killed with SIGKILL at seeded random moments, against a real `oxigraph serve`:
the service's graphs and the served store build/store (which each run rebuilds first, as the
data changes between runs) are always the previous version or the new one, whole, and the next
run succeeds and leaves no staging graph behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from kg.store.remote import Endpoint, RemoteStore
from kg.store.staging import STAGING
from tests.cli.test_crash import SEED, kills
from tests.conftest import FIXTURES
from tests.killing import kg_env, kill_at, run_kg, timed_run
from tests.triplestores import Server, oxigraph


def published(server: Server, *, staging: bool = False) -> set[ox.Quad]:
    """The quads of the service's named graphs (not the staging graphs, unless ``staging``)."""
    remote = RemoteStore(Endpoint(query_url=server.query))
    try:
        return {q for q in remote if staging or not str(q.graph_name).startswith(f"<{STAGING}")}
    finally:
        remote.close()


def stored(store: Path) -> set[ox.Quad]:
    """The quads of the store at ``store``, opened without pinning it (so that runs may prune)."""
    opened = ox.Store.read_only(str(store.resolve()))
    try:
        return set(opened)
    finally:
        del opened


def two_datasets(root: Path) -> dict[str, Path]:
    """The fixture data (a), and the same with every source URL changed (b): most fact graphs
    differ (18 of 20 fact graphs, and the provenance graph), so a publish of one over the other changes most graphs."""
    a, b = root / "a" / "data", root / "b" / "data"
    shutil.copytree(FIXTURES / "data", a)
    shutil.copytree(FIXTURES / "data", b)
    for record in b.glob("*/*.yaml"):
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("https://example.org/", "https://example.org/v2/"))
    return {"a": a, "b": b}


def test_kg_publish_killed_at_any_moment_leaves_the_service_and_the_store_whole(
    tmp_path: Path,
) -> None:
    build = tmp_path / "build"
    (tmp_path / "server").mkdir()
    with oxigraph(tmp_path / "server") as server:
        urls = {"LLMKG_UPDATE_URL": server.update, "LLMKG_STORE_URL": server.query}
        envs = {
            name: kg_env(tmp_path, LLMKG_DATA_DIR=str(data), **urls)
            for name, data in two_datasets(tmp_path).items()
        }
        publish = ["publish", "--to", server.gsp, "--prune", "--batch", "100", "--parallel", "1"]
        graphs: dict[str, set[ox.Quad]] = {}
        for variant in ("b", "a"):  # each published to the end once
            timing = timed_run(publish, envs[variant], build)
            graphs[variant] = stored(build / "store")
            assert published(server, staging=True) == graphs[variant]
        assert len({q.graph_name for q in graphs["a"] ^ graphs["b"]}) == 37
        killed = 0
        for i, (moment, after_change) in enumerate(kills(SEED, timing, anywhere=2, writing=4)):
            env = envs["ab"[i % 2 - 1]]  # b, a, b, ...: every run rebuilds the store
            killed += kill_at(publish, env, moment, after_change_in=build if after_change else None)
            remote, local = published(server), stored(build / "store")  # each read once
            states = [
                (remote_name, local_name)
                for remote_name, quads in graphs.items()
                if quads == remote
                for local_name, local_quads in graphs.items()
                if local_quads == local
            ]
            assert len(states) == 1, f"a mix after a kill at {moment:.3f} s"
        assert killed >= 4
        done = run_kg(publish, envs["b"])
        assert done.returncode == 0, done.stderr
        assert stored(build / "store") == graphs["b"]
        assert published(server, staging=True) == graphs["b"]  # no staging graph left
