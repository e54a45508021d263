"""`obsgen deploy rules --prometheus-dir --prometheus-url` against a real Prometheus (Debian's
package), started per test on 127.0.0.1 with --web.enable-lifecycle and a temp rules folder:
deploy, reload, verify through /api/v1/rules, and roll back when the new rules fail."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rules_server import (
    FAILS_AT_EVALUATION,
    GOOD,
    PROJECT,
    Server,
    recording,
    running_prometheus,
    write_build,
)

from obsgen.check.rules.promtool import find_promtool
from obsgen.deploy.built import read_rule_files
from obsgen.deploy.http import RetryPolicy, Session
from obsgen.deploy.plan import Report
from obsgen.deploy.rules import PrometheusOptions, deploy_prometheus
from servers import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[Server]:
    with running_prometheus(tmp_path) as server:
        yield server


def deploy(server: Server, build: Path, url: str | None = None, verify_timeout: float = 20,
           dry_run: bool = False) -> Report:
    target = url or server.url
    with Session(target, policy=RetryPolicy(attempts=2, timeout=10, base_delay=0.1)) as session:
        return deploy_prometheus(session, read_rule_files(build), PrometheusOptions(
            server.rules_dir, target, dry_run, verify_timeout, poll_interval=0.5,
            project=PROJECT), find_promtool())


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


def healthy(server: Server, group: str) -> bool:
    found = server.rules().get(group)
    return found is not None and all(r["health"] == "ok" for r in found["rules"])


def test_deploy_writes_reloads_and_every_group_is_loaded_healthy(prometheus: Server,
                                                                  tmp_path: Path) -> None:
    build = write_build(tmp_path, GOOD)
    report = deploy(prometheus, build)
    assert codes(report) == [], report.diagnostics
    assert {a.key: a.action for a in report.actions} == dict.fromkeys(GOOD, "create")
    assert prometheus.files() == GOOD
    loaded = prometheus.rules()
    assert set(loaded) == {"api", "queues"}
    assert [r["name"] for r in loaded["api"]["rules"]] == ["obsgen_test:one", "AlwaysFiring"]
    assert healthy(prometheus, "api") and healthy(prometheus, "queues")
    assert not [p for p in prometheus.rules_dir.iterdir() if p.name.endswith(".tmp")]

    again = deploy(prometheus, build)
    assert codes(again) == []
    assert {a.action for a in again.actions} == {"unchanged"}


def test_dry_run_shows_the_diff_and_changes_nothing(prometheus: Server, tmp_path: Path) -> None:
    deploy(prometheus, write_build(tmp_path, GOOD))
    changed = {**GOOD, "queues.rules.yml": recording("queues", "obsgen_test:two", "vector(3)")}
    report = deploy(prometheus, write_build(tmp_path, changed), dry_run=True)
    [update] = [a for a in report.actions if a.action == "update"]
    assert update.key == "queues.rules.yml"
    assert "-    expr: vector(2)\n+    expr: vector(3)\n" in update.diff
    assert prometheus.files() == GOOD
    assert report.writes == 0


def test_promtool_rejection_deploys_nothing(prometheus: Server, tmp_path: Path) -> None:
    deploy(prometheus, write_build(tmp_path, GOOD))
    broken = {**GOOD, "queues.rules.yml": recording("queues", "obsgen_test:two", "vector(2")}
    report = deploy(prometheus, write_build(tmp_path, broken))
    assert codes(report) == ["OBS521"]
    assert report.diagnostics[0].location is not None
    assert report.diagnostics[0].location.path.endswith("build/prometheus/queues.rules.yml")
    assert report.requests == 0
    assert prometheus.files() == GOOD


def test_rules_failing_in_prometheus_are_rolled_back(prometheus: Server,
                                                      tmp_path: Path) -> None:
    deploy(prometheus, write_build(tmp_path, GOOD))
    report = deploy(prometheus, write_build(tmp_path, {**GOOD,
                                                        "queues.rules.yml": FAILS_AT_EVALUATION}))
    assert codes(report) == ["OBS524"], report.diagnostics
    assert "same labelset" in report.diagnostics[0].message
    assert prometheus.files() == GOOD, "the previous rule files were not restored"
    loaded = prometheus.rules()
    assert [r["name"] for r in loaded["queues"]["rules"]] == ["obsgen_test:two"]
    deadline = time.monotonic() + 20
    while not healthy(prometheus, "queues") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert healthy(prometheus, "queues") and healthy(prometheus, "api")


def test_failed_reload_restores_the_previous_files(prometheus: Server, tmp_path: Path) -> None:
    deploy(prometheus, write_build(tmp_path, GOOD))
    changed = {"api.rules.yml": GOOD["api.rules.yml"]}  # queues dropped
    report = deploy(prometheus, write_build(tmp_path, changed),
                    url=f"http://127.0.0.1:{free_port()}")
    assert codes(report) == ["OBS512", "OBS525"], report.diagnostics
    assert prometheus.files() == GOOD
    # The restored files were never reloaded: the rollback stays on disk for the next run,
    # which reloads them before it goes on.
    assert (prometheus.rollback_dir / "journal.json").is_file()
    again = deploy(prometheus, write_build(tmp_path, changed))
    assert codes(again) == ["OBS529"], again.diagnostics
    assert "queues.rules.yml" in again.diagnostics[0].message
    assert prometheus.files() == changed
    assert not prometheus.rollback_dir.exists()


def test_only_files_obsgen_wrote_are_removed(prometheus: Server, tmp_path: Path) -> None:
    foreign = yaml.safe_dump({"groups": [{"name": "hand-written", "rules": [
        {"record": "by_hand:one", "expr": "vector(1)"}]}]})
    (prometheus.rules_dir / "by-hand.rules.yml").write_text(foreign, encoding="utf-8")
    deploy(prometheus, write_build(tmp_path, GOOD))
    report = deploy(prometheus, write_build(tmp_path, {"api.rules.yml": GOOD["api.rules.yml"]}))
    assert codes(report) == []
    assert {a.key: a.action for a in report.actions} == {
        "api.rules.yml": "unchanged", "queues.rules.yml": "prune"}
    assert prometheus.files() == {"api.rules.yml": GOOD["api.rules.yml"],
                                  "by-hand.rules.yml": foreign}
    assert set(prometheus.rules()) == {"api", "hand-written"}


def test_seed_rules_deploy_through_the_cli(prometheus: Server, example_project: Path,
                                           obsgen: Any) -> None:
    """The example project, built and deployed with the real CLI. Its groups run every 30s, 1m
    and 5m: --allow-unverified accepts that they have not run yet (OBS526) instead of waiting."""
    built = obsgen("build", cwd=example_project)
    assert built.exit_code == 0, built.describe()
    build = example_project / "build" / "prometheus"
    result = obsgen("deploy", "rules", "--prometheus-dir", str(prometheus.rules_dir),
                    "--prometheus-url", prometheus.url, "--verify-timeout", "0",
                    "--allow-unverified", "--output-format", "json", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    report = json.loads(result.stdout)
    assert {d["code"] for d in report["diagnostics"]} <= {"OBS526"}
    expected = {g["name"] for f in build.glob("*.rules.yml")
                for g in yaml.safe_load(f.read_text(encoding="utf-8"))["groups"]}
    assert set(prometheus.rules()) == expected
