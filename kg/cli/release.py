"""``kg release VERSION`` and ``kg releases``: versioned, immutable snapshots of the build."""

from __future__ import annotations

import click

from kg.cli.common import reports_errors
from kg.release.changelog import CHANGELOG, CHANGES
from kg.release.snapshot import list_releases, make_release
from kg.settings import Settings
from kg.sparql.results import render_table


@click.command()
@click.argument("version")
@reports_errors
def release(version: str) -> None:
    """Build data/ (as kg build does) and snapshot it as release VERSION under releases/.

    VERSION is YEAR.MONTH or YEAR.MONTH.N (2026.12, 2026.12.1). A release is never written
    again: an existing VERSION is refused. Publish one with `kg publish --release VERSION`.
    """
    settings = Settings()
    made = make_release(settings, version)
    if made.data_dirty:
        click.echo(f"warning: {settings.data_dir} has changes not committed", err=True)
    data = f"data/ at {made.data_commit[:12]}" if made.data_commit else "data/ not a git checkout"
    dirty = " (changes not committed)" if made.data_dirty else ""
    imports = ", ".join(f"{n} {c[:12]}" for n, c in made.imports.items()) or "none"
    click.echo(
        f"released {made.version} in {made.path}: {made.quads} quads, kg.nq SHA-256 "
        f"{made.sha256}; {data}{dirty}; imports: {imports}"
    )
    click.echo((made.path / CHANGES).read_text("utf-8"), nl=False)
    click.echo(f"wrote {settings.releases_dir / CHANGELOG}")


@click.command()
@reports_errors
def releases() -> None:
    """List the releases under releases/, oldest first.

    The data column is the commit data/ was at, with a + if it had changes not committed.
    """
    settings = Settings()
    found = list_releases(settings)
    if not found:
        click.echo(f"no releases in {settings.releases_dir}: make one with kg release VERSION")
        return
    rows = [
        [
            r.version,
            r.issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
            str(r.quads),
            r.sha256[:12],
            (r.data_commit or "-")[:12] + ("+" if r.data_dirty else ""),
            " ".join(f"{n}@{c[:7]}" for n, c in r.imports.items()) or "-",
        ]
        for r in found
    ]
    headers = ["version", "issued", "quads", "sha256", "data", "imports"]
    click.echo(render_table(headers, rows), nl=False)
