"""Folders that change from one complete version to the next in one step.

What a command writes (the dumps of build/, the served store build/store, the imports, a store
of ``kg load``) lives in a version directory ``<parent>/.<name>.versions/<version>``, and
``<parent>/<name>`` is a symlink to the current one. A writer fills a new version, flushes it
to disk, then replaces the symlink with ``os.replace``, which is atomic: at every instant
``<name>`` is the old version or the new one, whole. A writer killed before that leaves only
an unfinished version directory, which the next writer deletes (:func:`prune`).

Files that must stay at a stable path (``build/kg.nq``, ``imports/osai.nq``) are symlinks
through ``<name>`` (``kg.nq -> dumps/kg.nq``), so they switch with it.

A reader that keeps a version open (a served store) pins it (:func:`pin`, a shared ``flock``
held for the life of the process): writers delete only old versions no process has pinned.
Writers hold :func:`kg.locks.writing` on ``<name>``; these functions assume they do.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

logger = logging.getLogger(__name__)

_pins: dict[Path, int] = {}
"""Versions this process reads, and the descriptor of the pin file it holds shared."""


def versions_dir(link: Path) -> Path:
    """Where the versions of ``link`` live: ``.<name>.versions`` beside it.

    Examples
    --------
    >>> versions_dir(Path("build/store"))
    PosixPath('build/.store.versions')
    """
    return link.parent / f".{link.name}.versions"


def current(link: Path) -> Path | None:
    """The version directory ``link`` points at (a real path), or None if it points nowhere or
    ``link`` is not a symlink."""
    if not link.is_symlink():
        return None
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return target if target.is_dir() else None


def new_version(link: Path, name: str) -> Path:
    """A path for a new version of ``link``, ``<versions>/<name>.<random>``; not created."""
    folder = versions_dir(link)
    folder.mkdir(parents=True, exist_ok=True)
    version = folder.resolve() / f"{name}.{secrets.token_hex(4)}"
    logger.info("writing %s", version)
    return version


def switch(link: Path, version: Path) -> None:
    """Point ``link`` at ``version`` in one step (``version`` complete and flushed).

    A real directory at ``link`` (written before versions existed) is exchanged for the symlink
    in one step too (Linux ``renameat2``), and kept as a version named ``legacy``.
    """
    tmp = link.parent / f".{link.name}.switch-{secrets.token_hex(4)}"
    os.symlink(f"{versions_dir(link).name}/{version.name}", tmp)
    if link.is_dir() and not link.is_symlink():
        if not _exchange(tmp, link):
            logger.warning("no atomic exchange here: %s is missing for a moment", link)
            os.rename(link, tmp.with_name(tmp.name + "-old"))
            os.replace(tmp, link)
            tmp = tmp.with_name(tmp.name + "-old")
        _keep_legacy(link, tmp)
    else:
        os.replace(tmp, link)
    fsync_dir(link.parent)


def _keep_legacy(link: Path, folder: Path) -> None:
    os.rename(folder, new_version(link, "legacy"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap the entries ``a`` and ``b`` in one step; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def pin_file(version: Path) -> Path:
    """The file a reader of ``version`` holds a shared lock on: ``.<version>.pin`` beside it."""
    return version.parent / f".{version.name}.pin"


def pin(version: Path) -> bool:
    """Keep ``version`` from being deleted while this process lives; False if it is gone.

    A folder where no pin file can be made (read-only) is read unpinned.
    """
    version = version.resolve()
    if version in _pins:
        return True
    try:
        fd = os.open(pin_file(version), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return version.is_dir()
    fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a writer deletes this version
    if not version.is_dir():
        os.close(fd)
        return False
    _pins[version] = fd
    return True


def pinned(link: Path) -> Path | None:
    """The current version of ``link``, pinned; None if there is none."""
    for _ in range(10):
        version = current(link)
        if version is None or pin(version):
            return version
    return None


@contextmanager
def _unpinned(pin: Path) -> Iterator[bool]:
    """Whether no process pins ``pin``'s version, holding it exclusive for the block."""
    try:
        fd = os.open(pin, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield True
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        yield False
        return
    try:
        yield True
        pin.unlink(missing_ok=True)
    finally:
        os.close(fd)


def prune(link: Path) -> None:
    """Delete the versions of ``link`` other than the current one that no process pins, and
    what a killed writer left: unfinished versions, switch links, half-made stable links."""
    folder = versions_dir(link)
    keep = current(link)
    for stale in link.parent.glob(f".{link.name}.switch-*"):
        if stale.is_symlink():
            stale.unlink()
        elif stale.is_dir():  # a legacy folder exchanged out just before a kill
            _keep_legacy(link, stale)
    for stale in link.parent.glob(".*.link-*"):
        if stale.is_symlink() and os.readlink(stale).startswith(f"{link.name}/"):
            stale.unlink()
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            if entry.name.endswith(".pin") and not (folder / entry.name[1:-4]).exists():
                with _unpinned(entry):
                    pass
            continue
        if keep is not None and entry.resolve() == keep:
            continue
        pin = pin_file(link) if entry.name.startswith("legacy.") else pin_file(entry)
        with _unpinned(pin) as free:
            if free:
                shutil.rmtree(entry, ignore_errors=True)
                logger.info("deleted the old version %s", entry)


def fsync_dir(folder: Path) -> None:
    """Flush ``folder``'s entries (new names, renames) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file under ``folder``, and the folder itself, to disk."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def fresh(folder: Path, name: str) -> Path:
    """``folder / name`` ready to be written: unlinked from the previous version it shares."""
    path = folder / name
    path.unlink(missing_ok=True)
    return path


@contextmanager
def new_files(link: Path, *, carry: bool = True, legacy: Iterable[str] = ()) -> Iterator[Path]:
    """A new version of the folder of files behind ``link``, switched in when the block ends.

    The new version starts as a copy (hard links) of the current one with ``carry``, or empty;
    write a file through :func:`fresh` (never in place: the current version shares it) or
    delete it. When the block ends the files are flushed, ``link`` switches to the new version,
    and ``<parent>/<file>`` links to ``<name>/<file>`` for each of its files. If the block
    raises, the new version is deleted and nothing changes.

    ``legacy`` names plain files in ``<parent>`` from before versions existed: the first time,
    they become a version of their own first, so that no moment shows old and new files mixed.
    """
    prune(link)
    _adopt(link, legacy)
    version = new_version(link, "v")
    version.mkdir()
    try:
        base = current(link)
        for path in sorted(base.iterdir()) if carry and base is not None else []:
            if path.is_file():
                _link_or_copy(path, version / path.name)
        yield version
        fsync_tree(version)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    names = sorted(p.name for p in version.iterdir())
    _link_names(link, names)  # dangling until the switch, as if absent
    switch(link, version)
    _unlink_others(link, names)  # dangling from the switch on, as if absent
    prune(link)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _adopt(link: Path, names: Iterable[str]) -> None:
    if link.exists() or link.is_symlink():
        return
    plain = [link.parent / n for n in names]
    plain = [p for p in plain if p.is_file() and not p.is_symlink()]
    if not plain:
        return
    version = new_version(link, "legacy-files")
    version.mkdir()
    for path in plain:
        _link_or_copy(path, version / path.name)
    fsync_tree(version)
    switch(link, version)
    _link_names(link, [p.name for p in plain])  # each replaces a file by the same content
    logger.info("moved %s into %s", ", ".join(p.name for p in plain), version)


def _link_names(link: Path, names: list[str]) -> None:
    """Make ``<parent>/<name>`` a symlink to ``<link>/<name>`` for each name."""
    for name in names:
        stable = link.parent / name
        wanted = f"{link.name}/{name}"
        if stable.is_symlink() and os.readlink(stable) == wanted:
            continue
        if stable.is_dir() and not stable.is_symlink():
            logger.warning("%s is a folder; its file is at %s", stable, link / name)
            continue
        tmp = link.parent / f".{name}.link-{secrets.token_hex(4)}"
        os.symlink(wanted, tmp)
        os.replace(tmp, stable)
    fsync_dir(link.parent)


def _unlink_others(link: Path, names: list[str]) -> None:
    """Remove the symlinks through ``link`` to files not in ``names``."""
    for stable in link.parent.iterdir():
        if stable.name in names or not stable.is_symlink():
            continue
        with suppress(OSError):
            if os.readlink(stable).startswith(f"{link.name}/"):
                stable.unlink()
