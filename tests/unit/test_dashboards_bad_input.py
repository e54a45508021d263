"""Bad dashboard input, through the real CLI: each class gives exit 1, an error with its code at
the user's line and a hint, no traceback, and the previous build/ left as it was.

Each test adds definitions/dashboards/bad.py to a private copy of the example project, with the
offending construct on the line tagged by the marker comment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

JSON = ("--output-format", "json")
MARK = "# <-- BAD"
BAD = "dashboards/bad.py"
HEADER = """\
from grafanalib.core import Target

from obsgen import (Counter, Dashboard, Folder, Row, Stat, TimeSeries, Variable,
                    histogram_quantile, rate)

from ..metrics import QUALITY_GATE, STAGE_DURATION, TOKEN_BUDGET_REMAINING

WORKFLOW = Variable.from_label(QUALITY_GATE, "workflow", multi=True, include_all=True)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def line_of(text: str, needle: str = MARK) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def dashboard(*panels: str, variables: str = "(WORKFLOW,)", uid: str = "bad-one") -> str:
    rows = ",\n        ".join(panels)
    return f"""
BAD = Dashboard(
    uid="{uid}",
    title="Bad",
    folder=Folder("Bad"),
    variables={variables},
    rows=[Row("Bad", [
        {rows},
    ])],
)
"""


@pytest.fixture
def project(example_project: Path, obsgen: RunObsgen) -> tuple[Path, dict[str, bytes]]:
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    assert (example_project / "build" / "grafana" / "hypertool").is_dir()
    return example_project, snapshot(example_project / "build")


def write_bad(root: Path, body: str) -> str:
    text = HEADER + body
    (root / "definitions" / BAD).write_text(text, encoding="utf-8")
    return text


def errors(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.output, result.describe()
    return [d for d in result.diagnostics() if d["severity"] == "error"]


def rejected(project: tuple[Path, dict[str, bytes]], obsgen: RunObsgen, body: str, code: str
             ) -> dict[str, Any]:
    """Build with bad.py; exactly one error, `code`, at the marked line of bad.py, a hint,
    and build/ untouched."""
    root, before = project
    text = write_bad(root, body)
    result = obsgen("build", *JSON, cwd=root)
    found = errors(result)
    assert [d["code"] for d in found] == [code], result.describe()
    (diagnostic,) = found
    assert Path(diagnostic["location"]["path"]).as_posix().endswith(f"definitions/{BAD}")
    assert diagnostic["location"]["line"] == line_of(text), result.describe()
    assert (diagnostic["hint"] or "").strip(), diagnostic
    assert snapshot(root / "build") == before
    return diagnostic


def test_unknown_metric_in_a_raw_query(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=["rate(hypertool_gates_total[5m])"]),  '
                     f'{MARK}\n        TimeSeries(title="w", targets=[rate(QUALITY_GATE.where('
                     'workflow=WORKFLOW))])')
    found = rejected(project, obsgen, body, "OBS116")
    assert "hypertool_gates_total" in found["message"]


def test_metric_defined_outside_the_catalog(project: Any, obsgen: RunObsgen) -> None:
    # A metric bound to a module-level name joins the catalog; one built in a function does not.
    body = """

def stray():
    return Counter("hypertool_stray_total", help="not in the catalog")

""" + dashboard(f'TimeSeries(title="x", targets=[rate(stray())]),  {MARK}', variables="()")
    found = rejected(project, obsgen, body, "OBS116")
    assert "hypertool_stray_total" in found["message"]


def test_undeclared_label(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[rate(QUALITY_GATE.where(shard="1"))]),'
                     f'  {MARK}')
    found = rejected(project, obsgen, body, "OBS109")
    assert "shard" in found["message"]


