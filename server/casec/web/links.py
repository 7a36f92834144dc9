"""Links from casec IRIs to this server: ``https://w3id.org/casec/id/…`` is served at ``/id/…``."""

from __future__ import annotations

from flask import Flask

from casec.vocab import ID


def local_url(iri: str) -> str:
    """A root-relative link for casec's own IRIs (so pages work on localhost and behind a real host)."""
    return "/id/" + iri[len(ID) :] if iri.startswith(ID) else iri


def register(app: Flask) -> None:
    app.add_template_filter(local_url, "local_url")
