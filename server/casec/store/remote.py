"""A :class:`~casec.store.GraphStore` on an external SPARQL 1.1 server (Virtuoso, Oxigraph server).

Queries go over the SPARQL 1.1 Protocol. ``casec load --into`` puts the data there in named graphs
(:mod:`casec.store.push`): casec's default graph becomes ``BASE_GRAPH``, each source keeps its graph, and
the meta graph records the data version and the graphs loaded. Each server is asked for what it does best
(``deploy/README.md``): its *own* default graph is the union of casec's graphs (Oxigraph: ``serve
--union-default-graph``; Virtuoso: the anonymous endpoint may read casec's graphs only, which ``casec
load`` grants), so a query goes out with no list of graphs, as fast as the server answers its own users.

Answers are streamed: rows are parsed as they arrive, so the row limit stops the download. The time
limit goes to the server too (Virtuoso's ``timeout`` parameter; Oxigraph's ``--timeout-s``), and an answer
the server marks as cut short (Virtuoso's ``X-SQL-State`` / ``X-SPARQL-MaxRows``) is refused, never
passed on as complete.
"""

from __future__ import annotations

import http.client
import io
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import IO, cast

import pyoxigraph as ox

from casec.errors import StoreUnavailable
from casec.store.interface import EVERYWHERE, Scope
from casec.vocab import DATA_VERSION, LOADED_GRAPH, META_GRAPH

SCHEME = "sparql+"
_RESULTS = "application/sparql-results+xml"  # Virtuoso's JSON uses the pre-standard "typed-literal"
_RESULTS_FORMAT = ox.QueryResultsFormat.XML
_GRAPH_TYPES = ("application/n-triples", "text/turtle", "text/plain")
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"  # one family per request: Virtuoso 406s on a mix
RECHECK = 2.0  # seconds between two readings of the meta graph (the data version and the graph list)
GRACE = 1.0  # seconds past the time limit the server's own stop and its answer may take to arrive


class _VirtuosoBlankNodes(io.RawIOBase):
    """Virtuoso labels blank nodes ``nodeID://b123``, which is not a blank node label: keep ``b123``.
    A stream filter, so the answer is still read as it arrives."""

    _OLD, _NEW = b"<bnode>nodeID://", b"<bnode>"

    def __init__(self, raw: io.RawIOBase) -> None:
        self.raw = raw
        self.ready = b""  # filtered bytes not yet handed out
        self.tail = b""  # raw bytes that may be the start of the label prefix, held until more arrives

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        while not self.ready:
            chunk = self.raw.read(65536)
            if not chunk:
                self.ready, self.tail = self.tail, b""
                break
            data = (self.tail + chunk).replace(self._OLD, self._NEW)
            keep = _partial_suffix(data, self._OLD)
            self.ready, self.tail = data[: len(data) - keep], data[len(data) - keep :]
        n = min(len(buffer), len(self.ready))
        buffer[:n] = self.ready[:n]
        self.ready = self.ready[n:]
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _partial_suffix(data: bytes, pattern: bytes) -> int:
    """How many bytes at the end of ``data`` could begin ``pattern`` (kept back until more arrives)."""
    for size in range(min(len(pattern) - 1, len(data)), 0, -1):
        if pattern.startswith(data[-size:]):
            return size
    return 0


