"""Named queries: the .rq files of ontology/queries/ (competency questions and more), each with
its title (the file's first comment line) and a link that runs it on /sparql.

A file named ``imports-*.rq`` asks about the imported catalogues (``kg import``): over a graph
without them it finds nothing, which :attr:`Example.needs_imports` says.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel, Field

IMPORTS_PREFIX = "imports-"
"""File names of the queries that need imported catalogues start with this."""


class Example(BaseModel):
    """A named query from ontology/queries/."""

    name: str
    title: str
    query: str
    run: str
    needs_imports: bool = Field(
        default=False,
        description="The query asks about imported catalogues (kg import): over a graph "
        "without them it finds nothing",
    )


def named_queries(queries: Path) -> list[Example]:
    """Every ``*.rq`` file of ``queries``, by name.

    Examples
    --------
    >>> from kg.settings import Settings
    >>> examples = named_queries(Settings().ontology_dir / "queries")
    >>> first = examples[0]
    >>> first.name, first.run.startswith("/sparql?query="), first.needs_imports
    ('cq01-governance-models', True, False)
    >>> [e.name for e in examples if e.needs_imports][0]
    'imports-mof-class-by-governance'
    """
    examples = []
    for path in sorted(queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = (
            text.splitlines()[0].removeprefix("#").strip() if text.startswith("#") else path.stem
        )
        examples.append(
            Example(
                name=path.stem,
                title=title,
                query=text,
                run=f"/sparql?query={quote(text)}",
                needs_imports=path.stem.startswith(IMPORTS_PREFIX),
            )
        )
    return examples
