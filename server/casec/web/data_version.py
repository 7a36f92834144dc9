"""Every response names the data version it was computed from (``Casec-Data-Version``), the one /healthz
reports: behind a load balancer, with replicas being restarted onto new data, a client can tell which
version answered, and notice when two answers came from different ones."""

from __future__ import annotations

from flask import Flask, Response

from casec.errors import StoreUnavailable
from casec.web.services import services

HEADER = "Casec-Data-Version"


def register(app: Flask) -> None:
    app.after_request(_name_the_version)


def _name_the_version(response: Response) -> Response:
    try:
        version = services().store.data_version()
    except StoreUnavailable:  # the store is out of reach: the response says so itself
        return response
    if version:
        response.headers[HEADER] = version
    return response
