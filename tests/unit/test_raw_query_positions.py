"""Findings inside raw PromQL strings written in definitions point at the metric, matcher or
range inside the string literal (issue 18, item 2): in an alert, a dashboard panel target and
a runbook step; in multi-line, triple-quoted, implicitly concatenated and escaped literals. A
helper-built query keeps the line of its definition. Runs the real CLI on a copy of the
example project with these definitions added."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_DEFINITIONS, OBSGEN_TOML, run_obsgen  # tests/ is on sys.path

ALERTS = '''

RAW_TYPO = AlertRule(
    "RawTypo",
    expr='sum(rate(hypertool_persona_switches_totl[5m])) > 1',
    for_="5m", severity="warning", summary="s", description="d",
)
RAW_SPLIT = AlertRule(
    "RawSplit",
    expr=(
        "sum(rate(hypertool_workflow_quality_gate_total"
        '{result="PASSED"}[30s]))'
        "\\n > 1"
    ),
    for_="5m", severity="warning", summary="s", description="d",
)
RAW_TRIPLE = AlertRule("RawTriple", expr="""
sum(
  rate(hypertool_workflow_quality_gate_total{result="broken"}[5m])
) > 1""", for_="5m", severity="warning", summary="s", description="d")
RAW_ESCAPED = AlertRule(
    "RawEscaped",
    expr="sum(rate(hypertool_workflow_quality_gate_total{stage=\\"x\\", result=\\"bad\\"}[5m]))",
    for_="5m", severity="warning", summary="s", description="d",
)
HELPER_BUILT = AlertRule(
    "HelperBuilt",
    expr=rate(QUALITY_GATE, "30s").sum() > 1,
    for_="5m", severity="warning", summary="s", description="d",
)
RAW_GROUP = RuleGroup(
    "raw-queries", file="raw",
    rules=[RAW_TYPO, RAW_SPLIT, RAW_TRIPLE, RAW_ESCAPED, HELPER_BUILT],
)
'''

DASHBOARD = '''"""Raw PromQL in panel targets."""

from grafanalib.core import Target

from obsgen import Dashboard, Row, TimeSeries

from .folders import HYPERTOOL

RAW_PANEL = TimeSeries(
    title="Raw",
    targets=[
        Target(expr='sum(rate(hypertool_persona_tokens_used_totl[5m]))'),
        Target(expr='sum(rate(hypertool_workflow_quality_gate_total{result="FAILED"}[5m]))'),
    ],
)

RAW_DASHBOARD = Dashboard(
    uid="raw-queries",
    title="Raw queries",
    folder=HYPERTOOL,
    rows=[Row("Raw", [RAW_PANEL])],
)
'''

RUNBOOK = '''

RAW_RUNBOOK = Runbook(
    RAW_TYPO,
    description="Raw queries in steps.",
    investigation=[
        Step(
            "Look at the switches.",
            query='sum by (persona) (rate(hypertool_persona_switchs_total[5m]))',
        ),
        Step(
            "Look at failed gates.",
            query=(
                "sum(rate(hypertool_workflow_quality_gate_total"
                ' {result="Failed"}[5m]))'
            ),
        ),
    ],
)
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("raw") / "project"
    root.mkdir()
    (root / "obsgen.toml").write_text(OBSGEN_TOML, encoding="utf-8")
    definitions = root / "definitions"
    shutil.copytree(EXAMPLE_DEFINITIONS, definitions,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    alerts = definitions / "alerts.py"
    alerts.write_text(alerts.read_text(encoding="utf-8") + "from .metrics import QUALITY_GATE\n"
                      + ALERTS, encoding="utf-8")
    (definitions / "dashboards" / "raw.py").write_text(DASHBOARD, encoding="utf-8")
    runbooks = definitions / "runbooks.py"
    runbooks.write_text(runbooks.read_text(encoding="utf-8")
                        + "from .alerts import RAW_TYPO\n" + RUNBOOK, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def findings(project: Path) -> list[dict[str, Any]]:
    result = run_obsgen("build", "--output-format", "json", cwd=project)
    assert result.exit_code == 1, result.describe()
    return result.diagnostics()


def place_of(project: Path, file: str, needle: str, nth: int = 0) -> tuple[str, int, int]:
    """1-based line and column of the `nth` occurrence of `needle` in a definitions file,
    found independently of obsgen."""
    lines = (project / "definitions" / file).read_text(encoding="utf-8").splitlines()
    hits = [(number, line.index(needle) + 1) for number, line in enumerate(lines, start=1)
            if needle in line]
    number, column = hits[nth]
    return file, number, column


def at(findings: list[dict[str, Any]], code: str, words: str) -> set[tuple[str, int, int]]:
    return {(d["location"]["path"].removeprefix("definitions/"), d["location"]["line"],
             d["location"]["column"])
            for d in findings if d["code"] == code and words in d["message"]}


def hint(findings: list[dict[str, Any]], code: str, words: str) -> str:
    (found,) = [d for d in findings if d["code"] == code and words in d["message"]]
    return str(found["hint"])


def test_unknown_metric_in_an_alert_string_at_the_metric(
        project: Path, findings: list[dict[str, Any]]) -> None:
    assert at(findings, "OBS116", "RawTypo: metric") == {
        place_of(project, "alerts.py", "hypertool_persona_switches_totl")}
    assert "did you mean 'hypertool_persona_switches_total'?" in hint(
        findings, "OBS116", "RawTypo: metric")


def test_concatenated_literal_places_matcher_and_range_on_their_own_line(
        project: Path, findings: list[dict[str, Any]]) -> None:
    assert at(findings, "OBS110", "RawSplit") == {
        place_of(project, "alerts.py", 'result="PASSED"')}
    assert at(findings, "OBS926", "RawSplit") == {place_of(project, "alerts.py", "30s]))")}


def test_label_value_differing_in_case_gets_the_declared_one(
        findings: list[dict[str, Any]]) -> None:
    assert hint(findings, "OBS110", "RawSplit").endswith("did you mean 'passed'?")
    assert "did you mean" not in hint(findings, "OBS110", "broken")


def test_triple_quoted_literal_places_the_matcher_on_a_later_line(
        project: Path, findings: list[dict[str, Any]]) -> None:
    assert at(findings, "OBS110", "broken") == {
        place_of(project, "alerts.py", 'result="broken"')}


def test_escaped_quotes_shift_the_column(project: Path, findings: list[dict[str, Any]]) -> None:
    # `\\"` is two characters in the file for one in the query
    assert at(findings, "OBS110", "RawEscaped") == {
        place_of(project, "alerts.py", 'result=\\"bad')}


def test_helper_built_query_stays_at_its_definition(
        project: Path, findings: list[dict[str, Any]]) -> None:
    line = place_of(project, "alerts.py", "HELPER_BUILT = AlertRule(")[1]
    assert at(findings, "OBS926", "HelperBuilt") == {("alerts.py", line, 0)}


def test_panel_target_strings(project: Path, findings: list[dict[str, Any]]) -> None:
    raw = "dashboards/raw.py"
    assert at(findings, "OBS116", "hypertool_persona_tokens_used_totl") == {
        place_of(project, raw, "hypertool_persona_tokens_used_totl")}
    assert "did you mean 'hypertool_persona_tokens_used_total'?" in hint(
        findings, "OBS116", "hypertool_persona_tokens_used_totl")
    assert at(findings, "OBS110", "FAILED") == {place_of(project, raw, 'result="FAILED"')}
    assert hint(findings, "OBS110", "FAILED").endswith("did you mean 'failed'?")


def test_runbook_step_strings(project: Path, findings: list[dict[str, Any]]) -> None:
    assert at(findings, "OBS116", "hypertool_persona_switchs_total") == {
        place_of(project, "runbooks.py", "hypertool_persona_switchs_total")}
    assert "did you mean 'hypertool_persona_switches_total'?" in hint(
        findings, "OBS116", "hypertool_persona_switchs_total")
    assert at(findings, "OBS110", "'Failed'") == {
        place_of(project, "runbooks.py", 'result="Failed"')}
    assert hint(findings, "OBS110", "'Failed'").endswith("did you mean 'failed'?")


def test_helper_label_value_differing_in_case_gets_the_declared_one() -> None:
    from obsgen import Counter, Label
    from obsgen.diagnostics import DefinitionError

    requests = Counter("app_requests_total", help="Requests.",
                       labels=[Label("code", values=("5xx", "4xx"))])
    with pytest.raises(DefinitionError) as raised:
        requests.where(code="5XX")
    assert (raised.value.hint or "").endswith("did you mean '5xx'?")


def test_every_escape_kind_maps_to_its_source_characters(tmp_path: Path) -> None:
    from obsgen.check.promql.literal_positions import placer
    from obsgen.diagnostics import Location

    source = tmp_path / "defs.py"
    # \x41, \N{...}, octal \101, \" and a backslash-newline continuation, then a raw part
    source.write_text('X = f(\n    "a\\x41b\\N{BULLET}c\\101d\\"e\\\nfg"  r"\\dh"\n)\n',
                      encoding="utf-8")
    text = "aAb\N{BULLET}cAd\"efg\\dh"
    place = placer(text, Location(str(source), 1))
    assert place is not None
    lines = source.read_text(encoding="utf-8").splitlines()

    def found(offset: int) -> tuple[int, str]:
        where = place(offset)
        return where.line, lines[where.line - 1][where.column - 1:]

    assert found(text.index("A")) == (2, '\\x41b\\N{BULLET}c\\101d\\"e\\')
    assert found(text.index("b")) == (2, 'b\\N{BULLET}c\\101d\\"e\\')
    assert found(text.index("c"))[1].startswith("c\\101")
    assert found(text.index("d"))[1].startswith('d\\"e')
    assert found(text.index('"'))[1].startswith('\\"e')
    assert found(text.index("f")) == (3, 'fg"  r"\\dh"')
    assert found(text.index("\\")) == (3, '\\dh"')
    assert found(text.index("h")) == (3, 'h"')


def test_no_literal_no_place(tmp_path: Path) -> None:
    from obsgen.check.promql.literal_positions import placer
    from obsgen.diagnostics import Location

    source = tmp_path / "defs.py"
    source.write_text('Q = "up"\nX = f(expr=q + "x", other=f"{Q} > 1")\n', encoding="utf-8")
    assert placer("up > 1", Location(str(source), 2)) is None
    assert placer("up", Location(str(source), 2)) is not None  # the one literal of the file
