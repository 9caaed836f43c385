"""One writer at a time: an ``fcntl.flock`` on a lock file beside what a command writes.

``writing(target, writer)`` holds ``<parent>/.<name>.lock`` for ``<parent>/<name>``; a second
writer is refused at once with a :class:`~kg.errors.LockedError` that names the first one's
command and pid. The kernel drops a lock when its process ends, even by ``kill -9``, so a lock
is never stale: the pid in the file is only there for the message. A process may take a lock
it already holds (the command takes it early, the library function again when it writes).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import LockedError

_held: dict[Path, tuple[int, int]] = {}
"""Lock files this process holds: their descriptor and how many blocks hold them."""


def lock_file(target: Path) -> Path:
    """The lock file of ``target``: ``.<name>.lock`` beside it.

    Examples
    --------
    >>> lock_file(Path("/srv/build/store"))
    PosixPath('/srv/build/.store.lock')
    """
    return target.parent / f".{target.name}.lock"


@contextmanager
def writing(target: Path, writer: str, *, shown: Path | str | None = None) -> Iterator[None]:
    """Hold the write lock of ``target`` for the block; ``writer`` names this command.

    Raises
    ------
    LockedError
        ``another kg build is writing build (pid 1234); wait for it to finish``, if another
        process holds it; ``shown`` is what the message calls ``target`` (default: itself).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    path = lock_file(target.parent.resolve() / target.name)
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        try:
            yield
        finally:
            _release(path)
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        writer_, pid = _holder(fd)
        os.close(fd)
        raise LockedError(
            f"another {writer_} is writing {shown or target}{pid}; wait for it to finish"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(), "writer": writer}).encode(), 0)
    _held[path] = (fd, 1)
    try:
        yield
    finally:
        _release(path)


def _release(path: Path) -> None:
    fd, depth = _held[path]
    if depth > 1:
        _held[path] = (fd, depth - 1)
        return
    del _held[path]
    os.ftruncate(fd, 0)
    os.close(fd)  # releases the lock


def _holder(fd: int) -> tuple[str, str]:
    """``("kg build", " (pid 1234)")`` from the lock file, read again briefly if the holder
    has only just taken the lock and not written it yet."""
    for _ in range(20):
        try:
            found = json.loads(os.pread(fd, 4096, 0) or b"null")
            return str(found["writer"]), f" (pid {int(found['pid'])})"
        except (ValueError, TypeError, KeyError):
            time.sleep(0.01)
    return "kg process", ""
