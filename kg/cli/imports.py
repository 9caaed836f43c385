"""``kg import``: public catalogues into imports/."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import reports_errors
from kg.importers.run import CATALOGUES, ImportOutcome, import_catalogue, remove_catalogue
from kg.importers.saved import DISAGREEMENTS_FILE, read_manifest
from kg.settings import Settings
from kg.sparql.results import render_table


@click.group("import", invoke_without_command=True)
@click.option("--list", "show", is_flag=True, help="List the imported catalogues.")
@click.option("--remove", metavar="NAME", help="Forget the import NAME and delete its files.")
@click.pass_context
@reports_errors
def import_(context: click.Context, show: bool, remove: str | None) -> None:
    """Import public catalogues into imports/, apart from data/; `kg build` includes them."""
    settings = Settings()
    if context.invoked_subcommand is not None:
        if show or remove:
            raise click.UsageError("--list and --remove take no catalogue subcommand")
        return
    if remove:
        entry = remove_catalogue(settings, remove)
        click.echo(f"removed {entry.name}: {entry.quads} quads from {settings.imports_dir}")
        return
    if not show:
        click.echo(context.get_help())
        return
    manifest = read_manifest(settings.imports_dir)
    rows = [
        [
            e.name,
            e.commit[:12],
            str(e.records),
            str(e.imported),
            str(e.skipped),
            str(e.quads),
            e.directory,
        ]
        for e in manifest.values()
    ]
    headers = ["name", "commit", "records", "imported", "skipped", "quads", "directory"]
    click.echo(render_table(headers, rows) if rows else f"no imports in {settings.imports_dir}")


def _import_command(name: str) -> None:
    catalogue = CATALOGUES[name]

    @import_.command(
        name, help=f"Import the {catalogue.title} from DIR, a snapshot of {catalogue.repository}."
    )
    @click.argument("directory", type=click.Path(path_type=Path))
    @click.option(
        "--commit", help="Commit of DIR; default: the Commit: of DIR/SOURCE.txt or DIR's git HEAD."
    )
    @reports_errors
    def command(directory: Path, commit: str | None) -> None:
        settings = Settings()
        outcome = import_catalogue(settings, name, directory, commit)
        click.echo(describe(outcome, settings.imports_dir))


for _name in CATALOGUES:
    _import_command(_name)


def describe(outcome: ImportOutcome, imports_dir: Path) -> str:
    """What ``kg import`` prints: counts, unresolved names, skipped records, disagreements."""
    entry, report = outcome.entry, outcome.report
    lines = [
        f"imported {entry.name}: {entry.title} at {entry.commit[:12]} ({entry.license})",
        f"  {entry.records} records read, {entry.imported} imported, {entry.skipped} skipped",
        "  entities: " + ", ".join(f"{n} {c}" for c, n in entry.entities.items()),
        f"  {len(entry.curated_links)} curated entities linked, "
        f"{len(entry.new_entities)} entities known only from catalogues",
        f"unresolved ({entry.unresolved}; every one in {imports_dir / entry.report}):",
    ]
    by_kind: dict[str, set[str]] = {}
    for u in report.unresolved:
        by_kind.setdefault(u.kind, set()).add(u.name)
    for kind, names in sorted(by_kind.items()):
        what = "dangling base-model references" if kind == "base model" else f"{kind} names"
        lines.append(f"  {len(names)} {what}, e.g. {'; '.join(sorted(names)[:3])}")
    if report.skipped:
        lines.append(f"skipped ({len(report.skipped)}):")
        lines += [f"  {problem}" for problem in sorted(report.skipped)]
    if report.notes:
        lines.append(
            f"{len(report.notes)} notes on values set aside or read differently, in the report"
        )
    path = imports_dir / DISAGREEMENTS_FILE
    lines.append(
        f"MOF class vs other catalogues: {len(outcome.disagreements)} disagreements ({path})"
    )
    for row in outcome.disagreements[:10]:
        lines.append(
            f"  {row['model']}: {row['mofClass']} ({row['motRecord']}), {row['aspect']}: "
            f"{row['catalogue']} says {row['judgement']}"
        )
    return "\n".join(lines)
