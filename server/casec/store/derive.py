"""Derive the direct edges from the statement nodes.

The rules are the SPARQL CONSTRUCT queries in ``casec/rules/``, applied in file
name order, each seeing what the previous ones added. They are the one place
where direct edges come from: nothing in ``data/`` writes them by hand.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

RULES = Path(__file__).resolve().parent / "rules"


def rule_files() -> list[Path]:
    return sorted(RULES.glob("*.rq"))


def derive(store: ox.Store) -> dict[str, int]:
    """Add every rule's conclusions to the default graph; count them per rule."""
    added: dict[str, int] = {}
    for rule in rule_files():
        triples = list(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True))
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        added[rule.stem] = len(triples)
    return added
