"""kg release and kg releases: what they print, and their refusals (exit code 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.locks import writing
from kg.release.snapshot import list_releases
from kg.settings import Settings
from tests.conftest import ROOT
from tests.release.conftest import release_settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    found = release_settings(tmp_path)
    for name in ("data_dir", "build_dir", "imports_dir", "releases_dir"):
        monkeypatch.setenv(f"LLMKG_{name.upper()}", str(getattr(found, name)))
    return found


def test_kg_release_then_kg_releases(settings: Settings) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["releases"]).output == (
        f"no releases in {settings.releases_dir}: make one with kg release VERSION\n"
    )
    made = runner.invoke(main, ["release", "2026.11"])
    assert made.exit_code == 0, made.output
    (release,) = list_releases(settings)
    assert made.output == (
        f"released 2026.11 in {settings.releases_dir / '2026.11'}: {release.quads} quads, kg.nq "
        f"SHA-256 {release.sha256}; data/ not a git checkout; imports: osai 111111111111\n"
        "First release.\n"
        f"wrote {settings.releases_dir / 'CHANGELOG.md'}\n"
    )
    issued = release.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert runner.invoke(main, ["releases"]).output == (
        "version  issued                quads  sha256        data  imports\n"
        "-------  --------------------  -----  ------------  ----  ------------\n"
        f"2026.11  {issued}  {release.quads}   {release.sha256[:12]}  -     osai@1111111\n"
    )
    again = runner.invoke(main, ["release", "2026.11"])
    assert again.exit_code == 1
    assert again.output == (
        f"Error: release 2026.11 exists (issued {issued}, in {release.path}); releases are "
        "immutable: choose a new version, such as 2026.11.1\n"
    )


def test_a_bad_version_exits_1(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["release", "26.12"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: bad release version '26.12': a version is YEAR.MONTH or YEAR.MONTH.N, like "
        r"2026.12 or 2026.12.1 (the pattern ^\d{4}\.(0[1-9]|1[0-2])(\.[1-9]\d*)?$)" + "\n",
    )
    assert not settings.releases_dir.exists()


def test_a_second_kg_release_at_once_is_refused(settings: Settings) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with writing(settings.releases_dir / "CHANGELOG.md", "kg release", shown=settings.releases_dir):
        refused = subprocess.run(
            [sys.executable, "-m", "kg", "release", "2026.12"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert (refused.returncode, refused.stderr) == (
        1,
        f"Error: another kg release is writing {settings.releases_dir} (pid {os.getpid()}); "
        "wait for it to finish\n",
    )
    assert sorted(p.name for p in settings.releases_dir.iterdir()) == [".CHANGELOG.md.lock"]
