"""Run queries on an external store in the request's own thread, behind the same small interface as the
executor pool.

Forking an executor buys nothing when the engine is another server: the work happens there, casec only
streams the answer. So a query runs in the thread that serves the request: it sends the query and reads the
rows as they arrive, stopping at the row limit plus one (the rest of the answer is never downloaded). The
time limit travels with the query (:class:`~casec.store.remote.SparqlHttpStore` sends it, and the server
stops the query itself); the store also gives up reading an answer still arriving past it. Measured on
this machine under load, handing each query to a pool thread instead cost about 6 ms a request.
"""

from __future__ import annotations

from typing import Protocol

from casec.settings import Settings
from casec.sparql.runner import QueryJob, QueryRunner, execute
from casec.sparql.sandbox import Confinement
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.remote import SparqlHttpStore


class Runner(Protocol):
    def prestart(self, count: int) -> None:
        """Get ready to answer ``count`` queries at once, before the serving process starts its threads."""
        ...

    def run(self, job: QueryJob) -> bytes:
        """The serialized answer to ``job``; raises QueryFailed."""
        ...

    def close(self) -> None: ...


class ThreadRunner:
    """Queries on an HTTP store, each in the calling thread; safe to share between threads."""

    def __init__(self, store: SparqlHttpStore, max_rows: int) -> None:
        self.store = store
        self.max_rows = max_rows

    def prestart(self, count: int) -> None:
        """Nothing to start: each query runs in the thread that serves its request."""

    def run(self, job: QueryJob) -> bytes:
        return execute(self.store, job, self.max_rows)

    def close(self) -> None:
        """Nothing to stop: no process or thread outlives its request."""


def runner_for(store: GraphStore, settings: Settings) -> Runner:
    """The request's thread for an HTTP store; for the embedded store, confined executors forked from this
    process (the store's ``timeout`` is the time limit for an HTTP store: ``create_app`` sets it)."""
    if isinstance(store, SparqlHttpStore):
        return ThreadRunner(store, settings.max_rows)
    # only the embedded store runs in the executor, which then needs no network
    confinement = Confinement.of(settings, network=isinstance(store, EmbeddedStore))
    return QueryRunner(store, timeout=settings.query_timeout, max_rows=settings.max_rows, confinement=confinement)
