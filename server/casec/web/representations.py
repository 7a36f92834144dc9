"""Choosing and sending a representation: HTML for people, RDF for machines, by Accept header or extension."""

from __future__ import annotations

from flask import Blueprint, Response, request

from casec.errors import StoreUnavailable
from casec.linked_data.serialization import BY_EXTENSION, BY_MEDIA_TYPE, BY_NAME, FORMATS, RdfFormat
from casec.web.errors import ProtocolError
from casec.web.negotiation import negotiate
from casec.web.services import services

HTML = "text/html"
# HTML first: a client that accepts anything (*/*) is most likely a person's browser or curl
OFFERED = [HTML, *(f.media_type for f in FORMATS)]
EXTENSIONS = {"html": HTML, **{ext: f.media_type for ext, f in BY_EXTENSION.items()}}
# Other names clients ask for a format by, answered under the name asked for: N-Triples was text/plain before it
# had a type of its own (rdflib's format="nt" sends "text/plain, */*;q=0.1"), and JSON-LD is JSON. Negotiated
# after the formats' own types, so */* never picks them; never listed as variants of their own.
ALIASES = {"text/plain": BY_NAME["ntriples"].media_type, "application/json": BY_NAME["jsonld"].media_type}


def choose(extension: str | None, offered: list[str] = OFFERED) -> str:
    """The media type to answer with: the extension's, else the Accept header's best (406 when none fits)."""
    if extension is not None:
        if extension not in EXTENSIONS or EXTENSIONS[extension] not in offered:
            known = ", ".join("." + ext for ext, media in EXTENSIONS.items() if media in offered)
            raise ProtocolError(404, f"no representation with extension .{extension}; available: {known}")
        return EXTENSIONS[extension]
    chosen = negotiate(request.headers.get("Accept"), offered + [a for a, t in ALIASES.items() if t in offered])
    if chosen is None:
        raise ProtocolError(406, "none of the acceptable media types is available; available: " + ", ".join(offered))
    return chosen


def rdf_format(media_type: str) -> RdfFormat:
    return BY_MEDIA_TYPE[ALIASES.get(media_type, media_type)]


def extension_of(media_type: str) -> str:
    canonical = ALIASES.get(media_type, media_type)
    return next(ext for ext, media in EXTENSIONS.items() if media == canonical)


def send(
    body: bytes | str, media_type: str, *, negotiated: bool, path: str, status: int = 200, offered: list[str] = OFFERED
) -> Response:
    """The response, with ``Vary: Accept`` and the chosen variant's own URL (``Content-Location``) when
    negotiated, and ``Link: rel=alternate`` headers naming every variant."""
    response = Response(body, status=status, mimetype=media_type)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{path}.{extension_of(media_type)}"
    response.headers["Link"] = ", ".join(
        f'<{path}.{extension_of(media)}>; rel="alternate"; type="{media}"' for media in offered
    )
    return response


def public_base() -> str:
    """The server's public URL (``--base-url``), else the URL the request came in on; no trailing slash."""
    return services().settings.base_url.rstrip("/") or request.host_url.rstrip("/")


def answer_store_failures(blueprint: Blueprint) -> None:
    """An external store that is down or failing makes these pages a 503 with the reason, not a 500."""

    @blueprint.errorhandler(StoreUnavailable)
    def unavailable(error: StoreUnavailable) -> Response:
        response = Response(f"503 {error}\n", status=503, mimetype="text/plain")
        response.headers["Retry-After"] = "30"
        return response
