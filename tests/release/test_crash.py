"""A kg release killed with SIGKILL leaves no release or the whole one, and the next one succeeds."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.release.snapshot import file_sha256, list_releases
from kg.settings import Settings
from tests.conftest import FIXTURES
from tests.killing import kg_env, kill_at, kill_points, run_kg, timed_run

FILES = ["changes.md", "kg.nq", "release.json", "release.ttl", "void.ttl"]


def whole_or_none(settings: Settings) -> list[str]:
    """The releases there, each checked whole; what is left besides them and the lock."""
    for release in list_releases(settings):
        assert sorted(p.name for p in release.path.iterdir()) == FILES
        assert file_sha256(release.dump) == release.sha256
    if not settings.releases_dir.exists():
        return []
    return sorted(p.name for p in settings.releases_dir.iterdir())


def test_a_killed_release_leaves_no_release_or_the_whole_one(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    releases = tmp_path / "releases"
    env = kg_env(tmp_path, LLMKG_RELEASES_DIR=str(releases))
    settings = Settings(releases_dir=releases)
    changed, ended = timed_run(["release", "2026.11"], env, releases)
    shutil.rmtree(releases)
    seen: set[tuple[bool, bool]] = set()
    moments = [(t, None) for t in kill_points(16, ended, 2)]  # over the whole run
    moments += [(t, releases) for t in kill_points(16, ended - changed, 3)]  # over its writing
    for moment, after in moments:
        killed = kill_at(["release", "2026.11"], env, moment, after_change_in=after)
        left = whole_or_none(settings)
        seen.add((killed, "2026.11" in left))
        if "2026.11" in left:  # killed after the rename, or it ended
            shutil.rmtree(releases)  # so that the next run makes it again
    assert (True, False) in seen  # killed before the rename: no release
    done = run_kg(["release", "2026.11"], env)
    assert done.returncode == 0, done.stderr
    assert whole_or_none(settings) == [".CHANGELOG.md.lock", "2026.11", "CHANGELOG.md"]
