"""The OpenAPI 3.1 description of casec's HTTP interface (served at ``/openapi.json``).

It says what the server accepts as exactly as JSON Schema can (the relation names, the years, the
formats), and every status it answers with; ``tests/test_openapi.py`` holds the two together with
schemathesis. What JSON Schema cannot say (that a query parses, that a name resolves) is in the
descriptions, and answered with the 400 or 404 listed.
"""

from __future__ import annotations

import re

from casec.network.exports import FORMATS as NETWORK_FORMATS
from casec.network.filters import YEARS
from casec.network.relations import RELATIONS
from casec.web.linked_data_api import LINKED_DATA_PATHS, JsonObject

_IRI = {"type": "string", "format": "iri"}
_QUERY_PARAMS = [
    {
        "name": "query",
        "in": "query",
        "schema": {"type": "string", "minLength": 1},
        "description": "a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE); one that does not parse is a 400 "
        "naming the line and column. Without it, GET answers with the service description.",
        "examples": {"ask": {"value": "ASK { ?s ?p ?o }"}},
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": _IRI},
        "explode": True,
        "description": "a graph, as default graph (one the dataset does not hold is empty; never fetched)",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": _IRI},
        "explode": True,
        "description": "a graph, as named graph (one the dataset does not hold is empty; never fetched)",
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string"},
        "description": "json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT/DESCRIBE), or "
        "a media type; wins over Accept. A format only other queries have is a 406; a value that names no "
        "format at all is ignored: Accept decides.",
    },
]
_RESULTS = {
    "200": {
        "description": "query results (or, without query, the service description)",
        "content": {
            t: {}
            for t in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
                "text/turtle",
                "application/n-triples",
                "application/ld+json",
                "application/rdf+xml",
            )
        },
    },
    "400": {"description": "malformed query or request; the message gives the parser's position"},
    "403": {"description": "update, SERVICE or LOAD refused: the endpoint is read-only and never reaches out"},
    "404": {"description": "FROM or FROM NAMED names a graph the dataset does not hold"},
    "406": {"description": "no acceptable result format"},
    "413": {"description": "request body larger than the limit"},
    "415": {"description": "unsupported Content-Type"},
    "422": {"description": "result larger than the row limit"},
    "503": {"description": "query stopped at the time limit, or the store is out of reach"},
}

