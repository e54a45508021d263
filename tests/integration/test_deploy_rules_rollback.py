"""A `deploy rules --prometheus-dir` killed between writing the new files and the reload, with
the real CLI and a real Prometheus: the previous files are kept on disk beside the rules folder,
and the next run puts them back, reloads and verifies them before it deploys.

The kill is timed without any hook in obsgen: the deploy talks to Prometheus through a proxy
that forwards every request but holds `POST /-/reload`, so the test knows the files are written
and the reload not yet sent when it sends SIGKILL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rules_server import (
    FAILS_AT_EVALUATION,
    GOOD,
    Server,
    deploy_args,
    project_with_build,
    recording,
    report_codes,
    running_prometheus,
    write_build,
)

pytestmark = pytest.mark.integration

JOBS = recording("jobs", "obsgen_test:three", "vector(3)")


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[Server]:
    with running_prometheus(tmp_path) as server:
        yield server


@dataclass
class Proxy:
    url: str
    reload_held: threading.Event


@contextlib.contextmanager
def holding_reload(upstream: str) -> Iterator[Proxy]:
    """Forwards GETs to `upstream`; answers nothing to POST /-/reload until the test ends."""
    held, done = threading.Event(), threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with urllib.request.urlopen(upstream + self.path, timeout=10) as response:
                body = response.read()
                self.send_response(response.status)
                self.send_header("Content-Type", response.headers["Content-Type"])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def do_POST(self) -> None:
            held.set()
            done.wait(60)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Proxy(f"http://127.0.0.1:{server.server_address[1]}", held)
    finally:
        done.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def kill_before_reload(server: Server, project: Path) -> None:
    """Run the deploy and SIGKILL it once its files are written and its reload is on the way."""
    with holding_reload(server.url) as proxy:
        process = subprocess.Popen(
            [sys.executable, "-m", "obsgen", *deploy_args(server, url=proxy.url)], cwd=project,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1"})
        try:
            assert proxy.reload_held.wait(120), "the deploy never asked for a reload"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def wait_unhealthy(server: Server, group: str, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while not any(r["health"] == "err" for r in server.rules()[group]["rules"]):
        assert time.monotonic() < deadline, server.rules()[group]
        time.sleep(0.3)


def test_a_deploy_killed_before_its_reload_is_rolled_back_by_the_next_run(
        prometheus: Server, tmp_path: Path, obsgen: Any) -> None:
    project = project_with_build(tmp_path / "project", GOOD)
    first = obsgen(*deploy_args(prometheus), cwd=project)
    assert first.exit_code == 0, first.describe()
    broken = {**GOOD, "queues.rules.yml": FAILS_AT_EVALUATION}
    write_build(project, broken)

    kill_before_reload(prometheus, project)
    assert prometheus.files() == broken
    saved = prometheus.rollback_dir / "previous" / "queues.rules.yml"
    assert saved.read_text(encoding="utf-8") == GOOD["queues.rules.yml"]
    # The copies live beside the rules folder: a `rules/*` glob must not load them.
    assert sorted(p.name for p in prometheus.rules_dir.iterdir()) == sorted(GOOD)
    # Meanwhile something reloads Prometheus (a restart, a config change): the broken rule is
    # live, and the previous file exists only in the rollback.
    prometheus.reload()
    wait_unhealthy(prometheus, "queues")

    rerun = obsgen(*deploy_args(prometheus, "--verify-timeout", "10"), cwd=project)
    assert rerun.exit_code == 1, rerun.describe()
    # Rolled back first, then the same broken build deployed again, failed and rolled back.
    assert report_codes(rerun.stdout) == ["OBS529", "OBS524"], rerun.stdout
    assert prometheus.files() == GOOD
    assert prometheus.wait_healthy("api", "queues")
    assert [r["name"] for r in prometheus.rules()["queues"]["rules"]] == ["obsgen_test:two"]
    assert not prometheus.rollback_dir.exists()


def test_after_the_rollback_of_a_killed_deploy_the_next_build_deploys(
        prometheus: Server, tmp_path: Path, obsgen: Any) -> None:
    project = project_with_build(tmp_path / "project", GOOD)
    assert obsgen(*deploy_args(prometheus), cwd=project).exit_code == 0
    new = {"api.rules.yml": GOOD["api.rules.yml"], "jobs.rules.yml": JOBS}  # queues pruned
    write_build(project, new)
    kill_before_reload(prometheus, project)
    assert prometheus.files() == new

    dry = obsgen(*deploy_args(prometheus, "--dry-run"), cwd=project)
    assert report_codes(dry.stdout) == ["OBS529"], dry.stdout
    assert (prometheus.rollback_dir / "journal.json").is_file()

    rerun = obsgen(*deploy_args(prometheus, "--verify-timeout", "10"), cwd=project)
    assert rerun.exit_code == 0, rerun.describe()
    assert report_codes(rerun.stdout) == ["OBS529"]
    assert "jobs.rules.yml, queues.rules.yml as before it" in rerun.stdout
    assert prometheus.files() == new
    assert prometheus.wait_healthy("api", "jobs")
    assert "queues" not in prometheus.rules()
    assert not prometheus.rollback_dir.exists()


def test_a_second_deploy_to_the_same_folder_waits_its_turn(
        prometheus: Server, tmp_path: Path, obsgen: Any) -> None:
    """Two deploys at once would take each other's journal for an interrupted deploy."""
    project = project_with_build(tmp_path / "project", GOOD)
    fd = os.open(prometheus.rules_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a running deploy holds
        busy = obsgen(*deploy_args(prometheus), cwd=project)
    finally:
        os.close(fd)
    assert busy.exit_code == 1
    assert report_codes(busy.stdout) == ["OBS522"]
    assert prometheus.files() == {}
    assert obsgen(*deploy_args(prometheus), cwd=project).exit_code == 0