def test_undeclared_label_value(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[rate(QUALITY_GATE.where(result="fail", '
                     f'workflow=WORKFLOW))]),  {MARK}')
    found = rejected(project, obsgen, body, "OBS110")
    assert "did you mean 'failed'" in found["hint"]


def test_undeclared_label_value_in_a_raw_query(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(
        "TimeSeries(title=\"x\", targets=['sum(rate(hypertool_workflow_quality_gate_total"
        "{result=\"fail\",workflow=~\"$workflow\"}[$__rate_interval]))']),  " + MARK)
    rejected(project, obsgen, body, "OBS110")


def test_rate_on_a_gauge(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[rate(TOKEN_BUDGET_REMAINING)]),  {MARK}',
                     variables="()")
    found = rejected(project, obsgen, body, "OBS111")
    assert "gauge" in found["message"]


def test_histogram_quantile_on_a_counter(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[histogram_quantile(0.9, QUALITY_GATE)]),'
                     f'  {MARK}', variables="()")
    found = rejected(project, obsgen, body, "OBS111")
    assert "histogram_quantile" in found["message"]


def test_duplicate_uid_is_reported_at_both_definitions(project: Any, obsgen: RunObsgen
                                                       ) -> None:
    root, before = project
    body = dashboard('TimeSeries(title="w", targets=[rate(QUALITY_GATE.where('
                     'workflow=WORKFLOW))])', uid="hypertool-persona-overview")
    text = write_bad(root, body.replace("BAD = Dashboard(", f"BAD = Dashboard(  {MARK}"))
    result = obsgen("build", *JSON, cwd=root)
    found = errors(result)
    assert [d["code"] for d in found] == ["OBS602", "OBS602"], result.describe()
    seed = (root / "definitions" / "dashboards" / "persona_overview.py").read_text()
    where = {(Path(d["location"]["path"]).name, d["location"]["line"]) for d in found}
    assert where == {("bad.py", line_of(text)),
                     ("persona_overview.py", line_of(seed, "PERSONA_OVERVIEW = Dashboard("))}
    assert all("hypertool-persona-overview" in d["message"] for d in found)
    assert snapshot(root / "build") == before


def test_variable_used_but_not_defined(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[rate(QUALITY_GATE.where('
                     f'workflow=WORKFLOW))]),  {MARK}', variables="()")
    found = rejected(project, obsgen, body, "OBS605")
    assert "$workflow" in found["message"]


def test_variable_used_in_a_raw_query_but_not_defined(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard("TimeSeries(title=\"x\", targets=['sum(rate(hypertool_workflow_quality_"
                     "gate_total{stage=~\"$stage\"}[$__rate_interval]))']),  " + MARK,
                     variables="()")
    found = rejected(project, obsgen, body, "OBS605")
    assert "$stage" in found["message"]


def test_panel_kind_grafanalib_does_not_know(project: Any, obsgen: RunObsgen) -> None:
    body = HEADER + f"""

class Sankey:
    title = "flows"


BAD = Dashboard(
    uid="bad-one",
    title="Bad",
    folder=Folder("Bad"),
    rows=[Row("Bad", [Sankey()])],  {MARK}
)
"""
    found = rejected(project, obsgen, body.removeprefix(HEADER), "OBS603")
    assert "TimeSeries" in found["hint"]


def test_legacy_grafanalib_panel_kind(project: Any, obsgen: RunObsgen) -> None:
    # grafanalib's own classes do not know their line, so the error is at their Row's.
    body = f"""
from grafanalib.core import Graph

BAD = Dashboard(
    uid="bad-one",
    title="Bad",
    folder=Folder("Bad"),
    rows=[Row("Bad", [Graph(title="old", targets=["up"])])],  {MARK}
)
"""
    found = rejected(project, obsgen, body, "OBS603")
    assert "TimeSeries" in found["hint"]


def test_non_serialisable_panel_option(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'Stat(title="x", targets=[rate(QUALITY_GATE.where(workflow=WORKFLOW))], '
                     f'decimals={{1, 2}}),  {MARK}')
    found = rejected(project, obsgen, body, "OBS604")
    assert "decimals" in found["message"]


def test_non_serialisable_value_in_extra_json(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", targets=[rate(QUALITY_GATE.where('
                     f'workflow=WORKFLOW))], extraJson={{"options": {{"x": object()}}}}),  '
                     f'{MARK}')
    rejected(project, obsgen, body, "OBS604")


def test_plain_datasource_name(project: Any, obsgen: RunObsgen) -> None:
    body = dashboard(f'TimeSeries(title="x", dataSource="Prometheus", targets=[rate('
                     f'QUALITY_GATE.where(workflow=WORKFLOW))]),  {MARK}')
    rejected(project, obsgen, body, "OBS608")
