"""The whole dataset as quads, read through the store's SPARQL interface, and its dumps.

``dump.ttl``, ``dump.nt`` and ``dump.rdf`` hold the default graph (the ontology, the entities, the
source records and the derived direct edges); ``dump.trig``, ``dump.nq`` and ``dump.jsonld`` hold the
whole dataset: the default graph and each source's named graph.

Each graph is read with a CONSTRUCT that names it as the default graph (SPARQL Protocol
``default-graph-uri``), so the dumps read the same in the embedded store, where casec's default graph
is the store's default graph, and in an external store, where ``casec load`` put it in the named
graph ``BASE_GRAPH``.
"""

from __future__ import annotations

from casec.linked_data.dataset import dataset_quads, default_graph_quads
from casec.linked_data.serialization import RdfFormat, serialize
from casec.store.interface import GraphStore


def dump(store: GraphStore, fmt: RdfFormat) -> bytes:
    """The dump in ``fmt``: the whole dataset for a quad format, the default graph for a triple format."""
    return serialize(dataset_quads(store) if fmt.quads else default_graph_quads(store), fmt)
