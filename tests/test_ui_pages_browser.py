"""The entity, statement, source, network and timeline pages in headless Chromium, on a desktop (1400×1000) and
a phone (390×844): a summary first, long sections folded, nothing wider than the screen, nothing that needs hover,
and a network that opens readable and answers its controls at once. ``CASEC_SCREENSHOTS=1`` also writes the
README's screenshots of these pages to docs/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from casec.facts.prominence import core, prominence
from casec.vocab import ID

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
UZBEKISTAN, CSTO = ID + "state/uzbekistan", ID + "org/csto"
PAGES = [
    "/id/org/csto",
    "/id/state/uzbekistan",
    "/id/statement/000-uzbekistan-csto-2006-2012",
    "/id/source/000_cf6bc392400e9cf7",
    "/conflicts",
    "/network",
    "/timeline",
    "/timeline?state=uzbekistan&organization=csto",
]


@pytest.fixture
def site(embedded_server):
    """Layout does not depend on the store: these run on the embedded one."""
    return embedded_server


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def screen(request, browser) -> Iterator[object]:
    context = browser.new_context(viewport=request.param)
    page = context.new_page()
    page.casec_errors = []
    page.on("pageerror", lambda error: page.casec_errors.append(str(error)))
    page.size = request.param
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if "/network" in url:
        page.wait_for_selector("body[data-network-ready=true]", timeout=30_000)


def shoot(page, name: str) -> None:
    if os.environ.get("CASEC_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        kind = "phone" if page.size == PHONE else "desktop"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{kind}.png"))


def test_the_csto_page_opens_with_its_summary_and_folds_the_detail(site, screen) -> None:
    open_page(screen, site.url + "/id/org/csto")
    shoot(screen, "entity")
    card = screen.locator("#summary")
    assert card.bounding_box()["y"] < screen.size["height"] * 0.6  # on the first screen, desktop and phone
    assert card.locator("dt", has_text="Members in").count() == 1
    assert card.locator("li a").count() >= 3 and card.locator(".basis").count() >= 3
    assert card.locator("dt", has_text="Founding date").count() == 1 and card.locator(".flag").count() >= 1
    assert card.locator("nav.toc a").count() == screen.locator("details.relation").count()
    folded = screen.locator("details.relation:not([open])")
    assert folded.count() >= 1
    height = screen.evaluate("document.documentElement.scrollHeight")
    assert height < (5000 if screen.size == DESKTOP else 9000)  # was 29,000 and 50,000 px with nothing folded
    first_folded = screen.locator(f"details.relation#{folded.first.get_attribute('id')}")
    first_folded.locator("summary").first.click()
    assert first_folded.get_attribute("open") is not None  # a tap opens it: no hover needed
    assert screen.casec_errors == []


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_phone(site, browser, path: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_page(page, site.url + path)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")  # unfolded fits too
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    context.close()


BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def test_names_and_attributes_wrap_between_words_on_a_phone(site, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("/id/org/csto", "/id/state/uzbekistan", "/id/statement/000-uzbekistan-csto-2006-2012"):
        open_page(page, site.url + path)
        assert page.evaluate(BROKEN_WORDS, "#summary dd, table.attributes td, h1") == [], path
    context.close()


def test_a_statement_page_reads_as_a_sentence(site, screen) -> None:
    open_page(screen, site.url + "/id/statement/000-uzbekistan-csto-2006-2012")
    assert screen.locator("h1").inner_text().startswith("Uzbekistan — member of the CSTO, 2006–2012")
    assert screen.title().startswith("Uzbekistan — member of the CSTO")
    assert screen.locator("#disputes a[href^='/conflicts#']").count() >= 1


def test_the_timeline_fits_a_phone_and_opens_a_row_by_tapping(site, screen) -> None:
    open_page(screen, site.url + "/timeline")
    assert screen.evaluate("document.documentElement.scrollWidth") <= screen.size["width"]
    orgs = screen.locator("details.timeline-org")
    assert orgs.count() >= 2
    first = orgs.first.get_attribute("data-organization")
    assert orgs.first.get_attribute("open") is not None
    row = screen.locator(f"details.timeline-row[data-member='{UZBEKISTAN}'][data-organization='{CSTO}']")
    stretches = row.locator(".stretch")
    assert stretches.count() >= 2
    for index in range(stretches.count()):
        box = stretches.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= screen.size["width"]
        assert stretches.nth(index).get_attribute("data-basis") in ("stated", "inferred", "open")
    members = [s for s in stretches.all() if s.get_attribute("data-role") == "member"]
    assert len(members) >= 2
    early, late = members[0].bounding_box(), members[-1].bounding_box()
    assert early["x"] + early["width"] < late["x"]  # out of the CSTO in between
    assert row.locator(".stretch.disputed").count() >= 1
    detail = row.locator(".row-detail")
    assert not detail.is_visible()
    row.locator("summary").click()  # a tap, not a hover
    assert detail.is_visible() and detail.locator("blockquote").count() >= 3
    assert "Rauf and Saud 2020" in detail.inner_text()
    assert screen.locator("#disagreements .disagreement").count() >= 1
    assert first in {o.get_attribute("data-organization") for o in orgs.all()}
    screen.goto(site.url + "/timeline")
    shoot(screen, "timeline")
    assert screen.casec_errors == []


NAV = "Array.from(document.querySelectorAll('header.site nav a')).map(a => a.textContent.trim())"


def test_the_navigation_names_each_place_once(site, screen) -> None:
    for path in ("/network", "/timeline"):
        open_page(screen, site.url + path)
        items = screen.evaluate(NAV)
        assert items.count("Network") == 1 and items.count("Timeline") == 1, items
        assert screen.locator("header.site nav a[aria-current=page]").count() == 1


def counts(page) -> dict[str, str]:
    label = page.locator("#network-count")
    return {k: label.get_attribute(f"data-{k}") for k in ("year", "nodes", "edges", "organizations", "relations")}


def test_the_network_opens_on_the_core_organizations_in_a_recent_year(site, screen, backend) -> None:
    open_page(screen, site.url + "/network")
    opened = counts(screen)
    expected_core = core(prominence(backend.store), set(_organizations(site)))
    assert opened["organizations"].split(",") == sorted(expected_core)
    assert opened["year"] != "all" and opened["relations"] == "membership"
    wide = site_json(site, "/graph.json")["counts"]
    assert 0 < int(opened["nodes"]) < wide["nodes"] / 2
    asked = f"year={opened['year']}&relations=membership&organization={opened['organizations']}"
    view = site_json(site, f"/graph.json?{asked}")
    assert int(opened["nodes"]) == view["counts"]["nodes"]
    labels = screen.evaluate(LABELS)
    assert labels and all(size >= 10 and inside for _, size, inside in labels), labels
    shoot(screen, "network")
    screen.click("[data-widen=organizations]")
    screen.wait_for_function("document.querySelector('#network-count').dataset.organizations === ''")
    assert int(counts(screen)["nodes"]) > int(opened["nodes"])
    assert screen.casec_errors == []


LABELS = """() => {
  const cy = window.casecNetwork.cy, box = cy.container().getBoundingClientRect();
  return cy.nodes().not('.hidden').map((n) => {
    const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
    const inside = b.x1 >= -1 && b.y1 >= -1 && b.x2 <= box.width + 1 && b.y2 <= box.height + 1;
    return [n.style('label'), parseFloat(n.style('font-size')) * cy.zoom(), inside && n.style('label') !== ''];
  });
}"""


def test_china_and_russia_are_labelled_in_the_2015_view(site, screen) -> None:
    open_page(screen, site.url + "/network?year=2015")
    screen.wait_for_selector("#network-count[data-year='2015']")
    labels = {name: (size, inside) for name, size, inside in screen.evaluate(LABELS)}
    for name in ("China", "Russia"):
        size, inside = labels[name]
        assert size >= 10 and inside, (name, size, inside)


def test_the_year_slider_changes_the_view_at_once_even_from_all_years(site, screen) -> None:
    open_page(screen, site.url + "/network?relations=membership")
    assert counts(screen)["year"] == "all"
    screen.focus("#year")
    screen.keyboard.press("ArrowLeft")
    screen.wait_for_function("document.querySelector('#network-count').dataset.year !== 'all'")
    year = counts(screen)["year"]
    assert year == screen.input_value("#year") and not screen.is_checked("#all-years")
    expected = site_json(site, f"/graph.json?year={year}&relations=membership")["counts"]
    screen.wait_for_function(f"document.querySelector('#network-count').dataset.nodes === '{expected['nodes']}'")
    assert screen.evaluate("window.casecNetwork.visible()") == expected


def test_the_legend_draws_the_shapes_the_graph_draws(site, screen) -> None:
    open_page(screen, site.url + "/network?relations=all")
    shapes = screen.evaluate(
        """() => { const cy = window.casecNetwork.cy; const found = {};
        cy.nodes().forEach((n) => { found[n.data('type')] = n.style('shape'); }); return found; }"""
    )
    legend = {
        item.get_attribute("data-type"): item.get_attribute("data-shape")
        for item in screen.locator("#node-legend li").all()
    }
    assert shapes and all(legend[t] == shape for t, shape in shapes.items()), (legend, shapes)
    assert all(screen.locator(f"#node-legend li[data-type='{t}'] svg").count() == 1 for t in legend)


def site_json(site, path: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(site.url + path, timeout=30) as response:
        return json.load(response)


def _organizations(site) -> list[str]:
    return [n["id"] for n in site_json(site, "/graph.json?relations=all")["nodes"] if n["type"] == "organization"]
