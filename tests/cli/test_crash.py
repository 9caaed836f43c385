"""`kg build`, `kg import` and `kg load` killed with SIGKILL at seeded random moments: what they
write is always the previous version or the new one, whole, and the next run succeeds.

Each test first runs the command to the end to measure it: how long it runs, and when it first
changes the folder it writes. Then it kills runs at moments spread over the whole run, and at
moments spread over the writing, counted from that first change (one moment at random in each
slice, from ``random.Random(SEED)``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.compile.dumps import OUTPUTS
from tests.conftest import FIXTURES
from tests.killing import kg_env, kill_at, kill_points, run_kg, timed_run

SEED = 15
CATALOGUES = FIXTURES / "catalogues"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A folder with a copy of the fixture data; build/ and imports/ are made by the runs."""
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    return tmp_path


def kills(
    seed: int, timing: tuple[float, float], *, anywhere: int, writing: int
) -> list[tuple[float, bool]]:
    """(seconds, counted from the first change?) of each kill of a run timed as ``timing``."""
    changed, ended = timing
    return [(s, False) for s in kill_points(seed, ended, anywhere)] + [
        (s, True) for s in kill_points(seed + 1, ended - changed, writing)
    ]


def which(files: dict[str, bytes], states: dict[str, dict[str, bytes]]) -> str:
    """The name of the state ``files`` are in, or which files differ from every state."""
    for name, state in states.items():
        if files == state:
            return name
    return "a mix: " + ", ".join(
        f"{n} differs from {s}"
        for s, state in states.items()
        for n in state
        if files.get(n) != state[n]
    )


def dumps(build: Path) -> dict[str, bytes]:
    """The build as a reader sees it at the stable paths."""
    return {name: (build / name).read_bytes() for name in OUTPUTS}


def visible_files(folder: Path) -> dict[str, bytes]:
    """The files of ``folder`` as a reader sees them (through their symlinks; not the hidden
    ones)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".") and p.is_file()
    }


def versions(link: Path) -> list[str]:
    """The version directories of ``link`` (not the pin files)."""
    folder = link.parent / f".{link.name}.versions"
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_kg_build_killed_at_any_moment_leaves_a_whole_build(root: Path) -> None:
    env = kg_env(root)
    build = root / "build"
    model = root / "data" / "models" / "chat-7b.yaml"
    data = {"a": model.read_text(), "b": model.read_text() + "parameters: 7000000000\n"}
    built: dict[str, dict[str, bytes]] = {}
    for variant in ("b", "a"):  # each built to the end once: what a killed build may leave
        model.write_text(data[variant])
        timing = run_kg(["build"], env) if not built else timed_run(["build"], env, build)
        built[variant] = dumps(build)
    assert built["a"] != built["b"]
    assert isinstance(timing, tuple)
    killed = 0
    for i, (moment, after_change) in enumerate(kills(SEED, timing, anywhere=2, writing=4)):
        model.write_text(data["ab"[i % 2 - 1]])  # b, a, b, ...: every run changes the build
        killed += kill_at(["build"], env, moment, after_change_in=build if after_change else None)
        assert which(dumps(build), built) in built, f"after a kill at {moment:.3f} s"
    assert killed >= 4  # a kill planned past the end of a run kills nothing
    model.write_text(data["b"])
    done = run_kg(["build"], env)
    assert done.returncode == 0, done.stderr
    assert dumps(build) == built["b"]
    assert versions(build / "dumps") == [(build / "dumps").resolve().name]


def test_kg_import_killed_at_any_moment_leaves_whole_imports(root: Path) -> None:
    env = kg_env(root)
    imports = root / "imports"
    add = ["import", "mot", str(CATALOGUES / "model_openness_tool")]
    remove = ["import", "--remove", "mot"]
    assert run_kg(["import", "osai", str(CATALOGUES / "main-database")], env).returncode == 0
    before = visible_files(imports)
    adding = timed_run(add, env, imports)
    after = visible_files(imports)
    assert set(after) - set(before) == {"mot.nq", "mot-report.tsv"}
    removing = timed_run(remove, env, imports)
    assert visible_files(imports) == before
    adds = [(add, kill) for kill in kills(SEED, adding, anywhere=1, writing=2)]
    removes = [(remove, kill) for kill in kills(SEED + 2, removing, anywhere=1, writing=2)]
    killed = 0
    for command, (moment, after_change) in [r for p in zip(adds, removes, strict=True) for r in p]:
        watch = imports if after_change else None
        killed += kill_at(command, env, moment, after_change_in=watch)
        state = which(visible_files(imports), {"before": before, "after": after})
        assert state in ("before", "after"), f"after a kill at {moment:.3f} s"
    assert killed >= 4
    previous = (imports / "current").resolve().name
    done = run_kg(add, env)
    assert done.returncode == 0, done.stderr
    assert visible_files(imports) == after
    # what killed runs left is gone; the version the last run read (pinned) stays until the next
    assert set(versions(imports / "current")) <= {previous, (imports / "current").resolve().name}
    built = run_kg(["build"], env)
    assert built.returncode == 0, built.stderr
    assert "imported mot: 4 of 5 records" in built.stdout


def quads_in(store: Path) -> int:
    """Quads of the store at ``store``, opened without pinning it (so that runs may prune)."""
    opened = ox.Store.read_only(str(store.resolve()))
    try:
        return len(opened)
    finally:
        del opened


def test_kg_load_killed_at_any_moment_leaves_the_store_whole(root: Path) -> None:
    env = kg_env(root)
    store = root / "loaded"

    def triples(name: str, count: int) -> str:
        path = root / f"{name}.nt"
        with path.open("w", encoding="utf-8") as out:
            for i in range(count):
                out.write(f'<urn:{name}:{i}> <urn:p> "literal {i} of file {name}" .\n')
        return str(path)

    assert run_kg(["load", triples("first", 1000), "--store", str(store)], env).returncode == 0
    timing = timed_run(["load", triples("timed", 60_000), "--store", str(store)], env, root)
    count = quads_in(store)
    assert count == 61_000
    killed = 0
    for i, (moment, after_change) in enumerate(kills(SEED, timing, anywhere=2, writing=3)):
        command = ["load", triples(f"k{i}", 60_000), "--store", str(store)]
        killed += kill_at(command, env, moment, after_change_in=root if after_change else None)
        now = quads_in(store)
        assert now in (count, count + 60_000), f"a part of a load after a kill at {moment:.3f} s"
        count = now
    assert killed >= 3
    done = run_kg(["load", triples("last", 10), "--store", str(store)], env)
    assert (done.returncode, done.stdout) == (
        0,
        f"loaded 1 file(s); {store} holds {count + 10} quads\n",
    )
    assert versions(store) == [store.resolve().name]