class SparqlHttpStore:
    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.endpoint = url.removeprefix(SCHEME)
        if not self.endpoint.startswith(("http://", "https://")):
            raise ValueError(f"an external store is given as sparql+http://HOST:PORT/PATH, not {url!r}")
        self.timeout = timeout
        self._lock = threading.Lock()
        self._meta: tuple[str | None, frozenset[str]] | None = None
        self._meta_read = -RECHECK

    def select(self, sparql: str, scope: Scope = EVERYWHERE) -> ox.QuerySolutions:
        response = self._ask_for(sparql, scope, _RESULTS)  # parsed as it arrives
        return _solutions(ox.parse_query_results(_readable(_VirtuosoBlankNodes(response)), format=_RESULTS_FORMAT))

    def ask(self, sparql: str, scope: Scope = EVERYWHERE) -> bool:
        with self._ask_for(sparql, scope, _RESULTS) as response:
            return bool(ox.parse_query_results(response.read(), format=_RESULTS_FORMAT))

    def construct(self, sparql: str, scope: Scope = EVERYWHERE) -> Iterator[ox.Triple]:
        response = self._ask_for(sparql, scope, _GRAPH_ACCEPT)
        quads = ox.parse(_readable(response), format=ox.RdfFormat.TURTLE, base_iri=scope.base_iri)
        return (quad.triple for quad in quads)

    def _ask_for(self, sparql: str, scope: Scope, accept: str) -> _Guarded:
        """Send the query; only a dataset the *request* names is sent (the server's default graph is already
        the union of casec's graphs, and a query's own FROM clauses speak for themselves)."""
        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (scope.prefixes or {}).items())
        params: list[tuple[str, str]] = [("query", prologue + sparql)]
        params += [("default-graph-uri", g) for g in scope.default_graphs or []]
        params += [("named-graph-uri", g) for g in scope.named_graphs or []]
        response = self._post(params, accept)
        content_type = response.headers.get("Content-Type", "")
        expected = _GRAPH_TYPES if accept == _GRAPH_ACCEPT else (_RESULTS,)
        if not content_type.startswith(expected):
            response.close()
            raise StoreUnavailable(f"the store answered with an unexpected media type {content_type!r}")
        return response

    def graph_names(self) -> set[str]:
        """The named graphs ``casec load`` put there (listed in the meta graph), not the server's own; read
        again with the data version, so sources a later load added are seen by a running server."""
        return set(self._read_meta()[1])

    def data_version(self) -> str | None:
        """What ``casec load`` recorded as the version of the data it pushed."""
        return self._read_meta()[0]

    def _read_meta(self) -> tuple[str | None, frozenset[str]]:
        with self._lock:
            if self._meta is not None and time.monotonic() - self._meta_read < RECHECK:
                return self._meta
        query = f"SELECT ?p ?o WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> ?p ?o }} }}"
        with self._post([("query", query)]) as response:
            rows = list(_solutions(ox.parse_query_results(response.read(), format=_RESULTS_FORMAT)))
        versions: list[str] = [row["o"].value for row in rows if row["p"].value == DATA_VERSION]
        graphs = frozenset[str](row["o"].value for row in rows if row["p"].value == LOADED_GRAPH)
        meta = (versions[0] if versions else None, graphs)
        with self._lock:
            self._meta, self._meta_read = meta, time.monotonic()
        return meta

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)

    def _post(self, params: list[tuple[str, str]], accept: str = _RESULTS) -> _Guarded:
        # Virtuoso stops the query at its own limit (milliseconds) and says so in X-SQL-State; Oxigraph's
        # server has --timeout-s. Either way the server stops too, not only this client.
        params = [*params, ("timeout", str(int(self.timeout * 1000)))]
        deadline = time.monotonic() + self.timeout + GRACE
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(params).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout + GRACE)
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace").strip()[:500]
            if error.code == 400:  # SPARQL Protocol: the query does not parse (or is otherwise malformed)
                raise SyntaxError(f"(the store says) {message}") from None
            if 400 <= error.code < 500:
                raise ValueError(f"the store refused the query ({error.code}): {message}") from None
            if "SR171" in message or "S1TAT" in message:  # Virtuoso's time limit, struck where it answers 500
                raise StoreUnavailable(_past_the_limit(self.timeout)) from None
            raise StoreUnavailable(f"the store failed ({error.code}): {message}") from None
        except TimeoutError:
            raise StoreUnavailable(_past_the_limit(self.timeout)) from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                raise StoreUnavailable(_past_the_limit(self.timeout)) from None
            raise StoreUnavailable(f"the store at {self.endpoint} is unreachable: {error}") from None
        except http.client.HTTPException as error:  # a reply cut off, or one Python's HTTP client refuses
            raise StoreUnavailable(f"the store at {self.endpoint} gave an unreadable answer: {error!r}") from None
        _refuse_partial(response)
        return _Guarded(response, self.endpoint, deadline, self.timeout)


