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
import json
import os
import pickle
import re
import signal
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO, TypeVar, cast

import pyoxigraph as ox

from casec.errors import Refusal, StoreUnavailable
from casec.sparql.guard import syntax_error
from casec.sparql.result_formats import BY_NAME
from casec.sparql.sandbox import Confinement, confine
from casec.store.interface import EVERYWHERE, GraphStore, Scope
from casec.vocab import PREFIXES

T = TypeVar("T")
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


class _TooMany(Exception):
    """More rows than the limit: certain (``certain``) or only possible, where the count was a bound."""

    def __init__(self, certain: bool) -> None:
        self.certain = certain


@dataclass(frozen=True)
class _RowMarks:
    """How to count rows in a serialization without parsing it.

    Each ``exact`` pattern starts exactly one row and never occurs inside a value (in JSON a raw ``"`` is
    always escaped inside strings, so ``,{"`` opens a row; in XML ``<`` is always escaped, so ``<result>``
    does); a ``loose`` pattern starts a row or sits inside a value (``{}``: a row with no bindings, or text;
    a CSV line break: a row, or a break inside a quoted value). Rows lie between ``exact + offset`` and
    ``exact + loose + offset``."""

    exact: tuple[bytes, ...] = ()
    loose: tuple[bytes, ...] = ()
    offset: int = 0  # lines that are not rows (the header of TSV and CSV)


_ROW_MARKS = {
    ox.QueryResultsFormat.TSV: _RowMarks(exact=(b"\n",), offset=-1),  # TSV escapes line breaks in values
    ox.QueryResultsFormat.XML: _RowMarks(exact=(b"<result>",)),
    ox.QueryResultsFormat.JSON: _RowMarks(exact=(b'[{"', b',{"'), loose=(b"{}",)),
    ox.QueryResultsFormat.CSV: _RowMarks(loose=(b"\n",), offset=-1),
}


class _CountingSink(io.RawIOBase):
    """Collects what the serializer writes and stops it once the rows may exceed ``limit``."""

    def __init__(self, marks: _RowMarks, limit: int) -> None:
        self.marks = marks
        self.limit = limit
        self.exact = self.loose = 0
        self.data = bytearray()
        self._tail = b""  # the end of the previous chunk, for patterns cut in two
        self._keep = max(len(pattern) for pattern in marks.exact + marks.loose) - 1

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        joined = self._tail + bytes(chunk)
        self.exact += sum(joined.count(p) - self._tail.count(p) for p in self.marks.exact)
        self.loose += sum(joined.count(p) - self._tail.count(p) for p in self.marks.loose)
        self._tail = joined[-self._keep :] if self._keep else b""
        self.data += chunk
        if self.most() > self.limit:
            raise _TooMany(certain=self.least() > self.limit)
        return len(chunk)

    def least(self) -> int:
        return self.exact + self.marks.offset

    def most(self) -> int:
        return self.exact + self.loose + self.marks.offset


def execute(store: GraphStore, job: QueryJob, max_rows: int) -> bytes:
    """Evaluate ``job`` and serialize it; raises QueryFailed. Runs inside an executor.

    Results are serialized once, straight into the format asked for, while their rows are counted so that
    the row limit stops the engine early (see :class:`_RowMarks`); only where that count is not certain
    (a CSV value with a line break, a JSON row without bindings near the limit) is the query run again and
    counted exactly through TSV."""
    wanted = BY_NAME[job.result_format]
    try:
        if job.form == "ASK":
            as_json = b'{"head":{},"boolean":%s}' % (b"true" if store.ask(job.sparql, job.scope) else b"false")
            if wanted.results in (None, ox.QueryResultsFormat.JSON):
                return as_json
            answer = ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON)
            return cast(bytes, answer.serialize(format=wanted.results))
        if job.form == "SELECT":
            return _select(store, job, wanted.results or ox.QueryResultsFormat.JSON, max_rows)
        triples = _at_most(store.construct(job.sparql, job.scope), max_rows)
        return cast(bytes, ox.serialize(triples, format=wanted.rdf, prefixes=_prefixes(wanted.rdf)))
    except _TooMany:
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


def _select(store: GraphStore, job: QueryJob, wanted: ox.QueryResultsFormat, max_rows: int) -> bytes:
    solutions = store.select(job.sparql, job.scope)
    columns = tuple(variable.value for variable in solutions.variables)
    order = job.column_order
    reorder = bool(order) and order != columns and sorted(order or ()) == sorted(columns)
    if reorder and wanted in (ox.QueryResultsFormat.TSV, ox.QueryResultsFormat.CSV):
        return _select_through_tsv(solutions, order, wanted, max_rows)  # the order of every row's cells changes
    sink = _CountingSink(_ROW_MARKS[wanted], max_rows)
    try:
        solutions.serialize(cast(IO[bytes], sink), format=wanted)
    except _TooMany as over:
        if over.certain:
            raise
        return _select_through_tsv(store.select(job.sparql, job.scope), order, wanted, max_rows)
    body = bytes(sink.data)
    return _reorder_head(body, order, wanted) if reorder and order else body


def _select_through_tsv(
    solutions: ox.QuerySolutions, order: tuple[str, ...] | None, wanted: ox.QueryResultsFormat, max_rows: int
) -> bytes:
    """The exact way: TSV has one line per row, so its lines count the rows; then converted, losslessly."""
    sink = _CountingSink(_ROW_MARKS[ox.QueryResultsFormat.TSV], max_rows)
    solutions.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV)
    table = _reorder(bytes(sink.data), order) if order else bytes(sink.data)
    if wanted == ox.QueryResultsFormat.TSV:
        return table
    return cast(bytes, ox.parse_query_results(table, format=ox.QueryResultsFormat.TSV).serialize(format=wanted))


