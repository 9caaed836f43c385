"""A diff as Markdown and as a self-contained HTML page (no script, no external asset).

The page is built here with :func:`html.escape` and string joins, not with the web app's Jinja
templates, so that ``kg diff --format html`` works without the ``web`` extra; the REST route
serves the same page. IRIs are shown compacted with the dumps' prefixes (``model:bloom``);
sources are links only when they are http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape

from kg.compile.dumps import compact_iri
from kg.read.models import EntitySummary
from kg.release.changes import (
    Diff,
    DiffCounts,
    DiffFact,
    DiffTerm,
    FactState,
    KindDiff,
)

COLUMNS = ("entities added", "entities removed", "facts added", "facts removed", "facts changed")
STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;
color:#1b1b1b}h1{font-size:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;margin-top:1.5rem}table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d5d5d5;padding:.25rem .5rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}th{background:#f2f2f2}td.n,th.n{text-align:right}
code{font-size:.9em}small{color:#555}"""


def phrase(counts: DiffCounts) -> str:
    """The counts in words.

    Examples
    --------
    >>> phrase(DiffCounts(entities_added=1, facts_added=3, facts_changed=2))
    '1 entity added; 3 facts added, 2 changed'
    >>> phrase(DiffCounts())
    'no changes'
    """
    groups = []
    for noun, parts in (
        ("entity", (("added", counts.entities_added), ("removed", counts.entities_removed))),
        ("fact", (("added", counts.facts_added), ("removed", counts.facts_removed),
                  ("changed", counts.facts_changed))),
    ):  # fmt: skip
        said = [(n, what) for what, n in parts if n]
        if said:
            first = said[0][0]
            plural = noun if first == 1 else ("entities" if noun == "entity" else f"{noun}s")
            words = [f"{first} {plural} {said[0][1]}", *(f"{n} {what}" for n, what in said[1:])]
            groups.append(", ".join(words))
    return "; ".join(groups) or "no changes"


def term_text(term: DiffTerm) -> str:
    """A value as written in the tables: a compact IRI, or a literal in quotes.

    Examples
    --------
    >>> term_text(DiffTerm(value="7", datatype="http://www.w3.org/2001/XMLSchema#integer"))
    '"7"^^xsd:integer'
    """
    if term.iri is not None:
        return compact_iri(term.iri)
    text = f'"{term.value}"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^{compact_iri(term.datatype)}" if term.datatype else text


def _counts(counts: DiffCounts) -> list[int]:
    return [getattr(counts, name) for name in DiffCounts.model_fields]


def _details(state: FactState, note: bool) -> list[str]:
    """Confidence, phase, validity and (when ``note``) the note of a fact."""
    parts = [state.confidence or "no confidence", state.phase or "", _valid(state) or ""]
    if note:
        parts.append(f"note: {state.note}" if state.note else "no note")
    return [part for part in parts if part]


def _valid(state: FactState) -> str | None:
    if not (state.valid_from or state.valid_until):
        return None
    return f"valid {state.valid_from or '…'} to {state.valid_until or '…'}"


def _fact_columns(facts: Sequence[DiffFact]) -> list[tuple[str, Callable[[DiffFact], str]]]:
    """The columns of a table of ``facts``: phase, validity and note only if a fact has one."""
    columns: list[tuple[str, Callable[[DiffFact], str]]] = [
        ("subject", lambda f: compact_iri(f.subject)),
        ("property", lambda f: compact_iri(f.predicate)),
        ("value", lambda f: term_text(f.value)),
        ("source", lambda f: f.source or ""),
        ("confidence", lambda f: f.confidence or ""),
    ]
    if any(f.phase for f in facts):
        columns.append(("phase", lambda f: f.phase or ""))
    if any(_valid(f) for f in facts):
        columns.append(("validity", lambda f: _valid(f) or ""))
    if any(f.note for f in facts):
        columns.append(("note", lambda f: f.note or ""))
    return columns


def _project_name(project: EntitySummary) -> str:
    """``BLOOM (project:bloom)``, or ``project:bloom`` when its label is not known."""
    iri = compact_iri(project.iri)
    return iri if project.label == project.id else f"{project.label} ({iri})"


ENTITY_LISTS = (("Entities added", "entities_added"), ("Entities removed", "entities_removed"))
FACT_LISTS = (("Facts added", "facts_added"), ("Facts removed", "facts_removed"))
CHANGE_HEAD = ("subject", "property", "changed", "old", "new")


