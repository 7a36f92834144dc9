"""The one small interface between casec and the SPARQL engine that holds the graph.

Everything that reads the graph (the endpoint, the pages, the command line) goes
through :class:`GraphStore`, so another engine (an external SPARQL server) can
stand behind the same code. The embedded engine is Oxigraph (pyoxigraph):
measured 10-100x faster than rdflib's own SPARQL engine on our joins and
aggregates (see bench/). One typed method per query form, so callers and
stores never guess what kind of answer comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox


@dataclass(frozen=True)
class Scope:
    """Which graphs a query sees (SPARQL Protocol dataset). By default the default graph is the union of all
    graphs; ``union_default_graph`` False leaves it to the query's own FROM; relative IRIs resolve against
    ``base_iri``; ``prefixes`` are declared for the query."""

    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    union_default_graph: bool = True
    base_iri: str | None = None
    prefixes: dict[str, str] | None = None


EVERYWHERE = Scope()


class GraphStore(Protocol):
    def select(self, sparql: str, scope: Scope = EVERYWHERE) -> ox.QuerySolutions:
        """The solutions of a SELECT query."""
        ...

    def ask(self, sparql: str, scope: Scope = EVERYWHERE) -> bool:
        """The answer to an ASK query."""
        ...

    def construct(self, sparql: str, scope: Scope = EVERYWHERE) -> Iterable[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        ...

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs the dataset holds."""
        ...

    def data_version(self) -> str | None:
        """A short fingerprint of the data served, so caches and /healthz can tell versions apart."""
        ...
