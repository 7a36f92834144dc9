"""The one small interface between casec and the SPARQL engine that holds the graph.

Everything that reads the graph (the endpoint, the pages, the command line) goes
through :class:`GraphStore`, so another engine (an external SPARQL server) can
stand behind the same code. The embedded engine is Oxigraph (pyoxigraph):
measured 10-100x faster than rdflib's own SPARQL engine on our joins and
aggregates (see bench/).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

import pyoxigraph as ox

from .derive import rule_files
from .load import DataFile, build_store

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class GraphStore(Protocol):
    def query(
        self,
        sparql: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Evaluate ``sparql``. Without ``default_graphs`` the default graph is the union of all graphs
        (unless ``union_default_graph`` is false, for queries with their own ``FROM``); relative IRIs in
        the query resolve against ``base_iri``; ``prefixes`` are declared for it."""
        ...

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs the dataset holds."""
        ...

    def data_version(self) -> str | None:
        """A short fingerprint of the data served, so caches and /healthz can tell versions apart."""
        ...


class EmbeddedStore:
    """An in-memory Oxigraph store. Queries see the union of all graphs as their
    default graph unless the request names its graphs (SPARQL Protocol)."""

    def __init__(self, files: list[DataFile]) -> None:
        self.files = files
        self._store = build_store(files)
        self._graph_names: set[str] | None = None
        self._version: str | None = None

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def query(
        self,
        sparql: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        options: dict[str, object] = {"base_iri": base_iri, "prefixes": prefixes}
        if default_graphs is not None:
            options["default_graph"] = [_graph(name) for name in default_graphs]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(name) for name in named_graphs]
        return self._store.query(sparql, **options)

    def graph_names(self) -> set[str]:
        if self._graph_names is None:
            self._graph_names = {graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode)}
        return self._graph_names

    def data_version(self) -> str:
        if self._version is None:  # the store never changes after loading: hash the files once
            self._version = data_version(self.files)
        return self._version

    def __len__(self) -> int:
        return len(self._store)


def data_version(files: list[DataFile]) -> str:
    """A hash of the files' names and bytes and of the derivation rules."""
    digest = hashlib.sha256()
    for path in [file.path for file in files] + rule_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == "" else ox.NamedNode(name)
