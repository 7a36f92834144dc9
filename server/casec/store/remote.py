"""A :class:`~casec.store.GraphStore` on an external SPARQL 1.1 server (Virtuoso, Oxigraph server, …).

Queries go over the SPARQL 1.1 Protocol. ``casec load --into`` puts the data
there in named graphs (:mod:`casec.graph_push`): the embedded default graph
becomes ``BASE_GRAPH`` and each source keeps its graph. Every query is sent
with an explicit dataset — the default graph is the union of casec's graphs,
the named graphs are the sources — so the server's own graphs (Virtuoso's
system graphs) never leak in and answers match the embedded store's.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from casec.errors import StoreUnavailable
from casec.store.interface import EVERYWHERE, Scope
from casec.vocab import BASE_GRAPH, META_GRAPH

SCHEME = "sparql+"
_RESULTS = "application/sparql-results+xml"  # Virtuoso's JSON uses the pre-standard "typed-literal"
_GRAPH_TYPES = ("application/n-triples", "text/turtle", "text/plain")
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"  # one family per request: Virtuoso 406s on a mix


def _plain_blank_nodes(xml: bytes) -> bytes:
    """Virtuoso labels blank nodes ``nodeID://b123``, which is not a blank node label; keep ``b123``."""
    return xml.replace(b"<bnode>nodeID://", b"<bnode>")


class SparqlHttpStore:
    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.endpoint = url.removeprefix(SCHEME)
        if not self.endpoint.startswith(("http://", "https://")):
            raise ValueError(f"an external store is given as sparql+http://HOST:PORT/PATH, not {url!r}")
        self.timeout = timeout
        self._graph_names: set[str] | None = None

    def select(self, sparql: str, scope: Scope = EVERYWHERE) -> ox.QuerySolutions:
        body = self._ask_for(sparql, scope, _RESULTS)
        return ox.parse_query_results(_plain_blank_nodes(body), format=ox.QueryResultsFormat.XML)  # type: ignore[return-value]

    def ask(self, sparql: str, scope: Scope = EVERYWHERE) -> bool:
        body = self._ask_for(sparql, scope, _RESULTS)
        return bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))

    def construct(self, sparql: str, scope: Scope = EVERYWHERE) -> list[ox.Triple]:
        body = self._ask_for(sparql, scope, _GRAPH_ACCEPT)
        return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.TURTLE, base_iri=scope.base_iri)]

    def _ask_for(self, sparql: str, scope: Scope, accept: str) -> bytes:
        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (scope.prefixes or {}).items())
        params: list[tuple[str, str]] = [("query", prologue + sparql)]
        if scope.default_graphs is not None or scope.named_graphs is not None:
            params += [("default-graph-uri", g) for g in scope.default_graphs or []]
            params += [("named-graph-uri", g) for g in scope.named_graphs or []]
        elif scope.union_default_graph:
            sources = sorted(self.graph_names())
            params += [("default-graph-uri", g) for g in [BASE_GRAPH, *sources]]
            params += [("named-graph-uri", g) for g in sources]
        content_type, body = self._post(params, accept)
        expected = _GRAPH_TYPES if accept == _GRAPH_ACCEPT else (_RESULTS,)
        if not content_type.startswith(expected):
            raise StoreUnavailable(f"the store answered with an unexpected media type {content_type!r}")
        return body

    def graph_names(self) -> set[str]:
        """The named graphs ``casec load`` put there (listed in the meta graph), not the server's own."""
        if self._graph_names is None:
            parts = f"<{META_GRAPH}> <http://purl.org/dc/terms/hasPart> ?g"
            query = f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ {parts} }} }}"
            _, body = self._post([("query", query)])
            rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            self._graph_names = {row["g"].value for row in rows}  # type: ignore[union-attr]
        return self._graph_names

    def data_version(self) -> str | None:
        """What ``casec load`` recorded as the version of the data it pushed."""
        version_of = f"<{META_GRAPH}> <http://www.w3.org/2002/07/owl#versionInfo> ?v"
        query = f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ {version_of} }} }}"
        _, body = self._post([("query", query)])
        rows = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))  # type: ignore[arg-type]
        return rows[0]["v"].value if rows else None

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)  # type: ignore[index,arg-type]

    def _post(self, params: list[tuple[str, str]], accept: str = _RESULTS) -> tuple[str, bytes]:
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(
            self.endpoint,
            data=data,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if response.headers.get("X-SPARQL-MaxRows"):
                    raise StoreUnavailable(
                        "the store cut the result at its own row limit "
                        f"({response.headers['X-SPARQL-MaxRows']} rows); raise it (Virtuoso: ResultSetMaxRows)"
                    )
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace").strip()[:500]
            if error.code == 400:  # SPARQL Protocol: the query does not parse (or is otherwise malformed)
                raise SyntaxError(f"(the store says) {message}") from None
            if 400 <= error.code < 500:
                raise ValueError(f"the store refused the query ({error.code}): {message}") from None
            raise StoreUnavailable(f"the store failed ({error.code}): {message}") from None
        except (urllib.error.URLError, OSError) as error:
            raise StoreUnavailable(f"the store at {self.endpoint} is unreachable: {error}") from None
        except http.client.HTTPException as error:  # a reply cut off, or one Python's HTTP client refuses
            raise StoreUnavailable(f"the store at {self.endpoint} gave an unreadable answer: {error!r}") from None
