"""Cite what you found: every source's reference as BibTeX, RIS and CSL-JSON, parsed back by the libraries
reference managers use and checked against the bibliographic records in data/sources.ttl; every statement's
citation line (fact, quote, source, line, stable IRI, data version) as text, JSON and on its page; and the
dataset's own CITATION.cff."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from rdflib import RDF, Graph, Namespace, URIRef

from casec.linked_data.citation import Author, Reference
from casec.vocab import SOURCE, STATEMENT

ROOT = Path(__file__).resolve().parents[1]
DCT = Namespace("http://purl.org/dc/terms/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")


def records() -> dict[str, dict[str, object]]:
    """What data/sources.ttl says of each source, read with rdflib (not through casec)."""
    graph = Graph().parse(ROOT / "data" / "sources.ttl")
    found = {}
    for source in graph.subjects(RDF.type, URIRef("https://w3id.org/casec/ontology#Source")):
        found[str(source)[len(SOURCE) :]] = {
            "title": str(graph.value(source, DCT.title)),
            "year": str(graph.value(source, DCT.issued)),
            "names": {str(graph.value(c, FOAF.name)) for c in graph.objects(source, DCT.creator)},
            "doi": str(graph.value(source, BIBO.doi) or ""),
            "volume": str(graph.value(source, BIBO.volume) or ""),
            "pages": str(graph.value(source, BIBO.pages) or ""),
            "journal": next(
                (
                    str(graph.value(part, DCT.title))
                    for part in graph.objects(source, DCT.isPartOf)
                    if (part, RDF.type, BIBO.Journal) in graph
                ),
                "",
            ),
        }
    return found


RECORDS = records()


def test_every_source_has_a_record() -> None:
    assert len(RECORDS) >= 5


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_bibtex_parses_back_to_the_record(client, name) -> None:
    response = client.get(f"/cite/source/{name}.bib")
    assert response.status_code == 200 and response.mimetype == "application/x-bibtex"
    library = bibtexparser.parse_string(
        response.get_data(as_text=True),
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    assert not library.failed_blocks and len(library.entries) == 1
    entry, record = library.entries[0], RECORDS[name]
    assert entry["title"].strip("{}") == record["title"]
    assert entry["year"] == record["year"]
    names = {" ".join([*author.first, *author.von, *author.last]) for author in entry["author"]}
    assert names == record["names"]
    if record["doi"]:
        assert entry["doi"] == record["doi"]
    if record["journal"]:
        assert entry.entry_type == "article" and entry["journal"] == record["journal"]


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_ris_parses_back_to_the_record(client, name) -> None:
    response = client.get(f"/cite/source/{name}.ris")
    assert response.status_code == 200 and response.mimetype == "application/x-research-info-systems"
    (entry,) = rispy.loads(response.get_data(as_text=True))
    record = RECORDS[name]
    assert entry["title"] == record["title"] and entry["year"] == record["year"]
    assert {" ".join(reversed(a.split(", ", 1))) for a in entry["authors"]} == record["names"]
    assert entry.get("doi", "") == record["doi"]
    assert entry.get("volume", "") == record["volume"]
    if record["pages"]:
        assert f"{entry['start_page']}-{entry['end_page']}" == record["pages"]


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_csl_json_renders_as_a_bibliography(client, name) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    response = client.get(f"/cite/source/{name}.json")
    assert response.status_code == 200 and response.mimetype == "application/vnd.citationstyles.csl+json"
    items = json.loads(response.get_data(as_text=True))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    (rendered,) = [str(item) for item in bibliography.bibliography()]
    record = RECORDS[name]
    assert record["year"] in rendered and record["title"][:30] in rendered
    for full_name in record["names"]:
        assert any(part in rendered for part in full_name.split()[-1:]), (full_name, rendered)


def test_special_characters_and_name_particles_survive_bibtex() -> None:
    bib = bibtexparser.parse_string(
        Reference(
            SOURCE + "x",
            "http://purl.org/ontology/bibo/AcademicArticle",
            title="Security & Integration: 100% {braced} #1_a",
            authors=[Author("de Haas", "Marcel"), Author("Das Kundu", "Nivedita")],
            year="2017",
        ).to_bibtex(),
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    entry = bib.entries[0]
    assert entry["title"].removeprefix("{").removesuffix("}") == "Security & Integration: 100% {braced} #1_a"
    names = [(" ".join([*a.von, *a.last]), " ".join(a.first)) for a in entry["author"]]
    assert names == [("de Haas", "Marcel"), ("Das Kundu", "Nivedita")]


def test_source_pages_offer_the_three_formats(client) -> None:
    name = sorted(RECORDS)[0]
    html = client.get(f"/id/source/{name}", headers={"Accept": "text/html"}).get_data(as_text=True)
    for extension in ("bib", "ris", "json"):
        assert f'href="/cite/source/{name}.{extension}"' in html
    assert "@article{" in unescape(html)


def test_a_statement_citation_names_fact_quote_source_line_iri_and_data_version(client) -> None:
    slug = "000-sco-member-india"
    version = client.get("/healthz").get_json()["data_version"]
    line = client.get(f"/cite/statement/{slug}.txt").get_data(as_text=True).strip()
    cited = client.get(f"/cite/statement/{slug}.json").get_json()
    assert cited["citation"] == line and cited["dataVersion"] == version
    assert line.startswith("India — member — Shanghai Cooperation Organization")
    assert STATEMENT + slug in line and version in line and "Rauf and Saud 2020" in line
    for evidence in cited["evidence"]:
        assert f'line {evidence["line"]}: "{evidence["quote"]}"' in line
    page = unescape(client.get(f"/id/statement/{slug}", headers={"Accept": "text/html"}).get_data(as_text=True))
    assert line in page and f'href="/cite/statement/{slug}.json"' in page


@pytest.mark.parametrize(
    "path",
    ["/cite/source/nope.bib", "/cite/source/000_cf6bc392400e9cf7.pdf", "/cite/statement/nope.txt",
     "/cite/statement/000-sco-member-india.xml", "/cite/source/a%20b.bib"],
)  # fmt: skip
def test_unknown_citations_are_a_404_with_a_reason(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.get_data(as_text=True).startswith("404 ")


def test_the_dataset_has_a_valid_citation_cff() -> None:
    from cffconvert import Citation

    from casec import __version__

    citation = Citation((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    citation.validate()
    assert citation.cffobj["version"] == __version__
    assert citation.cffobj["type"] == "dataset"


def test_the_copy_button_puts_the_citation_on_the_clipboard(embedded_server, browser) -> None:
    """The page's behaviour does not depend on the store: checked on the embedded one."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=embedded_server.url)
    page = context.new_page()
    page.goto(embedded_server.url + "/id/statement/000-sco-member-india")
    citation = page.locator("#cite-line").input_value()
    assert "casec statement https://w3id.org/casec/id/statement/000-sco-member-india" in citation
    page.locator("#cite button.copy").click()
    page.wait_for_function("document.querySelector('#cite button.copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
