"""What a `kg` run does with a full disk, damaged catalogue and import files, a 50 MB record,
a non-UTF-8 file, a symlink loop, and a second writer: exit 1 with one clear message naming the
file, and the last good build, store and imports left as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.locks import writing
from tests.cli.test_crash import dumps, visible_files
from tests.conftest import FIXTURES
from tests.killing import kg_env, run_kg

CATALOGUES = FIXTURES / "catalogues"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data with one import, built once (build/) for the tests to copy."""
    template = tmp_path_factory.mktemp("built")
    shutil.copytree(FIXTURES / "data", template / "data")
    env = kg_env(template)
    assert run_kg(["import", "osai", str(CATALOGUES / "main-database")], env).returncode == 0
    assert run_kg(["build"], env).returncode == 0
    return template


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    """A copy of ``built`` of the test's own (symlinks copied as symlinks)."""
    for name in ("data", "build", "imports"):
        shutil.copytree(built / name, tmp_path / name, symlinks=True)
    return tmp_path


def state(root: Path) -> dict[str, dict[str, bytes]]:
    """What a reader sees of the build and the imports."""
    return {"build": dumps(root / "build"), "imports": visible_files(root / "imports")}


def test_a_disk_that_fills_during_kg_build(root: Path) -> None:
    before = state(root)
    model = root / "data" / "models" / "chat-7b.yaml"
    model.write_text(model.read_text() + "parameters: 7000000000\n")
    build = root / "build"
    full = run_kg(["build"], kg_env(root), max_file_bytes=200_000)  # kg.nq has 400 KB
    assert (full.returncode, full.stderr) == (
        1,
        f"Error: cannot write {build / 'kg.nq'}: File too large (os error 27); is the disk "
        f"full? {build} keeps the previous build\n",
    )
    assert state(root) == before
    assert len(list((build / ".dumps.versions").iterdir())) == 1  # nothing half-written left
    assert run_kg(["build"], kg_env(root)).returncode == 0
    assert state(root) != before


def test_a_disk_that_fills_during_kg_import(root: Path) -> None:
    before = state(root)
    imports = root / "imports"
    args = ["import", "mot", str(CATALOGUES / "model_openness_tool")]
    full = run_kg(args, kg_env(root), max_file_bytes=5_000)
    assert (full.returncode, full.stderr) == (
        1,
        f"Error: cannot write {imports / 'mot.nq'}: [Errno 27] File too large; is the disk "
        f"full? {imports} keeps the previous imports\n",
    )
    assert state(root) == before
    assert run_kg(args, kg_env(root)).returncode == 0


def test_a_disk_that_fills_during_kg_load(root: Path) -> None:
    store = root / "loaded"
    nq = str(root / "build" / "kg.nq")
    first = run_kg(["load", nq, "--store", str(store)], kg_env(root))
    assert first.returncode == 0
    big = root / "big.nt"
    big.write_text("".join(f'<urn:s:{i}> <urn:p> "literal number {i}" .\n' for i in range(50_000)))
    full = run_kg(["load", str(big), "--store", str(store)], kg_env(root), max_file_bytes=500_000)
    assert full.returncode == 1
    assert full.stderr.startswith(f"loading\nError: cannot load into {store}: IO error: ")
    assert full.stderr.endswith(f": File too large; is the disk full? {store} is left as it was\n")
    again = run_kg(["load", nq, "--store", str(store)], kg_env(root))
    assert again.stdout == first.stdout  # the same quads again: the store had nothing else


def test_a_truncated_import_file_stops_the_build(root: Path) -> None:
    before = state(root)["build"]
    nq = root / "imports" / "osai.nq"
    with nq.open("r+b") as damaged:  # cut short in place, as by a copy that stopped
        damaged.truncate(nq.stat().st_size // 2)
    result = run_kg(["build"], kg_env(root))
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {nq}: cannot be read (its SHA-256 is not the one the manifest records); "
        f"run `kg import osai {CATALOGUES / 'main-database'}` again\n",
    )
    assert dumps(root / "build") == before


