"""The metrics reference page of the runbook site, and dead instrumentation (OBS118)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen import scaffold
from obsgen.build import compile_project
from obsgen.config import load_config

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

PAGE = "runbooks/reference/metrics.md"

RECORDED = '''
from obsgen import Gauge, RecordingRule, RuleGroup, rate

QUEUE = Gauge("myapp_queue_depth", help="Jobs waiting.", labels=["queue"])
IDLE = Gauge("myapp_idle_workers", help="Workers with nothing to do.")
ROUTE_RATE = RecordingRule("route:myapp_http_requests:rate5m",
                           expr=rate(REQUESTS, "5m").sum(by="route"))
QUEUES = RuleGroup("myapp-recorded", rules=[ROUTE_RATE,
                   RecordingRule("myapp:queue_depth:max", expr=QUEUE.selector().max())])
'''


def small_project(root: Path) -> Path:
    scaffold.create(root)
    with (root / "definitions" / "metrics.py").open("a", encoding="utf-8") as f:
        f.write(RECORDED)
    return root


def page_of(project: Path) -> str:
    compiled = compile_project(load_config(project))
    assert compiled.ok, compiled.diagnostics
    return compiled.artifacts[PAGE]


def section(page: str, metric: str) -> str:
    return page.split(f"\n## {metric}\n", 1)[1].split("\n## ", 1)[0]


def test_example_page_lists_metric_facts_and_every_reader(example_project: Path) -> None:
    page = page_of(example_project)
    gate = section(page, "hypertool_workflow_quality_gate_total")
    assert "Quality-gate evaluations at the end of a workflow stage, by result." in gate
    assert "- Type: counter" in gate
    assert "| `result`   | `passed`, `failed` |" in gate
    assert "| `workflow` | any (open set)" in gate
    assert ("- Alert [HighQualityGateFailureRate]"
            "(../persona.md#highqualitygatefailurerate)") in gate
    assert ('- Panel "Quality gate success rate" on dashboard Workflow Performance '
            "(`grafana/hypertool/hypertool-workflow-performance.json`)") in gate
    assert ("- Runbook of [HighQualityGateFailureRate](../persona.md#highqualitygatefailurerate)"
            ", step 1") in gate
    stage = section(page, "hypertool_workflow_stage_duration_seconds")
    assert "- Unit: seconds" in stage
    assert "- Buckets: 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600 (and +Inf)" in stage
    budget = section(page, "hypertool_persona_token_budget_remaining")
    assert "- Bounds: 0 to +Inf; a value outside is refused" in budget
    assert "- Alert [TokenBudgetExceeded](../persona.md#tokenbudgetexceeded)" in budget
    assert re.search(r"^\| \[hypertool_persona_info\]\(#hypertool_persona_info\) +\| info +\| "
                     r"- +\| 2 +\|$", page, re.MULTILINE)


def test_recording_rules_and_unread_metrics(tmp_path: Path) -> None:
    page = page_of(small_project(tmp_path / "svc"))
    requests = section(page, "myapp_http_requests_total")
    assert ("- Recording rule `route:myapp_http_requests:rate5m` (group myapp-recorded, "
            "`prometheus/myapp-recorded.rules.yml`)") in requests
    assert "- Alert [HighErrorRate](../my-app.md#higherrorrate)" in requests
    assert "- Recording rule `myapp:queue_depth:max`" in section(page, "myapp_queue_depth")
    idle = section(page, "myapp_idle_workers")
    assert "- nothing: no alert, recording rule, panel or runbook step reads this metric" in idle
    assert "No labels." in idle


def test_dead_instrumentation_is_a_warning_in_check(tmp_path: Path, obsgen: RunObsgen) -> None:
    root = small_project(tmp_path / "svc")
    result = obsgen("check", "--output-format", "json", cwd=root)
    assert result.exit_code == 0, result.describe()
    dead = [d for d in result.diagnostics() if d["code"] == "OBS118"]
    assert len(dead) == 1, result.describe()
    assert dead[0]["severity"] == "warning"
    assert dead[0]["message"].startswith("gauge myapp_idle_workers is read by no alert")
    text = (root / "definitions" / "metrics.py").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("IDLE = "))
    assert dead[0]["location"]["line"] == line
    assert dead[0]["location"]["path"].endswith("definitions/metrics.py")


def test_example_project_has_no_dead_instrumentation(example_project: Path,
                                                     obsgen: RunObsgen) -> None:
    result = obsgen("check", "--output-format", "json", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    assert not [d for d in result.diagnostics() if d["code"] in ("OBS118", "OBS119")]


@pytest.mark.integration
def test_site_builds_strict_with_the_reference_page(example_project: Path,
                                                    obsgen: RunObsgen) -> None:
    result = obsgen("docs", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    html = (example_project / "build/site/reference/metrics/index.html").read_text("utf-8")
    assert 'href="../../persona/#tokenbudgetexceeded"' in html
    assert 'id="hypertool_persona_token_budget_remaining"' in html
    assert "Metrics reference" in (example_project / "build/site/index.html").read_text("utf-8")


def test_page_is_an_mdformat_fixed_point(example_project: Path, tmp_path: Path) -> None:
    import mdformat

    for page in (page_of(example_project), page_of(small_project(tmp_path / "svc"))):
        assert mdformat.text(page, extensions={"tables"}) == page
