"""The README documents what exists: settings, commands, the two quick-start commands."""

from __future__ import annotations

from kg.cli import main
from kg.settings import Settings
from tests.conftest import ROOT

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
