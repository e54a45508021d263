"""`obsgen verify --prometheus` against a real Prometheus (Debian's package) that has not loaded
the project's rules, whose second target is down, and whose app emits only some series: every
group is reported not loaded, the down target is named, and a query that returns nothing says
which selector or matcher matched no series."""

from __future__ import annotations

import contextlib
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from conftest import EXAMPLE_DEFINITIONS, OBSGEN_TOML, run_obsgen
from servers import free_port, stop_server

pytestmark = pytest.mark.integration


@contextlib.contextmanager
def app() -> Iterator[str]:
    """Only passed quality gates, the budget gauge, and a persona label outside its set."""
    registry = CollectorRegistry()
    gate = Counter("hypertool_workflow_quality_gate_total", "Gates.",
                   ["workflow", "stage", "result"], registry=registry)
    gate.labels("ci", "lint", "passed").inc()
    budget = Gauge("hypertool_persona_token_budget_remaining", "Budget.", ["persona"],
                   registry=registry)
    budget.labels("data-scientist").set(5)
    budget.labels("intern").set(5)
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("prometheus")
    with app() as target:
        config = workdir / "prometheus.yml"
        config.write_text(yaml.safe_dump({
            "global": {"scrape_interval": "1s"},
            "scrape_configs": [{"job_name": "hypertool", "static_configs": [
                {"targets": [target, f"127.0.0.1:{free_port()}"]}]}],
        }), encoding="utf-8")
        port, log = free_port(), workdir / "prometheus.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["/usr/bin/prometheus", f"--config.file={config}",
                 f"--storage.tsdb.path={workdir / 'tsdb'}",
                 f"--web.listen-address=127.0.0.1:{port}"],
                stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while not scraped(url):
                assert process.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, "no scrape within 60 s"
                time.sleep(0.5)
            yield url
        finally:
            stop_server(process)


def scraped(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "count(up) == 2 and count(up == 0) == 1 and "
                                             "count(hypertool_persona_token_budget_remaining)"})
    try:
        with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=2) as response:
            return b'"result":[{' in response.read()
    except OSError:
        return False


@pytest.fixture(scope="module")
def findings(prometheus: str, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    root = tmp_path_factory.mktemp("project")
    (root / "obsgen.toml").write_text(OBSGEN_TOML, encoding="utf-8")
    (root / "definitions").symlink_to(EXAMPLE_DEFINITIONS)
    result = run_obsgen("verify", "--prometheus", prometheus, "--output-format", "json",
                        cwd=root)
    assert result.exit_code == 1, result.describe()
    return result.diagnostics()


def messages(findings: list[dict[str, Any]], code: str) -> list[str]:
    return [d["message"] for d in findings if d["code"] == code]


def test_groups_not_loaded(findings: list[dict[str, Any]]) -> None:
    assert sorted(messages(findings, "OBS558")) == [
        "rule group 'hypertool-persona-alerts' is not loaded in Prometheus",
        "rule group 'hypertool-system-health' is not loaded in Prometheus",
        "rule group 'hypertool-token-forecasting' is not loaded in Prometheus",
        "rule group 'slo-quality-gate-pass' is not loaded in Prometheus",
        "rule group 'slo-quality-gate-pass-ticket' is not loaded in Prometheus",
        "rule group 'slo-workflow-stage-latency' is not loaded in Prometheus",
        "rule group 'slo-workflow-stage-latency-ticket' is not loaded in Prometheus"]


def test_down_target_is_named(findings: list[dict[str, Any]]) -> None:
    (down,) = messages(findings, "OBS559")
    assert down.startswith("target http://127.0.0.1:") and "of job 'hypertool' is down" in down


def test_empty_query_names_the_selector_or_matcher(findings: list[dict[str, Any]]) -> None:
    empty = messages(findings, "OBS557")
    assert ("alert HighQualityGateFailureRate returns nothing: "
            "hypertool_workflow_quality_gate_total exists, but no series has result=\"failed\""
            ) in empty
    assert ("alert LangfuseIntegrationFailing returns nothing: "
            "langfuse_traces_created_total has no series") in empty
    # TokenBudgetExceeded's selector matches series; the alert simply does not fire.
    assert not [m for m in empty if m.startswith("alert TokenBudgetExceeded")]
    assert not messages(findings, "OBS550")


def test_label_values_outside_closed_sets(findings: list[dict[str, Any]]) -> None:
    assert messages(findings, "OBS555") == [
        "Prometheus holds hypertool_persona_token_budget_remaining{persona=...} with undeclared "
        "value(s) 'intern'"]


def test_verify_is_read_only(prometheus: str, findings: list[dict[str, Any]]) -> None:
    """Nothing in the run may have written: the server has no rules and the same series."""
    with urllib.request.urlopen(f"{prometheus}/api/v1/rules", timeout=5) as response:
        assert b'"groups":[]' in response.read()