def _reorder_head(body: bytes, order: tuple[str, ...], wanted: ox.QueryResultsFormat) -> bytes:
    """Name the variables of a JSON or XML result in ``order`` (its bindings are keyed by name)."""
    if wanted == ox.QueryResultsFormat.JSON:
        end = body.index(b"]")  # variable names hold no ']'
        names = json.dumps(list(order), ensure_ascii=False, separators=(",", ":")).encode()
        return b'{"head":{"vars":' + names + body[end + 1 :]
    start, end = body.index(b"<head>"), body.index(b"</head>")
    names = b"".join(b'<variable name="%s"/>' % name.encode() for name in order)
    return body[: start + len(b"<head>")] + names + body[end:]


def _at_most(items: Iterable[T], limit: int) -> Iterator[T]:
    for count, item in enumerate(items, 1):
        if count > limit:
            raise _TooMany(certain=True)
        yield item


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


# Over the executor's socket: a job as a tuple of plain values (pickled without any class to look up), the
# answer as raw bytes behind one status byte: no pickling of the result, which may be megabytes.
_OK, _FAILED = b"0", b"1"


def _encode(job: QueryJob) -> bytes:
    scope = job.scope
    return pickle.dumps(
        (
            job.sparql,
            job.form,
            job.result_format,
            job.column_order,
            scope.default_graphs,
            scope.named_graphs,
            scope.union_default_graph,
            scope.base_iri,
            scope.prefixes,
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _decode(message: bytes) -> QueryJob:
    sparql, form, result_format, column_order, default, named, union, base_iri, prefixes = pickle.loads(message)
    return QueryJob(sparql, form, result_format, Scope(default, named, union, base_iri, prefixes), column_order)


def _executor_main(connection: Connection, store: GraphStore, max_rows: int) -> None:
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    while True:
        try:
            job = _decode(connection.recv_bytes())
        except (EOFError, OSError):
            return  # the process that owns us is gone
        try:
            connection.send_bytes(_OK + execute(store, job, max_rows))
        except QueryFailed as failure:
            connection.send_bytes(_FAILED + pickle.dumps((failure.status, failure.message)))
        except MemoryError:
            connection.send_bytes(_FAILED + pickle.dumps(_MEMORY))


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
        self._lock = threading.Lock()
        self._ended: int | None = None

    def kill(self) -> int:
        """Stop the executor (once, whoever asks first); return how it ended (a wait status)."""
        with self._lock:
            if self._ended is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self.connection.close()
                self._ended = os.waitpid(self.pid, 0)[1]
            return self._ended


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
        self._busy: set[_Executor] = set()
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def prestart(self, count: int) -> None:
        """Fork ``count`` executors now, so that the first queries do not wait for them (and so that they are
        forked before the process starts other threads)."""
        started = [_Executor(self.store, self.max_rows, self.confinement) for _ in range(count)]
        with self._lock:
            self._forget_inherited()
            self._idle += started

    def run(self, job: QueryJob) -> bytes:
        executor = self._take()
        try:
            executor.connection.send_bytes(_encode(job))
            if not executor.connection.poll(self.timeout):
                self._end(executor)
                raise QueryFailed(
                    503,
                    f"the query was stopped after {self.timeout:g} s, the time limit on this server; "
                    "no partial results are given. Narrow the query (LIMIT, more specific patterns).",
                )
            reply = executor.connection.recv_bytes()
        except (EOFError, OSError):
            raise self._died(self._end(executor)) from None
        self._give_back(executor)
        if reply[:1] == _OK:
            return reply[1:]
        status, message = pickle.loads(reply[1:])
        raise QueryFailed(status, message)

    def _died(self, wait_status: int) -> QueryFailed:
        """The executor died mid-query: past its memory limit (an allocation failed and the engine aborted), or
        the engine crashed, or the runner was closed."""
        signalled = os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGABRT
        if signalled and self.confinement.memory is not None:
            return QueryFailed(
                _MEMORY[0],
                f"the query needed more than {self.confinement.memory // 2**20} MB of memory, the limit per query "
                "on this server; narrow it (LIMIT, more specific patterns, fewer ORDER BY / GROUP BY rows)",
            )
        return QueryFailed(503, "the query engine stopped unexpectedly; please try again")

    def close(self) -> None:
        """Stop every executor, idle or running a query (whose caller then gets a 503)."""
        with self._lock:
            executors, self._idle = [*self._idle, *self._busy], []
            self._busy = set()
        for executor in executors:
            executor.kill()

    def _take(self) -> _Executor:
        with self._lock:
            self._forget_inherited()
            executor = self._idle.pop() if self._idle else None
        if executor is None:
            executor = _Executor(self.store, self.max_rows, self.confinement)
        with self._lock:
            self._busy.add(executor)
        return executor

    def _forget_inherited(self) -> None:
        """Forked (a gunicorn worker): the executors belong to the parent."""
        if self._pid != os.getpid():
            self._idle, self._busy, self._pid = [], set(), os.getpid()

    def _give_back(self, executor: _Executor) -> None:
        with self._lock:
            self._busy.discard(executor)
            self._idle.append(executor)

    def _end(self, executor: _Executor) -> int:
        with self._lock:
            self._busy.discard(executor)
        return executor.kill()
