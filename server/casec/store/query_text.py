"""Putting IRIs into the text of casec's own queries: the one place that does it, so that no IRI can write SPARQL.

The read models ask about one thing (an entity, a statement, a source) or a few. Their queries say ``$this``
where the thing goes (a variable, so a template stays a valid query), or ``$these`` inside a ``VALUES`` block,
and :func:`bind_iri` / :func:`bind_iris` put the IRIs in. An IRI arrives from a URL or from data served with
``casec serve --data``: ``http://x/> } ; DROP ALL #`` would close the term and go on as SPARQL of its own. So
each IRI is checked twice before any text is made: no character that SPARQL's IRIREF forbids (``<>"{}|^`\\``,
spaces and controls), and Oxigraph's IRI parser must read it as an absolute IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

# what SPARQL 1.1's IRIREF ([139]) does not allow between its angle brackets
_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_THIS = re.compile(r"\$this\b")
_THESE = re.compile(r"\$these\b")


class NotAnIri(ValueError):
    """A string that is not an absolute IRI SPARQL can write as ``<…>``."""


def iri_term(iri: str) -> str:
    """``<iri>`` for a query's text; :class:`NotAnIri` for anything else."""
    if _NOT_IN_IRIREF.search(iri):
        raise NotAnIri(f"not an IRI (it holds a character an IRI may not): {iri!r}")
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise NotAnIri(f"not an IRI ({error}): {iri!r}") from None
    return f"<{iri}>"


def bind_iri(template: str, iri: str) -> str:
    """``template`` asking about ``iri``: every ``$this`` in it becomes the IRI's term."""
    term = iri_term(iri)
    return _THIS.sub(lambda _: term, template)


def bind_iris(template: str, iris: Iterable[str]) -> str:
    """``template`` asking about each of ``iris``: its ``$these`` (inside ``VALUES ?x { $these }``) becomes
    their terms."""
    terms = " ".join(iri_term(iri) for iri in iris)
    return _THESE.sub(lambda _: terms, template)
