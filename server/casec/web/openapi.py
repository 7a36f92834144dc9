"""The OpenAPI 3.1 description of casec's HTTP interface (served at ``/openapi.json``)."""

from __future__ import annotations

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
            "summary": "home: what the graph holds, and the query editor",
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


def openapi_document(server_url: str) -> dict:
    from .. import __version__

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
