"""Where a page may link an IRI: casec's own IRIs to this server's paths, ``http``/``https`` IRIs as they are,
and nothing else.

Pages show whatever graph they are given (``casec serve --data`` serves anyone's file), and an IRI such as
``javascript:alert(1)``, ``JaVaScRiPt:…``, ``data:text/html;base64,…`` or ``vbscript:…`` runs code when it is
clicked. So the rule is an allow-list, not a deny-list: an IRI is a link only when it is one of casec's (served
here under ``/id/`` and ``/ontology``) or when it starts with ``http://`` or ``https://`` (in any case) and holds
no control character or space (browsers drop tabs and newlines inside URLs, which would let a scheme be split).
Every other IRI is shown as text.
"""

from __future__ import annotations

import re

from flask import Flask

from casec.vocab import local_path

_WEB = re.compile(r"https?://[^\x00-\x20\x7f]+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def link_target(iri: str) -> str | None:
    """The href for ``iri``: a root-relative path for casec's own IRIs (so pages work on localhost and behind a
    real host), the IRI itself for a web IRI, None for anything else."""
    if _CONTROL.search(iri):
        return None
    return local_path(iri) or (iri if _WEB.fullmatch(iri) else None)


def term_url(iri: str) -> str:
    """The href for ``iri``, or ``""`` (a link to nowhere new) when it may not be a link. Templates that can show
    text instead use the ``linkable`` test or the ``term`` macro of ``_linked_data.html``."""
    return link_target(iri) or ""


def linkable(iri: object) -> bool:
    return isinstance(iri, str) and link_target(iri) is not None


def register(app: Flask) -> None:
    app.add_template_filter(term_url, "term_url")
    app.add_template_test(linkable, "linkable")
