"""The report's text as blocks, rendered to Markdown and to a standalone HTML page."""

from __future__ import annotations

import html
from typing import Any

Block = tuple[Any, ...]
"""``("h1"|"h2"|"h3"|"p", text)``, ``("ul", items)``, ``("table", columns, rows)`` or
``("img", path, alt)``."""

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;
padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
img{max-width:100%}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}"""


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks: list[Block]) -> str:
    """The blocks as GitHub-flavoured Markdown."""
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(kind[1])} {rest[0]}")
        elif kind == "p":
            out.append(rest[0])
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in rest[0]))
        elif kind == "table":
            columns, rows = rest
            lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            out.append(f"![{rest[1]}]({rest[0]})")
    return "\n\n".join(out) + "\n"


def render_html(blocks: list[Block]) -> str:
    """The blocks as one HTML page that needs nothing but the files beside it."""
    e = html.escape
    title = next((b[1] for b in blocks if b[0] == "h1"), "Report")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
    ]
    for kind, *rest in blocks:
        if kind in ("h1", "h2", "h3", "p"):
            out.append(f"<{kind}>{e(rest[0])}</{kind}>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in rest[0]) + "</ul>")
        elif kind == "table":
            columns, rows = rest
            head = "".join(f"<th>{e(c)}</th>" for c in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img":
            out.append(f'<p><img src="{e(rest[0])}" alt="{e(rest[1])}"></p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
