"""The view /network opens on: readable at a glance, widened from there by the controls.

All years and relations at once is a tangle (over a hundred nodes, three hundred links). The page opens on
the core organizations (those the sources discuss most, :func:`casec.facts.prominence.core`) and their
members, linked by membership, in a recent year: the latest year whose view holds at least
``FULL_ENOUGH`` of the most nodes any year's view holds (so not a year only one late source speaks to).
"""

from __future__ import annotations

from casec.facts.prominence import core
from casec.network.filters import Filters
from casec.network.model import NetworkModel

OPENING_RELATIONS = frozenset({"membership"})
FULL_ENOUGH = 0.75


def opening_filters(model: NetworkModel, counts: dict[str, int]) -> Filters:
    organizations = {iri for iri, node in model.nodes.items() if node.type == "organization"}
    chosen = frozenset(core(counts, organizations))
    first, last = model.years
    sizes = {
        year: model.view(Filters(year, OPENING_RELATIONS, chosen)).number_of_nodes() for year in range(first, last + 1)
    }
    most = max(sizes.values(), default=0)
    year = max((y for y, size in sizes.items() if size >= most * FULL_ENOUGH and size), default=last)
    return Filters(year, OPENING_RELATIONS, chosen)
