"""How much the sources say about each entity: the number of statements naming it. Pages list the major
organizations first by it (the CSTO before CAREC), and the network opens on the core organizations: those
the sources discuss at least a third as much as the most discussed one."""

from __future__ import annotations

from casec.store.interface import GraphStore
from casec.vocab import sparql_prologue

STATEMENT_COUNTS = (
    sparql_prologue()
    + """
SELECT ?entity (COUNT(DISTINCT ?statement) AS ?statements) WHERE {
  ?statement casec:evidence ?evidence ;
             org:member|org:organization|rdf:subject|rdf:object|casec:counterpart|casec:claimant ?entity .
  FILTER (isIRI(?entity))
} GROUP BY ?entity"""
)
CORE_SHARE = 1 / 3


def prominence(store: GraphStore) -> dict[str, int]:
    """Statements naming each entity (as member, organization, subject, object, counterpart or claimant)."""
    return {row["entity"].value: int(row["statements"].value) for row in store.select(STATEMENT_COUNTS)}


def core(counts: dict[str, int], among: set[str]) -> list[str]:
    """The entities of ``among`` the sources discuss most, most discussed first."""
    ranked = sorted((iri for iri in among if counts.get(iri)), key=lambda iri: (-counts[iri], iri))
    if not ranked:
        return []
    top = counts[ranked[0]]
    return [iri for iri in ranked if counts[iri] >= top * CORE_SHARE]
