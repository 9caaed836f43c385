"""The ``kg`` command: validate, build, query, report, serve and publish the knowledge graph."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from kg.cli import diff, graph, imports, release, serve

FOLDERS = {
    "data_dir": "curated records (default: ./data)",
    "ontology_dir": "ontology, vocabularies, shapes and queries (default: ./ontology)",
    "build_dir": "build outputs and the served store (default: ./build)",
    "imports_dir": "imported catalogues (default: ./imports)",
    "releases_dir": "releases and their data changelog (default: ./releases)",
}


def _folder_option(name: str, help: str) -> click.Option:
    return click.Option(
        ["--" + name.replace("_", "-"), name],
        type=click.Path(file_okay=False, path_type=Path),
        help=f"Folder of {help}; or LLMKG_{name.upper()}.",
    )


@click.group(params=[_folder_option(name, help) for name, help in FOLDERS.items()])
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
def main(verbose: bool, **folders: Path | None) -> None:
    """open-llm-kg: the knowledge graph of the open LLM ecosystem.

    Run it in a checkout: data/ and ontology/ are read, and build/ and imports/ written, under
    the working directory unless a folder option or LLMKG_* variable says otherwise.
    """
    for name, folder in folders.items():
        if folder is not None:  # as a setting, so the server's own Settings() sees it too
            os.environ[f"LLMKG_{name.upper()}"] = str(folder.resolve())
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
    release.release,
    release.releases,
    diff.diff,
):
    main.add_command(_command)
