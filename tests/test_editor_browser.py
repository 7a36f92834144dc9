"""The query editor on ``/`` works in a real browser: run an example query, see result rows."""

from __future__ import annotations


def test_the_editor_runs_an_example_query_and_shows_rows(live_server, page) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("a.example[data-name='members-of-both']")
    rows = page.locator(".yasr tbody tr")
    rows.first.wait_for(timeout=15_000)
    assert rows.count() > 0
    table_text = page.locator(".yasr tbody").inner_text()
    assert "Kazakhstan" in table_text
    assert page.casec_errors == []


def test_the_home_page_says_what_the_graph_holds_without_javascript(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'id="class-counts"' in html and "State" in html
    assert 'id="source-counts"' in html
    for author in ("Rauf and Saud 2020", "de Haas 2017", "Iskandarov 2013", "Nazarova and Dauen 2024", "Koldunova"):
        assert author in html