# Markdown


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: no raw HTML, no cell breaks."""
    return escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _md_table(head: Sequence[str], rows: Iterable[Sequence[object]], numbers: int = 0) -> list[str]:
    """A table; the last ``numbers`` columns are right-aligned counts."""
    rule = "|" + "---|" * (len(head) - numbers) + "---:|" * numbers
    lines = ["| " + " | ".join(head) + " |", rule]
    lines += ["| " + " | ".join(_md(str(cell)) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _md_state(state: FactState, note: bool) -> str:
    said = ", ".join([state.source or "no source", *_details(state, note)])
    return f"{term_text(state.value)} ({said})"


def to_markdown(diff: Diff, summary: str) -> str:
    """The diff as Markdown: a heading, ``summary``, the counts per kind, then per kind the
    entities added and removed and the facts changed, added and removed, and the counts per
    project."""
    lines = [f"# Changes from {_md(diff.old)} to {_md(diff.new)}", "", summary.rstrip(), ""]
    rows = [[kind, *_counts(part.counts)] for kind, part in diff.kinds.items()]
    rows.append(["all", *_counts(diff.counts)])
    lines += _md_table(("kind", *COLUMNS), rows, len(COLUMNS))
    for kind, part in diff.kinds.items():
        lines += [f"## {kind}", ""]
        for title, name in ENTITY_LISTS:
            if entities := getattr(part, name):
                lines += [f"### {title}", ""]
                lines += [f"- `{compact_iri(e.iri)}` {_md(e.label)}" for e in entities] + [""]
        if part.facts_changed:
            changes = [[compact_iri(c.subject), compact_iri(c.predicate), ", ".join(c.changed),
                        _md_state(c.old, "note" in c.changed), _md_state(c.new, "note" in c.changed)]
                       for c in part.facts_changed]  # fmt: skip
            lines += ["### Facts changed", "", *_md_table(CHANGE_HEAD, changes)]
        for title, name in FACT_LISTS:
            if facts := getattr(part, name):
                columns = _fact_columns(facts)
                table = [[cell(f) for _, cell in columns] for f in facts]
                lines += [f"### {title}", "", *_md_table([c for c, _ in columns], table)]
    if diff.projects:
        rows = [[_project_name(p.project), *_counts(p.counts)] for p in diff.projects]
        lines += ["## Per project", "", *_md_table(("project", *COLUMNS), rows, len(COLUMNS))]
    return "\n".join(lines).rstrip() + "\n"


# HTML


def _link(url: str | None) -> str:
    if not url:
        return ""
    if url.startswith(("https://", "http://")):
        return f'<a href="{escape(url)}">{escape(url)}</a>'
    return escape(url)


def _html_table(head: Sequence[str], rows: Iterable[Sequence[str]], numbers: int = 0) -> str:
    """A table whose cells are HTML; the last ``numbers`` columns are right-aligned counts."""
    first = len(head) - numbers

    def row(cells: Sequence[str], tag: str) -> str:
        return "<tr>" + "".join(
            f'<{tag}{" class=n" if i >= first else ""}>{cell}</{tag}>'
            for i, cell in enumerate(cells)
        ) + "</tr>"  # fmt: skip

    body = "\n".join(row(cells, "td") for cells in rows)
    return (
        f"<table>\n<thead>{row([escape(h) for h in head], 'th')}</thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _html_cell(column: str, fact: DiffFact, text: str) -> str:
    if column == "source":
        return _link(fact.source)
    return _code(text) if column in ("subject", "property", "value") else escape(text)


def _html_state(state: FactState, note: bool) -> str:
    said = ", ".join(escape(x) for x in _details(state, note))
    return f"{_code(term_text(state.value))}<br><small>{_link(state.source)} {said}</small>"


def _html_kind(kind: str, part: KindDiff) -> list[str]:
    out = [f'<h2 id="kind-{escape(kind)}">{escape(kind)}</h2>']
    for title, name in ENTITY_LISTS:
        if entities := getattr(part, name):
            rows = [[_code(compact_iri(e.iri)), escape(e.label)] for e in entities]
            out += [f"<h3>{title}</h3>", _html_table(("entity", "label"), rows)]
    if part.facts_changed:
        rows = [[_code(compact_iri(c.subject)), _code(compact_iri(c.predicate)),
                 escape(", ".join(c.changed)), _html_state(c.old, "note" in c.changed),
                 _html_state(c.new, "note" in c.changed)]
                for c in part.facts_changed]  # fmt: skip
        out += ["<h3>Facts changed</h3>", _html_table(CHANGE_HEAD, rows)]
    for title, name in FACT_LISTS:
        if facts := getattr(part, name):
            columns = _fact_columns(facts)
            rows = [[_html_cell(c, f, cell(f)) for c, cell in columns] for f in facts]
            out += [f"<h3>{title}</h3>", _html_table([c for c, _ in columns], rows)]
    return out


def to_html(diff: Diff) -> str:
    """The diff as one HTML page: the counts per kind, then per kind tables of the entities
    and facts added, removed and changed (old and new values with their sources and
    confidence), and the counts per project."""
    title = f"Changes from {diff.old} to {diff.new}"
    rows = [[f'<a href="#kind-{escape(k)}">{escape(k)}</a>', *map(str, _counts(p.counts))]
            for k, p in diff.kinds.items()]  # fmt: skip
    rows.append(["all", *map(str, _counts(diff.counts))])
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(phrase(diff.counts).capitalize())}.</p>",
        _html_table(("kind", *COLUMNS), rows, len(COLUMNS)),
    ]
    for kind, part in diff.kinds.items():
        body += _html_kind(kind, part)
    if diff.projects:
        projects = [[escape(_project_name(p.project)), *map(str, _counts(p.counts))]
                    for p in diff.projects]  # fmt: skip
        body += ["<h2>Per project</h2>", _html_table(("project", *COLUMNS), projects, len(COLUMNS))]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
