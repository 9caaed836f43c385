"""``kg diff A B``: what changed between two releases, a release and the build, or two dumps."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import reports_errors
from kg.errors import DumpError, NotFoundError, WriteError
from kg.release.diff import FORMATS, Format, diff_dumps, render
from kg.release.snapshot import dump_of
from kg.settings import Settings


def dump_named(settings: Settings, name: str) -> Path:
    """The N-Quads that ``name`` stands for: a file when it names one with a path separator
    or a ``.nq`` suffix, else a release version or ``build`` (:func:`dump_of`).

    Raises
    ------
    NotFoundError
        If there is no such file, release or build.
    """
    if "/" in name or name.endswith(".nq"):
        path = Path(name)
        if not path.is_file():
            raise NotFoundError(f"no N-Quads file {name}")
        return path
    return dump_of(settings, name)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Markdown, JSON, or a self-contained HTML page.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout.",
)
@reports_errors
def diff(old: str, new: str, fmt: Format, out: Path | None) -> None:
    """What changed from OLD to NEW: entities added and removed, facts added, removed and
    changed (old and new value, each with its source and confidence), per kind and project.

    OLD and NEW are release versions (kg releases lists them), `build` (the working build's
    kg.nq) or N-Quads files sorted as kg build writes them (a path with a / or ending in .nq).
    """
    settings = Settings()
    dumps = dump_named(settings, old), dump_named(settings, new)
    try:
        text = render(diff_dumps(*dumps, names=(old, new)), fmt)
    except OSError as exc:
        raise DumpError(f"cannot read {exc.filename}: {exc.strerror}") from None
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise WriteError(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"wrote {out}", err=True)
