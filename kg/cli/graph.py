"""``kg validate``, ``build``, ``stats``, ``report``, ``query`` and ``schema``: the graph built from data/."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli.common import reports_errors
from kg.compile.dumps import building, write_build
from kg.compile.load import load_records
from kg.errors import Problem
from kg.importers.aliases import load_aliases
from kg.networks.projection import to_networkx
from kg.pipeline import build as build_graph_from
from kg.read.summary import fact_counts, summary
from kg.schema.fields import Sourced
from kg.schema.records import KINDS
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings
from kg.sparql.results import format_result, render_table


@click.command()
@reports_errors
def validate() -> None:
    """Check every record in data/ and the alias table; print each problem as `path: field: message`.

    Warnings (names that records of several kinds share) are printed too, and do not fail.
    """
    settings = Settings()
    warnings: list[Problem] = []
    records = load_records(settings.data_dir, load_vocabulary(settings.ontology_dir), warnings)
    aliases = load_aliases(settings.data_dir / "aliases.yaml", records)
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(
        f"ok: {len(records)} records" + (f", {len(aliases)} aliases" if len(aliases) else "")
    )


@click.command()
@reports_errors
def build() -> None:
    """Validate data/ and write build/: kg.nq, kg.ttl, kg.jsonld, void.ttl."""
    settings = Settings()
    with building(settings.build_dir):  # a second kg build is refused before it starts
        built = build_graph_from(settings)
        sizes = write_build(built.graph, settings.build_dir)
    click.echo(summary(built))
    click.echo(f"wrote {', '.join(sizes)} to {settings.build_dir}")


@click.command()
@reports_errors
def stats() -> None:
    """Counts of the graph: entities per kind and class, links, facts per confidence and phase."""
    built = build_graph_from(Settings())
    click.echo(summary(built))
    click.echo()
    click.echo(render_table(*fact_counts(built.graph)))


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder (default: build/report/ under the build directory).",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per kind in each top-N table.",
)
@reports_errors
def report(out: Path | None, top: int) -> None:
    """Collaboration networks, centralities, communities, charts and Gephi files."""
    from kg.report.write import write_report  # the report extra: matplotlib and scipy

    settings = Settings()
    target = out or settings.build_dir / "report"
    start = time.perf_counter()

    def progress(step: str) -> None:
        click.echo(f"{time.perf_counter() - start:6.1f}s  {step}", err=True)

    projection = to_networkx(build_graph_from(settings).graph.rdf)
    analyses = write_report(projection, target, top=top, progress=progress)
    actor = analyses[0]
    for metric in ("pagerank", "betweenness"):
        leaders = ", ".join(r.label for r in actor.top(metric, 5))
        click.echo(f"top actors by {metric}: {leaders}")
    click.echo(f"wrote {target / 'report.md'} and {target / 'report.html'}")


@click.command()
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the query from a .rq file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="SELECT/ASK: a table, SPARQL JSON or CSV results. CONSTRUCT/DESCRIBE: Turtle, JSON-LD or N-Triples.",
)
@reports_errors
def query(sparql: str | None, path: str | None, fmt: str) -> None:
    """Run a SPARQL query over the graph built from data/ (common prefixes are predeclared)."""
    if (sparql is None) == (path is None):
        raise click.UsageError("give a query or --file, not both")
    text = sparql if sparql is not None else Path(path or "").read_text(encoding="utf-8")
    graph = build_graph_from(Settings()).graph
    click.echo(format_result(graph.query(text, prefixes=True), fmt), nl=False)


@click.command()
@click.argument("kind", type=click.Choice(sorted(KINDS)))
def schema(kind: str) -> None:
    """Print the fields of a record kind, with their descriptions."""
    record_type = KINDS[kind]
    click.echo(f"{kind} records live in data/{record_type.directory}/: {record_type.__doc__}")
    for name, info in record_type.model_fields.items():
        required = "required" if info.is_required() else "optional"
        click.echo(f"  {name} ({required}): {info.description or ''}")
    click.echo("Each link ({id, ...}) and each entry under provenance may also give:")
    for name, info in Sourced.model_fields.items():
        click.echo(f"  {name} (optional): {info.description or ''}")
