"""The one small interface between casec and the SPARQL engine that holds the graph.

Everything that reads the graph (the endpoint, the pages, the command line) goes
through :class:`GraphStore`, so another engine (an external SPARQL server) can
stand behind the same code. The embedded engine is Oxigraph (pyoxigraph):
measured 10-100x faster than rdflib's own SPARQL engine on our joins and
aggregates (see bench/).
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from .load import DataFile, build_store

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class GraphStore(Protocol):
    def query(
        self, sparql: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryResult: ...


class EmbeddedStore:
    """An in-memory Oxigraph store. Queries see the union of all graphs as their
    default graph unless the request names its graphs (SPARQL Protocol)."""

    def __init__(self, files: list[DataFile]) -> None:
        self.files = files
        self._store = build_store(files)

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def query(
        self, sparql: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryResult:
        options: dict[str, object] = {}
        if default_graphs is not None:
            options["default_graph"] = [_graph(name) for name in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(name) for name in named_graphs]
        return self._store.query(sparql, **options)

    def __len__(self) -> int:
        return len(self._store)


def _graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == "" else ox.NamedNode(name)
