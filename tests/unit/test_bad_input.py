"""Bad input: every class of broken definition gives exit 1, one diagnostic with the right
code at the user's exact line with a hint, no traceback, and leaves the previous build/ as it
was. Environment problems (no promtool, no project) give exit 2.

Each test breaks a private copy of the example project (see conftest.py), writes the offending
construct on a line tagged with a marker comment, and computes the expected line by searching
the file text for that marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

JSON = ("--output-format", "json")
MARK = "# <-- BAD"


# helpers ------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Project:
    """A copy of the example project that has been built successfully once."""

    root: Path
    build: dict[str, bytes]
    entries: frozenset[str]

    def file(self, name: str) -> Path:
        return self.root / "definitions" / name

    def append(self, name: str, code: str) -> str:
        """Append `code` to definitions/`name`; returns the file's new text."""
        path = self.file(name)
        text = path.read_text(encoding="utf-8")
        text = text + ("" if text.endswith("\n") else "\n") + "\n" + code.strip("\n") + "\n"
        path.write_text(text, encoding="utf-8")
        return text

    def replace(self, name: str, old: str, new: str) -> str:
        """Replace the one occurrence of `old` in definitions/`name`; returns the new text."""
        path = self.file(name)
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return text


def line_of(text: str, needle: str = MARK) -> int:
    """The 1-based number of the one line of `text` that contains `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}, expected exactly one"
    return hits[0]


@pytest.fixture
def project(example_project: Path, obsgen: RunObsgen) -> Project:
    """The example project, built once successfully, with a snapshot of its build/."""
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    build = snapshot(example_project / "build")
    assert build, "the first build wrote nothing"
    return Project(example_project, build, frozenset(p.name for p in example_project.iterdir()))


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output, result.describe()


def assert_build_intact(project: Project) -> None:
    """build/ holds exactly the bytes of the last good build, and no staging folder is left."""
    assert snapshot(project.root / "build") == project.build
    assert {p.name for p in project.root.iterdir()} == project.entries


def assert_one_error(result: Result, code: str, file: str, line: int,
                     exit_code: int = 1) -> dict[str, Any]:
    """`result` failed with exactly one error, `code`, at definitions/`file`:`line`, with a
    hint; returns that diagnostic."""
    assert result.exit_code == exit_code, result.describe()
    assert_no_traceback(result)
    errors = [d for d in result.diagnostics() if d["severity"] == "error"]
    assert [d["code"] for d in errors] == [code], result.describe()
    (found,) = errors
    assert isinstance(found["hint"], str), found
    assert found["hint"].strip(), found
    assert found["message"].strip(), found
    location = found["location"]
    assert location is not None, found
    assert Path(location["path"]).as_posix().endswith(f"definitions/{file}"), found
    assert location["line"] == line, found
    return found


def build_rejected(project: Project, obsgen: RunObsgen, code: str, file: str,
                   line: int) -> dict[str, Any]:
    """Run `obsgen build` on the broken project and check everything a rejection must be."""
    result = obsgen("build", *JSON, cwd=project.root)
    found = assert_one_error(result, code, file, line)
    assert_build_intact(project)
    return found


# 1. Python syntax error ---------------------------------------------------------------------


def test_syntax_error(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("metrics.py", f"""
BROKEN = Counter(
    "hypertool_broken_total",
    help="Never parsed.",
    labels=[persona chatmode],  {MARK}
)
""")
    found = build_rejected(project, obsgen, "OBS001", "metrics.py", line_of(text))
    assert found["location"]["column"] > 0


# 2. An exception while a definition is built ------------------------------------------------


def test_exception_while_building_a_definition(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
FOR_DURATIONS = {{"fast": "1m"}}

SLOW_ALERT = AlertRule(
    "SlowAlert",
    expr=TOKEN_BUDGET_REMAINING.selector() < 10,
    for_=FOR_DURATIONS["slow"],  {MARK}
    severity="warning",
    summary="s",
    description="d",
)
""")
    found = build_rejected(project, obsgen, "OBS002", "alerts.py", line_of(text))
    assert "KeyError" in found["message"]


