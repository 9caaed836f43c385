"""Hugging Face Hub model metadata: what ``GET /api/models?full=true&cardData=true`` returns.

A snapshot is a directory of JSON files (one model per file, or API pages as JSON arrays) or
a JSON Lines file (one model per line), read one record at a time. A record becomes a model
(``id``, e.g. ``meta-llama/Llama-3.1-8B``) developed by its ``author``, derived from each of
its base models (``cardData.base_model``, a string or a list, and ``base_model:`` tags) by
the kind the card states (``cardData.base_model_relation``), else the kind the Hub's own
``base_model:<relation>:<id>`` tag states, else a kind inferred here and marked
``curator-inference``: several bases are a merge; a GGUF, GPTQ, AWQ, EXL2 or bitsandbytes
model a quantization; a PEFT or LoRA model an adapter; any other a fine-tune. It is licensed
under ``cardData.license`` and ``license:`` tags (Hub licence ids, :mod:`hub_licenses`),
trained on ``cardData.datasets`` and ``dataset:`` tags, and keeps ``library_name``,
``pipeline_tag``, its other tags, ``createdAt`` and ``lastModified``; ``downloads`` (the
Hub's count over the last 30 days) and ``likes`` are dated observations
(``schema:InteractionCounter`` up to the snapshot's ``Date:`` in SOURCE.txt, else the
model's ``lastModified`` day).

Resolution: a model is a curated one when data/ (its aliases) or data/aliases.yaml give its
Hub id, ``meta-llama/Llama-3.1-8B``; an author is a curated organization only through the
alias table, as ``huggingface.co/<author>``; licences and datasets resolve as in the other
importers. Everything else gets a Hub-marked IRI: ``model:meta-llama--llama-3.1-8b``
(``/`` -> ``--``, which Hub ids never contain), ``organization:hf--mlabonne``. A base model
neither curated nor in the snapshot is dangling: kept as ``llmkg:baseModelName``, reported.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, XSD

from kg.compile.rdf import DERIVATION_PREDICATES, iri
from kg.errors import CatalogueError
from kg.importers.catalogue import COMMIT, Catalogue, Report, Snapshot
from kg.importers.facts import RecordFacts
from kg.importers.hub_licenses import HUB_LICENSES
from kg.importers.resolve import Resolved, Resolver
from kg.schema.fields import SLUG
from kg.schema.namespace import LLMKG
from kg.schema.vocabulary import ID

HUB = "https://huggingface.co"
REPO_ID = re.compile(r"^(?:[\w.-]+/)?[\w.-]{1,96}$")
"""A Hub repository id as huggingface_hub's validate_repo_id reads it (also no ``--``, ``..``)."""
RELATIONS = {"adapter": "adapter", "finetune": "fine-tune", "quantized": "quantization"} | {
    "merge": "merge"
}
"""The Hub's base_model_relation values -> derivation kinds."""
QUANTIZED = frozenset({"gguf", "gptq", "awq", "exl2", "bitsandbytes", "4-bit", "8-bit"})
ADAPTER = frozenset({"peft", "lora", "adapter"})
MERGE = frozenset({"merge", "mergekit"})
KEPT_OUT = ("base_model:", "license:", "dataset:", "region:")
"""Tag prefixes stated otherwise (base models, licences, datasets) or of no interest."""
CHUNK = 1 << 20


@dataclass
class HubModel:
    """What a record says, read and checked; ``where`` is its place in the snapshot."""

    where: str
    id: str
    author: str
    bases: list[tuple[str, str | None, str]] = field(default_factory=list)
    """(base id, kind or None, how the kind is known: ``card``, ``tag`` or ``inferred``)."""
    licenses: list[str] = field(default_factory=list)
    license_name: str | None = None
    datasets: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    library: str | None = None
    pipeline: str | None = None
    created: str | None = None
    modified: str | None = None
    downloads: int | None = None
    likes: int | None = None
    sha: str | None = None


