"""The API reference page of the docs site (issue 18, item 3): one block per public name of
obsgen, built by mkdocstrings under `mkdocs build --strict` (through `obsgen docs`), and one
class's entry opened in Chromium with its signature and example."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import mdformat

import obsgen as package
from browsers import chromium
from conftest import RunObsgen
from obsgen import scaffold
from obsgen.emit import apiref


def test_the_page_names_every_public_name_once() -> None:
    text = apiref.page()
    assert mdformat.text(text, extensions={"tables"}) == text  # like the runbook pages
    blocks = [line.removeprefix("::: obsgen.") for line in text.splitlines()
              if line.startswith(":::")]
    assert sorted(blocks) == sorted(package.__all__)
    assert len(blocks) == len(set(blocks)) == len(package.__all__)


def test_the_site_shows_a_class_with_signature_and_example(tmp_path: Path,
                                                           obsgen: RunObsgen) -> None:
    scaffold.create(tmp_path)
    built = obsgen("docs", cwd=tmp_path, env={"OBSGEN_NO_CACHE": "1"})
    assert built.exit_code == 0, built.describe()  # mkdocs build --strict: no warning at all
    site = tmp_path / "build" / "site"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/reference/api/"
                      "#obsgen.AlertRule")
            heading = page.locator("h2#obsgen\\.AlertRule")
            assert heading.is_visible()
            entry = page.locator("div.doc-object:has(> h2#obsgen\\.AlertRule)")
            text = entry.inner_text()
            assert "severity: str" in text  # the signature
            assert "HIGH_ERROR_RATE = AlertRule(" in text  # the example
            assert page.locator("h2#obsgen\\.not_").count() == 1  # inside its HTML block
            nav = page.locator("nav").get_by_text(apiref.NAV_TITLE).first
            assert nav.count() == 1
    finally:
        server.shutdown()
        server.server_close()
