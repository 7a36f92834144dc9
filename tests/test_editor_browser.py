"""The home page and the query editor in a real browser, on a desktop (1400×1000) and a phone (390×844): nothing
scrolls by itself, results read as people read them and fit the screen, casec's links stay on this host, and a
parse error points at its spot."""

from __future__ import annotations

import re

import pytest

DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


def rows(page, timeout: int = 20_000):
    found = page.locator(".yasr tbody tr")
    found.first.wait_for(timeout=timeout)
    return found


@SIZES
def test_the_home_page_opens_at_the_top_and_leads_with_search_and_questions(live_server, page, size) -> None:
    page.set_viewport_size(size)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1000)  # whatever would scroll by itself has had time to
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    # the search box and the questions come before the class counts, which are folded
    search = page.locator("form.home-search input[type=search]")
    assert search.is_visible() and search.bounding_box()["y"] < size["height"]
    assert page.locator("#questions .card").count() >= 5
    assert not page.locator("#class-counts").is_visible()
    search.fill("Kant air base")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Kant"))
    marks = page.locator("#passages mark").all_inner_texts()
    assert {"Kant", "air", "base"} <= set(marks)
    assert page.casec_errors == []


@SIZES
def test_an_example_runs_with_names_links_on_this_host_and_a_table_that_fits(live_server, page, size) -> None:
    page.set_viewport_size(size)
    page.goto(live_server.url + "/query?example=uzbekistan-csto-history")
    found = rows(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0  # the editor does not grab the focus and scroll to itself
    assert found.count() > 10
    # the tab is titled by the example's question, and the 24 PREFIX lines are folded into one
    assert "Uzbekistan" in page.locator(".yasgui .tab.active").inner_text()
    visible_prefixes = [t for t in page.locator(".yasqe .CodeMirror-line").all_inner_texts() if "PREFIX" in t]
    assert len(visible_prefixes) <= 1
    # the editor asks this server: no endpoint field to type another into
    assert not page.locator(".yasgui .controlbar input.autocomplete").is_visible()
    assert not page.locator(".yasgui .controlbar .clearEndpointBtn").is_visible()
    # the table, quote column included, fits the viewport; nothing scrolls sideways
    viewport = size["width"]
    assert page.evaluate("document.querySelector('.yasr table').getBoundingClientRect().right") <= viewport
    quote = page.locator(".yasr tbody tr").first.locator("td").last
    assert quote.bounding_box()["x"] + quote.bounding_box()["width"] <= viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    # sources by their names, the IRI on hover, and every link to a casec IRI on this server
    table = page.locator(".yasr tbody").inner_text()
    assert "Rauf and Saud 2020" in table and "w3id.org" not in table
    links = page.locator(".yasr tbody a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.getAttribute('title'), a.href])"
    )
    assert links
    for href, title, absolute in links:
        assert "w3id.org/casec" not in href, href
        if title.startswith("https://w3id.org/casec/id/"):
            assert href == "/id/" + title[len("https://w3id.org/casec/id/") :]
            assert absolute.startswith(live_server.url)
    page.locator(".yasr tbody a[href^='/id/source/']").first.click()
    page.wait_for_url(live_server.url + "/id/source/**")
    assert page.locator("h1").inner_text().startswith("Rauf and Saud 2020")
    assert page.casec_errors == []


def test_literals_read_as_people_write_them_and_errors_point_at_their_spot(live_server, page) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    query = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        'SELECT ?year ?date ?month ?name WHERE { BIND ("1994"^^xsd:gYear AS ?year) '
        'BIND ("2012-06-28"^^xsd:date AS ?date) BIND ("2001-06"^^xsd:gYearMonth AS ?month) '
        'BIND ("Ташкент"@ru AS ?name) }'
    )
    page.evaluate("q => { const t = window.casecYasgui.getTab(); t.setQuery(q); t.query().catch(() => {}); }", query)
    cells = rows(page).first.locator("td").all_inner_texts()
    assert [re.sub(r"\s+", " ", c).strip() for c in cells[1:]] == ["1994", "28 June 2012", "June 2001", "Ташкент ru"]
    assert page.locator(".yasr tbody .literal").first.get_attribute("title") == "xsd:gYear"

    page.evaluate(
        "q => { const t = window.casecYasgui.getTab(); t.setQuery(q); t.query().catch(() => {}); }",
        "SELECT * WHERE {\n  ?s foo:bar ?o\n}",
    )
    error = page.locator(".casec-error")
    error.wait_for(timeout=15_000)
    sentence = error.locator("p").inner_text()
    assert "foo:" in sentence and "line 2, column 6" in sentence and "\n" not in sentence
    code, caret = error.locator("pre.caret").inner_text().split("\n")
    assert code == "2 |   ?s foo:bar ?o"
    assert caret.index("^") == code.index("foo:bar")
    assert page.evaluate("window.scrollY") == 0


def test_members_of_an_organization_in_a_year_is_one_click_from_home(live_server, page) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    card = page.locator("form.card", has=page.locator("input[value=members-in-year]"))
    card.locator("select[name=organization]").select_option("sco")
    card.locator("input[name=year]").fill("2013")
    card.locator("button").click()
    page.wait_for_url(re.compile(r"/query\?question=members-in-year"))
    table = (rows(page), page.locator(".yasr tbody").inner_text())[1]
    for state in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "China", "Russia"):
        assert state in table
    title = page.locator(".yasgui .tab.active").inner_text()
    assert "Members of the Shanghai Cooperation Organization in 2013" in title
    assert page.casec_errors == []


def test_the_home_page_says_what_the_graph_holds_without_javascript(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'id="class-counts"' in html and "State" in html
    assert 'id="source-counts"' in html
    for author in ("Rauf and Saud 2020", "de Haas 2017", "Iskandarov 2013", "Nazarova and Dauen 2024", "Koldunova"):
        assert author in html
    assert html.index('class="home-search"') < html.index('id="questions"') < html.index('id="class-counts"')
    assert 'href="/query"' in html and 'href="/export/memberships.csv"' in html
    assert 'href="/conflicts"' in html  # the disagreements, grouped, one click away
