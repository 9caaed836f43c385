"""The ``kg`` command: validate, build, query, report, serve and publish the knowledge graph."""

from __future__ import annotations

import logging

import click

from kg.cli import graph, imports, serve


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
def main(verbose: bool) -> None:
    """open-llm-kg: the knowledge graph of the open LLM ecosystem."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request is too many


for _command in (
    graph.validate,
    graph.build,
    graph.stats,
    graph.report,
    graph.query,
    graph.schema,
    serve.serve,
    serve.load,
    serve.publish,
    imports.import_,
):
    main.add_command(_command)
