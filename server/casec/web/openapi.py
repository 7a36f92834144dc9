"""The OpenAPI 3.1 description of casec's HTTP interface (served at ``/openapi.json``)."""

from __future__ import annotations

from casec.web.linked_data_api import LINKED_DATA_PATHS

_QUERY_PARAMS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL 1.1 query"},
    {
        "name": "default-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "a graph the dataset holds, as default graph",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "a graph the dataset holds, as named graph",
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string"},
        "description": "json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT/DESCRIBE)",
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
    "406": {"description": "no acceptable result format"},
    "413": {"description": "request body larger than the limit"},
    "415": {"description": "unsupported Content-Type"},
    "422": {"description": "result larger than the row limit"},
    "503": {"description": "query stopped at the time limit"},
}

PATHS: dict[str, dict] = {
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
                        "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
                    },
                    "application/sparql-query": {"schema": {"type": "string"}},
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


_NETWORK_FILTERS = [
    {
        "name": "year",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1800, "maximum": 2100},
        "description": "only what the sources say held in that year (casec:fromYear <= year <= casec:toYear)",
    },
    {
        "name": "relations",
        "in": "query",
        "schema": {"type": "string"},
        "description": "comma-separated relation types (membership, body-of, co-party, co-participation, borders, "
        "predecessor-of, cooperates-with, rival-of, military-presence, leads, participation) or 'all'; "
        "default: all but leads and participation",
    },
    {
        "name": "organization",
        "in": "query",
        "schema": {"type": "string"},
        "description": "only this organization, its members and bodies (IRI, org/slug or slug)",
    },
    {
        "name": "source",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "only statements from these sources (IRI or file stem)",
    },
]
_NETWORK_ERRORS = {
    "400": {"description": "malformed filter (year, relation, radius, limit)"},
    "404": {"description": "unknown entity or source"},
}


def _network_get(summary: str, content: dict, parameters: list | None = None) -> dict:
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
            [{"name": "evidence", "in": "query", "schema": {"type": "boolean"}}],
        ),
        "/graph.graphml": _network_get("the network as GraphML", {"application/graphml+xml": {}}),
        "/graph.gexf": _network_get("the network as GEXF 1.2 (Gephi)", {"application/gexf+xml": {}}),
        "/graph.csv": _network_get("the network as a CSV edge list", {"text/csv": {}}),
        "/graph/path": _network_get(
            "shortest connections between two entities, each hop with its statements and quotes",
            {"application/json": {}},
            [
                {"name": "from", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "to", "in": "query", "required": True, "schema": {"type": "string"}},
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
                    "schema": {"type": "string", "enum": ["json", "graphml", "gexf", "csv"]},
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
                "summary": "memberships over time, one row per state (HTML with SVG)",
                "parameters": [
                    {"name": "organization", "in": "query", "schema": {"type": "string"}},
                    {"name": "state", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "HTML page"}, "404": {"description": "unknown entity"}},
            }
        },
    }
)

PATHS.update(LINKED_DATA_PATHS)


def openapi_document(server_url: str) -> dict:
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
