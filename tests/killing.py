"""Real ``kg`` processes for the crash tests: run to the end, or killed with SIGKILL at moments
spread over a run and drawn from a seeded random generator (so that a failure reproduces)."""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

KG = [sys.executable, "-m", "kg"]


def kg_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``kg`` run over ``root``: data/, build/ and imports/ under it."""
    return {
        **os.environ,
        "LLMKG_DATA_DIR": str(root / "data"),
        "LLMKG_BUILD_DIR": str(root / "build"),
        "LLMKG_IMPORTS_DIR": str(root / "imports"),
        "LLMKG_ONTOLOGY_DIR": str(ROOT / "ontology"),
        **extra,
    }


def run_kg(
    args: list[str], env: dict[str, str], *, max_file_bytes: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``kg args`` to the end; with ``max_file_bytes``, as on a disk that fills: a write
    past that size fails with EFBIG (``RLIMIT_FSIZE``, SIGXFSZ ignored)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))  # type: ignore[arg-type]

    return subprocess.run(
        [*KG, *args],
        env=env,
        cwd=_cwd(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limit if max_file_bytes is not None else None,
    )


def timed_run(args: list[str], env: dict[str, str], watch: Path) -> tuple[float, float]:
    """Run ``kg args`` to the end; return when it first changed something under ``watch``
    (where it starts writing) and when it ended, in seconds from its start."""
    start = time.perf_counter()
    process = _start(args, env)
    before, changed = files_under(watch), None
    while process.poll() is None:
        if changed is None and files_under(watch) != before:
            changed = time.perf_counter() - start
        time.sleep(0.001)
    ended = time.perf_counter() - start
    assert process.returncode == 0, f"kg {' '.join(args)} failed"
    return ended if changed is None else changed, ended


def files_under(folder: Path) -> set[tuple[str, int, int, int]]:
    """What is under ``folder`` (not following symlinks): name, inode, size and time of each
    entry, leaving out the lock and pin files that only say who is writing or reading."""
    found = set()
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            if name.endswith((".lock", ".pin")):
                continue
            path = os.path.join(parent, name)
            with contextlib.suppress(FileNotFoundError):
                status = os.lstat(path)
                found.add((path, status.st_ino, status.st_size, status.st_mtime_ns))
    return found


def kill_points(seed: int, end: float, count: int) -> list[float]:
    """``count`` moments of ``end`` seconds: one at random in each of ``count`` slices.

    Examples
    --------
    >>> [round(t, 2) for t in kill_points(15, 2.0, 4)]
    [0.48, 0.51, 1.37, 1.58]
    """
    rng = random.Random(seed)  # noqa: S311 -- seeded on purpose: a failure must reproduce
    return [end * (i + rng.random()) / count for i in range(count)]


def kill_at(
    args: list[str], env: dict[str, str], seconds: float, *, after_change_in: Path | None = None
) -> bool:
    """Start ``kg args`` and SIGKILL it ``seconds`` after its start, or after it first changes
    something under ``after_change_in``; False if it had ended before."""
    process = _start(args, env)
    if after_change_in is not None:
        before = files_under(after_change_in)
        while process.poll() is None and files_under(after_change_in) == before:
            time.sleep(0.001)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    return False


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*KG, *args],
        env=env,
        cwd=_cwd(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cwd(env: dict[str, str]) -> Path:
    """Runs start in the folder that holds build/."""
    return Path(env["LLMKG_BUILD_DIR"]).parent