def _readable(stream: io.RawIOBase) -> IO[bytes]:
    """pyoxigraph's stubs ask for ``typing.IO[bytes]``, but its parsers only call ``read``, which every raw
    stream has; typeshed's ``io.RawIOBase`` is not a ``typing.IO``, hence the cast."""
    return cast(IO[bytes], stream)


def _solutions(results: ox.QuerySolutions | ox.QueryBoolean) -> ox.QuerySolutions:
    """The rows of a SELECT answer; a boolean where rows were asked for is the store's fault."""
    if isinstance(results, ox.QueryBoolean):
        raise StoreUnavailable("the store answered a SELECT query with a boolean")
    return results


def _past_the_limit(limit: float) -> str:
    return (
        f"the query was stopped after {limit:g} s, the time limit on this server; no partial results are given. "
        "Narrow the query (LIMIT, more specific patterns)."
    )


def _refuse_partial(response: http.client.HTTPResponse) -> None:
    """Virtuoso answers 200 with what it had when a limit struck, and says so only in headers."""
    state, max_rows = response.headers.get("X-SQL-State"), response.headers.get("X-SPARQL-MaxRows")
    if not state and not max_rows:
        return
    response.close()
    if max_rows:
        raise StoreUnavailable(
            f"the store cut the result at its own row limit ({max_rows} rows); raise it (Virtuoso: ResultSetMaxRows)"
        )
    message = response.headers.get("X-SQL-Message", "").split("Activity:")[0].strip()
    if state == "S1TAT":  # Virtuoso's "anytime query" timeout: what it had found so far, marked in headers
        raise StoreUnavailable(
            "the query was stopped at the time limit on this server; no partial results are given. "
            f"Narrow the query (LIMIT, more specific patterns). (the store says: {message})"
        )
    raise StoreUnavailable(f"the store stopped the query before it was complete ({state}: {message})")


class _Guarded(io.RawIOBase):
    """The response body, with a reply cut off midway reported as the store's failure (not a 500, nor a
    query error). Oxigraph's server, when its ``--timeout-s`` strikes after it began answering, ends the
    200 answer it was streaming with an error message: that is a stopped query, not a broken result."""

    CANCELLED = b"The SPARQL operation has been cancelled"

    def __init__(self, response: http.client.HTTPResponse, endpoint: str, deadline: float, limit: float) -> None:
        self.response = response
        self.headers = response.headers
        self.endpoint = endpoint
        self.deadline, self.limit = deadline, limit  # an answer still arriving past the limit is given up
        self.tail = b""  # the end of the previous chunk, so a marker split between two reads is seen

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if time.monotonic() > self.deadline:
            raise StoreUnavailable(_past_the_limit(self.limit))
        try:
            n = self.response.readinto(buffer)
        except TimeoutError:
            raise StoreUnavailable(_past_the_limit(self.limit)) from None
        except (http.client.HTTPException, OSError) as error:
            raise StoreUnavailable(f"the store at {self.endpoint} gave an unreadable answer: {error!r}") from None
        if n == 0 and buffer and self.response.length:  # http.client leaves a short body to the caller
            raise StoreUnavailable(
                f"the store at {self.endpoint} gave an unreadable answer: it ended "
                f"{self.response.length} bytes short of its Content-Length"
            )
        seen = self.tail + bytes(buffer[:n])
        if self.CANCELLED in seen:
            raise StoreUnavailable(
                "the query was stopped at the time limit on this server; no partial results are given. "
                "Narrow the query (LIMIT, more specific patterns)."
            )
        self.tail = seen[-len(self.CANCELLED) :]
        return n

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := super().read(65536):
                chunks.append(chunk)
            return b"".join(chunks)
        return super().read(size) or b""

    def close(self) -> None:
        self.response.close()
        super().close()
