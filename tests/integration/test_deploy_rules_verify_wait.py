"""`deploy rules --prometheus-dir` when --verify-timeout is shorter than a changed group's
interval, against a real Prometheus: a changed group is evaluated only at its first slot after
the reload, up to one interval later. The deploy waits for that evaluation (up to the interval
+ a margin) and fails when it does not come, unless --allow-unverified accepts a warning."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rules_server import (
    GOOD,
    PROJECT,
    Server,
    deploy_args,
    project_with_build,
    recording,
    report_codes,
    running_prometheus,
)
from test_prometheus_server import _first_slot

from obsgen.check.rules.promtool import find_promtool
from obsgen.deploy.built import read_rule_files
from obsgen.deploy.http import RetryPolicy, Session
from obsgen.deploy.rules import PrometheusOptions, deploy_prometheus

pytestmark = pytest.mark.integration

NEVER = "0001-01-01T00:00:00Z"  # Go's zero time: not evaluated yet


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[Server]:
    with running_prometheus(tmp_path) as server:
        yield server


def evaluated(server: Server, group: str) -> bool:
    rules = server.rules()[group]["rules"]
    return all(r["health"] == "ok" and r["lastEvaluation"] != NEVER for r in rules)


def test_a_changed_group_with_a_longer_interval_is_waited_for(
        prometheus: Server, tmp_path: Path, obsgen: Any) -> None:
    build = {**GOOD, "slow.rules.yml": recording("slow", "obsgen_test:slow", "vector(4)",
                                                 interval="10s")}
    project = project_with_build(tmp_path / "project", build)
    started = time.monotonic()
    result = obsgen(*deploy_args(prometheus, "--verify-timeout", "0"), cwd=project)
    took = time.monotonic() - started
    assert result.exit_code == 0, result.describe()
    assert report_codes(result.stdout) == []
    assert evaluated(prometheus, "slow") and evaluated(prometheus, "api")
    assert took < 10 + 15 + 10  # the interval, the margin, and CLI start-up


def test_allow_unverified_keeps_the_warning_and_does_not_wait(
        prometheus: Server, tmp_path: Path, obsgen: Any) -> None:
    build = {"hourly.rules.yml": recording("hourly", "obsgen_test:hourly", "vector(5)",
                                           interval="1h")}
    project = project_with_build(tmp_path / "project", build)
    result = obsgen(*deploy_args(prometheus, "--verify-timeout", "0", "--allow-unverified"),
                    cwd=project)
    assert result.exit_code == 0, result.describe()
    [warning] = json.loads(result.stdout)["diagnostics"]
    assert (warning["code"], warning["severity"]) == ("OBS526", "warning")
    assert "hourly.rules.yml: hourly" in warning["message"]
    assert not evaluated(prometheus, "hourly")

    # Nothing changed: an unchanged group is not waited for, even without the flag.
    again = obsgen(*deploy_args(prometheus, "--verify-timeout", "0"), cwd=project)
    assert again.exit_code == 0, again.describe()
    assert report_codes(again.stdout) == []


def test_a_changed_group_not_evaluated_in_time_is_an_error(prometheus: Server,
                                                           tmp_path: Path) -> None:
    """The bound is the interval + a margin; a negative margin stands in for a Prometheus
    whose evaluation falls behind, with a group whose first slot is known to be far off."""
    hour_ns = 3600 * 10**9
    now = time.time_ns()
    name = next(f"late-{i}" for i in range(1000)
                if _first_slot(f"late-{i}", str(prometheus.rules_dir / "late.rules.yml"),
                               hour_ns, now) - now > 120 * 10**9)
    build = project_with_build(tmp_path / "project", {
        "late.rules.yml": recording(name, "obsgen_test:late", "vector(6)", interval="1h")})
    with Session(prometheus.url, policy=RetryPolicy(attempts=2, timeout=10)) as session:
        report = deploy_prometheus(session, read_rule_files(build / "build"), PrometheusOptions(
            prometheus.rules_dir, prometheus.url, verify_timeout=0, poll_interval=0.5,
            project=PROJECT, evaluation_margin=-3597), find_promtool())
    assert [(d.code, d.severity.value) for d in report.diagnostics] == [("OBS535", "error")]
    assert f"late.rules.yml: {name}" in report.diagnostics[0].message
    # Loaded, not rolled back: only its first evaluation was not seen.
    assert name in prometheus.rules() and not evaluated(prometheus, name)
    assert not prometheus.rollback_dir.exists()
