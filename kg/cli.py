"""The ``kg`` command: validate, build, query and summarize the knowledge graph."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from kg.dumps import write_build
from kg.errors import KGError
from kg.graph import build as build_graph_from
from kg.load import load_records
from kg.records import KINDS
from kg.reports import write_report
from kg.results import format_result, render_table
from kg.settings import Settings
from kg.summary import fact_counts, summary
from kg.vocabulary import load_vocabulary

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a KGError into its message on stderr and exit status 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(1) from None

    return wrapper


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
def main(verbose: bool) -> None:
    """open-llm-kg: the knowledge graph of the open LLM ecosystem."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@main.command()
@reports_errors
def validate() -> None:
    """Check every record in data/; print each problem as `path: field: message`."""
    settings = Settings()
    records = load_records(settings.data_dir, load_vocabulary(settings.ontology_dir))
    click.echo(f"ok: {len(records)} records")


@main.command()
@reports_errors
def build() -> None:
    """Validate data/ and write build/: kg.nq, kg.ttl, kg.jsonld, void.ttl."""
    settings = Settings()
    kg = build_graph_from(settings)
    sizes = write_build(kg, settings.build_dir)
    click.echo(summary(kg))
    click.echo(f"wrote {', '.join(sizes)} to {settings.build_dir}")


@main.command()
@reports_errors
def stats() -> None:
    """Counts of the graph: entities per kind and class, links, facts per confidence and phase."""
    kg = build_graph_from(Settings())
    click.echo(summary(kg))
    click.echo()
    click.echo(render_table(*fact_counts(kg)))


@main.command()
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
    settings = Settings()
    target = out or settings.build_dir / "report"
    start = time.perf_counter()

    def progress(step: str) -> None:
        click.echo(f"{time.perf_counter() - start:6.1f}s  {step}", err=True)

    kg = build_graph_from(settings)
    analyses = write_report(kg.nx, target, top=top, progress=progress)
    actor = analyses[0]
    for metric in ("pagerank", "betweenness"):
        leaders = ", ".join(r.label for r in actor.top(metric, 5))
        click.echo(f"top actors by {metric}: {leaders}")
    click.echo(f"wrote {target / 'report.md'} and {target / 'report.html'}")


@main.command()
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
    kg = build_graph_from(Settings())
    click.echo(format_result(kg.query(text, prefixes=True), fmt), nl=False)


@main.command()
@click.argument("kind", type=click.Choice(sorted(KINDS)))
def schema(kind: str) -> None:
    """Print the fields of a record kind, with their descriptions."""
    record_type = KINDS[kind]
    click.echo(f"{kind} records live in data/{record_type.directory}/: {record_type.__doc__}")
    for name, info in record_type.model_fields.items():
        required = "required" if info.is_required() else "optional"
        click.echo(f"  {name} ({required}): {info.description or ''}")
