"""The embedded store: the graph loaded into an in-memory Oxigraph store in this process."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from casec.store.derive import rule_files
from casec.store.interface import EVERYWHERE, Scope
from casec.store.load import DataFile, build_store


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

    def select(self, sparql: str, scope: Scope = EVERYWHERE) -> ox.QuerySolutions:
        result = self._run(sparql, scope)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        return result

    def ask(self, sparql: str, scope: Scope = EVERYWHERE) -> bool:
        result = self._run(sparql, scope)
        if not isinstance(result, ox.QueryBoolean):
            raise TypeError("ask() needs an ASK query")
        return bool(result)

    def construct(self, sparql: str, scope: Scope = EVERYWHERE) -> ox.QueryTriples:
        result = self._run(sparql, scope)
        if not isinstance(result, ox.QueryTriples):
            raise TypeError("construct() needs a CONSTRUCT or DESCRIBE query")
        return result

    def _run(self, sparql: str, scope: Scope) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        options: dict[str, object] = {"base_iri": scope.base_iri, "prefixes": scope.prefixes}
        if scope.default_graphs is not None:
            options["default_graph"] = [_graph(name) for name in scope.default_graphs]
        elif scope.union_default_graph:
            options["use_default_graph_as_union"] = True
        if scope.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(name) for name in scope.named_graphs]
        return self._store.query(sparql, **options)  # type: ignore[arg-type]

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
