"""The linked-data pages in a real browser (headless Chromium): labels are text, never markup; the pages
need no JavaScript, fit a phone, and the search box leads from a name to the entity's page."""

from __future__ import annotations

from pathlib import Path

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def test_a_label_holding_a_script_is_shown_as_text_and_never_runs(minimal_root: Path, start_server, page) -> None:
    entities = minimal_root / "data" / "entities" / "entities.ttl"
    text = entities.read_text(encoding="utf-8").replace('"Freedonia"@en', f"'{EVIL}'@en")
    entities.write_text(text + f"\nstate:freedonia skos:altLabel '{EVIL} (ru)'@ru .\n", encoding="utf-8")
    server = start_server(env={"CASEC_ROOT": str(minimal_root)})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("/id/state/freedonia", "/search?q=script", "/id/source/sample", "/id/org/alpha-pact"):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("main script, main img").count() == 0, path
        assert EVIL in page.locator("main").inner_text(), path
    page.goto(server.url + "/id/state/freedonia")
    assert page.locator("h1").inner_text() == EVIL
    assert dialogs == [] and page.casec_errors == []


def test_an_entity_page_fits_a_phone_and_needs_no_javascript(embedded_server, browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    page.goto(embedded_server.url + "/id/state/uzbekistan")
    assert page.locator("h1").inner_text() == "Uzbekistan"
    assert page.locator("script").count() == 0
    assert page.locator('.group[data-other="https://w3id.org/casec/id/org/csto"] blockquote').count() >= 3
    context.close()
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(embedded_server.url + "/id/state/uzbekistan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    csto = page.locator('.group[data-other="https://w3id.org/casec/id/org/csto"]')
    csto.locator("summary").click()  # the group unfolds by a tap
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    columns = csto.locator(".source-column")
    assert columns.count() >= 3
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["y"] > first["y"]  # on a phone the sources stack instead of standing side by side
    assert csto.locator(".flag").first.is_visible()
    page.goto(embedded_server.url + "/id/source/000_cf6bc392400e9cf7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_on_a_wide_screen_the_sources_stand_side_by_side(embedded_server, page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(embedded_server.url + "/id/state/uzbekistan")
    page.locator('.group[data-other="https://w3id.org/casec/id/org/csto"] > summary').click()
    columns = page.locator('.group[data-other="https://w3id.org/casec/id/org/csto"] .source-column')
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(second["y"] - first["y"]) < 1 and second["x"] > first["x"]


def test_the_search_box_leads_from_a_russian_abbreviation_to_the_entity(live_server, page) -> None:
    page.goto(live_server.url + "/id/state/kazakhstan")
    page.fill("header form.search input[name=q]", "ОДКБ")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("ol.results li a").first
    assert first.inner_text() == "Collective Security Treaty Organization"
    first.click()
    page.wait_for_url("**/id/org/csto")
    assert page.locator("h1").inner_text() == "Collective Security Treaty Organization"
    assert page.casec_errors == []
