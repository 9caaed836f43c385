"""The SPARQL editor page with httpx, as a browser asks (Accept: text/html): where a bad query
went wrong and what to do about it, the examples that need imported catalogues, the favicon."""

from __future__ import annotations

import doctest
import html
import re
from collections.abc import Iterator

import httpx
import pytest

from api.pages import diagnosis, editor
from api.pages.render import templates
from kg.errors import QueryError
from kg.importers.run import CATALOGUES
from kg.schema.vocabulary import PREFIXES
from kg.settings import Settings
from kg.sparql.queries import named_queries

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=BROWSER, timeout=30) as client:
        yield client


def error_box(text: str) -> str:
    """The error section of an editor page."""
    found = re.search(r'<section [^>]*role="alert"[^>]*>(.*?)</section>', text, re.DOTALL)
    assert found is not None, "no error section"
    return found.group(1)


def squeezed(fragment: str) -> str:
    """``fragment`` without its blank lines and indentation, as a person reads it."""
    return "\n".join(line.strip() for line in fragment.splitlines() if line.strip())


def test_doctests() -> None:
    assert doctest.testmod(editor).failed == 0
    assert doctest.testmod(diagnosis).attempted > 0
    assert doctest.testmod(diagnosis).failed == 0


def test_a_misspelled_keyword_is_pointed_at_with_a_suggestion(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELEC * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "<title>Error: SPARQL editor · open-llm-kg</title>" in response.text
    box = error_box(response.text)
    # Oxigraph says only "error at 1:10: expected CONSTRUCT": the page points at the word
    assert squeezed(box) == squeezed("""
        <h2 id="error-heading">SPARQL syntax error at line 1, column 1</h2>
        <pre class="spot"><code>SELEC * WHERE { ?s ?p ?o }
        ^</code></pre>
        <p class="hint">SELEC is not a SPARQL keyword: did you mean SELECT?</p>
    """)
    # the error comes right after the form, before the examples
    text = response.text
    assert text.index("</form>") < text.index('role="alert"') < text.index("Example queries")


def test_the_caret_is_under_the_column_of_a_later_line(client: httpx.Client) -> None:
    query = "SELECT * WHERE {\n  ?s ?p ?o\n  OPTINAL { ?s ?q ?x }\n}"
    box = error_box(client.post("/query", data={"query": query}).text)
    assert "SPARQL syntax error at line 3, column 3</h2>" in box
    assert '<pre class="spot"><code>  OPTINAL { ?s ?q ?x }\n  ^</code></pre>' in box
    assert "OPTINAL is not a SPARQL keyword: did you mean OPTIONAL?" in box


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("CONSTRUT { ?s ?p ?o } WHERE { ?s ?p ?o }", "did you mean CONSTRUCT?"),
        ("SELECT * WHRE { ?s ?p ?o }", "did you mean WHERE?"),
        ("SELECT * WHERE { ?s ?p ?o FILTRE(?o) }", "did you mean FILTER?"),
        ("PREFX x: <http://example.org/> SELECT * WHERE { ?s ?p ?o }", "did you mean PREFIX?"),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 3", "did you mean LIMIT?"),
    ],
)
def test_misspelled_keywords(client: httpx.Client, query: str, hint: str) -> None:
    assert hint in error_box(client.post("/query", data={"query": query}).text)


def test_an_undeclared_prefix_gets_the_prefix_lines_to_copy(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELECT * WHERE { ?s a model:x }"})
    assert response.status_code == 400
    box = html.unescape(error_box(response.text))
    assert "SPARQL syntax error at line 1, column 23</h2>" in box
    assert "SELECT * WHERE { ?s a model:x }\n" + " " * 22 + "^</code></pre>" in box
    assert (
        "The query uses model: without declaring it. The editor, like /sparql, predeclares no "
        "prefixes, so a query declares each one it uses. Copy these lines to the top of the query:"
    ) in box
    assert '<pre class="copy"><code>PREFIX model: <https://w3id.org/llmkg/id/model/></code>' in box
    every = re.search(r"<details>.*?<code>(.*?)</code>", box, re.DOTALL)
    assert every is not None
    assert every.group(1).splitlines() == [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]


def test_a_prefix_the_graph_does_not_have(client: httpx.Client) -> None:
    query = (
        "PREFIX llmkg: <https://w3id.org/llmkg/ns#>\nSELECT * WHERE { ?s a llmkg:Model ; ex:p ?o }"
    )
    box = html.unescape(error_box(client.post("/query", data={"query": query}).text))
    assert "line 2, column 37" in box  # where ex: is, though Oxigraph says "expected OPTIONAL"
    assert "The query uses ex: without declaring it." in box
    assert "ex: is none of the graph's prefixes" in box
    assert "PREFIX llmkg" not in box.split("<details>")[0]  # llmkg: is declared


@pytest.mark.parametrize(
    ("query", "where", "hint"),
    [
        (
            "SELECT * WHERE {\n  ?s ?p ?o .\n",
            "line 2, column 13, the end of the query",
            "The '{' at line 1, column 16 is never closed: add a '}'.",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o . FILTER(?o > 1 }",
            "line 1, column 43",
            "The '(' at line 1, column 35 is not closed: a '}' comes first.",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o }\n}",
            "line 2, column 1",
            "The '}' at line 2, column 1 closes nothing.",
        ),
    ],
)
def test_unbalanced_braces(client: httpx.Client, query: str, where: str, hint: str) -> None:
    box = html.unescape(error_box(client.post("/query", data={"query": query}).text))
    assert f"SPARQL syntax error at {where}</h2>" in box
    assert f'<p class="hint">{hint}</p>' in box


