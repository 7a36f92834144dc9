"""The derivation step: everything the graph infers, in one place (docs/time-model.md).

The steps run in the order of their names, each seeing what the previous ones added: the SPARQL CONSTRUCT
rules in ``rules/*.rq`` (provenance, years, the asserted-as-fact flag, the direct edges, the class and property
closures) and, where SPARQL cannot say it well, Python rules (:mod:`casec.store.time_model`, the periods). Nothing
in ``data/`` writes what they derive.

A derived triple goes to the graph its subject is described in: a triple about a statement to that statement's
source graph, so that ``GRAPH <source> { ... }`` questions find it there; a triple about an entity, a derived edge
or a new node (a period) to the default graph. Nothing is written twice, so the union of the graphs holds each
derived triple once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from casec.store import time_model

RULES = Path(__file__).resolve().parent / "rules"
# Python rules, by step name: the name orders them among the SPARQL rules.
PYTHON_RULES: dict[str, Callable[[ox.Store], Iterable[ox.Quad]]] = {"45-time-model": time_model.derive}

Graph = ox.NamedNode | ox.DefaultGraph


def rule_files() -> list[Path]:
    """The files whose contents decide what is derived (for the data version): the SPARQL and Python rules."""
    return [*sorted(RULES.glob("*.rq")), Path(time_model.__file__)]


def steps() -> list[tuple[str, Callable[[ox.Store], Iterable[ox.Quad]]]]:
    found: dict[str, Callable[[ox.Store], Iterable[ox.Quad]]] = dict(PYTHON_RULES)
    for path in sorted(RULES.glob("*.rq")):
        found[path.stem] = _sparql_rule(path.read_text(encoding="utf-8"))
    return sorted(found.items())


def derive(store: ox.Store) -> dict[str, int]:
    """Run every step; count the quads each one added."""
    added: dict[str, int] = {}
    for name, step in steps():
        before = len(store)
        store.extend(list(step(store)))
        added[name] = len(store) - before
    return added


def _sparql_rule(query: str) -> Callable[[ox.Store], Iterable[ox.Quad]]:
    def run(store: ox.Store) -> Iterable[ox.Quad]:
        triples = list(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]
        return placed(store, triples)

    return run


def placed(store: ox.Store, triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """Each triple in every graph its subject is described in (the default graph for a subject described nowhere)."""
    homes: dict[ox.NamedNode | ox.BlankNode | ox.Triple, tuple[Graph, ...]] = {}
    quads = []
    for triple in triples:
        subject = triple.subject
        if subject not in homes:
            graphs = {
                q.graph_name
                for q in store.quads_for_pattern(subject, None, None)
                if not isinstance(q.graph_name, ox.BlankNode)
            }
            homes[subject] = tuple(graphs) if graphs else (ox.DefaultGraph(),)
        quads += [ox.Quad(subject, triple.predicate, triple.object, graph) for graph in homes[subject]]
    return quads
