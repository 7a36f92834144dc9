"""Content negotiation by the Accept header (RFC 9110 §12.5.1), q-values and specificity honoured.

werkzeug's ``MIMEAccept`` does the work: the most specific matching range sets a type's quality,
so ``text/html;q=0, */*`` never yields HTML. Among equal qualities the server's order decides.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers; the first offered when there is no Accept header;
    None when the client accepts none of them."""
    accept = parse_accept_header(header or "", MIMEAccept)
    if not accept:
        return offered[0]
    return accept.best_match(offered)
