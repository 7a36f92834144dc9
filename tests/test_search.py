"""Search finds entities by any of their names, in any language, forgiving case, diacritics and
unfinished words, ranks the obvious answer first, and answers in HTML and JSON."""

from __future__ import annotations

import pytest

from casec.facts.search import LabelIndex, fold
from casec.vocab import ID

CSTO = ID + "org/csto"


def first(client, query: str, **params: str) -> dict:
    answer = client.get("/search", query_string={"q": query, "format": "json", **params}).get_json()
    assert answer["results"], query
    return answer["results"][0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ОДКБ", "org/csto"),  # the Russian abbreviation, an altLabel in Cyrillic
        ("одкб", "org/csto"),
        ("csto", "org/csto"),
        ("CSTO", "org/csto"),
        ("kyrg", "state/kyrgyzstan"),  # an unfinished word
        ("KYRGYZ", "state/kyrgyzstan"),
        ("Kolektif Guvenlik", "org/csto"),  # Turkish, typed without its diacritics
        ("kolektif güvenlik anlaşması", "org/csto"),
        ("Организация Договора", "org/csto"),
        ("collective security treaty organisation", "org/csto"),  # British spelling, an altLabel
        ("sco", "org/sco"),
        ("shanghai cooperation", "org/sco"),
        ("kazakh", "state/kazakhstan"),
        ("uzbek", "state/uzbekistan"),
        ("al qaeda", "org/al-qaeda"),
        ("Cin", "state/china"),  # "Çin"@tr
    ],
)
def test_the_obvious_entity_comes_first(client, query, expected) -> None:
    hit = first(client, query)
    assert hit["iri"] == ID + expected
    assert hit["url"] == "/id/" + expected


def test_a_match_on_another_name_says_which_name_matched(client) -> None:
    hit = first(client, "ОДКБ")
    assert hit["label"] == "Collective Security Treaty Organization"
    assert hit["matched"] == "ОДКБ" and hit["matchedLanguage"] == "ru"


def test_every_name_of_every_entity_finds_it(store) -> None:
    index = LabelIndex.build(store)
    for entry in index.entries.values():
        for name in entry.names:
            found = [hit.iri for hit in index.search(name.text, limit=100)]
            assert entry.iri in found, (name.text, entry.iri)


def test_the_html_results_link_to_the_entity_pages(client) -> None:
    response = client.get("/search", query_string={"q": "kyrg"}, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert html.index('href="/id/state/kyrgyzstan"') < html.index("Kyrgyz Foreign Policy Concept")


def test_json_is_chosen_by_the_accept_header_too(client) -> None:
    response = client.get("/search", query_string={"q": "csto"}, headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["query"] == "csto" and answer["count"] == len(answer["results"])
    scores = [hit["score"] for hit in answer["results"]]
    assert scores == sorted(scores, reverse=True)


def test_limit_and_kind_narrow_the_results(client) -> None:
    answer = client.get("/search?q=c&format=json&limit=3").get_json()
    assert answer["count"] <= 3
    kinds = {hit["kind"] for hit in client.get("/search?q=csto&format=json&kind=body").get_json()["results"]}
    assert kinds == {"body"}


def test_an_empty_query_finds_nothing_and_shows_the_form(client) -> None:
    assert client.get("/search?q=&format=json").get_json()["count"] == 0
    assert 'name="q"' in client.get("/search").get_data(as_text=True)


@pytest.mark.parametrize("params", ["q=csto&limit=0", "q=csto&limit=many", "q=csto&format=xml", "q=" + "x" * 201])
def test_bad_parameters_are_a_400_with_a_reason(client, params) -> None:
    response = client.get(f"/search?{params}")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("400 ")


def test_every_page_has_a_search_box(client) -> None:
    for path in ("/", "/id/state/kazakhstan", "/id/source/000_cf6bc392400e9cf7", "/void", "/search"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'action="/search"' in html, path
    assert 'action="/search"' in client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)


def test_folding_forgives_case_diacritics_and_punctuation() -> None:
    assert fold("Kolektif Güvenlik Anlaşması Örgütü") == "kolektif guvenlik anlasmasi orgutu"
    assert fold("ОДКБ") == "одкб"
    assert fold("al-Qa'eda") == "al qaeda"
    assert fold("People’s Republic") == "peoples republic"
    assert fold("  ") == ""
