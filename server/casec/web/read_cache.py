"""What the pages look up again and again, computed from the store (through SPARQL) and kept per app.

The label index, the labels of every IRI, the disagreements, the membership panel, the dumps and the
dataset description are built on first use and held in ``app.extensions``. They are dropped when the
data changes (an external store reloaded with ``casec load``): the data version is the store's own
(:meth:`GraphStore.data_version`), asked at most once every ``RECHECK`` seconds, as the network view does.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import current_app

from casec.facts.conflicts import find_conflicts
from casec.facts.membership_panel import Row, disputed_years, panel
from casec.facts.search import LabelIndex
from casec.vocab import sparql_prologue
from casec.web.services import services

T = TypeVar("T")

ALL_LABELS = (
    sparql_prologue()
    + """
SELECT ?x ?label WHERE {
  VALUES ?p { rdfs:label skos:prefLabel }
  ?x ?p ?label . FILTER (isIRI(?x) && (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")))
}"""
)


RECHECK = 2.0  # seconds


@dataclass
class _Cache:
    values: dict[str, object] = field(default_factory=dict)
    version: str | None = None
    checked: float = -RECHECK


def cached(name: str, build: Callable[[], T]) -> T:
    cache: _Cache = current_app.extensions.setdefault("casec.lookups", _Cache())
    now = time.monotonic()
    if now - cache.checked >= RECHECK:
        version = services().store.data_version()
        cache.checked = now
        if version != cache.version:
            cache.values.clear()
            cache.version = version
    if name not in cache.values:
        cache.values[name] = build()
    return cache.values[name]  # type: ignore[return-value]


def label_index() -> LabelIndex:
    return cached("label_index", lambda: LabelIndex.build(services().store))


def labels() -> dict[str, str]:
    """The English label (or untagged label) of every IRI that has one."""

    def build() -> dict[str, str]:
        found: dict[str, str] = {}
        for row in services().store.select(ALL_LABELS):
            found.setdefault(row["x"].value, row["label"].value)
        return found

    return cached("labels", build)


def label_of(iri: str) -> str:
    """A readable name: the label, else the IRI's last segment (``casec:memberOf`` → ``memberOf``)."""
    found = labels().get(iri)
    if found:
        return found
    tail = iri.rstrip("/#")
    for separator in ("#", "/"):
        if separator in tail:
            tail = tail.rsplit(separator, 1)[-1]
    return tail or iri


@dataclass(frozen=True)
class Disagreement:
    other: str  # the statement it disagrees with
    relation: str
    value: str
    other_value: str
    other_source: str


def conflicts() -> dict[str, list[Disagreement]]:
    """For each statement, the statements that disagree with it (``queries/conflicts.rq``)."""

    def build() -> dict[str, list[Disagreement]]:
        app = services()
        found: dict[str, list[Disagreement]] = defaultdict(list)
        if not (app.bundle.queries / "conflicts.rq").is_file():
            return found
        for conflict in find_conflicts(app.store, app.bundle):
            a, b = conflict.a, conflict.b
            pair_a = Disagreement(b.statement, conflict.relation, a.value, b.value, b.source)
            pair_b = Disagreement(a.statement, conflict.relation, b.value, a.value, a.source)
            if pair_a not in found[a.statement]:
                found[a.statement].append(pair_a)
            if pair_b not in found[b.statement]:
                found[b.statement].append(pair_b)
        return dict(found)

    return cached("conflicts", build)


def panel_rows() -> list[Row]:
    return cached("panel", lambda: panel(services().store))


def disputed() -> dict[tuple[str, str], list[int]]:
    """Years in which sources disagree about a state's status in an organization, by (state, organization)."""
    return cached("disputed", lambda: disputed_years(panel_rows()))
