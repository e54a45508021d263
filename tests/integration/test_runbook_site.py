"""The published runbook site, for real: `obsgen docs` builds it with mkdocs-material in strict
mode, a local HTTP server serves build/site/, and headless Chromium (Debian's, driven by
Playwright) opens every alert's generated runbook_url, rewritten to the local server, and finds
the alert's heading there: HTTP 200, an element with the anchor id, visible, naming the alert.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser

from browsers import chromium
from obsgen.check.rules.promtool import find_promtool

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "runbook-site"
BASE_URL = "https://runbooks.example.org/"  # tests/conftest.py's OBSGEN_TOML


@dataclass(frozen=True)
class Link:
    alert: str
    url: str


@dataclass(frozen=True)
class Site:
    root: Path  # the project
    links: tuple[Link, ...]
    local: str  # http://127.0.0.1:PORT/


def runbook_links(rules_dir: Path) -> tuple[Link, ...]:
    """Every alert's runbook_url, as the generated rule files carry it."""
    found = []
    for path in sorted(rules_dir.glob("*.rules.yml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    found.append(Link(rule["alert"], rule["annotations"]["runbook_url"]))
    return tuple(found)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from conftest import EXAMPLE_DEFINITIONS, OBSGEN_TOML, run_obsgen  # tests/ is on sys.path

    root = tmp_path_factory.mktemp("site") / "project"
    root.mkdir()
    (root / "obsgen.toml").write_text(OBSGEN_TOML, encoding="utf-8")
    shutil.copytree(EXAMPLE_DEFINITIONS, root / "definitions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    built = run_obsgen("docs", cwd=root)
    assert built.exit_code == 0, built.describe()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(root / "build" / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, runbook_links(root / "build" / "prometheus"),
                   f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_every_seed_alert_has_a_runbook_url_under_the_base(site: Site) -> None:
    assert len(site.links) == 11  # the seven alerts and the two SLOs' four burn-rate alerts
    for link in site.links:
        assert link.url.startswith(BASE_URL), link
        assert urlsplit(link.url).fragment, link


def test_every_runbook_url_lands_on_the_alerts_heading(site: Site, browser: Browser) -> None:
    for link in site.links:
        local = site.local + link.url.removeprefix(BASE_URL)
        # A fresh page per link: a second fragment on the same page would not be a request.
        page = browser.new_page()
        try:
            response = page.goto(local, wait_until="load")
            assert response is not None and response.status == 200, (link, local)
            heading = page.locator(f"[id='{urlsplit(local).fragment}']")
            assert heading.count() == 1, (link, local)
            assert heading.is_visible(), (link, local)
            assert link.alert in heading.inner_text(), (link, heading.inner_text())
            assert heading.evaluate("e => e.tagName") == "H2", link
        finally:
            page.close()


def test_screenshot_of_a_runbook_page(site: Site, browser: Browser) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "persona.png"
    target.unlink(missing_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        first = site.links[0]
        page.goto(site.local + first.url.removeprefix(BASE_URL), wait_until="load")
        page.screenshot(path=str(target), full_page=False)
    finally:
        page.close()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000  # a rendered page, not a blank image


def test_site_search_index_covers_every_alert(site: Site) -> None:
    index = (site.root / "build" / "site" / "search" / "search_index.json").read_text(
        encoding="utf-8")
    for link in site.links:
        assert link.alert in index, link


def test_promtool_accepts_rules_with_generated_runbook_urls(site: Site) -> None:
    tool = find_promtool()
    files = sorted((site.root / "build" / "prometheus").glob("*.rules.yml"))
    done = subprocess.run([str(tool.path), "check", "rules", *map(str, files)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all("runbook_url" in f.read_text(encoding="utf-8") for f in files)


def test_docs_serve_serves_the_built_site(tmp_path: Path) -> None:
    """`obsgen docs --serve` builds, then serves build/site/ until interrupted (Ctrl-C)."""
    import os
    import signal
    import urllib.request

    from conftest import obsgen_command
    from obsgen import scaffold

    scaffold.create(tmp_path)
    process = subprocess.Popen([*obsgen_command(), "docs", "--serve", "--port", "0"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1"})
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("Serving "):
                break
        address = lines[-1].split(" at ")[1].split("/ ")[0] + "/"
        assert address.startswith("http://127.0.0.1:"), lines
        with urllib.request.urlopen(address + "my-app/", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200
        assert 'id="higherrorrate"' in page
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
