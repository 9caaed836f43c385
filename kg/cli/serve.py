"""``kg serve``, ``load`` and ``publish``: stores and the web service."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from kg.cli.common import reports_errors
from kg.errors import CatalogueError, MissingExtraError, RecordError, ShapeError
from kg.release.description import release_iri
from kg.release.publish import find_release, publish_release
from kg.settings import Settings
from kg.store.local import ensure_store, load_files, open_read_only
from kg.store.publish import Via
from kg.store.publish import publish as publish_graph
from kg.store.publish import target as publish_target
from kg.store.remote import Endpoint, RemoteStore, redact


@click.command()
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
@click.option(
    "--in-memory",
    is_flag=True,
    help="Answer SPARQL from a copy of the store in memory (faster; needs the store's size in RAM).",
)
@reports_errors
def serve(
    host: str | None,
    port: int | None,
    store_dir: Path | None,
    store_url: str | None,
    query_timeout: float | None,
    in_memory: bool,
) -> None:
    """Serve the graph: SPARQL at /sparql, REST, OpenAPI at /docs (uvicorn + FastAPI)."""
    if query_timeout is not None:
        os.environ["LLMKG_QUERY_TIMEOUT"] = str(query_timeout)
    if in_memory:
        os.environ["LLMKG_STORE_IN_MEMORY"] = "true"
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
    try:  # the web extra: `import kg` never needs it
        import uvicorn

        import api.main  # noqa: F401  (fails here, with a clear message, not in the server)
        from api.server import server_config
    except ModuleNotFoundError as missing:
        raise MissingExtraError("web", missing.name) from missing

    config = server_config(
        "api.main:create_app",
        settings,
        factory=True,
        host=settings.host if host is None else host,
        port=settings.port if port is None else port,
        log_level="info",
        access_log=False,  # api.main logs one line per request, with its duration
        timeout_graceful_shutdown=int(settings.query_timeout) + 5,
    )
    uvicorn.Server(config).run()


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


@click.command()
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


@click.command()
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
@click.option(
    "--release",
    "version",
    help="Publish this release (kg release) instead, as graphs of its own under "
    "https://w3id.org/llmkg/release/VERSION/.",
)
@reports_errors
def publish(
    url: str | None,
    via: Via,
    store_dir: Path | None,
    batch: int,
    parallel: int,
    prune: bool,
    version: str | None,
) -> None:
    """Publish every graph (facts, provenance, ontology) to a SPARQL 1.1 service, replacing each.

    Credentials come from LLMKG_STORE_USER, LLMKG_STORE_PASSWORD and LLMKG_STORE_AUTH.
    """
    if version is not None and (store_dir is not None or prune):
        raise click.UsageError("--release publishes a release: not with --store or --prune")
    settings = Settings()
    endpoint = Endpoint.from_settings(settings)
    if url is not None:
        if via == "gsp":
            endpoint = replace(endpoint, gsp_url=url)
        else:
            endpoint = replace(endpoint, update_url=url)
    where = redact(publish_target(endpoint, via))
    if version is not None:
        _publish_release(settings, version, endpoint, via, batch, parallel, where)
        return
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
            lock_dir=settings.build_dir,
        )
    click.echo(
        f"published {done.quads} quads in {done.graphs} graphs to {where} in {done.seconds:.1f} s "
        f"({done.rate:,.0f} quads/s, {done.requests} requests)"
        + (f"; dropped {done.dropped} stale graphs" if prune else "")
    )


def _publish_release(
    settings: Settings,
    version: str,
    endpoint: Endpoint,
    via: Via,
    batch: int,
    parallel: int,
    where: str,
) -> None:
    quads = find_release(settings, version).quads  # and the few of its description
    progress: Any = click.progressbar(
        length=quads, label=f"publishing release {version} to {where}", file=sys.stderr
    )
    with progress as bar:
        done = publish_release(
            settings, version, endpoint, via=via, batch=batch, parallel=parallel, advance=bar.update
        )
    click.echo(
        f"published release {version}: {done.quads} quads in {done.graphs} graphs under "
        f"{release_iri(version).value}/ to {where} in {done.seconds:.1f} s"
    )
