"""Every error is a short text naming what is wrong, with the right status; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from casec.errors import Refusal, StoreUnavailable

log = logging.getLogger("casec")


class ProtocolError(Refusal):
    """A request the server will not answer as asked (wrong method, media type, parameters…)."""


def _text(status: int, message: str) -> Response:
    return Response(f"{status} {message}\n", status=status, mimetype="text/plain")


def register(app: Flask) -> None:
    @app.errorhandler(Refusal)
    def refusal(error: Refusal) -> Response:
        return _text(error.status, error.message)

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable) -> Response:
        return _text(503, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = _text(error.code or 500, error.description or error.name)
        for header in ("Allow", "Location"):
            if error.get_response().headers.get(header):
                response.headers[header] = error.get_response().headers[header]
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return _text(500, "the server failed to answer this request; the error has been logged")
