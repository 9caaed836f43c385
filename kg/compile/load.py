"""YAML files -> validated records, with the checks that need more than one record.

Every problem is gathered and raised at once as a :class:`~kg.errors.RecordError`, one line
per problem in the form ``path: field: message``, with a did-you-mean where one fits.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from pydantic import BaseModel, ValidationError

from kg.compile.names import shared_names
from kg.errors import FieldError, FileTooLargeError, Problem, RecordError
from kg.schema.fields import Target, Vocabulary
from kg.schema.records import DIRECTORIES, KINDS, FindingRecord, PublicationRecord, Record
from kg.schema.vocabulary import Vocabularies

logger = logging.getLogger(__name__)

# Fields whose links must not form cycles: a model cannot descend from itself.
ACYCLIC = ("derived_from", "family", "parent", "part_of")
MAX_YAML_BYTES = 2 * 1024 * 1024
"""The largest YAML file read (records, aliases, catalogue records): the largest record is
about 6 KB, and PyYAML needs about half a second per MB."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads only true/false as booleans, dates as text, and no duplicate keys.

    YAML 1.1 reads ``no`` (Norway's country code), ``yes``, ``on`` and ``off`` as booleans;
    YAML 1.2 does not, and neither do we. Dates stay text so that pydantic reports a bad one
    under its field name. Aliases are refused: records never need them, and nested aliases
    expand exponentially ("billion laughs").
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in records", event.start_mark
            )
        return super().compose_node(parent, index)


_IMPLICIT_OFF = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _IMPLICIT_OFF]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file with the project's loader (YAML 1.2 booleans, no duplicate keys).

    Raises
    ------
    FileTooLargeError
        If the file has more than :data:`MAX_YAML_BYTES`.
    """
    with path.open(encoding="utf-8") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_YAML_BYTES:
            raise FileTooLargeError(
                f"too large: {size:,} bytes, where a YAML file may have at most "
                f"{MAX_YAML_BYTES:,} (records are a few KB)"
            )
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 -- a SafeLoader subclass


def load_records(
    data_dir: Path, vocabulary: Vocabularies, warnings: list[Problem] | None = None
) -> list[Record]:
    """Read, validate and cross-check every record under ``data_dir``.

    Parameters
    ----------
    data_dir
        Directory with one sub-directory per kind (``models/``, ``organizations/``, ...).
    vocabulary
        Concept codes of the ontology's vocabularies, for ``languages``, ``regions`` and
        ``country``.
    warnings
        Gets what is worth a curator's look but valid (a name records of several kinds share).

    Returns
    -------
    list of Record
        Sorted by kind, then id.

    Raises
    ------
    RecordError
        With every problem found, if any.
    """
    problems: list[Problem] = []
    records: list[tuple[str, Record]] = []
    invalid: set[tuple[str, str]] = set()  # (kind, file stem): reported once, not again by links
    for path, record_type in _record_files(data_dir, problems):
        shown = display_path(path)
        raw = _read(path, shown, problems)
        record = None if raw is None else _validate(shown, record_type, raw, problems)
        if record is None:
            invalid.add((record_type.kind, path.stem))
            continue
        if record.id != path.stem:
            problems.append(
                Problem(shown, "id", f"{record.id!r} must equal the file name {path.stem!r}")
            )
            continue
        records.append((shown, record))
    problems.extend(check_records(records, vocabulary, invalid))
    shared, ambiguous = shared_names(records)
    problems.extend(shared)
    if warnings is not None:
        warnings.extend(sorted(ambiguous))
    if problems:
        raise RecordError(problems)
    logger.info("loaded %d records from %s", len(records), data_dir)
    return sorted((r for _, r in records), key=lambda r: (r.kind, r.id))


def check_records(
    records: list[tuple[str, Record]],
    vocabulary: Vocabularies,
    invalid: Iterable[tuple[str, str]] = (),
) -> list[Problem]:
    """Cross-record checks: duplicate ids, unknown ids and codes, cycles.

    Links to ``invalid`` records (already reported) are not reported again.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = defaultdict(set)
    for shown, record in records:
        if record.id in ids[record.kind]:
            problems.append(Problem(shown, "id", f"duplicate {record.kind} id {record.id!r}"))
        ids[record.kind].add(record.id)
    known = {kind: ids[kind] | {i for k, i in invalid if k == kind} for kind in KINDS}
    edges: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for shown, record in records:
        for field, target, ref in references(record):
            if ref in known.get(target, ()):
                if field.split("[")[0] in ACYCLIC and ref in ids[target]:
                    edges[(record.kind, field.split("[")[0])].append((record.id, ref))
                continue
            problems.append(Problem(shown, field, _unknown(target, ref, ids)))
        for field, scheme, code in _codes(record):
            if code not in vocabulary[scheme]:
                hint = _hint(code, vocabulary[scheme])
                problems.append(
                    Problem(
                        shown,
                        field,
                        f"unknown {scheme} code {code!r}{hint}; "
                        f"codes are defined in ontology/{scheme}s.ttl",
                    )
                )
    paths = {(r.kind, r.id): shown for shown, r in records}
    for (kind, field), pairs in sorted(edges.items()):
        for cycle in _cycles(pairs):
            chain = " -> ".join(f"{kind}/{node}" for node in [*cycle, cycle[0]])
            problems.append(Problem(paths[(kind, cycle[0])], field, f"cycle: {chain}"))
    return problems