def test_exception_in_a_helper_points_at_the_helper_line(project: Project,
                                                          obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
def threshold(budget):
    return 1 / budget  {MARK}


NO_BUDGET = AlertRule(
    "NoBudget",
    expr=TOKEN_BUDGET_REMAINING.selector() < threshold(0),
    severity="warning",
    summary="s",
    description="d",
)
""")
    found = build_rejected(project, obsgen, "OBS002", "alerts.py", line_of(text))
    assert "ZeroDivisionError" in found["message"]


# 3. Duplicate metric name -------------------------------------------------------------------


def test_duplicate_metric_name(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("metrics.py", f"""
TOKENS_USED_AGAIN = Counter(  {MARK}
    "hypertool_persona_tokens_used_total",
    help="The same counter declared a second time.",
    labels=[persona, chatmode, model],
)
""")
    found = build_rejected(project, obsgen, "OBS106", "metrics.py", line_of(text))
    first = line_of(text, "TOKENS_USED = Counter(")
    assert f"metrics.py:{first}" in found["message"]


def test_duplicate_metric_name_with_other_labels(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("metrics.py", f"""
TOKENS_USED_AGAIN = Counter(  {MARK}
    "hypertool_persona_tokens_used_total",
    help="The same counter declared a second time, with fewer labels.",
    labels=[persona],
)
""")
    build_rejected(project, obsgen, "OBS106", "metrics.py", line_of(text))


# 4. Counter without _total ------------------------------------------------------------------


def test_counter_without_total_suffix(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("metrics.py", f"""
REQUESTS = Counter(  {MARK}
    "hypertool_requests",
    help="Requests served.",
    labels=[persona],
)
""")
    found = build_rejected(project, obsgen, "OBS102", "metrics.py", line_of(text))
    assert "hypertool_requests_total" in found["hint"]


# 5. Label declared twice --------------------------------------------------------------------


def test_label_declared_twice(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("metrics.py", f"""
REQUESTS = Counter(  {MARK}
    "hypertool_requests_total",
    help="Requests served.",
    labels=[persona, chatmode, Label("persona")],
)
""")
    found = build_rejected(project, obsgen, "OBS107", "metrics.py", line_of(text))
    assert "persona" in found["message"]


# 6. Undeclared label value in a rule test's series ------------------------------------------


def test_undeclared_label_value_in_raw_series(project: Project, obsgen: RunObsgen) -> None:
    raw = 'hypertool_workflow_quality_gate_total{workflow="w",stage="s",result="fail"}'
    text = project.append("alert_tests.py", f"""
GATES_MISSPELT = RuleTest(
    "a raw series with an undeclared result value",
    series=[
        Series({raw!r}, "0+1x10"),  {MARK}
    ],
    expect=[ExpectAlert(HIGH_QUALITY_GATE_FAILURE_RATE, at="10m")],
)
""")
    found = build_rejected(project, obsgen, "OBS110", "alert_tests.py", line_of(text))
    assert "'fail'" in found["message"]
    assert "failed" in found["hint"]


def test_undeclared_label_value_via_typed_helper(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alert_tests.py", f"""
GATES_MISSPELT = RuleTest(
    "a typed series with an undeclared result value",
    series=[
        Series(
            QUALITY_GATE.where(workflow="w", stage="s", result="fail"),  {MARK}
            "0+1x10",
        ),
    ],
    expect=[ExpectAlert(HIGH_QUALITY_GATE_FAILURE_RATE, at="10m")],
)
""")
    found = build_rejected(project, obsgen, "OBS110", "alert_tests.py", line_of(text))
    assert "failed" in found["hint"]


# 7. Duplicate alert name in one group -------------------------------------------------------


def test_duplicate_alert_name_in_group(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
TOKEN_BUDGET_EXCEEDED_AGAIN = AlertRule(  {MARK}
    "TokenBudgetExceeded",
    expr=TOKEN_BUDGET_REMAINING.selector() <= 10,
    for_="5m",
    severity="warning",
    summary="Budget almost gone",
    description="Budget almost gone.",
)

DUPLICATES = RuleGroup(
    "duplicates",
    rules=[TOKEN_BUDGET_EXCEEDED, TOKEN_BUDGET_EXCEEDED_AGAIN],
)
""")
    found = build_rejected(project, obsgen, "OBS204", "alerts.py", line_of(text))
    assert "TokenBudgetExceeded" in found["message"]


# 8. Missing summary or description ----------------------------------------------------------


@pytest.mark.parametrize("missing", ["summary", "description"])
def test_alert_without_summary_or_description(project: Project, obsgen: RunObsgen,
                                              missing: str) -> None:
    fields = {"summary": '    summary="Budget low",\n',
              "description": '    description="The budget is low.",\n'}
    del fields[missing]
    text = project.append("alerts.py", f"""
BUDGET_LOW = AlertRule(  {MARK}
    "BudgetLow",
    expr=TOKEN_BUDGET_REMAINING.selector() < 100,
    severity="warning",
{"".join(fields.values())})
""")
    found = build_rejected(project, obsgen, "OBS203", "alerts.py", line_of(text))
    assert missing in found["message"]


