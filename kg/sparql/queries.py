"""Named queries: the .rq files of ontology/queries/ (competency questions and more), each with
its title (the file's first comment line) and a link that runs it on /sparql."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel


class Example(BaseModel):
    """A named query from ontology/queries/."""

    name: str
    title: str
    query: str
    run: str


def named_queries(queries: Path) -> list[Example]:
    """Every ``*.rq`` file of ``queries``, by name.

    Examples
    --------
    >>> from kg.settings import Settings
    >>> first = named_queries(Settings().ontology_dir / "queries")[0]
    >>> first.name, first.run.startswith("/sparql?query=")
    ('cq01-governance-models', True)
    """
    examples = []
    for path in sorted(queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = (
            text.splitlines()[0].removeprefix("#").strip() if text.startswith("#") else path.stem
        )
        examples.append(
            Example(name=path.stem, title=title, query=text, run=f"/sparql?query={quote(text)}")
        )
    return examples
