"""One real-world entity, one IRI: no two entities of a kind share a name."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from casec.store.embedded import EmbeddedStore
from casec.vocab import ID, sparql_prologue


def normalized(label: str) -> str:
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", "", text)


def test_normalization_ignores_case_diacritics_and_punctuation() -> None:
    assert normalized("Türkiye") == normalized("turkiye")
    assert normalized("al-Qaeda") == normalized("Al Qaeda")
    assert normalized("SCO") != normalized("CSTO")


def test_no_two_entities_of_a_kind_share_a_label_or_alt_label(store: EmbeddedStore) -> None:
    rows = store.select(
        sparql_prologue()
        + """
        SELECT ?entity ?name WHERE {
          ?entity a ?class . { ?entity rdfs:label ?name } UNION { ?entity skos:altLabel ?name }
          FILTER (STRSTARTS(STR(?entity), "https://w3id.org/casec/id/"))
        }"""
    )
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        entity = row["entity"].value
        kind = entity[len(ID) :].split("/")[0]
        owners[(kind, normalized(row["name"].value))].add(entity)
    shared = {key: sorted(entities) for key, entities in owners.items() if len(entities) > 1}
    assert shared == {}