# 9. Bad duration ----------------------------------------------------------------------------


def test_bad_duration(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
BUDGET_LOW = AlertRule(  {MARK}
    "BudgetLow",
    expr=TOKEN_BUDGET_REMAINING.selector() < 100,
    for_="5 minutes",
    severity="warning",
    summary="Budget low",
    description="The budget is low.",
)
""")
    found = build_rejected(project, obsgen, "OBS201", "alerts.py", line_of(text))
    assert "5 minutes" in found["message"]


# 10. Severity outside the project's set -----------------------------------------------------


def test_severity_outside_the_set(project: Project, obsgen: RunObsgen) -> None:
    text = project.replace("alerts.py", '    severity="info",\n', '    severity="page",\n')
    line = line_of(text, "TOKEN_BUDGET_DEPLETION_PREDICTED = AlertRule(")
    found = build_rejected(project, obsgen, "OBS202", "alerts.py", line)
    assert "'page'" in found["message"]
    assert "critical" in found["hint"]


# 11. PromQL that does not parse (found by `obsgen build`) ------------------------------------


def test_promql_that_does_not_parse(project: Project, obsgen: RunObsgen) -> None:
    text = project.append("alerts.py", f"""
TOKENS_BY_PERSONA = AlertRule(  {MARK}
    "TokensByPersona",
    expr="sum(rate(hypertool_persona_tokens_used_total[5m]) by (persona)",
    for_="5m",
    severity="warning",
    summary="Unbalanced parentheses",
    description="No PromQL parser accepts this expression.",
)

BROKEN_PROMQL = RuleGroup("broken-promql", file="broken-promql", rules=[TOKENS_BY_PERSONA])

from obsgen import Runbook  # every grouped alert needs a runbook (OBS702)
TOKENS_BY_PERSONA_RUNBOOK = Runbook(TOKENS_BY_PERSONA, description="Fix the parentheses.")
""")
    # At the expression's string literal, not at the AlertRule( line.
    found = build_rejected(project, obsgen, "OBS213", "alerts.py",
                           line_of(text, 'expr="sum(rate(hypertool_persona_tokens_used_total'))
    assert "TokensByPersona" in found["message"]


# 11b. PromQL that parses but promtool 2.42 rejects (found only by `obsgen check`) -------------


@pytest.mark.integration
def test_promql_rejected_by_promtool(project: Project, obsgen: RunObsgen) -> None:
    # sort_by_label() parses with the promql-parser package but is unknown to Prometheus 2.42.
    text = project.append("alerts.py", f"""
SORTED_BUDGETS = AlertRule(  {MARK}
    "SortedBudgets",
    expr='sort_by_label(hypertool_persona_token_budget_remaining, "persona") <= 0',
    for_="5m",
    severity="warning",
    summary="A function this Prometheus does not have",
    description="promtool 2.42 rejects sort_by_label().",
)

BROKEN_PROMQL = RuleGroup("broken-promql", file="broken-promql", rules=[SORTED_BUDGETS])

from obsgen import Runbook  # every grouped alert needs a runbook (OBS702)
SORTED_BUDGETS_RUNBOOK = Runbook(SORTED_BUDGETS, description="Use a 2.42 function.")
""")
    result = obsgen("check", *JSON, cwd=project.root)
    found = assert_one_error(result, "OBS303", "alerts.py", line_of(text))
    assert "build/prometheus/broken-promql.rules.yml" in found["hint"]
    assert "sort_by_label" in found["message"]
    assert_build_intact(project)


# 12. promtool missing -----------------------------------------------------------------------


def test_promtool_missing(project: Project, obsgen: RunObsgen) -> None:
    result = obsgen("check", *JSON, cwd=project.root, env={"PROMTOOL": "/nonexistent"})
    assert result.exit_code == 2, result.describe()
    assert_no_traceback(result)
    codes = [d["code"] for d in result.diagnostics()]
    assert codes == ["OBS301"], result.describe()
    (found,) = result.diagnostics()
    assert "/nonexistent" in found["message"]
    assert "make setup" in (found["hint"] or "")
    assert_build_intact(project)


# 13. No project -----------------------------------------------------------------------------


def test_no_project_found(tmp_path: Path, obsgen: RunObsgen) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = obsgen("build", *JSON, cwd=empty)
    assert result.exit_code == 2, result.describe()
    assert_no_traceback(result)
    codes = [d["code"] for d in result.diagnostics()]
    assert codes == ["OBS003"], result.describe()
    (found,) = result.diagnostics()
    assert (found["hint"] or "").strip()
    assert list(empty.iterdir()) == [], "a failed project lookup wrote files"