def locate(catalogue: Catalogue, path: Path, commit: str | None) -> Snapshot:
    """A Hub snapshot: a directory of JSON files or one JSON Lines file. Its "commit" is
    ``commit``, the ``Commit:`` of SOURCE.txt beside it, else the SHA-1 of its record files."""
    if not path.exists():
        raise CatalogueError(f"{path}: no such file or directory")
    directory = path if path.is_dir() else path.parent
    found = commit or _source_field(directory, "Commit")
    if found is None:
        digest = hashlib.sha1(usedforsecurity=False)
        for file in record_files(path):
            digest.update(file.relative_to(directory).as_posix().encode("utf-8") + b"\0")
            with file.open("rb") as f:
                while block := f.read(CHUNK):
                    digest.update(block)
        found = digest.hexdigest()
    if not COMMIT.match(found.lower()):
        raise CatalogueError(f"{found!r} is not a commit hash")
    records = None if path.is_dir() else path.resolve()
    return Snapshot(directory.resolve(), catalogue.repository, found.lower(), records)


def _source_field(directory: Path, name: str) -> str | None:
    path = directory / "SOURCE.txt"
    if not path.is_file():
        return None
    match = re.search(rf"^{name}:\s*(\S+)", path.read_text("utf-8"), re.MULTILINE)
    return match.group(1) if match else None


def record_files(path: Path) -> list[Path]:
    """``path`` itself if it is a file, else the ``*.json`` and ``*.jsonl`` files under it."""
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix in (".json", ".jsonl") and p.is_file() and not p.name.startswith((".", "_"))
    )


def records(snapshot: Snapshot) -> Iterator[tuple[str, object]]:
    """(where, value) of each record, one at a time; a value that is not JSON is the error."""
    for path in record_files(snapshot.location):
        shown = snapshot.shown(path)
        if path.suffix == ".jsonl":
            yield from _lines(path, shown)
        else:
            yield from _values(path, shown)


