"""The IRIs casec mints, the vocabularies it reuses (the one place their namespaces are written), and the
controlled lists the ontology states (read from the store that holds it, never repeated in code)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

MINTED = "https://w3id.org/casec/"  # every IRI casec mints starts so
CASEC = MINTED + "ontology#"
ONTOLOGY_IRI = MINTED + "ontology"
ID = MINTED + "id/"
SOURCE = ID + "source/"
STATEMENT = ID + "statement/"
PERIOD = ID + "period/"
# In an external store, what the embedded store keeps in its default graph (ontology, entities,
# derived edges) lives in this named graph, and casec's load metadata in the next one.
BASE_GRAPH = MINTED + "graph/base"
META_GRAPH = MINTED + "graph/meta"

# The W3C and other vocabularies casec reuses.
NS: dict[str, str] = {
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
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
}
RDF, RDFS, OWL, XSD, SKOS, ORG, PROV, OA, DCTERMS, FOAF = (
    NS[p] for p in ("rdf", "rdfs", "owl", "xsd", "skos", "org", "prov", "oa", "dcterms", "foaf")
)
BIBO, DCAT, SD, SH, VOID, FORMATS = (NS[p] for p in ("bibo", "dcat", "sd", "sh", "void", "formats"))
SHAPES = MINTED + "shapes#"  # the SHACL shapes' own names
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# what the meta graph says of the data: its version, and each named graph casec loaded
DATA_VERSION, LOADED_GRAPH = OWL + "versionInfo", DCTERMS + "hasPart"

PREFIXES: dict[str, str] = {
    "casec": CASEC,
    **{p: NS[p] for p in ("rdf", "rdfs", "owl", "xsd", "skos", "org", "prov", "oa", "dcterms", "foaf", "bibo")},
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
    "period": PERIOD,
}


def sparql_prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


# Where this server answers casec's IRIs: (IRI, path), longest first; an IRI ending in / or # is a namespace
# (its terms are answered under the path), any other is answered alone.
LOCAL_PATHS: tuple[tuple[str, str], ...] = ((ID, "/id/"), (CASEC, "/ontology#"), (ONTOLOGY_IRI, "/ontology"))


def local_path(iri: str) -> str | None:
    """The root-relative path this server answers a casec IRI at (``…/id/state/kazakhstan`` →
    ``/id/state/kazakhstan``, ``…/ontology#Membership`` → ``/ontology#Membership``); None for any other IRI."""
    for base, path in LOCAL_PATHS:
        if iri == base or (base.endswith(("/", "#")) and iri.startswith(base)):
            return path + iri[len(base) :]
    return None


def local_url(iri: str) -> str:
    """Where to link ``iri``: its path here if it is casec's, any other IRI unchanged."""
    return local_path(iri) or iri


def kind_of(iri: str) -> str:
    """The kind segment of a casec IRI (``state``, ``org``, ``statement`` …); "" for any other IRI."""
    return iri[len(ID) :].split("/", 1)[0] if iri.startswith(ID) else ""


# ---- controlled lists the ontology states ------------------------------------------------------------------------


class Selects(Protocol):
    def select(self, sparql: str) -> Iterable[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Role:
    """A membership role of the ontology's controlled list (casec:MembershipRoles)."""

    iri: str
    label: str
    status: str  # the role its periods carry: the role's skos:broader if it has one (founding member -> member)
    cow_code: int | None  # the membership panel's code (casec:cowCode)
    exclusive: bool  # casec:exclusive
    order: int  # casec:displayOrder


ROLES_QUERY = f"""PREFIX casec: <{CASEC}>
PREFIX skos: <{NS["skos"]}>
PREFIX rdfs: <{NS["rdfs"]}>
SELECT ?role ?label ?broader ?cow ?exclusive ?order WHERE {{
  ?role a casec:MembershipRole ; rdfs:label ?label .
  FILTER (LANGMATCHES(LANG(?label), "en"))
  OPTIONAL {{ ?role skos:broader ?broader }}
  OPTIONAL {{ ?role casec:cowCode ?cow }}
  OPTIONAL {{ ?role casec:exclusive ?exclusive }}
  OPTIONAL {{ ?role casec:displayOrder ?order }}
}}"""


def membership_roles(store: Selects) -> dict[str, Role]:
    """The membership roles, as the ontology in ``store`` states them, by IRI, in display order. A store serving
    other data (``casec serve --data``) may not hold casec's ontology: its roles are then the bundled ontology's."""
    return _roles(store.select(ROLES_QUERY)) or _bundled_roles()


def _roles(rows: Iterable[Mapping[str, Any]]) -> dict[str, Role]:
    roles = []
    for row in rows:
        iri = row["role"].value
        broader = row["broader"].value if row["broader"] is not None else iri
        cow = int(row["cow"].value) if row["cow"] is not None else None
        exclusive = row["exclusive"] is not None and row["exclusive"].value in ("true", "1")
        order = int(row["order"].value) if row["order"] is not None else 99
        roles.append(Role(iri, row["label"].value, broader, cow, exclusive, order))
    return {role.iri: role for role in sorted(roles, key=lambda r: (r.order, r.label))}


@functools.cache
def _bundled_roles() -> dict[str, Role]:
    import pyoxigraph as ox

    from casec.bundle import default_bundle

    ontology = ox.Store()
    for path in default_bundle().ontology_files():
        ontology.load(path=path, format=ox.RdfFormat.TURTLE)
    return _roles(ontology.query(ROLES_QUERY))  # type: ignore[arg-type]