def _record_files(data_dir: Path, problems: list[Problem]) -> Iterator[tuple[Path, type[Record]]]:
    if not data_dir.is_dir():
        problems.append(
            Problem(
                str(data_dir),
                "(directory)",
                "data directory does not exist: run kg in a checkout of open-llm-kg "
                "(the folder with data/ and ontology/) or give --data-dir",
            )
        )
        return
    for sub in sorted(p for p in data_dir.iterdir() if not p.name.startswith(".")):
        if not sub.is_dir():
            continue
        record_type = DIRECTORIES.get(sub.name)
        if record_type is None:
            hint = _hint(sub.name, DIRECTORIES)
            problems.append(
                Problem(
                    display_path(sub),
                    "(directory)",
                    f"not a record directory{hint}; "
                    f"record directories: {', '.join(sorted(DIRECTORIES))}",
                )
            )
            continue
        for path in sorted(p for p in sub.iterdir() if not p.name.startswith(".")):
            if path.suffix == ".yaml" and path.is_file():
                yield path, record_type
            elif path.is_symlink() and not path.exists():
                problems.append(
                    Problem(
                        display_path(path),
                        "(file)",
                        "a symlink that loops or points nowhere: make it a record file or "
                        "remove it",
                    )
                )
            else:
                problems.append(
                    Problem(
                        display_path(path), "(file)", "not a record: records are <id>.yaml files"
                    )
                )


def _read(path: Path, shown: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        problems.append(Problem(shown, "(yaml)", _yaml_message(exc)))
        return None
    except FileTooLargeError as exc:
        problems.append(Problem(shown, "(file)", f"{exc}: is it a record?"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, "(file)", f"cannot be read: {exc}"))
        return None
    if not isinstance(raw, dict):
        got = "an empty file" if raw is None else f"a {type(raw).__name__}"
        problems.append(Problem(shown, "(yaml)", f"expected a mapping of fields, got {got}"))
        return None
    bad_keys = [k for k in raw if not isinstance(k, str)]
    if bad_keys:
        problems.append(Problem(shown, "(yaml)", f"field names must be text, got {bad_keys[0]!r}"))
        return None
    return raw


def _validate(
    shown: str, record_type: type[Record], raw: dict[str, Any], problems: list[Problem]
) -> Record | None:
    try:
        return record_type.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_from_validation(shown, record_type, exc))
        return None


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    text = f"{context}, {problem}" if context and problem not in str(context) else problem
    return f"invalid YAML{where}: {text}".replace("\n", " ")


def _from_validation(shown: str, record_type: type[Record], exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        field = _dotted(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):  # a rule of the record, or of one link or entry in it
            where = f"{field}.{cause.field}" if field else cause.field
            problems.append(Problem(shown, where, str(cause)))
            continue
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            allowed = _allowed_keys(record_type, error["loc"][:-1])
            message = f"unknown field{_hint(str(error['loc'][-1]), allowed)}"
        elif error["type"] == "missing":
            message = "required field is missing"
        problems.append(Problem(shown, field or "(record)", message))
    return problems


def _allowed_keys(record_type: type[Record], parent: tuple[int | str, ...]) -> list[str]:
    """Field names valid at ``parent`` (the record itself, or a link inside a list)."""
    model: type[BaseModel] = record_type
    for part in parent:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def references(record: Record) -> Iterator[tuple[str, str, str]]:
    """(field, target kind, id) for every id the record refers to."""
    for name, info in type(record).model_fields.items():
        target = next((m.kind for m in info.metadata if isinstance(m, Target)), None)
        value = getattr(record, name)
        if target is None or value is None:
            continue
        if isinstance(value, str):
            yield name, target, value
        else:
            for i, link in enumerate(value):
                yield f"{name}[{i}].id", target, link.id
    if isinstance(record, PublicationRecord):
        for i, about in enumerate(record.describes):
            kind, _, ref = about.id.partition("/")
            yield f"describes[{i}].id", kind, ref
    if isinstance(record, FindingRecord):
        for i, about in enumerate(record.about):
            kind, _, ref = about.id.partition("/")
            yield f"about[{i}].id", kind, ref


def _codes(record: Record) -> Iterator[tuple[str, str, str]]:
    for name, info in type(record).model_fields.items():
        scheme = next((m.scheme for m in info.metadata if isinstance(m, Vocabulary)), None)
        value = getattr(record, name)
        if scheme is None or value is None:
            continue
        values = [value] if isinstance(value, str) else value
        for i, code in enumerate(values):
            yield (name if isinstance(value, str) else f"{name}[{i}]"), scheme, code


def _unknown(target: str, ref: str, ids: dict[str, set[str]]) -> str:
    if target not in KINDS:
        return f"unknown kind {target!r}{_hint(target, KINDS)} in {target}/{ref}"
    message = f"unknown {target} id {ref!r}{_hint(ref, ids[target])}"
    elsewhere = sorted(kind for kind, known in ids.items() if ref in known and kind != target)
    if elsewhere:
        message += f"; {' and '.join(elsewhere)} {ref!r} exists, but this field links to {target}s"
    return message


def _hint(value: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _cycles(pairs: list[tuple[str, str]]) -> Iterator[list[str]]:
    """One cycle per strongly connected knot of the graph ``pairs``, starting at its least node."""
    G = nx.DiGraph(pairs)
    for component in sorted(nx.strongly_connected_components(G), key=min):
        if len(component) == 1 and not G.has_edge(next(iter(component)), next(iter(component))):
            continue
        start = min(component)
        cycle = [u for u, _ in nx.find_cycle(G.subgraph(component), source=start)]
        pivot = cycle.index(min(cycle))
        yield cycle[pivot:] + cycle[:pivot]


def display_path(path: Path) -> str:
    """The path as a curator would type it: relative to the working directory when possible."""
    try:  # a symlink is named as it is, not as what it points at (which may loop)
        resolved = path.parent.resolve() / path.name
    except (OSError, RuntimeError):
        resolved = Path(os.path.abspath(path))
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
