"""Put casec's graphs into an external store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each graph is replaced whole with ``PUT`` (so loading twice leaves the same
data), source graphs the bundle no longer has are deleted, and the data
version and the list of graphs are written last (in the meta graph), so a store
whose version matches holds exactly that version. A failure stops the load and says which graphs were already replaced.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from casec.store.embedded import EmbeddedStore
from casec.store.load import DataFile
from casec.store.remote import SparqlHttpStore
from casec.store.virtuoso import VirtuosoAdmin
from casec.vocab import BASE_GRAPH, DATA_VERSION, LOADED_GRAPH, META_GRAPH


@dataclass
class PushReport:
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    triples: int = 0
    version: str = ""


class PushFailed(RuntimeError):
    def __init__(self, graph: str, reason: str, report: PushReport) -> None:
        done = ", ".join(report.replaced) or "none"
        super().__init__(
            f"loading graph <{graph}> failed: {reason}. Graphs already replaced: {done}. "
            "The other graphs still hold their previous data; run the load again."
        )
        self.report = report


class GraphStoreClient:
    """PUT and DELETE whole graphs at a Graph Store Protocol endpoint (``?graph=IRI``).

    With a user, each request first asks for the server's digest challenge with a bodiless GET and
    then sends the body once, already authorized: a server that answers a large unauthorized body
    with 401 closes the connection mid-upload (Virtuoso does), which would otherwise fail the load.
    """

    def __init__(self, url: str, user: str | None = None, password: str | None = None, timeout: float = 300) -> None:
        self.url = url
        self.timeout = timeout
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, user, password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(passwords)

    def put(self, graph: str, ntriples: bytes) -> None:
        self._send("PUT", graph, ntriples)

    def delete(self, graph: str) -> None:
        self._send("DELETE", graph, None)

    def _send(self, method: str, graph: str, body: bytes | None) -> None:
        target = f"{self.url}{'&' if '?' in self.url else '?'}{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        request = urllib.request.Request(target, data=body, method=method, headers=headers)
        try:
            if self._digest is not None:
                self._authorize(request)
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            if method == "DELETE" and error.code == 404:
                return
            detail = error.read().decode("utf-8", "replace")[:300]
            raise RuntimeError(f"{method} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise RuntimeError(f"{method} could not reach {self.url}: {error}") from None

    def _authorize(self, request: urllib.request.Request) -> None:
        assert self._digest is not None
        probe = urllib.request.Request(request.full_url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout) as response:
                response.read()
            return  # no authentication asked for
        except urllib.error.HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "")
            error.read()
            if error.code != 401 or not challenge.lower().startswith("digest "):
                return  # let the real request report what is wrong
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[len("digest ") :]))
        authorization = self._digest.get_authorization(request, fields)
        if authorization:
            request.add_unredirected_header("Authorization", f"Digest {authorization}")


def graphs_of(store: ox.Store) -> dict[str, list[ox.Quad]]:
    """The embedded store's quads by the graph they go to in an external store."""
    graphs: dict[str, list[ox.Quad]] = {BASE_GRAPH: []}  # always replaced, even when empty
    for quad in store:
        name = BASE_GRAPH if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, []).append(quad)
    return graphs


def push(
    files: list[DataFile],
    client: GraphStoreClient,
    query_endpoint: SparqlHttpStore,
    progress: Callable[[str], None] = lambda _: None,
    virtuoso: VirtuosoAdmin | None = None,
) -> PushReport:
    """Replace casec's graphs; on Virtuoso (``virtuoso``) also let its anonymous endpoint read them and only
    them (:mod:`casec.store.virtuoso`), before the new version is published in the meta graph."""
    embedded = EmbeddedStore(files)
    report = PushReport(version=embedded.data_version())
    graphs = graphs_of(embedded.oxigraph)
    for name in sorted(graphs, key=lambda g: (g != BASE_GRAPH, g)):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in graphs[name]]
        try:
            client.put(name, _n_triples(triples))
        except RuntimeError as error:
            raise PushFailed(name, str(error), report) from None
        report.replaced.append(name)
        report.triples += len(triples)
        progress(f"replaced <{name}>: {len(triples)} triples")
    if virtuoso is not None:
        try:
            virtuoso.only_granted_graphs_readable()  # Virtuoso wants it first; unchanged after the first load
            for name in [*sorted(graphs), META_GRAPH]:
                virtuoso.grant_read(name)
        except RuntimeError as error:
            raise PushFailed(META_GRAPH, f"granting read access: {error}", report) from None
        progress(f"the anonymous endpoint reads casec's {len(graphs) + 1} graphs only")
    for stale in sorted(query_endpoint.graph_names() - set(graphs) - {BASE_GRAPH}):
        try:
            client.delete(stale)
            if virtuoso is not None:
                virtuoso.revoke(stale)
        except RuntimeError as error:
            raise PushFailed(stale, str(error), report) from None
        report.deleted.append(stale)
        progress(f"deleted <{stale}>: no longer in the data")
    meta = ox.NamedNode(META_GRAPH)
    version, loaded = ox.NamedNode(DATA_VERSION), ox.NamedNode(LOADED_GRAPH)
    about = [ox.Triple(meta, version, ox.Literal(report.version))]
    about += [ox.Triple(meta, loaded, ox.NamedNode(name)) for name in sorted(graphs) if name != BASE_GRAPH]
    try:
        client.put(META_GRAPH, _n_triples(about))
    except RuntimeError as error:
        raise PushFailed(META_GRAPH, str(error), report) from None
    progress(f"data version {report.version}")
    return report


def _n_triples(triples: list[ox.Triple]) -> bytes:
    # pyoxigraph's stubs type serialize() as ``bytes | None`` with no overload; without an output it returns bytes
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
