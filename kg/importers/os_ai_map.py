"""Current AI's AI Stack Map (os-ai-map, map.currentai.org): products, owners, openness scores.

``sources/products/*.yaml`` are models, software and datasets; ``sources/organizations/*.yaml``
own them (each lists its products); ``sources/scores/<product>.yaml`` scores each product's
openness (class, score 0-5, note, sources). An organization becomes an organization, a product
a model, dataset, benchmark (a dataset of the benchmark category) or software developed by its
owners, and a score an openness assessment with the class and score verbatim and its sources
as evidence. Adoption and capability scores are not imported.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS

from kg.errors import CatalogueError
from kg.importers.catalogue import Catalogue, Report, Snapshot, fields, read_mapping
from kg.importers.facts import RecordFacts
from kg.importers.mapping import evidence
from kg.importers.names import as_list, plain_text, web_iri
from kg.importers.resolve import Resolved, Resolver
from kg.schema.namespace import LLMKG

PRODUCT = (
    "name",
    "display_name",
    "type",
    "description",
    "comments",
    "github",
    "npm",
    "pypi",
    "crates",
    "go",
    "huggingface_model",
    "huggingface_dataset",
)
LINKS = PRODUCT[5:]
ORGANIZATION = (
    "name",
    "display_name",
    "type",
    "homepage",
    "country",
    "github",
    "products",
    "comments",
)
SCORE = ("product", "openness", "adoption", "capability")
OPENNESS = ("score", "class", "components", "confidence", "note", "sources")
BENCHMARKS = "benchmark_eval_data"
UNKNOWN = "unknown"
CLASSES = {
    "model": LLMKG.Model,
    "dataset": LLMKG.Dataset,
    "benchmark": LLMKG.Benchmark,
    "framework": LLMKG.Framework,
    "software": LLMKG.Software,
}


def read(snapshot: Snapshot, resolver: Resolver, report: Report) -> list[RecordFacts]:
    """Every readable organization and product of an os-ai-map snapshot, as facts."""
    sources = snapshot.directory / "sources"
    if not (sources / "products").is_dir():
        raise CatalogueError(f"{snapshot.directory}: no sources/products/; is it os-ai-map?")
    out: list[RecordFacts] = []
    owners: dict[str, list[Resolved]] = defaultdict(list)
    for path in _yaml_files(sources / "organizations"):
        report.records += 1
        facts = _organization(snapshot, path, resolver, report, owners)
        if facts is not None:
            out.append(facts)
    benchmarks = _roster(snapshot, sources / "categories" / f"{BENCHMARKS}.yaml", report)
    scores = {p.stem: p for p in _yaml_files(sources / "scores")}
    for path in _yaml_files(sources / "products"):
        report.records += 1
        facts = _product(snapshot, path, resolver, report, owners, benchmarks, scores)
        if facts is not None:
            out.append(facts)
    for stem in sorted(set(scores) - {p.stem for p in _yaml_files(sources / "products")}):
        report.note(snapshot.shown(scores[stem]), "product", "scores no product; left out")
    return out


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _roster(snapshot: Snapshot, path: Path, report: Report) -> set[str]:
    """The products a category lists (its other fields are not imported)."""
    raw = read_mapping(path, snapshot.shown(path), report) if path.is_file() else None
    products = as_list(raw.get("products")) if raw else []
    return {p for p in (plain_text(v) for v in products) if p}


def _organization(
    snapshot: Snapshot,
    path: Path,
    resolver: Resolver,
    report: Report,
    owners: dict[str, list[Resolved]],
) -> RecordFacts | None:
    shown = snapshot.shown(path)
    raw = read_mapping(path, shown, report)
    if raw is None:
        return None
    given = fields(raw, ORGANIZATION, shown, "(organization)", report)
    slug = plain_text(given.get("name")) or path.stem
    name = plain_text(given.get("display_name")) or slug
    if slug == UNKNOWN:
        report.skip(shown, "name", "'unknown' stands for products without a known owner")
        return None
    found = resolver.find(["organization"], [name, slug])
    found = found or resolver.resolve("organization", [name])
    if not found.curated:
        report.unresolved_name("organization", name, shown, f"new organization/{found.id}")
    facts = snapshot.facts(path)
    homepage = web_iri(given.get("homepage"))
    kind = plain_text(given.get("type"))
    facts.organization(found, name, catalogue_type=kind, homepage=homepage)
    for product in as_list(given.get("products")):
        text = plain_text(product)
        if text:
            owners[text].append(found)
    return facts


def _product(
    snapshot: Snapshot,
    path: Path,
    resolver: Resolver,
    report: Report,
    owners: dict[str, list[Resolved]],
    benchmarks: set[str],
    scores: dict[str, Path],
) -> RecordFacts | None:
    shown = snapshot.shown(path)
    raw = read_mapping(path, shown, report)
    if raw is None:
        return None
    given = fields(raw, PRODUCT, shown, "(product)", report)
    slug = plain_text(given.get("name")) or path.stem
    name = plain_text(given.get("display_name")) or slug
    kind = (plain_text(given.get("type")) or "").casefold()
    if kind not in ("model", "dataset", "software"):
        report.skip(shown, "type", f"{kind or None!r} is not model, software or dataset")
        return None
    developers = owners.get(slug, [])
    if kind == "model" and not developers:
        report.skip(shown, "name", "no organization lists it: every model needs a developer")
        return None
    if len(developers) > 1:
        report.note(shown, "name", f"{len(developers)} organizations list it; all are developers")
    kinds = {
        "model": ["model"],
        "dataset": ["benchmark", "dataset"] if slug in benchmarks else ["dataset", "benchmark"],
        "software": ["framework", "software"],
    }[kind]
    found = resolver.find(kinds, [name, slug])
    found = found or resolver.resolve("software" if kind == "software" else kinds[0], [name])
    if not found.curated:
        report.unresolved_name(found.kind, name, shown, f"new {found.kind}/{found.id}")
    facts = snapshot.facts(path)
    p = found.iri
    facts.entity(found, CLASSES[found.kind], name)
    for developer in developers:
        facts.add(p, p, LLMKG.developedBy, developer.iri)
    description = plain_text(given.get("description"))
    if description and not found.curated:
        facts.add(p, p, DCTERMS.description, ox.Literal(description))
    for key in LINKS:
        for item in as_list(given.get(key)):
            url = item.get("url") if isinstance(item, dict) else item
            for link in evidence(url, shown, key, report):
                facts.add(p, p, RDFS.seeAlso, link)
    score = scores.get(slug)
    if score is None:
        report.note(shown, "name", "no score file; no openness assessment")
    else:
        _assessment(snapshot, facts, p, slug, name, score, report)
    return facts


def _assessment(
    snapshot: Snapshot,
    facts: RecordFacts,
    p: ox.NamedNode,
    slug: str,
    name: str,
    path: Path,
    report: Report,
) -> None:
    """The product's openness score, sourced from its score file."""
    shown = snapshot.shown(path)
    raw = read_mapping(path, shown, report)
    score = fields(raw, SCORE, shown, "(score)", report) if raw is not None else {}
    openness = fields(score.get("openness"), OPENNESS, shown, "openness", report)
    if not openness:
        return
    source = snapshot.source(path)
    a = facts.assessment(p, "os-ai-map", slug, f"os-ai-map: {name}", source=source)

    def add(s: ox.NamedNode, predicate: str, o: ox.NamedNode | ox.Literal) -> None:
        facts.add(p, s, predicate, o, source=source)

    level = plain_text(openness.get("class"))
    if level:
        add(a, LLMKG.opennessClass, ox.Literal(level))
    value = openness.get("score")
    if isinstance(value, int) and not isinstance(value, bool):
        add(a, LLMKG.opennessScore, ox.Literal(value))
    elif value is not None:
        report.note(shown, "openness.score", f"{value!r} is not a whole number; left out")
    note = plain_text(openness.get("note"))
    if note:
        add(a, RDFS.comment, ox.Literal(note))
    for i, cited in enumerate(as_list(openness.get("sources"))):
        url = cited.get("url") if isinstance(cited, dict) else cited
        for link in evidence(url, shown, f"openness.sources[{i}]", report):
            add(a, LLMKG.evidence, link)


CATALOGUE = Catalogue(
    name="os-ai-map",
    title="AI Stack Map (os-ai-map) by Current AI",
    repository="https://github.com/currentai-org/os-ai-map",
    homepage="https://map.currentai.org/",
    license="MIT",
    license_url="https://opensource.org/license/mit",
    attribution=(
        "os-ai-map, https://map.currentai.org/, Copyright (c) 2026 Current AI and os-ai-map "
        "contributors, MIT License."
    ),
    read=read,
)
