"""``/favicon.ico``: browsers ask for it on every page (and pyLODE's ontology page names no other icon)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

blueprint = Blueprint("favicon", __name__)


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(
        current_app.static_folder or "", "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )
