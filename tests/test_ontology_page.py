"""The ontology page in a real browser: every term's IRI lands on its own place in the page, every page has its
icon, and generating the page leaves nothing in the server's log."""

from __future__ import annotations

import rdflib

from casec.bundle import Bundle
from casec.vocab import CASEC


def test_every_terms_iri_fragment_resolves_on_the_ontology_page(embedded_server, page, bundle: Bundle) -> None:
    graph = rdflib.Graph()
    for path in bundle.ontology_files():
        graph.parse(path, format="turtle")
    terms = sorted({str(s)[len(CASEC) :] for s in graph.subjects() if str(s).startswith(CASEC) and str(s) != CASEC})
    assert len(terms) > 100
    page.goto(embedded_server.url + "/ontology")
    ids = set(page.evaluate("() => Array.from(document.querySelectorAll('[id]'), el => el.id)"))
    assert [term for term in terms if term not in ids] == []
    # the links entity pages make to their types land on the term's own section, which names the term
    page.goto(embedded_server.url + "/id/org/csto")
    page.locator("p.types a", has_text="International organization").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/ontology#InternationalOrganization")
    target = page.locator("#InternationalOrganization")
    assert "https://w3id.org/casec/ontology#InternationalOrganization" in target.inner_text()
    # a role, which pyLODE documents nowhere, has a section of its own with its description
    role = CASEC + "FoundingMember"
    assert str(graph.value(rdflib.URIRef(role), rdflib.RDFS.comment)) in page.locator("#FoundingMember").inner_text()


def test_every_page_has_its_icon_and_pylode_writes_nothing_to_the_log(embedded_server, page) -> None:
    icon = """() => new URL(document.querySelector('link[rel~="icon"]')?.getAttribute('href') ?? '/favicon.ico',
                         document.baseURI).href"""  # where a browser looks for the page's icon
    for path in ("/", "/ontology", "/id/state/kazakhstan", "/network"):
        page.goto(embedded_server.url + path)
        url = page.evaluate(icon)
        if url.startswith("data:image/"):  # pyLODE's page carries its own icon inline
            continue
        response = page.request.get(url)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), path
    log = embedded_server.output()
    assert "INFO:root" not in log and "DEBUG:" not in log, log[-2000:]
