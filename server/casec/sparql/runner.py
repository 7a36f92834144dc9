"""Run a query with a time limit and a row limit, in a child process that can be killed.

Neither engine can interrupt a running query (``../shared/PLATFORM.md``), so
each query runs in an executor process forked from the one that holds the
store (sharing it copy-on-write) and confined by :mod:`casec.sandbox` (no
network, a memory cap, dies with its parent). Forking per query costs ~5 ms
here, so executors are kept and reused; one that overruns its deadline is
killed, which really frees its CPU, and a fresh one is forked for the next
query.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from casec.errors import Refusal, StoreUnavailable
from casec.sparql.guard import syntax_error
from casec.sparql.result_formats import BY_NAME
from casec.sparql.sandbox import Confinement, confine
from casec.store.interface import EVERYWHERE, GraphStore, Scope
from casec.vocab import PREFIXES

_MEMORY = (422, "the query needed more memory than this server allows per query; narrow it")


class QueryFailed(Refusal):
    """The query did not produce a complete answer."""


@dataclass(frozen=True)
class QueryJob:
    sparql: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE, as the guard read it
    result_format: str  # a name in result_formats.BY_NAME (pyoxigraph's format objects do not pickle)
    scope: Scope = EVERYWHERE
    column_order: tuple[str, ...] | None = None


class _RowCap(io.RawIOBase):
    """Collects serialized lines and stops the serializer once there are more than ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.lines += bytes(chunk).count(b"\n")
        self.data += chunk
        if self.lines > self.limit:
            raise OverflowError
        return len(chunk)


def execute(store: GraphStore, job: QueryJob, max_rows: int) -> bytes:
    """Evaluate ``job`` and serialize it; raises QueryFailed. Runs inside an executor.

    Rows are serialized as TSV / N-Triples first (one line per row, header aside) so that the row limit
    stops the engine early; then converted, losslessly, to the format asked for."""
    wanted = BY_NAME[job.result_format]
    try:
        if job.form == "ASK":
            as_json = b'{"head":{},"boolean":%s}' % (b"true" if store.ask(job.sparql, job.scope) else b"false")
            if wanted.results in (None, ox.QueryResultsFormat.JSON):
                return as_json
            return ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON).serialize(format=wanted.results)
        if job.form == "SELECT":
            cap = _RowCap(max_rows + 1)
            store.select(job.sparql, job.scope).serialize(cap, format=ox.QueryResultsFormat.TSV)
            table = _reorder(bytes(cap.data), job.column_order) if job.column_order else bytes(cap.data)
            if wanted.results == ox.QueryResultsFormat.TSV:
                return table
            return ox.parse_query_results(table, format=ox.QueryResultsFormat.TSV).serialize(format=wanted.results)
        cap = _RowCap(max_rows)
        ox.serialize(store.construct(job.sparql, job.scope), cap, format=ox.RdfFormat.N_TRIPLES)
        triples = (quad.triple for quad in ox.parse(bytes(cap.data), format=ox.RdfFormat.N_TRIPLES))
        return ox.serialize(triples, format=wanted.rdf, prefixes=_prefixes(wanted.rdf))
    except OverflowError:
        raise QueryFailed(
            422, f"the result has more than {max_rows} rows, the limit on this server: add LIMIT to the query"
        ) from None
    except SyntaxError as error:
        raise QueryFailed(400, _parse_error(job.sparql, str(error))) from None
    except StoreUnavailable as error:
        raise QueryFailed(503, str(error)) from None
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        raise QueryFailed(400, f"the query failed: {error}") from None


# Oxigraph's parser: "error at 1:38: expected one of …", the column counted in characters from 1, often one
# past the end; its lists of what was expected carry "[_]" (any character) and character ranges nobody can use
_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHARACTER_CLASS = re.compile(r"\[[^\]]*\](?:, )?")