def test_a_truncated_catalogue_file_stops_the_import(root: Path) -> None:
    before = state(root)
    snapshot = root / "mot"
    shutil.copytree(CATALOGUES / "model_openness_tool", snapshot)
    licenses = snapshot / "web" / "modules" / "mof" / "mof-licenses.json"
    licenses.write_bytes(licenses.read_bytes()[:300])
    result = run_kg(["import", "mot", str(snapshot)], kg_env(root))
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {licenses}: cannot be read: Unterminated string starting at: line 6 column "
        "19 (char 286); check the snapshot out again (the imports are unchanged)\n",
    )
    assert state(root) == before


def big_record(data: Path) -> None:
    """A valid record with 50 MiB of notes."""
    text = (data / "models" / "chat-7b.yaml").read_text().replace("chat-7b", "big")
    text += "notes:\n  name: '"
    (data / "models" / "big.yaml").write_text(text + "x" * (50 * 2**20 - len(text) - 2) + "'\n")


@pytest.mark.parametrize(
    ("damage", "problems"),
    [
        (
            big_record,
            [
                "data/models/big.yaml: (file): too large: 52,428,800 bytes, where a YAML file may "
                "have at most 2,097,152 (records are a few KB): is it a record?"
            ],
        ),
        (
            lambda data: (data / "models" / "chat-7b.yaml").write_bytes(
                b"id: chat-7b\nname: \xff\n"
            ),
            [
                "data/models/chat-7b.yaml: (file): cannot be read: 'utf-8' codec can't decode byte "
                "0xff in position 18: invalid start byte"
            ],
        ),
        (
            lambda data: [
                (data / "models" / "loop.yaml").symlink_to("loop.yaml"),
                (data / "models" / "up").symlink_to(".."),
            ],
            [
                "data/models/loop.yaml: (file): a symlink that loops or points nowhere: make it a "
                "record file or remove it",
                "data/models/up: (file): not a record: records are <id>.yaml files",
            ],
        ),
    ],
    ids=["50-mb-record", "not-utf-8", "symlink-loops"],
)
def test_a_broken_record_names_file_field_and_fix(
    root: Path, damage: object, problems: list[str]
) -> None:
    before = state(root)
    damage(root / "data")  # type: ignore[operator]
    start = time.perf_counter()
    result = run_kg(["build"], kg_env(root))
    assert time.perf_counter() - start < 10
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {len(problems)} problem(s):\n" + "".join(f"{p}\n" for p in problems),
    )
    assert state(root) == before


COMMANDS = {
    "build": (["build"], "build/dumps", "kg build", "build"),
    "import": (
        ["import", "mot", str(CATALOGUES / "model_openness_tool")],
        "imports/current",
        "kg import",
        "imports",
    ),
    "load": (["load", "build/kg.nq", "--store", "loaded"], "loaded", "kg load", "loaded"),
    "store": (
        ["publish", "--to", "http://127.0.0.1:9/store"],
        "build/store",
        "served-store build",
        "build/store",
    ),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_second_writer_is_refused_at_once(root: Path, command: str) -> None:
    args, target, writer, shown = COMMANDS[command]
    model = root / "data" / "models" / "chat-7b.yaml"
    model.write_text(model.read_text() + "parameters: 7000000000\n")  # so that the store rebuilds
    before = state(root)
    with writing(root / target, writer, shown=root / shown):
        result = run_kg(args, kg_env(root))
    shown = shown if command == "load" else str(root / shown)  # --store as it was given
    assert (result.returncode, result.stderr.removeprefix("loading\n")) == (
        1,
        f"Error: another {writer} is writing {shown} (pid {os.getpid()}); wait for it to finish\n",
    )
    assert state(root) == before
    assert not (root / "loaded").exists()


def test_the_lock_of_a_killed_writer_is_free(root: Path) -> None:
    hold = (
        "from pathlib import Path\nfrom kg.locks import writing\n"
        f"with writing(Path({str(root / 'build' / 'dumps')!r}), 'kg build'):\n"
        "    print('holding', flush=True)\n    input()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "holding\n"
        refused = run_kg(["build"], kg_env(root))
        assert refused.stderr == (
            f"Error: another kg build is writing {root / 'build'} (pid {holder.pid}); "
            "wait for it to finish\n"
        )
        holder.kill()  # SIGKILL: the kernel releases its lock
    assert run_kg(["build"], kg_env(root)).returncode == 0
