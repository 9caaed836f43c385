"""The ``kg`` command: validate, build, query and summarize the knowledge graph."""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
import uvicorn

from kg.compile.dumps import write_build
from kg.compile.load import load_records
from kg.errors import CatalogueError, KGError, RecordError, ShapeError
from kg.graph import build as build_graph_from
from kg.importers.aliases import load_aliases
from kg.importers.run import (
    CATALOGUES,
    DISAGREEMENTS_FILE,
    ImportOutcome,
    import_catalogue,
    remove_catalogue,
)
from kg.importers.saved import read_manifest
from kg.read.summary import fact_counts, summary
from kg.report.write import write_report
from kg.schema.records import KINDS
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings
from kg.sparql.results import format_result, render_table
from kg.store.local import ensure_store, load_files, open_read_only
from kg.store.publish import Via
from kg.store.publish import publish as publish_graph
from kg.store.publish import target as publish_target
from kg.store.remote import Endpoint, RemoteStore, redact

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
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request is too many


@main.command()
@reports_errors
def validate() -> None:
    """Check every record in data/ and the alias table; print each problem as `path: field: message`."""
    settings = Settings()
    records = load_records(settings.data_dir, load_vocabulary(settings.ontology_dir))
    aliases = load_aliases(settings.data_dir / "aliases.yaml")
    click.echo(
        f"ok: {len(records)} records" + (f", {len(aliases)} aliases" if len(aliases) else "")
    )


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


@main.command()
@click.option("--host", help="Interface to listen on (default: 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default: 8000).")
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Serve this existing store instead of building data/.",
)
@click.option(
    "--store-url",
    help="Serve from this remote SPARQL 1.1 query endpoint (credentials: LLMKG_STORE_USER, LLMKG_STORE_PASSWORD).",
)
@click.option("--query-timeout", type=float, help="Seconds a SPARQL query may run (default: 10).")
@reports_errors
def serve(
    host: str | None,
    port: int | None,
    store_dir: Path | None,
    store_url: str | None,
    query_timeout: float | None,
) -> None:
    """Serve the graph: SPARQL at /sparql, REST, OpenAPI at /docs (uvicorn + FastAPI)."""
    if query_timeout is not None:
        os.environ["LLMKG_QUERY_TIMEOUT"] = str(query_timeout)
    if store_url is not None:
        os.environ["LLMKG_STORE_URL"] = store_url
    settings = Settings()
    logging.getLogger("api").setLevel(logging.INFO)  # one access line per request
    if settings.store_url is not None:
        remote = RemoteStore(Endpoint.from_settings(settings))
        remote.check_union()  # fail here, with a clear message, not in the server
        click.echo(f"serving the remote store {redact(settings.store_url)}", err=True)
        remote.close()
    elif store_dir is not None:
        open_read_only(store_dir)  # fail here, with a clear message, not in the server
        os.environ["LLMKG_STORE"] = str(store_dir.resolve())
    elif settings.store is None:
        os.environ["LLMKG_STORE"] = str(_built_store(settings).resolve())
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=False,  # api.main logs one line per request, with its duration
        timeout_graceful_shutdown=int(settings.query_timeout) + 5,
    )


def _built_store(settings: Settings) -> Path:
    """The store built from data/, or the last good one if the data no longer builds."""
    try:
        status = ensure_store(settings)
    except (RecordError, ShapeError, CatalogueError) as exc:
        last_good = settings.build_dir / "store"
        if not (last_good / "CURRENT").is_file():
            raise
        click.echo(f"Error: {exc}", err=True)
        click.echo(
            f"Warning: serving the last good graph in {last_good}; fix the data and restart.",
            err=True,
        )
        return last_good
    click.echo(f"{'built' if status.rebuilt else 'reusing'} store {status.path}", err=True)
    return status.path


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--store",
    "store_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory (created if missing).",
)
@click.option("--graph", help="Named graph IRI for triples that name none.")
@reports_errors
def load(files: tuple[Path, ...], store_dir: Path, graph: str | None) -> None:
    """Load RDF files (.nt, .nq, .ttl, .trig) into an on-disk store, with progress."""
    total = sum(f.stat().st_size for f in files)
    progress: Any = click.progressbar(length=total, label="loading", file=sys.stderr)
    with progress as bar:
        loaded = load_files(list(files), store_dir, graph=graph, advance=bar.update)
    click.echo(f"loaded {len(files)} file(s); {store_dir} holds {loaded} quads")


@main.command()
@click.option(
    "--to",
    "url",
    help="Graph Store Protocol endpoint (default: LLMKG_GSP_URL), or Update endpoint with --via update (default: LLMKG_UPDATE_URL).",
)
@click.option(
    "--via",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="SPARQL 1.1 Graph Store HTTP Protocol (PUT per graph) or SPARQL 1.1 Update.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Publish this existing store instead of building data/.",
)
@click.option(
    "--batch",
    default=1_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Triples per request at most.",
)
@click.option(
    "--parallel", default=4, show_default=True, type=click.IntRange(min=1), help="Requests at once."
)
@click.option(
    "--prune",
    is_flag=True,
    help="Then drop the service's graphs under https://w3id.org/llmkg/ that the build no longer "
    "has (listed through LLMKG_STORE_URL).",
)
@reports_errors
def publish(
    url: str | None, via: Via, store_dir: Path | None, batch: int, parallel: int, prune: bool
) -> None:
    """Publish every graph (facts, provenance, ontology) to a SPARQL 1.1 service, replacing each.

    Credentials come from LLMKG_STORE_USER, LLMKG_STORE_PASSWORD and LLMKG_STORE_AUTH.
    """
    settings = Settings()
    endpoint = Endpoint.from_settings(settings)
    if url is not None:
        if via == "gsp":
            endpoint = replace(endpoint, gsp_url=url)
        else:
            endpoint = replace(endpoint, update_url=url)
    where = redact(publish_target(endpoint, via))
    store = open_read_only(store_dir if store_dir is not None else ensure_store(settings).path)
    progress: Any = click.progressbar(
        length=len(store), label=f"publishing to {where}", file=sys.stderr
    )
    with progress as bar:
        done = publish_graph(
            store,
            endpoint,
            via=via,
            batch=batch,
            parallel=parallel,
            prune=prune,
            advance=bar.update,
        )
    click.echo(
        f"published {done.quads} quads in {done.graphs} graphs to {where} in {done.seconds:.1f} s "
        f"({done.rate:,.0f} quads/s, {done.requests} requests)"
        + (f"; dropped {done.dropped} stale graphs" if prune else "")
    )


@main.group("import", invoke_without_command=True)
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