def _parse_error(sparql: str, message: str) -> str:
    """The engine's parse error as casec words them (see :func:`casec.sparql.guard.syntax_error`). An external
    store words its own (Virtuoso: "SP030: SPARQL compiler, line 1: syntax error at …"); Oxigraph's parser,
    asked in this confined process, then finds the spot, and when it finds none the store's words stand."""
    found = _OXIGRAPH_ERROR.match(message)
    if found is None:
        try:
            ox.Store().query(sparql)  # an empty store: parsing is the work; the executor's time limit bounds the rest
        except SyntaxError as error:
            found = _OXIGRAPH_ERROR.match(str(error))
        except (OSError, RuntimeError, ValueError, TypeError):
            pass
    if found is None:
        return f"the query does not parse: {message}"
    line, column, expected = int(found[1]), int(found[2]), found[3]
    lines = sparql.split("\n")
    position = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    expected = _CHARACTER_CLASS.sub("", " ".join(expected.split())).strip().rstrip(",")
    if expected in ("expected", "expected one of"):  # nothing left but character classes
        expected = "this is not valid SPARQL here"
    return syntax_error(sparql, position, expected)


def _reorder(tsv: bytes, order: tuple[str, ...]) -> bytes:
    """Put the columns of a TSV result in ``order`` (tabs and newlines inside values are escaped in TSV)."""
    lines = tsv.split(b"\n")
    header = lines[0].split(b"\t")
    wanted = [b"?" + name.encode() for name in order]
    if sorted(header) != sorted(wanted) or header == wanted:
        return tsv
    index = [header.index(name) for name in wanted]
    reordered = [b"\t".join(cells[i] for i in index) for cells in (line.split(b"\t") for line in lines if line)]
    return b"\n".join(reordered) + b"\n"


def _prefixes(rdf_format: ox.RdfFormat | None) -> dict[str, str] | None:
    return dict(PREFIXES) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None


def _executor_main(connection: Connection, store: GraphStore, max_rows: int) -> None:
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the process that owns us is gone
        try:
            connection.send(("ok", execute(store, job, max_rows)))
        except QueryFailed as failure:
            connection.send(("error", failure.status, failure.message))
        except MemoryError:
            connection.send(("error", *_MEMORY))


class _Executor:
    """A forked child holding the store copy-on-write, confined by :mod:`casec.sandbox`, fed over a socket pair."""

    def __init__(self, store: GraphStore, max_rows: int, confinement: Confinement) -> None:
        ours, theirs = socket.socketpair()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the executor: it never returns from here
            status = 0
            try:
                ours.close()
                confine(confinement, theirs.fileno(), parent)
                _executor_main(Connection(theirs.detach()), store, max_rows)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        theirs.close()
        self.connection = Connection(ours.detach())

    def kill(self) -> int:
        """Stop the executor; return how it ended (a wait status)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.connection.close()
        return os.waitpid(self.pid, 0)[1]


class QueryRunner:
    """A pool of executors for one process; safe to share between threads."""

    def __init__(
        self, store: GraphStore, timeout: float, max_rows: int, confinement: Confinement | None = None
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.confinement = confinement or Confinement()
        self._idle: list[_Executor] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def run(self, job: QueryJob) -> bytes:
        executor = self._take()
        try:
            executor.connection.send(job)
            if not executor.connection.poll(self.timeout):
                executor.kill()
                raise QueryFailed(
                    503,
                    f"the query was stopped after {self.timeout:g} s, the time limit on this server; "
                    "no partial results are given. Narrow the query (LIMIT, more specific patterns).",
                )
            reply = executor.connection.recv()
        except (EOFError, OSError):
            raise self._died(executor.kill()) from None
        self._give_back(executor)
        if reply[0] == "ok":
            return reply[1]
        raise QueryFailed(reply[1], reply[2])

    def _died(self, wait_status: int) -> QueryFailed:
        """The executor died mid-query: past its memory limit (an allocation failed and the engine aborted), or
        the engine crashed."""
        signalled = os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGABRT
        if signalled and self.confinement.memory is not None:
            return QueryFailed(
                _MEMORY[0],
                f"the query needed more than {self.confinement.memory // 2**20} MB of memory, the limit per query "
                "on this server; narrow it (LIMIT, more specific patterns, fewer ORDER BY / GROUP BY rows)",
            )
        return QueryFailed(503, "the query engine stopped unexpectedly; please try again")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for executor in idle:
            executor.kill()

    def _take(self) -> _Executor:
        with self._lock:
            if self._pid != os.getpid():  # forked (a gunicorn worker): the executors belong to the parent
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return _Executor(self.store, self.max_rows, self.confinement)

    def _give_back(self, executor: _Executor) -> None:
        with self._lock:
            self._idle.append(executor)
