"""`obsgen build --watch` (issue 18, item 6): the real CLI in a subprocess rebuilds after an edit
under definitions/ and prints the findings of a broken edit without stopping; the watcher
itself ignores files that are not the project's (bytecode, editor litter)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from conftest import obsgen_command
from obsgen.config import load_config
from obsgen.watch import watch

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "diff" / "project"
WAIT = 60.0


def lines_of(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


def wait_for(lines: queue.Queue[str], seen: list[str], text: str) -> None:
    """Read lines until one holds `text`; fails after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"no line with {text!r} in {WAIT} s:\n{''.join(seen)}")


def test_build_watch_rebuilds_after_an_edit(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(PROJECT, root)
    alerts = root / "definitions" / "alerts.py"
    rules = root / "build" / "prometheus" / "my-app.rules.yml"
    process = subprocess.Popen([*obsgen_command(), "build", "--watch"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "NO_COLOR": "1", "OBSGEN_NO_CACHE": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lines_of, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        wait_for(lines, seen, "Watching definitions and obsgen.toml for changes")
        assert "for: 10m" in rules.read_text(encoding="utf-8")
        alerts.write_text(alerts.read_text(encoding="utf-8").replace('for_="10m"', 'for_="12m"'),
                          encoding="utf-8")
        wait_for(lines, seen, "files into build/ (2 changed).")
        wait_for(lines, seen, "Watching definitions")
        assert "for: 12m" in rules.read_text(encoding="utf-8")
        alerts.write_text(alerts.read_text(encoding="utf-8").replace('for_="12m"', "for_=12"),
                          encoding="utf-8")
        wait_for(lines, seen, "Build failed; build/ was left as it was.")
        wait_for(lines, seen, "OBS004 [error] AlertRule(for_=...): for_ must be text")
        wait_for(lines, seen, "Watching definitions")
        assert "for: 12m" in rules.read_text(encoding="utf-8")
        assert process.poll() is None  # a broken build does not end the watch
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=WAIT)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, "".join(seen)


def test_watch_ignores_files_that_are_not_the_projects(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(PROJECT, root)
    config = load_config(root)
    builds: list[float] = []
    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(config, lambda: builds.append(1), stop),
                              kwargs={"poll": 0.1, "settle": 0.1}, daemon=True)
    worker.start()
    try:
        time.sleep(0.6)
        (root / "definitions" / "__pycache__").mkdir()
        (root / "definitions" / "__pycache__" / "alerts.cpython-311.pyc").write_bytes(b"x")
        (root / "definitions" / ".alerts.py.swp").write_bytes(b"x")
        (root / "README.md").write_text("not watched\n", encoding="utf-8")
        time.sleep(1.0)
        assert len(builds) == 1  # the first build only
        (root / "obsgen.toml").write_text((root / "obsgen.toml").read_text(encoding="utf-8")
                                          + "\n", encoding="utf-8")
        deadline = time.monotonic() + WAIT
        while len(builds) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(builds) == 2
    finally:
        stop.set()
        worker.join(timeout=WAIT)
    assert not worker.is_alive()
