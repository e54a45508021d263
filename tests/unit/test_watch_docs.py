"""`obsgen docs --serve` with live reload (issue 18, item 6): the real CLI serves the site, and
an edit under definitions/ rebuilds it and makes the page open in Chromium reload itself."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from browsers import chromium
from conftest import obsgen_command
from obsgen import scaffold

OLD = "Roll back the last deploy if the errors started with it."
NEW = "Roll back the last deploy at once."


def test_docs_serve_rebuilds_and_reloads_the_page(tmp_path: Path) -> None:
    scaffold.create(tmp_path)
    process = subprocess.Popen([*obsgen_command(), "docs", "--serve", "--port", "0"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1", "OBSGEN_NO_CACHE": "1"})
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("Serving "):
                break
        found = re.search(r" at (http://127\.0\.0\.1:\d+/) with live reload", lines[-1])
        assert found, lines
        with chromium() as browser:
            page = browser.new_page()
            page.goto(found[1] + "my-app/")
            assert OLD in page.inner_text("body")
            page.evaluate("window.beforeTheEdit = true")
            runbooks = tmp_path / "definitions" / "runbooks.py"
            runbooks.write_text(runbooks.read_text(encoding="utf-8").replace(OLD, NEW),
                                encoding="utf-8")
            # Reloaded by the page itself: the marker set before the edit is gone.
            page.wait_for_function(
                f"document.body.innerText.includes({NEW!r}) && !window.beforeTheEdit",
                timeout=90_000)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
