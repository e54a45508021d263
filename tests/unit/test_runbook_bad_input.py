"""Bad runbook input: one error with its code at the user's line, a hint, exit 1, no traceback,
build/ left as it was (see test_bad_input.py for the helpers and the project fixture)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_bad_input import (  # tests/unit is on sys.path (pytest's rootdir-relative import)
    JSON,
    MARK,
    Project,
    assert_build_intact,
    assert_one_error,
    build_rejected,
    line_of,
    snapshot,
)

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

ALERT = """\
    expr=TOKEN_BUDGET_REMAINING.selector() < 10,
    for_="5m",
    severity="warning",
    summary="s",
    description="d",
)"""


@pytest.fixture
def project(example_project: Path, obsgen: RunObsgen) -> Project:
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    return Project(example_project, snapshot(example_project / "build"),
                   frozenset(p.name for p in example_project.iterdir()))


def test_alert_without_runbook(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
UNDOCUMENTED = AlertRule(  {MARK}
    "Undocumented",
{ALERT}

UNDOCUMENTED_GROUP = RuleGroup("undocumented", rules=[UNDOCUMENTED])
""")
    found = build_rejected(project, obsgen, "OBS702", "alerts.py", line_of(text))
    assert "Undocumented" in found["message"]
    assert "Runbook(Undocumented" in found["hint"]


def test_runbook_for_an_alert_in_no_group(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("runbooks.py", f"""
from obsgen import AlertRule

GHOST = AlertRule(
    "Ghost",
{ALERT}

GHOST_RUNBOOK = Runbook(  {MARK}
    GHOST, description="Nobody evaluates this alert.", investigation=[Step("Look.")])
""")
    found = build_rejected(project, obsgen, "OBS703", "runbooks.py", line_of(text))
    assert "Ghost" in found["message"]


def test_related_alert_that_is_in_no_group(project: Project, obsgen: RunObsgen) -> None:
    project.replace("runbooks.py", 'PROM = "promtool', f"""from obsgen import AlertRule

GHOST = AlertRule(
    "Ghost",
{ALERT}

PROM = "promtool""")
    text = project.replace("runbooks.py", "related=[SLOW_WORKFLOW_STAGE],",
                           "related=[SLOW_WORKFLOW_STAGE, GHOST],")
    line = line_of(text, "HIGH_QUALITY_GATE_FAILURE_RATE_RUNBOOK = Runbook(")
    found = build_rejected(project, obsgen, "OBS704", "runbooks.py", line)
    assert "Ghost" in found["message"]


def _step_query(project: Project, query: str) -> str:
    project.replace("runbooks.py", "        Step(\n            \"Check whether the burn",
                    f"        Step(  {MARK}\n            \"Check whether the burn")
    return project.replace("runbooks.py", 'query=rate(TOKENS_USED, "5m").sum(by="persona"),',
                           f"query={query!r},")


def test_runbook_query_with_unknown_metric(project: Project, obsgen: RunObsgen) -> None:
    query = "sum by (persona) (rate(hypertool_persona_token_used_total[5m]))"
    text = _step_query(project, query)
    # At the metric inside the query's string literal, not at the Step( line.
    found = build_rejected(project, obsgen, "OBS116", "runbooks.py", line_of(text, query))
    assert found["location"]["column"] == 1 + text.splitlines()[line_of(text, query) - 1].index(
        "hypertool_persona_token_used_total")
    assert "hypertool_persona_tokens_used_total" in found["hint"]
    assert "TokenBudgetExceeded, step 4" in found["message"]


def test_runbook_query_with_undeclared_label_value(project: Project, obsgen: RunObsgen) -> None:
    query = 'hypertool_workflow_quality_gate_total{result="fail"}'
    text = _step_query(project, query)
    found = build_rejected(project, obsgen, "OBS110", "runbooks.py", line_of(text, query))
    assert "passed, failed" in found["hint"]


def test_runbook_query_that_does_not_parse(project: Project, obsgen: RunObsgen) -> None:
    text = _step_query(project, "sum(rate(hypertool_persona_tokens_used_total[5m])")
    build_rejected(project, obsgen, "OBS706", "runbooks.py", line_of(text))


def test_two_alerts_whose_headings_get_one_anchor(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
from obsgen import Runbook, Step

CACHE_COLD = AlertRule(
    "PromptCacheCold",
{ALERT}

CACHE_COLD_AGAIN = AlertRule(  {MARK}
    "PromptcacheCold",
{ALERT}

CACHE = RuleGroup("cache", rules=[CACHE_COLD, CACHE_COLD_AGAIN])
CACHE_COLD_RUNBOOK = Runbook(CACHE_COLD, description="d", investigation=[Step("s")])
CACHE_COLD_AGAIN_RUNBOOK = Runbook(CACHE_COLD_AGAIN, description="d", investigation=[Step("s")])
""")
    found = build_rejected(project, obsgen, "OBS707", "alerts.py", line_of(text))
    assert "#promptcachecold" in found["message"]
    assert "PromptCacheCold" in found["message"]


def _step_text(project: Project, link: str) -> str:
    project.replace("runbooks.py", "        Step(\n            \"Check the scrape target's",
                    f"        Step(  {MARK}\n            \"Check the scrape target's")
    return project.replace("runbooks.py", "(1 up, 0 down, no result: the job is gone).",
                           f"(1 up, 0 down, no result: the job is gone); see {link}.")


def test_broken_relative_link_in_a_step_fails_the_docs(project: Project,
                                                       obsgen: RunObsgen) -> None:
    """A link mkdocs --strict rejects ("not found among documentation files") is refused
    before mkdocs runs, at the step's line; no site is built."""
    text = _step_text(project, "[the targets page](targets.md)")
    result = obsgen("docs", *JSON, cwd=project.root)
    found = assert_one_error(result, "OBS708", "runbooks.py", line_of(text))
    assert "targets.md" in found["message"]
    assert_build_intact(project)
    assert not (project.root / "build" / "site").exists()


def test_link_to_a_missing_anchor_in_a_step(project: Project, obsgen: RunObsgen) -> None:
    text = _step_text(project, "[escalation](index.md#escalation)")
    found = build_rejected(project, obsgen, "OBS709", "runbooks.py", line_of(text))
    assert found["hint"] == "did you mean #escalation-path?"


def test_docs_builds_the_site_and_build_removes_it_cleanly(project: Project,
                                                            obsgen: RunObsgen) -> None:
    built = obsgen("docs", cwd=project.root)
    assert built.exit_code == 0, built.describe()
    site = project.root / "build" / "site"
    assert (site / "persona" / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    assert "(0 changed)" in built.stderr  # the site is not counted as an artifact
    rebuilt = obsgen("build", cwd=project.root)
    assert rebuilt.exit_code == 0, rebuilt.describe()
    assert "(0 changed)" in rebuilt.stderr
    assert not site.exists()  # derived output: `obsgen docs` regenerates it
    assert snapshot(project.root / "build") == project.build