def test_a_form_posted_query_with_crlf_lines(client: httpx.Client) -> None:
    """Browsers send a textarea's lines with CRLF: columns and the excerpt ignore the CR."""
    query = "SELECT * WHERE {\r\n  ?s WHRE ?o\r\n}\r\n"
    box = error_box(client.post("/query", data={"query": query}).text)
    assert '<pre class="spot"><code>  ?s WHRE ?o\n     ^</code></pre>' in box


def test_an_error_without_a_location_keeps_its_message(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELECT * { SERVICE <http://x> { ?s ?p ?o } }"})
    box = error_box(response.text)
    assert response.status_code == 403
    assert '<h2 id="error-heading">Operation not allowed</h2>' in box
    assert "<pre" not in box  # refused before parsing: no spot to point at
    assert "SERVICE is not allowed" in box


def test_what_oxigraph_says_is_wrong_is_a_hint(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s"})
    box = error_box(response.text)
    assert '<p class="hint">Oxigraph says: SELECT * is not authorized with GROUP BY.</p>' in box


def test_a_parser_message_is_shown_when_there_is_no_hint(client: httpx.Client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o . ?s <x ?o }"
    box = html.unescape(error_box(client.post("/query", data={"query": query}).text))
    assert '<p class="hint">' not in box
    # Oxigraph: 'expected one of ">", [_]', [_] being a character class
    assert '<p class="parser">Parser message: expected one of ">"</p>' in box
    assert "SPARQL syntax error at line 1, column 39, the end of the query" in box


def test_examples_that_need_imports_are_apart_with_the_commands(client: httpx.Client) -> None:
    text = client.get("/query").text
    nav = text[text.index('<nav aria-labelledby="examples-heading"') :]
    nav = nav[: nav.index("</nav>")]
    listed, apart = nav.split('<section aria-labelledby="imports-heading"')
    assert '<h3 id="imports-heading">Need imported catalogues</h3>' in apart
    assert "example=cq01-governance-models" in listed
    assert "imports-" not in listed
    assert re.findall(r"example=(imports-[a-z-]+)", apart) == [
        "imports-mof-class-by-governance",
        "imports-mof-disagreements",
        "imports-open-data-and-weights",
        "imports-organizations-in-all-catalogues",
    ]
    assert "This graph has no imported catalogues, so these queries find nothing" in apart
    commands = re.findall(r"<code>(kg import [a-z-]+ DIR)</code>", apart)
    assert commands == [
        "kg import osai DIR",
        "kg import mot DIR",
        "kg import os-ai-map DIR",
        "kg import hf DIR",
    ]
    assert "restart <code>kg serve</code>" in apart


def test_the_editor_names_the_catalogues_kg_import_knows() -> None:
    assert [(name, repo) for name, _, repo in editor.CATALOGUES] == [
        (c.name, c.repository) for c in CATALOGUES.values()
    ]
    for (_, title, _), catalogue in zip(editor.CATALOGUES, CATALOGUES.values(), strict=True):
        assert catalogue.title.startswith(title)


def test_with_some_catalogues_imported_the_examples_are_marked() -> None:
    examples = named_queries(Settings().ontology_dir / "queries")
    listing = editor.catalogue_list(examples, {"osai"})
    assert listing["apart"] == []
    assert [c[0] for c in listing["missing"]] == ["mot", "os-ai-map", "hf"]
    context = {"examples": listing, "query": "", "example": "", "rows": 16}
    text = templates.env.get_template("editor.html").render(context)
    assert (
        '<a href="/query?example=imports-mof-disagreements">Imports: where does the MOF class '
        'computed from a Model Openness Tool record contradict another</a> <span class="needs">'
        "(needs imported catalogues)</span>"
    ) in text
    assert "This graph has osai;" in text
    assert re.findall(r"<code>(kg import [a-z-]+ DIR)</code>", text) == [
        "kg import mot DIR",
        "kg import os-ai-map DIR",
        "kg import hf DIR",
    ]
    every = editor.catalogue_list(examples, {"osai", "mot", "os-ai-map", "hf"})
    text = templates.env.get_template("editor.html").render(context | {"examples": every})
    assert "kg import" not in text
    assert text.count("(needs imported catalogues)") == 4
    # the catalogues could not be asked for: marked, not said to be missing
    unknown = editor.catalogue_list(examples, None)
    assert unknown["apart"] == []
    assert not unknown["known"]


def test_sparql_examples_say_which_need_imports(client: httpx.Client) -> None:
    examples = client.get("/sparql/examples", headers={"Accept": "application/json"}).json()
    assert {e["name"]: e["needs_imports"] for e in examples if e["needs_imports"]} == {
        "imports-mof-class-by-governance": True,
        "imports-mof-disagreements": True,
        "imports-open-data-and-weights": True,
        "imports-organizations-in-all-catalogues": True,
    }
    assert set(examples[0]) == {"name", "title", "query", "run", "needs_imports"}


def test_diagnose_leaves_other_errors_as_they_are() -> None:
    problem = editor.diagnose("SELECT", QueryError("the query is empty"))
    assert (problem.title, problem.message, problem.line) == (
        "Bad SPARQL query",
        "the query is empty",
        None,
    )


@pytest.mark.parametrize("path", ["/favicon.ico", "/static/favicon.svg"])
def test_favicon(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "href" not in response.text  # no external resources


def test_every_page_links_the_favicon(client: httpx.Client) -> None:
    for path in ("/", "/query", "/ns", "/search?q=alpha"):
        text = client.get(path).text
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in text, path
