"""An IRI put into one of casec's own queries can only ever be an IRI: one that would close the term and write
SPARQL of its own is refused before any query text is made; a real one asks about that thing."""

from __future__ import annotations

import pytest

from casec.store.query_text import NotAnIri, bind_iri, bind_iris
from casec.vocab import ID, sparql_prologue

LABEL = sparql_prologue() + 'SELECT ?label WHERE { $this rdfs:label ?label FILTER (LANG(?label) = "en") }'
LABELS = sparql_prologue() + "SELECT ?x WHERE { VALUES ?x { $these } ?x rdfs:label ?label }"
HOSTILE = [
    "http://x/> } ; DROP ALL #",
    "http://x/> ?p ?o } UNION { SERVICE <http://evil/> { ?s ?p ?o } } #",
    'http://x/"quoted"',
    "http://x/a b",
    "http://x/a\nb",
    "http://x/{a}",
    "http://x/a|b",
    "http://x/a^b",
    "http://x/a`b",
    "http://x/a\\b",
    "not an iri",
    "",
]


@pytest.mark.parametrize("iri", HOSTILE)
def test_a_string_that_is_not_an_iri_is_refused(iri: str) -> None:
    with pytest.raises(NotAnIri):
        bind_iri(LABEL, iri)
    with pytest.raises(NotAnIri):
        bind_iris(LABELS, [ID + "state/kazakhstan", iri])


def test_a_real_iri_asks_about_that_thing(store) -> None:
    rows = list(store.select(bind_iri(LABEL, ID + "state/kazakhstan")))
    assert [row["label"].value for row in rows] == ["Kazakhstan"]
    found = {row["x"].value for row in store.select(bind_iris(LABELS, [ID + "org/csto", ID + "org/sco"]))}
    assert found == {ID + "org/csto", ID + "org/sco"}
