"""Find passages: ``/search`` and ``casec search`` find the quotes by their words, forgiving case, diacritics,
inflection and unfinished words, rank them, mark the words, and link each hit to its statements, entities and
source line — in HTML and JSON."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape

import pytest

from casec.facts.passages import EVIDENCE, PassageIndex
from casec.vocab import ID, STATEMENT


def passages(client, query: str, **params: str) -> dict:
    response = client.get("/search", query_string={"q": query, "format": "json", **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["passages"]


def marked(hit: dict) -> list[str]:
    return [hit["quote"][start:end] for start, end in hit["marks"]]


def test_kant_air_base_finds_the_passages_with_the_words_marked(client) -> None:
    found = passages(client, "Kant air base")
    first = found["results"][0]
    assert found["count"] >= 1 and first["allWords"]
    assert {"kant", "air", "base"} <= {word.casefold() for word in marked(first)}
    # passages holding only some of the words follow, marked as such: "an airbase at Kant"
    partial = [hit for hit in found["results"] if not hit["allWords"]]
    assert partial and found["partialCount"] >= len(partial)
    assert any("Kant" in marked(hit) for hit in partial)
    assert all(hit["allWords"] for hit in found["results"][: found["count"]])


def test_drug_trafficking_finds_every_passage_with_both_words_inflected_or_not(client) -> None:
    found = passages(client, "drug trafficking", limit="100")
    assert found["count"] >= 10
    for hit in found["results"][: found["count"]]:
        words = {word.casefold() for word in marked(hit)}
        assert any(w.startswith("drug") for w in words) and any(w.startswith("traffick") for w in words), hit
    assert any("drugs" in {w.casefold() for w in marked(hit)} for hit in found["results"])  # inflection


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("KANT AIR BASE", "Kant air base"),  # case
        ("kyrgyzstán", "Kyrgyzstan"),  # diacritics the text does not have
        ("Tashkent", "Täshkent"),
        ("trafficked drugs", "drug trafficking"),  # inflection
        ("bases", "base "),  # (a space after the last word: no longer a beginning)
    ],
)
def test_case_diacritics_and_inflection_do_not_matter(client, variant, plain) -> None:
    def found(query: str) -> set[tuple[str, int]]:
        hits = passages(client, query, limit="100")["results"]
        return {(hit["source"], hit["line"]) for hit in hits if hit["allWords"]}

    assert found(variant) and found(variant) == found(plain)


def test_an_unfinished_last_word_matches_the_beginning_of_words(client) -> None:
    words = {w.casefold() for hit in passages(client, "terror", limit="100")["results"] for w in marked(hit)}
    assert {"terrorism", "terrorist"} <= words


def test_a_phrase_in_quotes_must_occur_as_written(client) -> None:
    for hit in passages(client, '"air base"', limit="100")["results"]:
        assert re.search(r"\bair base\b", hit["quote"], re.IGNORECASE), hit["quote"]


def test_each_hit_links_to_its_statements_entities_and_source_line(client) -> None:
    hit = passages(client, "Kant air base")["results"][0]
    assert hit["url"] == f"/id/source/{hit['source'].rsplit('/', 1)[-1]}#line-{hit['line']}"
    assert hit["facts"]
    for fact in hit["facts"]:
        assert fact["statement"].startswith(STATEMENT) and fact["url"] == "/id/" + fact["statement"][len(ID) :]
        assert fact["subjectUrl"].startswith("/id/") and fact["subjectLabel"]
        # the statement really cites this passage
        page = client.get(fact["url"], headers={"Accept": "text/html"}).get_data(as_text=True)
        assert hit["quote"] in unescape(page)


def test_the_html_page_marks_the_words_and_links_the_hits(client) -> None:
    html = client.get("/search", query_string={"q": "drug trafficking"}, headers={"Accept": "text/html"})
    text = html.get_data(as_text=True)
    assert 'id="passages"' in text
    assert re.search(r"<mark>trafficking</mark>", text, re.IGNORECASE)
    assert re.search(r'href="/id/statement/[^"]+"', text)
    assert re.search(r'href="/id/source/[^"#]+#line-\d+"', text)


def test_every_passage_is_found_by_its_own_words(store) -> None:
    index = PassageIndex.build(store)
    quotes = {(row["source"].value, int(row["line"].value), row["quote"].value) for row in store.select(EVIDENCE)}
    assert len(quotes) == len(index) > 500
    for source, line, quote in sorted(quotes)[::7]:  # every seventh: all of them take long on a loaded machine
        words = " ".join(quote.replace('"', " ").split()[:12])
        hits = index.search(words + " ", limit=100).passages
        assert (source, line) in {(h.source, h.line) for h in hits if h.all_words}, quote


@pytest.mark.parametrize(
    "query", ["NEAR(a b)", '"', 'a"b', "*", "quote:kant", "+-", "\\", "(((", "kant^2", "[1 TO 5]", "тест", "日本"]
)
def test_query_syntax_in_the_words_is_only_words(client, query) -> None:
    response = client.get("/search", query_string={"q": query, "format": "json"})
    assert response.status_code == 200
    assert isinstance(response.get_json()["passages"]["results"], list)


def test_a_kind_narrows_to_entities_and_leaves_the_passages_out(client) -> None:
    answer = client.get("/search?q=csto&format=json&kind=org").get_json()
    assert "passages" not in answer and answer["results"]


def test_the_command_line_finds_passages_too(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casec.cli", "search", "Kant", "air", "base", "--limit", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "[Kant]" in done.stdout and "[air]" in done.stdout and "line " in done.stdout
    assert "place:kant-airbase" in done.stdout  # the entity, by its name
    nothing = subprocess.run(
        [sys.executable, "-m", "casec.cli", "search", "zzqqxx"], capture_output=True, text=True, timeout=120
    )
    assert nothing.returncode == 1
