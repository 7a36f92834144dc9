"""Take the README's screenshots of the home page and the query editor, at 1400×1000 (desktop) and 390×844
(phone): ``python docs/screenshots/take_home_editor.py URL`` against a running ``casec serve`` (Debian's
Chromium through Playwright, as the tests use it)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for name, size in SIZES.items():
            page = browser.new_page(viewport=size)
            page.goto(base + "/")
            page.wait_for_timeout(500)
            page.screenshot(path=HERE / f"home-{name}.png")
            page.goto(base + "/query?example=uzbekistan-csto-history")
            page.locator(".yasr tbody tr").first.wait_for(timeout=30_000)
            if name == "phone":  # the editor fills a phone's screen: show the first result cards
                page.evaluate("document.querySelector('.yasr').scrollIntoView()")
            page.wait_for_timeout(300)
            page.screenshot(path=HERE / f"editor-{name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080")
