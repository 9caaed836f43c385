"""The README documents what exists: settings, commands, the quick start, the data's figures."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from api.main import create_app
from kg.cli import main
from kg.pipeline import build
from kg.settings import Settings
from tests.conftest import ROOT
from tests.server import serving

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    for name in Settings.model_fields:
        assert f"| {name} | LLMKG_{name.upper()} |" in README, name


def test_every_command_is_documented() -> None:
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"`kg {name}" in README, name


def test_quick_start_has_the_two_commands_and_ci_runs_the_tests() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make run" in quick_start
    assert "make test" in quick_start
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


FIGURES = re.compile(r"(\d[\d,]*) entities, (\d[\d,]*) typed links and (\d[\d,]*) quads")
"""The README's figures of the curated data, in its opening list."""


def test_readme_and_home_page_give_the_builds_figures(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "build")
    assert settings.data_dir == ROOT / "data"
    built = build(settings)
    figures = (len(built.records), built.link_count(), len(built.graph.rdf))
    found = FIGURES.search(README)
    assert found, "README.md lost its sentence 'N entities, N typed links and N quads'"
    stated = tuple(int(n.replace(",", "")) for n in found.groups())
    want = f"{figures[0]} entities, {figures[1]} typed links and {figures[2]:,} quads"
    assert stated == figures, f"README.md says {found.group(0)!r}; the build of data/ has {want!r}"
    with serving(create_app(settings)) as url:
        home = httpx.get(url + "/", timeout=60).text
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)</span>', home)]
    links = re.search(r"(\d+) typed links between them; ([\d,]+) quads in all", home)
    assert links, home
    shown = (sum(counts), int(links.group(1)), int(links.group(2).replace(",", "")))
    assert shown == figures
