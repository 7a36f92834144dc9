"""The /network and /timeline pages in headless Chromium, with every request outside the server refused.

These run on one ``casec serve`` of the bundled graph (the embedded store): what the pages draw comes from the
endpoints, which tests/test_network_http.py checks on every backend. The timeline, the opening view, the labels,
the slider and the legend: tests/test_ui_pages_browser.py.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from conftest import LiveServer

from casec.vocab import ID

UZBEKISTAN = ID + "state/uzbekistan"


def fetch_json(server: LiveServer, path: str) -> dict:
    with urllib.request.urlopen(server.url + path, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def server(embedded_server: LiveServer) -> LiveServer:
    return embedded_server


@pytest.fixture
def offline(page, server: LiveServer):
    """The page, with every request that does not go to the casec server refused and recorded."""
    page.casec_outside = []

    def route(route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            page.casec_outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def shown(page, year: str) -> dict[str, int]:
    page.wait_for_selector(f"#network-count[data-year='{year}']", timeout=20_000)
    counts = page.evaluate("window.casecNetwork.visible()")
    label = page.locator("#network-count")
    assert int(label.get_attribute("data-nodes")) == counts["nodes"]
    return counts


def test_the_network_draws_the_nodes_of_the_year_and_the_slider_changes_them(offline, server: LiveServer) -> None:
    offline.goto(server.url + "/network?year=2013")
    expected = fetch_json(server, "/graph.json?year=2013")["counts"]
    assert shown(offline, "2013") == expected
    offline.focus("#year")
    offline.keyboard.press("ArrowRight")
    later = fetch_json(server, "/graph.json?year=2014")["counts"]
    assert later != expected
    assert shown(offline, "2014") == later
    offline.check("#all-years")
    assert shown(offline, "all") == fetch_json(server, "/graph.json")["counts"]
    assert offline.casec_errors == [] and offline.casec_outside == []


def test_relation_toggles_change_the_drawing(offline, server: LiveServer) -> None:
    offline.goto(server.url + "/network?year=2013")
    shown(offline, "2013")
    offline.uncheck("#relations input[value=membership]")
    offline.wait_for_function("!document.querySelector('#network-count').dataset.relations.includes('membership')")
    relations = offline.locator("#network-count").get_attribute("data-relations")
    assert shown(offline, "2013") == fetch_json(server, f"/graph.json?year=2013&relations={relations}")["counts"]
    assert "relations=" in offline.url and "membership" not in offline.url


def test_clicking_a_node_opens_its_facts_with_quotes_and_a_link_to_its_page(offline, server: LiveServer) -> None:
    offline.goto(server.url + "/network?year=2013")
    shown(offline, "2013")
    box = offline.locator("#cy").bounding_box()
    centre = """(iri) => { const cy = window.casecNetwork.cy; const node = cy.getElementById(iri);
        cy.stop(); cy.nodes().stop(); cy.zoom(2); cy.center(node); const p = node.renderedPosition();
        return [Math.round(p.x), Math.round(p.y)]; }"""
    point, previous = offline.evaluate(centre, UZBEKISTAN), None
    while point != previous:  # a layout still settling would move the node between aim and click
        offline.wait_for_timeout(200)
        previous, point = point, offline.evaluate(centre, UZBEKISTAN)
    offline.mouse.click(box["x"] + point[0], box["y"] + point[1])
    offline.wait_for_selector("#panel-title")
    assert offline.locator("#panel-title").inner_text() == "Uzbekistan"
    panel = offline.locator("#panel")
    assert "Collective Security Treaty Organization" in panel.inner_text()
    assert panel.locator("blockquote").count() > 0
    assert offline.locator("#panel-page").get_attribute("href") == "/id/state/uzbekistan"
    assert offline.casec_errors == []


def test_search_focuses_an_entity_and_png_export_downloads_the_view(offline, server: LiveServer) -> None:
    offline.goto(server.url + "/network?year=2014")
    shown(offline, "2014")
    offline.fill("#find", "Kazakhstan")
    offline.press("#find", "Enter")
    offline.wait_for_function("document.querySelector('#panel-title')?.textContent === 'Kazakhstan'")
    assert offline.evaluate("window.casecNetwork.cy.$(':selected').map(n => n.data('label'))") == ["Kazakhstan"]
    with offline.expect_download() as download:
        offline.click("#export-png")
    assert download.value.suggested_filename == "casec-network-2014.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
