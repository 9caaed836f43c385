"""kg.versions: a folder switched whole through one symlink, old versions deleted unless a
reader pins them, and a folder from before versions swapped for the symlink in one step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg import versions
from kg.versions import current, new_files, new_version, pin, pin_file, prune, switch


def test_new_files_switch_the_stable_links_and_leave_no_old_version(tmp_path: Path) -> None:
    link = tmp_path / "current"
    (tmp_path / "a.txt").write_text("legacy a")  # written before versions existed
    with new_files(link, legacy=["a.txt"]) as folder:
        assert (tmp_path / "a.txt").read_text() == "legacy a"  # still, while writing
        (folder / "a.txt").unlink()
        (folder / "b.txt").write_text("new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".current.versions",
        "b.txt",
        "current",
    ]
    assert os.readlink(tmp_path / "b.txt") == "current/b.txt"
    assert list((tmp_path / ".current.versions").iterdir()) == [current(link)]


def test_a_failed_block_changes_nothing(tmp_path: Path) -> None:
    link = tmp_path / "current"
    with new_files(link) as folder:
        (folder / "a.txt").write_text("one")
    first = current(link)
    try:
        with new_files(link) as folder:
            (folder / "a.txt").unlink()
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert (current(link), (tmp_path / "a.txt").read_text()) == (first, "one")
    assert len(list((tmp_path / ".current.versions").iterdir())) == 1


def test_a_pinned_version_outlives_the_switch_until_unpinned(tmp_path: Path) -> None:
    link = tmp_path / "store"
    old = new_version(link, "old")
    old.mkdir()
    switch(link, old)
    assert pin(old)
    new = new_version(link, "new")
    new.mkdir()
    switch(link, new)
    prune(link)
    assert old.is_dir()  # this process reads it
    code = (
        "import sys; from pathlib import Path; from kg.versions import prune\n"
        f"prune(Path({str(link)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert old.is_dir()  # nor does another process delete it
    os.close(versions._pins.pop(old))  # the reader is done
    prune(link)
    assert not old.exists()
    assert not pin_file(old).exists()


def test_a_plain_folder_is_exchanged_for_the_symlink_in_one_step(tmp_path: Path) -> None:
    link = tmp_path / "store"
    link.mkdir()
    (link / "CURRENT").write_text("old store")
    version = new_version(link, "v")
    version.mkdir()
    (version / "CURRENT").write_text("new store")
    switch(link, version)
    assert (link.is_symlink(), (link / "CURRENT").read_text()) == (True, "new store")
    (legacy,) = (
        p for p in (tmp_path / ".store.versions").iterdir() if p.name.startswith("legacy.")
    )
    assert (legacy / "CURRENT").read_text() == "old store"  # kept until prune sees no reader
    prune(link)
    assert not legacy.exists()
