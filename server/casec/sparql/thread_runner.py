"""Run queries on an external store in threads, behind the same small interface as the executor pool.

Forking an executor buys nothing when the engine is another server: the work happens there, casec only
streams the answer. So a query is a thread that sends it and reads the rows as they arrive, stopping at
the row limit plus one (the rest of the answer is never downloaded). The time limit travels with the
query (:class:`~casec.store.remote.SparqlHttpStore` sends it, the server stops the query itself); here,
past it, the caller is answered 503 at once and the thread ends when the store's socket gives up.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Protocol

from casec.settings import Settings
from casec.sparql.runner import QueryFailed, QueryJob, QueryRunner, execute
from casec.sparql.sandbox import Confinement
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.remote import SparqlHttpStore

THREADS = 8  # queries in flight per worker process; each mostly waits on the store's socket


class Runner(Protocol):
    def run(self, job: QueryJob) -> bytes:
        """The serialized answer to ``job``; raises QueryFailed."""
        ...

    def close(self) -> None: ...


class ThreadRunner:
    """Queries on an HTTP store, each in a thread of a small pool; safe to share between threads."""

    def __init__(self, store: SparqlHttpStore, timeout: float, max_rows: int) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self, job: QueryJob) -> bytes:
        future = self._threads().submit(execute, self.store, job, self.max_rows)
        try:
            return future.result(timeout=self.timeout + 1)  # the store's own limit normally strikes first
        except FutureTimeout:
            raise QueryFailed(
                503,
                f"the query was stopped after {self.timeout:g} s, the time limit on this server; "
                "no partial results are given. Narrow the query (LIMIT, more specific patterns).",
            ) from None

    def _threads(self) -> ThreadPoolExecutor:
        with self._lock:  # made on first use, so that a gunicorn worker forked from the master has its own
            if self._pool is None:
                self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="casec-query")
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def runner_for(store: GraphStore, settings: Settings) -> Runner:
    """Threads for an HTTP store; for the embedded store, confined executors forked from this process."""
    if isinstance(store, SparqlHttpStore):
        return ThreadRunner(store, settings.query_timeout, settings.max_rows)
    # only the embedded store runs in the executor, which then needs no network
    confinement = Confinement.of(settings, network=not isinstance(store, EmbeddedStore))
    return QueryRunner(store, timeout=settings.query_timeout, max_rows=settings.max_rows, confinement=confinement)