PATHS: dict[str, JsonObject] = {
    "/sparql": {
        "get": {
            "summary": "SPARQL query by GET, or the service description",
            "parameters": _QUERY_PARAMS,
            "responses": _RESULTS,
        },
        "post": {
            "summary": "SPARQL query by POST (form-encoded or application/sparql-query)",
            "parameters": _QUERY_PARAMS[1:],
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"query": {"type": "string", "minLength": 1}},
                            "required": ["query"],
                        }
                    },
                    "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
                }
            },
            "responses": _RESULTS,
        },
    },
    "/": {
        "get": {
            "summary": "home: search, the questions researchers ask most, the sources, what the graph holds",
            "responses": {"200": {"description": "HTML page"}},
        }
    },
    "/healthz": {
        "get": {
            "summary": "liveness and store reachability",
            "responses": {"200": {"description": "healthy"}, "503": {"description": "store unreachable"}},
        }
    },
    "/openapi.json": {"get": {"summary": "this document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
}


_RELATION = "(?:" + "|".join(re.escape(name) for name in RELATIONS) + ")"
# a name that must resolve (else 404): something besides white space, as Python and ECMAScript both read it
_NAME = {"type": "string", "pattern": r"[^\s\x1c-\x1f\x85]"}
_NAME_OR_NOTHING = {"type": "string", "pattern": "^$|" + _NAME["pattern"]}
_YEAR = "(?:" + "|".join(str(year) for year in range(YEARS[0], YEARS[1] + 1)) + ")"
_NETWORK_FILTERS = [
    {
        "name": "year",
        "in": "query",
        "schema": {"type": "string", "pattern": f"^(?:{_YEAR}|all|)$"},
        "description": f"only what the sources say held in that year, from {YEARS[0]} to {YEARS[1]} "
        "(casec:fromYear <= year <= casec:toYear); empty or 'all': every year",
    },
    {
        "name": "relations",
        "in": "query",
        "schema": {"type": "string", "pattern": f"^(?:all|{_RELATION}(?:[ ,]+{_RELATION})*)?$"},
        "description": "relation types separated by commas or spaces (" + ", ".join(RELATIONS) + ") or 'all'; "
        "default: all but leads and participation",
    },
    {
        "name": "organization",
        "in": "query",
        "schema": {"type": "string"},
        "description": "only these organizations (comma-separated), their members and bodies (IRI, org/slug or slug)",
    },
    {
        "name": "source",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "only statements from these sources (IRI, file stem or the start of one; blanks ignored)",
    },
]
_NETWORK_ERRORS = {
    "400": {"description": "malformed filter (year, relation, radius, limit), or an ambiguous name"},
    "404": {"description": "unknown entity or source"},
}


def _network_get(summary: str, content: JsonObject, parameters: list[JsonObject] | None = None) -> JsonObject:
    return {
        "get": {
            "summary": summary,
            "parameters": (parameters or []) + _NETWORK_FILTERS,
            "responses": {"200": {"description": summary, "content": content}, **_NETWORK_ERRORS},
        }
    }


PATHS.update(
    {
        "/graph.json": _network_get(
            "the network as node-link JSON (networkx); evidence=1 adds every statement's quotes",
            {"application/json": {}},
            [
                {
                    "name": "evidence",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "1, true, yes or on: each statement's quotes too; any other value: without",
                }
            ],
        ),
        "/graph.graphml": _network_get("the network as GraphML", {"application/graphml+xml": {}}),
        "/graph.gexf": _network_get(
            "the network as GEXF 1.2 (Gephi), dynamic: each edge a spell per run of years it holds",
            {"application/gexf+xml": {}},
        ),
        "/graph.csv": _network_get("the network as a CSV edge list", {"text/csv": {}}),
        "/graph/path": _network_get(
            "shortest connections between two entities, each hop with its statements and quotes",
            {"application/json": {}},
            [
                {"name": "from", "in": "query", "required": True, "schema": _NAME},
                {"name": "to", "in": "query", "required": True, "schema": _NAME},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
            ],
        ),
        "/graph/ego/{kind}/{slug}": _network_get(
            "an entity's neighbourhood (node-link JSON with quotes, or format=graphml|gexf|csv)",
            {"application/json": {}, "application/graphml+xml": {}, "application/gexf+xml": {}, "text/csv": {}},
            [
                {"name": "kind", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "radius", "in": "query", "schema": {"type": "integer", "enum": [1, 2]}},
                {
                    "name": "format",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(NETWORK_FORMATS)},
                },
            ],
        ),
        "/graph/metrics": _network_get(
            "degree, betweenness and eigenvector centrality and Louvain communities per node",
            {"application/json": {}, "text/csv": {}},
            [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}],
        ),
        "/graph/metrics.csv": _network_get("the metrics as CSV", {"text/csv": {}}),
        "/network": {
            "get": {
                "summary": "the interactive network (HTML)",
                "responses": {"200": {"description": "HTML page"}},
            }
        },
        "/timeline": {
            "get": {
                "summary": "memberships over time by organization, a row per member, stretches with their basis (HTML)",
                "parameters": [
                    {"name": "organization", "in": "query", "schema": {"type": "array", "items": _NAME_OR_NOTHING}},
                    {"name": "state", "in": "query", "schema": {"type": "array", "items": _NAME_OR_NOTHING}},
                ],
                "responses": {
                    "200": {"description": "HTML page"},
                    "400": {"description": "an ambiguous name"},
                    "404": {"description": "unknown entity"},
                },
            }
        },
        "/conflicts": {
            "get": {
                "summary": "where the sources disagree: one entry per disagreement, each claim with its quotes",
                "parameters": [
                    {
                        "name": "format",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["", "html", "json"]},
                        "description": "html or json; empty or absent: by the Accept header",
                    }
                ],
                "responses": {
                    "200": {"description": "HTML page or JSON", "content": {"text/html": {}, "application/json": {}}},
                    "400": {"description": "a format other than html or json"},
                    "406": {"description": "neither HTML nor JSON is acceptable"},
                },
            }
        },
        "/conflicts.json": {
            "get": {
                "summary": "the disagreements as JSON (as casec conflicts --format json)",
                "responses": {"200": {"description": "JSON", "content": {"application/json": {}}}},
            }
        },
    }
)

PATHS.update(LINKED_DATA_PATHS)


def openapi_document(server_url: str) -> JsonObject:
    from casec import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "casec — the Central Asian security knowledge graph",
            "version": __version__,
            "description": "A read-only SPARQL 1.1 endpoint and linked-data server; every fact is traced to a quote.",
        },
        "servers": [{"url": server_url}],
        "paths": PATHS,
    }
