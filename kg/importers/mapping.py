"""Mappings several catalogues share: organizations, licenses, base models, dates, links."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date

import pyoxigraph as ox

from kg.compile.rdf import DATE_TYPES, iri
from kg.importers.catalogue import Report
from kg.importers.facts import RecordFacts
from kg.importers.names import as_list, collaboration_parts, name_key, plain_text, web_iri
from kg.importers.resolve import Resolved, Resolver
from kg.schema.namespace import LLMKG

MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name} | {
    name.casefold(): i for i, name in enumerate(calendar.month_name) if name
}
NOT_A_NAME = frozenset(
    {"unknown", "undisclosed", "unclear", "none", "n/a", "na", "various", "mixed", "-", "?"}
)
"""What catalogues write where a name is not known; no entity is made of it."""
_DATE = re.compile(r"^(\d{4})(?:[-/ ]+(\d{1,2}|[a-z]{3,9}))?(?:[-/ ]+(\d{1,2}))?$")


def organizations(
    name: str, known: Collection[str], resolver: Resolver, report: Report, shown: str
) -> list[tuple[str, Resolved]]:
    """The organizations ``name`` stands for, with the name each goes by.

    A name no organization has, such as ``Mistral AI and NVIDIA``, stands for its parts when
    each part is an organization the resolver or the catalogue itself knows (``known``: keys of
    names the catalogue gives alone); else for one organization of that name.
    """
    found = resolver.find(["organization"], [name])
    parts = [] if found else collaboration_parts(name)
    if parts and all(
        resolver.find(["organization"], [p]) or name_key(p, organization=True) in known
        for p in parts
    ):
        pairs = [(p, resolver.resolve("organization", [p])) for p in parts]
    else:
        pairs = [(name, found or resolver.resolve("organization", [name]))]
    for part, resolved in pairs:
        if not resolved.curated:
            report.unresolved_name("organization", part, shown, f"new organization/{resolved.id}")
    return pairs


def resolve_license(
    statement: str,
    resolver: Resolver,
    listed: Callable[[str], Resolved | None] | None = None,
) -> Resolved | None:
    """The license entity a statement names: curated or in the alias table, or else one
    ``listed`` knows (the Model Openness Tool's license list); None for ``Unknown``,
    ``Mixed``, ``Apache-2.0 and CC-BY-NC-4.0`` and other statements that name no one license."""
    found = resolver.find(["license"], [statement])
    if found is None and listed is not None:
        found = listed(statement)
    return found


def license_statement(
    facts: RecordFacts,
    topic: ox.NamedNode,
    subject: ox.NamedNode,
    value: object,
    resolver: Resolver,
    report: Report,
    *,
    predicate: str = LLMKG.licensedUnder,
    listed: Callable[[str], Resolved | None] | None = None,
) -> Resolved | None:
    """The license ``subject`` is under, as stated (``llmkg:licenseStatement``) and, when the
    statement names a known license, as a link to it (``predicate``)."""
    statement = plain_text(value)
    if statement is None:
        return None
    facts.add(topic, subject, LLMKG.licenseStatement, ox.Literal(statement))
    found = resolve_license(statement, resolver, listed)
    if found is None:
        if statement.casefold() not in NOT_A_NAME:
            report.unresolved_name("license", statement, facts.path, "names no known license")
        return None
    facts.entity(found, LLMKG.License, statement)
    facts.add(topic, subject, predicate, found.iri)
    return found


def base_model(
    facts: RecordFacts,
    model: Resolved,
    value: object,
    resolver: Resolver,
    own_models: Mapping[str, Resolved],
    report: Report,
) -> None:
    """``model`` derives from the base model named ``value``: a curated model or one of this
    catalogue's (``own_models``, by name key). A name that is neither is kept as
    ``llmkg:baseModelName`` and reported as a dangling reference."""
    name = plain_text(value)
    if name is None or name.casefold() in NOT_A_NAME:
        return
    found = resolver.find(["model"], [name]) or own_models.get(name_key(name))
    m = model.iri
    if found is None:
        facts.add(m, m, LLMKG.baseModelName, ox.Literal(name))
        report.unresolved_name(
            "base model", name, facts.path, "dangling: no model of data/ or this catalogue"
        )
    elif found.iri != m:
        facts.add(m, m, LLMKG.derivedFrom, found.iri)


def evidence(value: object, shown: str, where: str, report: Report) -> list[ox.NamedNode]:
    """Links given as a string, a list or null; what is not an http(s) URL is noted, left out."""
    links = []
    for item in as_list(value):
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        link = web_iri(item)
        if link is None:
            report.note(shown, where, f"{str(item)[:80]!r} is not a URL; left out")
        else:
            links.append(link)
    return links


def modality(value: object) -> list[str]:
    """Types given as ``text``, ``text,code`` or a list, one value each.

    Examples
    --------
    >>> modality("text,code"), modality(["Audio "]), modality(None)
    (['text', 'code'], ['audio'], [])
    """
    texts = [plain_text(v) for v in as_list(value)]
    return [p.strip().casefold() for t in texts if t for p in t.split(",") if p.strip()]


def release_date(value: object, shown: str, where: str, report: Report) -> ox.Literal | None:
    """A date given as ``2024``, ``2024-10``, ``2024-10-03`` or ``2024 OCT``, typed by its
    precision (xsd:gYear, xsd:gYearMonth, xsd:date); anything else is noted and left out.

    Examples
    --------
    >>> report = Report()
    >>> [release_date(v, "f", "d", report).value for v in ("2024-10", "2024 OCT", 2023)]
    ['2024-10', '2024-10', '2023']
    >>> release_date("soon", "f", "d", report), str(report.notes[0])
    (None, "f: d: 'soon' is not a date; left out")
    """
    text = plain_text(value)
    if text is None:
        return None
    match = _DATE.match(text.casefold())
    parts = (
        [int(g) if g.isdigit() else MONTHS.get(g, 0) for g in match.groups() if g] if match else []
    )
    try:
        date(*(parts + [1] * (3 - len(parts))))
    except (TypeError, ValueError):
        parts = []
    if not parts:
        report.note(shown, where, f"{text!r} is not a date; left out")
        return None
    shown_date = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
    return ox.Literal(shown_date, datatype=iri(DATE_TYPES[len(shown_date)]))
