"""What the pages look up again and again, computed from the store (through SPARQL) and kept per app.

The label index, the labels of every IRI, the disagreements, the membership panel, the dumps and the
dataset description are built on first use and held in the app's cache (``Services.cache``, a
:class:`~casec.store.versioned_cache.VersionedCache`): they are dropped when the data changes (an external
store reloaded with ``casec load``), by the same rule as the network view's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from casec.facts.conflicts import QUERY_FILE, Disagreement, find_conflicts
from casec.facts.membership_panel import Row, disputed_years, panel
from casec.facts.prominence import prominence
from casec.facts.search import LabelIndex
from casec.facts.status_periods import Periods, status_periods
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


def cached(name: str, build: Callable[[], T]) -> T:
    """The value ``build`` makes from the store, made once per data version."""
    return services().cache.get(name, build)


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


def disagreements() -> list[Disagreement]:
    """Where the sources disagree, one entry per disagreement (``queries/conflicts.rq``)."""

    def build() -> list[Disagreement]:
        app = services()
        if not (app.bundle.queries / QUERY_FILE).is_file():
            return []
        return find_conflicts(app.store, app.bundle)

    return cached("disagreements", build)


def conflicts() -> dict[str, Disagreement]:
    """For each statement that takes a side in a disagreement, that disagreement."""
    return {claim.statement: d for d in disagreements() for claim in d.claims}


def panel_rows() -> list[Row]:
    return cached("panel", lambda: panel(services().store))


def disputed() -> dict[tuple[str, str], list[int]]:
    """Years in which sources disagree about a state's status in an organization, by (state, organization)."""
    return cached("disputed", lambda: disputed_years(panel_rows()))


def periods() -> Periods:
    """The time model's status periods (:mod:`casec.facts.status_periods`)."""
    return cached("status_periods", lambda: status_periods(services().store))


def statement_counts() -> dict[str, int]:
    """How many statements name each entity (:mod:`casec.facts.prominence`)."""
    return cached("prominence", lambda: prominence(services().store))
