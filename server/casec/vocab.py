"""The IRIs casec mints and the vocabularies it reuses."""

from __future__ import annotations

CASEC = "https://w3id.org/casec/ontology#"
ONTOLOGY_IRI = "https://w3id.org/casec/ontology"
ID = "https://w3id.org/casec/id/"
SOURCE = ID + "source/"
STATEMENT = ID + "statement/"
# In an external store, what the embedded store keeps in its default graph (ontology, entities,
# derived edges) lives in this named graph, and casec's load metadata in the next one.
BASE_GRAPH = "https://w3id.org/casec/graph/base"
META_GRAPH = "https://w3id.org/casec/graph/meta"

PREFIXES: dict[str, str] = {
    "casec": CASEC,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "bibo": "http://purl.org/ontology/bibo/",
    "src": SOURCE,
    "st": STATEMENT,
    "state": ID + "state/",
    "orgn": ID + "org/",
    "body": ID + "body/",
    "agreement": ID + "agreement/",
    "event": ID + "event/",
    "threat": ID + "threat/",
    "person": ID + "person/",
    "place": ID + "place/",
    "post": ID + "post/",
    "initiative": ID + "initiative/",
}


def sparql_prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
