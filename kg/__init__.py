"""open-llm-kg: the knowledge graph of the open LLM ecosystem, as a library.

>>> import kg
>>> built = kg.build(kg.Settings())  # doctest: +SKIP
>>> G = kg.to_networkx(built.graph.rdf)  # doctest: +SKIP

The names below load their modules on first use, so ``import kg`` stays light (no SHACL,
networkx or web framework until asked for).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.compile.load import load_records
    from kg.errors import KGError
    from kg.graph import KnowledgeGraph
    from kg.networks.projection import to_networkx
    from kg.pipeline import Build, build
    from kg.settings import Settings

_HOME = {
    "Build": "kg.pipeline",
    "KGError": "kg.errors",
    "KnowledgeGraph": "kg.graph",
    "Settings": "kg.settings",
    "build": "kg.pipeline",
    "load_records": "kg.compile.load",
    "to_networkx": "kg.networks.projection",
}
__all__ = [
    "Build",
    "KGError",
    "KnowledgeGraph",
    "Settings",
    "build",
    "load_records",
    "to_networkx",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
