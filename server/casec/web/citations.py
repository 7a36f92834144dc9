"""Citations (:mod:`casec.linked_data.citation`) over HTTP, and the two includes that put them on the pages.

``/cite/source/<name>.bib`` (BibTeX), ``.ris`` (RIS) and ``.json`` (CSL-JSON): a source's reference.
``/cite/statement/<name>.txt`` and ``.json``: a statement's citation line (the fact, the quotes, the source, the
lines, the statement's IRI and the data version). ``_cite_source.html`` and ``_cite_statement.html`` show them on
the source and statement pages (``{% with iri=… %}{% include … %}{% endwith %}``); their Copy buttons need
``static/copy.js``, which ``base.html`` loads after the page where an include asked for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, g

from casec.linked_data.citation import Reference, StatementCitation, reference, statement_citation
from casec.linked_data.describe import SAFE_IRI
from casec.vocab import SOURCE, STATEMENT
from casec.web.errors import ProtocolError
from casec.web.representations import answer_store_failures
from casec.web.services import services

blueprint = Blueprint("citations", __name__)
answer_store_failures(blueprint)


@dataclass(frozen=True)
class Format:
    extension: str
    name: str
    media_type: str


REFERENCE_FORMATS = (
    Format("bib", "BibTeX", "application/x-bibtex"),
    Format("ris", "RIS", "application/x-research-info-systems"),
    Format("json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)


def _reference(name: str) -> Reference:
    iri = SOURCE + name
    found = reference(services().store, iri) if SAFE_IRI.match(iri) else None
    if found is None:
        raise ProtocolError(404, f"no source {iri}")
    return found


def _statement(name: str) -> StatementCitation:
    iri = STATEMENT + name
    found = statement_citation(services().store, iri) if SAFE_IRI.match(iri) else None
    if found is None:
        raise ProtocolError(404, f"no statement {iri}")
    return found


@blueprint.route("/cite/source/<name>.<extension>")
def source_reference(name: str, extension: str) -> Response:
    chosen = next((f for f in REFERENCE_FORMATS if f.extension == extension), None)
    if chosen is None:
        raise ProtocolError(404, "a reference comes as .bib (BibTeX), .ris (RIS) or .json (CSL-JSON)")
    found = _reference(name)
    body = {"bib": found.to_bibtex, "ris": found.to_ris, "json": found.to_csl_json}[extension]()
    response = Response(body, content_type=f"{chosen.media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{found.key}.{extension}"'
    return response


@blueprint.route("/cite/statement/<name>.<extension>")
def statement_line(name: str, extension: str) -> Response:
    if extension not in ("txt", "json"):
        raise ProtocolError(404, "a statement's citation comes as .txt or .json")
    found = _statement(name)
    if extension == "json":
        return Response(json.dumps(found.as_dict(), ensure_ascii=False, indent=2) + "\n", mimetype="application/json")
    return Response(found.line + "\n", content_type="text/plain; charset=utf-8")


@blueprint.app_template_global("source_reference")
def _source_reference(iri: str) -> dict[str, object] | None:
    """For ``_cite_source.html``: the reference's formats (name, URL) and its BibTeX text."""
    if not iri.startswith(SOURCE):
        return None
    found = reference(services().store, iri)
    if found is None:
        return None
    name = iri[len(SOURCE) :]
    links = [(f.name, f"/cite/source/{name}.{f.extension}", f.media_type) for f in REFERENCE_FORMATS]
    g.copy_buttons = True  # base.html then loads copy.js, after the page (pages without buttons have no script)
    return {"links": links, "bibtex": found.to_bibtex(), "ris": found.to_ris()}


@blueprint.app_template_global("statement_citation")
def _statement_citation(iri: str) -> dict[str, object] | None:
    """For ``_cite_statement.html``: the citation line and the URLs of its text and JSON forms."""
    if not iri.startswith(STATEMENT):
        return None
    found = statement_citation(services().store, iri)
    if found is None:
        return None
    name = iri[len(STATEMENT) :]
    g.copy_buttons = True
    return {"line": found.line, "text": f"/cite/statement/{name}.txt", "json": f"/cite/statement/{name}.json"}