def _lines(path: Path, shown: str) -> Iterator[tuple[str, object]]:
    with path.open(encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield f"{shown}:{n}", json.loads(line.strip())
                except json.JSONDecodeError as exc:
                    yield f"{shown}:{n}", exc


def _values(path: Path, shown: str) -> Iterator[tuple[str, object]]:
    """The object a file holds, or each element of the array it holds, parsed one at a time."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8", errors="replace") as f:
        buf, pos, eof = f.read(CHUNK), 0, False

        def more() -> bool:
            nonlocal buf, pos, eof
            block = "" if eof else f.read(CHUNK)
            eof = not block
            buf, pos = buf[pos:] + block, 0
            return not eof

        def skip_space() -> str:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos].isspace():
                    pos += 1
                if pos < len(buf) or not more():
                    return buf[pos] if pos < len(buf) else ""

        if skip_space() != "[":
            while more():
                pass
            try:
                yield shown, json.loads(buf)
            except json.JSONDecodeError as exc:
                yield shown, exc
            return
        pos += 1
        i = 0
        while True:
            c = skip_space()
            if c == "]":
                return
            if i and c == ",":
                pos += 1
                skip_space()
            where = f"{shown}[{i}]"
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if more():
                    continue
                yield where, exc
                return
            if end == len(buf) and more():  # a number cut by the chunk's end: read on
                continue
            yield where, value
            pos, i = end, i + 1


def read(snapshot: Snapshot, resolver: Resolver, report: Report) -> list[RecordFacts]:
    """Every readable model of a Hub snapshot, as facts."""
    date = _source_field(snapshot.directory, "Date")
    parsed: list[HubModel] = []
    seen: dict[str, str] = {}
    for where, value in records(snapshot):
        report.records += 1
        model = _parse(where, value, report)
        if model is None:
            continue
        first = seen.setdefault(model.id.casefold(), where)
        if first != where:
            report.skip(where, "id", f"{model.id!r} again; the record at {first} is kept")
            continue
        parsed.append(model)
    own = {m.id.casefold(): _model(m.id, resolver) for m in parsed}
    return [_facts(m, resolver, report, own, date) for m in parsed]


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _texts(value: object, where: str, name: str, report: Report) -> list[str]:
    """A field given as a string or a list of strings; other values are noted and left out."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    out = []
    for item in items:
        text = _text(item)
        if text is None:
            report.note(where, name, f"{item!r} is not a name; left out")
        elif text not in out:
            out.append(text)
    return out


def _parse(where: str, value: object, report: Report) -> HubModel | None:
    if isinstance(value, json.JSONDecodeError):
        report.skip(
            where,
            "(json)",
            f"invalid JSON: {value.msg} at line {value.lineno} column {value.colno}",
        )
        return None
    if not isinstance(value, dict):
        report.skip(where, "(json)", f"expected an object, got {type(value).__name__}")
        return None
    id_ = value.get("id", value.get("modelId"))
    if id_ is None:
        report.skip(where, "id", "missing: a record names its model")
        return None
    if not isinstance(id_, str) or not REPO_ID.match(id_) or "--" in id_ or ".." in id_:
        report.skip(where, "id", f"{id_!r} is not a Hub model id")
        return None
    author = _text(value.get("author")) or (id_.split("/")[0] if "/" in id_ else None)
    if author is None:
        report.skip(where, "author", "missing: every model needs a developer")
        return None
    m = HubModel(where, id_, author)
    card = value.get("cardData") or {}
    if not isinstance(card, dict):
        report.note(where, "cardData", f"expected an object, got {type(card).__name__}; left out")
        card = {}
    tags = value.get("tags") or []
    if not isinstance(tags, list):
        report.note(where, "tags", f"expected a list, got {type(tags).__name__}; left out")
        tags = []
    tags = [t for t in tags if isinstance(t, str)]
    _bases(m, card, tags, value.get("library_name"), report)
    m.licenses = _texts(card.get("license"), where, "cardData.license", report)
    m.licenses += [t[8:] for t in tags if t.startswith("license:") and t[8:] not in m.licenses]
    m.license_name = _text(card.get("license_name"))
    m.datasets = _texts(card.get("datasets"), where, "cardData.datasets", report)
    m.datasets += [t[8:] for t in tags if t.startswith("dataset:") and t[8:] not in m.datasets]
    m.tags = sorted({t for t in tags if not t.startswith(KEPT_OUT)})
    m.library = _text(value.get("library_name"))
    m.pipeline = _text(value.get("pipeline_tag"))
    m.created = _datetime(value.get("createdAt"), where, "createdAt", report)
    m.modified = _datetime(value.get("lastModified"), where, "lastModified", report)
    m.downloads = _count(value.get("downloads"), where, "downloads", report)
    m.likes = _count(value.get("likes"), where, "likes", report)
    sha = value.get("sha")
    if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{40}", sha):
        m.sha = sha
    elif sha is not None:
        report.note(where, "sha", f"{sha!r} is not a commit hash; left out")
    return m


def _bases(
    m: HubModel, card: dict[str, object], tags: list[str], library: object, report: Report
) -> None:
    """The base models and how each was derived: the card's relation, the Hub's tag, or ours."""
    given = _texts(card.get("base_model"), m.where, "cardData.base_model", report)
    by_tag: dict[str, str] = {}
    for tag in tags:
        if tag.startswith("base_model:"):
            rest = tag.removeprefix("base_model:")
            tagged, _, base = rest.partition(":")
            if base and tagged in RELATIONS:
                by_tag.setdefault(base.casefold(), RELATIONS[tagged])
                rest = base
            if rest.casefold() not in {g.casefold() for g in given}:
                given.append(rest)
    relation = card.get("base_model_relation")
    stated = RELATIONS.get(relation) if isinstance(relation, str) else None
    if relation is not None and stated is None:
        report.note(m.where, "cardData.base_model_relation", f"{relation!r} is not a Hub relation")
    words = {t.casefold() for t in tags} | (
        {library.casefold()} if isinstance(library, str) else set()
    )
    if len(given) > 1 or words & MERGE:
        guess = "merge"
    elif words & QUANTIZED:
        guess = "quantization"
    elif words & ADAPTER:
        guess = "adapter"
    else:
        guess = "fine-tune"
    for base in given:
        if base.casefold() == m.id.casefold():
            report.note(m.where, "cardData.base_model", "names the model itself; left out")
        elif stated:
            m.bases.append((base, stated, "card"))
        elif base.casefold() in by_tag:
            m.bases.append((base, by_tag[base.casefold()], "tag"))
        else:
            m.bases.append((base, guess, "inferred"))


def _datetime(value: object, where: str, name: str, report: Report) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        report.note(where, name, f"{value!r} is not a date and time; left out")
        return None
    return parsed.isoformat().replace("+00:00", "Z")


def _count(value: object, where: str, name: str, report: Report) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.note(where, name, f"{value!r} is not a count; left out")
        return None
    return value


def hub_slug(name: str) -> str:
    """An id for a Hub name: lower case, ``/`` as ``--``; a name with ``_`` (which ids cannot
    hold) or other changed characters also gets a digest, so that two names never meet.

    Examples
    --------
    >>> hub_slug("meta-llama/Llama-3.1-8B"), hub_slug("a_b/c")[:9]
    ('meta-llama--llama-3.1-8b', 'a-b--c--0')
    """
    lowered = name.casefold().replace("/", "--")
    slug = re.sub(r"[^a-z0-9.-]", "-", lowered).strip("-.") or "x"
    if slug != lowered or not SLUG.match(slug):
        slug += "--" + hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()[:8]
    return slug


def _model(id_: str, resolver: Resolver) -> Resolved:
    return resolver.find(["model"], [id_]) or Resolved("model", hub_slug(id_), False)


def api_url(id_: str, sha: str | None = None) -> str:
    """Where the Hub API gives the model's metadata (at revision ``sha``, if given)."""
    base = f"{HUB}/api/models/{quote(id_)}"
    return f"{base}/revision/{sha}" if sha else base


def _facts(
    hub: HubModel,
    resolver: Resolver,
    report: Report,
    own: dict[str, Resolved],
    date: str | None,
) -> RecordFacts:
    facts = RecordFacts(hub.where, api_url(hub.id, hub.sha))
    model = own[hub.id.casefold()]
    m = model.iri
    if not model.curated:
        report.unresolved_name("model", hub.id, hub.where, f"new model/{model.id}")
    facts.entity(model, LLMKG.Model, hub.id)
    facts.add(m, m, RDFS.seeAlso, ox.NamedNode(f"{HUB}/{quote(hub.id)}"))
    org = resolver.find(["organization"], [f"huggingface.co/{hub.author}"])
    if org is None:
        org = Resolved("organization", "hf--" + hub_slug(hub.author), False)
        report.unresolved_name("organization", hub.author, hub.where, f"new organization/{org.id}")
    if org.curated or not model.curated:  # a Hub author is the developer of a Hub-only model
        facts.organization(org, hub.author, homepage=ox.NamedNode(f"{HUB}/{quote(hub.author)}"))
        facts.add(m, m, LLMKG.developedBy, org.iri)
    for base, kind, how in hub.bases:
        _derivation(facts, model, base, kind, how, resolver, own, report)
    for value in hub.licenses:
        _license(facts, m, value, hub.license_name, resolver, report)
    for name in hub.datasets:
        found = resolver.find(["dataset"], [name]) or Resolved("dataset", hub_slug(name), False)
        facts.entity(found, LLMKG.Dataset, name)
        if not found.curated:
            facts.add(
                found.iri, found.iri, RDFS.seeAlso, ox.NamedNode(f"{HUB}/datasets/{quote(name)}")
            )
        facts.add(m, m, LLMKG.trainedOn, found.iri)
    for tag in hub.tags:
        facts.add(m, m, SDO.keywords, ox.Literal(tag))
    if hub.library:
        facts.add(m, m, LLMKG.hubLibrary, ox.Literal(hub.library))
    if hub.pipeline:
        facts.add(m, m, LLMKG.hubPipelineTag, ox.Literal(hub.pipeline))
    for p, when in ((DCTERMS.created, hub.created), (DCTERMS.modified, hub.modified)):
        if when:
            facts.add(m, m, p, ox.Literal(when, datatype=iri(XSD.dateTime)))
    _counters(facts, model, hub, date or (hub.modified or "")[:10] or None, report)
    return facts


def _derivation(
    facts: RecordFacts,
    model: Resolved,
    base: str,
    kind: str | None,
    how: str,
    resolver: Resolver,
    own: dict[str, Resolved],
    report: Report,
) -> None:
    m = model.iri
    found = resolver.find(["model"], [base]) or own.get(base.casefold())
    if found is None:
        facts.add(m, m, LLMKG.baseModelName, ox.Literal(base))
        report.unresolved_name(
            "base model", base, facts.path, "dangling: no model of data/ or this snapshot"
        )
        return
    if found.iri == m or kind is None:
        return
    inferred = None
    if how == "inferred":
        inferred = (
            f"Derivation kind {kind!r} inferred by open-llm-kg (kg/importers/hf.py) from the "
            "model's tags, library and number of base models; its card states no "
            "base_model_relation and the Hub's tags none."
        )
    facts.add(m, m, DERIVATION_PREDICATES[kind], found.iri, inferred=inferred)
    facts.add(m, m, LLMKG.derivedFrom, found.iri, inferred=inferred)


def _license(
    facts: RecordFacts,
    m: ox.NamedNode,
    value: str,
    license_name: str | None,
    resolver: Resolver,
    report: Report,
) -> None:
    statement = license_name if value == "other" and license_name else value
    facts.add(m, m, LLMKG.licenseStatement, ox.Literal(statement))
    listed = HUB_LICENSES.get(value) if value != "other" else None
    found = resolver.find(["license"], [statement, listed])
    if found is None and listed is not None:
        found = Resolved("license", value if SLUG.match(value) else hub_slug(value), False)
        report.unresolved_name("license", value, facts.path, f"new license/{found.id}")
    if found is None:
        report.unresolved_name("license", statement, facts.path, "names no known license")
        return
    facts.entity(found, LLMKG.License, listed or statement)
    facts.add(m, m, LLMKG.licensedUnder, found.iri)


def _counters(
    facts: RecordFacts, model: Resolved, hub: HubModel, date: str | None, report: Report
) -> None:
    """Downloads (the Hub's last 30 days) and likes, each counted up to ``date``."""
    m = model.iri
    for what, count, action, label in (
        ("downloads", hub.downloads, SDO.DownloadAction, "downloads in the 30 days to"),
        ("likes", hub.likes, SDO.LikeAction, "likes as of"),
    ):
        if count is None:
            continue
        if date is None:
            report.note(facts.path, what, "no snapshot date and no lastModified; left out")
            continue
        c = ox.NamedNode(f"{ID}statistic/hf/{hub_slug(hub.id)}/{what}/{date}")
        where = api_url(hub.id)
        facts.add(m, m, SDO.interactionStatistic, c, source=where)
        facts.add(m, c, RDF.type, iri(SDO.InteractionCounter), source=where)
        facts.add(m, c, RDFS.label, ox.Literal(f"Hugging Face {label} {date}"), source=where)
        facts.add(m, c, SDO.interactionType, iri(action), source=where)
        facts.add(m, c, SDO.userInteractionCount, ox.Literal(count), source=where)
        facts.add(m, c, SDO.endTime, ox.Literal(date, datatype=iri(XSD.date)), source=where)


CATALOGUE = Catalogue(
    name="hf",
    title="Hugging Face Hub model metadata",
    repository="https://huggingface.co/api/models",
    homepage="https://huggingface.co/models",
    license="Hugging Face Hub terms",
    license_url="https://huggingface.co/terms-of-service",
    attribution=(
        "Model metadata from the Hugging Face Hub API (https://huggingface.co/api/models); "
        "each model card is under its own model's licence, as the card states."
    ),
    read=read,
    locate=locate,
)
