"""Debian's Chromium under Playwright, launched one way for every test that opens a built site."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

from playwright.sync_api import Browser, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit; fails the test when chromium is not installed."""
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed: run `make setup` (system-deps)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
