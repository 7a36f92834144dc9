"""Hostile input through the real server: IRIs that would run code never become links, and a huge 404 slug
costs no more than a short one."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile-iris"

# Every page of the hostile data set that shows IRIs from the graph.
PAGES = (
    "/id/state/evil",
    "/id/org/evil-pact",
    "/id/source/evil",
    "/id/statement/evil-member",
    "/id/statement/evil-in-hostile-org",
    "/id/statement/datastan-member",
    "/id/statement/evil-addresses",
    "/id/statement/evil-literal",
    "/id/state/",
    "/void",
    "/",
    "/timeline",
)
# Every element attribute a browser follows or runs, as the page holds it, and as the browser resolved it.
TARGETS = """() => Array.from(document.querySelectorAll('[href], [src], [action], [formaction], [*|href]')).flatMap(
    el => Array.from(el.attributes).filter(a => ['href', 'src', 'action', 'formaction'].includes(a.localName)).map(
        a => ({tag: el.tagName, raw: a.value, resolved: new URL(a.value, document.baseURI).href})))"""


def test_iris_that_would_run_code_are_text_never_links(start_server, page) -> None:
    server = start_server("--data", str(HOSTILE / "graph.trig"), str(HOSTILE / "entities.rdf"))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in PAGES:
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        for target in page.evaluate(TARGETS):
            scheme = str(target["resolved"]).split(":", 1)[0].lower()
            assert scheme in ("http", "https"), (path, target)
        assert dialogs == [], (path, dialogs)
    # the hostile IRIs are still shown, as text
    page.goto(server.url + "/id/state/evil")
    assert page.locator("span.not-a-link[title=\"javascript:alert('organization')\"]").count() >= 1
    page.goto(server.url + "/id/statement/evil-literal")
    assert "javascript:alert('literal')" in page.locator("main").inner_text()
    assert page.casec_errors == []


def test_a_huge_slug_is_a_quick_404_and_a_near_miss_still_gets_suggestions(live_server) -> None:
    def get(path: str) -> tuple[int, str, float]:
        request = urllib.request.Request(live_server.url + path, headers={"Accept": "text/plain"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode(), time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), time.perf_counter() - started

    status, body, _ = get("/id/state/kazakstan")
    assert status == 404 and "/id/state/kazakhstan" in body
    get("/id/state/" + "b" * 100)  # the label index is built on first use: not part of what is measured
    # 8,100 characters took 3.9-4.8 s of CPU (difflib against every entity); bounded, it is milliseconds.
    # Eight in a row leave ample room for a loaded machine and none for the unbounded cost.
    started = time.perf_counter()
    for letter in "acdefghi":
        status, body, _ = get("/id/state/" + letter * 8100)
        assert status == 404 and body.startswith("404 no resource")
    assert time.perf_counter() - started < 8.0
