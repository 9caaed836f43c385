"""kg.release.revision: the git commit of data/ and whether it has changes, and a release of it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kg.release.revision import git_revision
from kg.release.snapshot import make_release
from tests.release.conftest import release_settings


def git(folder: Path, *args: str) -> str:
    command = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    return subprocess.run([*command, *args], check=True, capture_output=True, text=True).stdout


def test_the_commit_and_changes_of_a_folder_in_a_checkout(tmp_path: Path) -> None:
    assert git_revision(tmp_path) == (None, False)  # not a checkout
    git(tmp_path, "init", "-q")
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("id: a\n")
    assert git_revision(data) == (None, False)  # no commit yet
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "a")
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    assert git_revision(data) == (head, False)
    (tmp_path / "elsewhere.txt").write_text("not data/\n")
    assert git_revision(data) == (head, False)
    (data / "b.yaml").write_text("id: b\n")  # untracked
    assert git_revision(data) == (head, True)
    (data / "b.yaml").unlink()
    (data / "a.yaml").write_text("id: a\nname: A\n")  # changed
    assert git_revision(data) == (head, True)
    assert git_revision(tmp_path / "missing") == (None, False)


def test_a_release_records_the_commit_of_data(tmp_path: Path) -> None:
    settings = release_settings(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "data")
    git(tmp_path, "commit", "-q", "-m", "data")
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    clean = make_release(settings, "2026.11")
    assert (clean.data_commit, clean.data_dirty) == (head, False)
    assert f'schema:version "{head}"' in (clean.path / "release.ttl").read_text("utf-8")
    (settings.data_dir / "notes.txt").write_text("a curator's note, not committed\n")
    elsewhere = settings.model_copy(update={"releases_dir": tmp_path / "elsewhere"})
    dirty = make_release(elsewhere, "2026.12")  # a first release there: no diff
    assert (dirty.data_commit, dirty.data_dirty) == (head, True)
    assert "data/ had changes not committed" in (dirty.path / "release.ttl").read_text("utf-8")
