"""Generate kg/schema/namespace.py from ontology/llmkg.ttl (``make namespace``).

The output follows rdflib's ``defined_namespace_creator`` (a DefinedNamespace with
``_fail = True``), without its timestamp so that the file is reproducible;
tests/schema/test_namespace.py checks that the committed module equals this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parent.parent
NS = "https://w3id.org/llmkg/ns#"
HEADER = '''"""Terms of the open-llm-kg ontology as an rdflib DefinedNamespace (generated; do not edit)."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class LLMKG(DefinedNamespace):
    """The open-llm-kg ontology terms (https://w3id.org/llmkg/ns#).

    Generated from ontology/llmkg.ttl by ``make namespace`` (tools/gen_namespace.py);
    tests/schema/test_namespace.py keeps the two in sync.
    """

    _NS = Namespace("https://w3id.org/llmkg/ns#")

    _fail = True

'''


def render(ontology: Path) -> str:
    """The source of kg/schema/namespace.py for the ontology file ``ontology``."""
    g = Graph().parse(ontology)
    terms = sorted(
        {str(s) for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    )
    classes = [t for t in terms if t.removeprefix(NS)[0].isupper()]
    properties = [t for t in terms if t not in classes]
    lines = []
    for term in classes + properties:
        comment = " ".join(str(g.value(URIRef(term), RDFS.comment) or "").split())
        lines.append(f"    {term.removeprefix(NS)}: URIRef  # {comment}".rstrip())
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = ROOT / "kg" / "schema" / "namespace.py"
    target.write_text(render(ROOT / "ontology" / "llmkg.ttl"), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
