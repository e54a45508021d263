"""End to end with real components: a small simulator of the hypertool platform that emits its
metrics through the generated instrumentation module and serves /metrics on 127.0.0.1, a real
Prometheus (Debian's package) that scrapes it under the catalog's job name and evaluates the
built rule files, and `obsgen verify` run against both, first clean, then with drift.

TokenBudgetExceeded has `for: 1m` in a group evaluated every 30 s, so the alert fires 60-120 s
after start-up; the test waits for it (up to 240 s) rather than editing the built rules.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
import types
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, Counter, start_http_server

from servers import free_port, stop_server

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
PROMETHEUS = "/usr/bin/prometheus"
BUDGETS = {"backend-engineer": "2000", "frontend-engineer": "1800", "devops-engineer": "1800",
           "testing-specialist": "1500", "observability-expert": "2000", "data-scientist": "1700"}


@dataclass
class Simulator:
    """The platform's collector: every catalog metric through the generated module."""

    module: types.ModuleType
    registry: CollectorRegistry
    url: str

    def drive(self) -> None:
        m = self.module.Metrics(self.registry)
        for persona, budget in BUDGETS.items():
            m.hypertool_persona_info.set(persona=persona, token_budget=budget)
            m.hypertool_persona_tokens_used_total.inc(120, persona=persona, chatmode="agent",
                                                      model="claude")
            m.langfuse_traces_created_total.inc(persona=persona)
            m.hypertool_persona_duration_seconds.observe(42, persona=persona, chatmode="agent")
            m.hypertool_workflow_stage_duration_seconds.observe(
                3, workflow="feature", stage="implement", persona=persona)
            # data-scientist has spent its whole budget: TokenBudgetExceeded must fire.
            left = 0 if persona == "data-scientist" else int(budget) - 120
            m.hypertool_persona_token_budget_remaining.set(left, persona=persona)
        m.hypertool_persona_switches_total.inc(from_persona="none", to_persona="data-scientist",
                                               chatmode="agent")
        for result in ("passed", "failed"):
            m.hypertool_workflow_quality_gate_total.inc(workflow="feature", stage="implement",
                                                        result=result)
        self.metrics = m

    def drift(self) -> None:
        """Code that bypasses the generated module: an undeclared value, an undeclared metric."""
        gate = self.metrics.hypertool_workflow_quality_gate_total.metric
        gate.labels("feature", "implement", "fail").inc()
        Counter("hypertool_workflow_retries_total", "Retries.", registry=self.registry).inc()


def load_module(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("e2e_hypertool_metrics", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def simulator(module: types.ModuleType) -> Iterator[Simulator]:
    registry = CollectorRegistry()
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        sim = Simulator(module, registry, f"http://127.0.0.1:{port}/metrics")
        sim.drive()
        yield sim
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def prometheus(workdir: Path, rules: Path, target: str) -> Iterator[str]:
    config = workdir / "prometheus.yml"
    config.write_text(yaml.safe_dump({
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [f"{rules}/*.rules.yml"],
        "scrape_configs": [{"job_name": "hypertool", "static_configs": [{"targets": [target]}]}],
    }), encoding="utf-8")
    port, log = free_port(), workdir / "prometheus.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={workdir / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
            cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: ready(url), 60, lambda: log.read_text(errors="replace"))
        yield url
    finally:
        stop_server(process)


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def query(url: str, text: str) -> list[dict[str, Any]]:
    params = urllib.parse.urlencode({"query": text})
    with urllib.request.urlopen(f"{url}/api/v1/query?{params}", timeout=10) as response:
        result: list[dict[str, Any]] = json.load(response)["data"]["result"]
        return result


def wait_for(done: Any, within: float, explain: Any = lambda: "") -> None:
    deadline = time.monotonic() + within
    while not done():
        assert time.monotonic() < deadline, f"gave up after {within} s\n{explain()}"
        time.sleep(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    (root / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    shutil.copytree(REPO / "definitions", root / "definitions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "obsgen", "build"], cwd=root,
                          capture_output=True, text=True, check=False,
                          env={"OBSGEN_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return root


def codes(found: list[dict[str, Any]]) -> list[str]:
    return sorted(d["code"] for d in found)


def test_simulator_prometheus_and_verify(built: Path, tmp_path: Path,
                                         obsgen: RunObsgen) -> None:
    module = load_module(built / "build/python/hypertool_metrics.py")
    with simulator(module) as sim, prometheus(tmp_path, built / "build/prometheus",
                                               sim.url.split("/")[2]) as prom:
        wait_for(lambda: query(prom, 'up{job="hypertool"} == 1'), 30)
        firing = 'ALERTS{alertname="TokenBudgetExceeded",alertstate="firing"}'
        wait_for(lambda: query(prom, firing), 240)
        (alert,) = query(prom, firing)
        assert alert["metric"]["persona"] == "data-scientist"
        assert alert["metric"]["severity"] == "critical"

        clean = obsgen("verify", "--metrics", sim.url, "--prometheus", prom,
                       "--output-format", "json", cwd=built)
        assert clean.exit_code == 0, clean.describe()
        assert [d for d in clean.diagnostics() if d["severity"] == "error"] == []
        assert "OBS557" not in codes(clean.diagnostics()), clean.describe()

        sim.drift()
        wait_for(lambda: query(prom, 'hypertool_workflow_retries_total'), 30)
        drifted = obsgen("verify", "--metrics", sim.url, "--prometheus", prom,
                         "--output-format", "json", cwd=built)
        assert drifted.exit_code == 1, drifted.describe()
        found = drifted.diagnostics()
        undeclared = [d for d in found if d["code"] == "OBS554"]
        assert len(undeclared) == 1
        assert "hypertool_workflow_retries_total" in undeclared[0]["message"]
        values = [d["message"] for d in found if d["code"] == "OBS555"]
        assert any('result="fail"' in m for m in values), values  # in the scrape
        assert any("undeclared value(s) 'fail'" in m for m in values), values  # in Prometheus
        assert codes(found) == ["OBS554", "OBS555", "OBS555"], drifted.describe()
