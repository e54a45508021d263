"""Each dashboard lint rule on a bad dashboard and on its clean twin (the same dashboard with
the one defect fixed), the `obsgen lint` entry point, and `obsgen check` on emitted dashboards
(strict schema + lint, every finding an error)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dashboard_fixtures import DS, clean_dashboard, line_of, target, text_of

from obsgen.build import emit
from obsgen.check.dashboards.lint import (
    lint_dashboard,
    lint_dashboard_text,
    lint_emitted_dashboard,
    variable_refs,
)
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.project import check_dashboards, check_project
from obsgen.check.rules import promtool
from obsgen.codes import Severity
from obsgen.config import load_config
from obsgen.load import load_project

Edit = Callable[[dict[str, Any]], None]


def codes(dashboard: dict[str, Any]) -> list[str]:
    return [f.code for f in lint_dashboard_text(text_of(dashboard))]


def edited(edit: Edit) -> dict[str, Any]:
    dashboard = clean_dashboard()
    edit(dashboard)
    return dashboard


def test_the_clean_dashboard_has_no_findings() -> None:
    assert codes(clean_dashboard()) == []


def _set_expr(expr: str, panel: int = 1, **extra: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d["panels"][panel]["targets"] = [target(expr, **extra)]
    return edit


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        node = d
        for step in path[:-1]:
            node = node[step]
        if value is None:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value
    return edit


W = 'hypertool_quality_gate_total{workflow=~"$workflow"}'
# (code, defect, its fix): the fixed twin differs from the bad one only in the defect.
CASES: list[tuple[str, Edit, Edit]] = [
    ("OBS640", _set(("panels", 1, "datasource"), {"type": "prometheus", "uid": "P1809F7CD"}),
     _set(("panels", 1, "datasource"), DS)),
    ("OBS640", _set(("panels", 2, "datasource"), "Prometheus"),
     _set(("panels", 2, "datasource"), "$datasource")),
    ("OBS640", _set(("templating", "list", 1, "datasource"), {"type": "prometheus",
                                                              "uid": "prom-main"}),
     _set(("templating", "list", 1, "datasource"), {"type": "prometheus",
                                                     "uid": "${datasource}"})),
    ("OBS641", _set_expr(f"sum(rate({W}[5m]))"), _set_expr(f"sum(rate({W}[$__rate_interval]))")),
    ("OBS641", _set_expr(f"irate({W}[1m])"), _set_expr(f"irate({W}[$__rate_interval])")),
    ("OBS641", _set_expr(f"sum(increase({W}[1h:5m]))"),
     _set_expr(f"sum(increase({W}[1h:5m]))", instant=True)),
    ("OBS643", _set(("templating", "list", 1, "name"), "stage"),
     _set(("templating", "list", 1, "name"), "workflow")),
    ("OBS644", _set_expr('up{workflow=~"${wokflow:regex}"}'),
     _set_expr('up{workflow=~"${workflow:regex}"}')),
    ("OBS644", _set(("panels", 1, "title"), "Gate rate of [[persona]]"),
     _set(("panels", 1, "title"), "Gate rate of [[workflow]]")),
    ("OBS644", _set(("panels", 1, "repeat"), "persona"),
     _set(("panels", 1, "repeat"), "workflow")),
    ("OBS645", _set(("panels", 3, "title"), " "), _set(("panels", 3, "title"), "Budget")),
    ("OBS646", _set(("panels", 1, "fieldConfig", "defaults", "unit"), None),
     _set(("panels", 1, "fieldConfig", "defaults", "unit"), "reqps")),
    ("OBS646", _set(("panels", 2, "fieldConfig", "defaults", "unit"), ""),
     _set(("panels", 2, "fieldConfig", "defaults", "unit"), "none")),
    ("OBS647", _set(("uid",), None), _set(("uid",), "fixture-overview")),
    ("OBS647", _set(("uid",), "a" * 41), _set(("uid",), "a" * 40)),
    ("OBS647", _set(("uid",), "my dashboard"), _set(("uid",), "my-dashboard")),
    ("OBS648", _set_expr(f'sum(rate({W[:-1]}, job="hypertool-api"}}[$__rate_interval]))'),
     _set_expr(f'sum(rate({W[:-1]}, job=~"$job_name"}}[$__rate_interval]))')),
    ("OBS648", _set_expr("up{instance='10.0.0.1:9090'}"), _set_expr("up{instance=~'.+'}")),
]


@pytest.mark.parametrize(("code", "defect", "fix"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_finds_the_defect_and_not_its_fixed_twin(code: str, defect: Edit,
                                                      fix: Edit) -> None:
    bad, good = edited(defect), edited(defect)
    fix(good)
    if code == "OBS648":  # the fixed twin selects the job with a variable: define it
        good["templating"]["list"].append({"name": "job_name", "type": "custom",
                                           "query": "a,b"})
    assert codes(bad).count(code) == 1, codes(bad)
    assert code not in codes(good), codes(good)


def test_a_variable_used_only_by_another_variable_is_used() -> None:
    dashboard = clean_dashboard()
    dashboard["templating"]["list"].append({
        "datasource": DS, "name": "cluster", "type": "query",
        "query": "label_values(up, cluster)"})
    assert codes(dashboard) == ["OBS643"]
    dashboard["templating"]["list"][1]["query"] = \
        'label_values(hypertool_quality_gate_total{cluster="$cluster"}, workflow)'
    assert codes(dashboard) == []


def test_a_variable_mentioned_only_in_its_own_definition_is_unused() -> None:
    dashboard = clean_dashboard()
    dashboard["templating"]["list"].append({"name": "self", "type": "custom",
                                            "query": "$self,b", "current": {"text": "$other",
                                                                            "value": "x"}})
    assert codes(dashboard) == ["OBS643"]


def test_text_panel_content_uses_variables_but_its_dollars_are_not_references() -> None:
    dashboard = clean_dashboard()
    dashboard["templating"]["list"].append({"name": "team", "type": "custom", "query": "a"})
    assert codes(dashboard) == ["OBS643"]
    dashboard["panels"][9]["options"]["content"] = "Costs in $USD for ${team}."
    assert codes(dashboard) == []


def test_unused_variable_is_reported_at_its_name_line() -> None:
    dashboard = clean_dashboard()
    dashboard["templating"]["list"][1]["name"] = "stage"
    text = text_of(dashboard)
    [finding] = [f for f in lint_dashboard_text(text) if f.code == "OBS643"]
    assert finding.line == line_of(text, '"name": "stage"')
    assert finding.path == ("templating", "list", 1, "name")


@pytest.mark.parametrize(("text", "names"), [
    ("$a ${b} ${c:csv} [[d]] [[e:regex]] ${f.g}", ["a", "b", "c", "d", "e", "f"]),
    ("$__interval $__rate_interval $__range ${__all} [[__from]] ${__data.fields.Pod}", []),
    ('label_replace(x, "n", "$1", "i", "(.*)") and "^(.+)$"', []),
    ("$timeFilter costs $5", []),
])
def test_variable_references_and_builtins(text: str, names: list[str]) -> None:
    assert list(variable_refs(text)) == names


def test_rate_rule_leaves_variable_windows_and_non_rate_ranges_alone() -> None:
    for expr in (f"rate({W}[$__range])", f"increase({W}[${{window}}])",
                 f"max_over_time({W}[5m])", f"rate({W}[$__rate_interval]) > 0"):
        dashboard = edited(_set_expr(expr))
        dashboard["templating"]["list"].append({"name": "window", "type": "interval",
                                                "query": "5m,1h"})
        assert "OBS641" not in codes(dashboard), expr


def _column(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle` in the text, found independently of obsgen."""
    line = line_of(text, needle)
    return line, text.splitlines()[line - 1].index(needle) + 1


def test_rules_report_path_line_and_column_of_the_offending_part() -> None:
    text = text_of(edited(_set_expr(f"sum(rate({W}[5m]))", panel=4)))
    [finding] = lint_dashboard_text(text)
    assert finding.path == ("panels", 4, "targets", 0, "expr")
    # the query's JSON text escapes its quotes; the column counts them as written
    assert (finding.line, finding.column) == _column(text, "[5m]")
    assert finding.message.startswith("panels[4].targets[0].expr: rate() over a fixed [5m]")


def test_each_occurrence_is_its_own_finding_at_its_column() -> None:
    expr = 'up{job="a"} / on() up{job="a"} + ${missing}'
    text = text_of(edited(_set_expr(expr)))
    found = lint_dashboard_text(text)
    line, first = _column(text, 'job=\\"a')
    assert [(f.code, f.line, f.column) for f in found] == [
        ("OBS648", line, first),
        ("OBS648", line, first + len('job=\\"a\\"} / on() up{')),
        ("OBS644", *_column(text, "${missing}"))]


# --- the obsgen lint entry point -----------------------------------------------------------

def _lint(text: str) -> list[Any]:
    file = ForeignFile("dash.json", text, "dashboard")
    return lint_dashboard(file, LintContext((file,)))


def test_lint_dashboard_combines_lenient_validation_and_lint() -> None:
    dashboard = edited(_set_expr(f"rate({W}[5m])"))
    dashboard["__inputs"] = []
    found = _lint(text_of(dashboard))
    assert sorted(d.code for d in found) == ["OBS633", "OBS641"]
    assert all(d.severity is Severity.WARNING and d.location is not None
               and d.location.path == "dash.json" and d.location.line > 0 for d in found)


def test_lint_dashboard_on_malformed_json_is_one_error_at_line_and_column() -> None:
    [found] = _lint('{\n  "panels": [\n    {"type": "graph",}\n  ]\n}\n')
    assert (found.code, found.severity) == ("OBS631", Severity.ERROR)
    assert found.location is not None and (found.location.line, found.location.column) == (3, 22)


# --- obsgen check: emitted dashboards ------------------------------------------------------

def test_every_finding_on_an_emitted_dashboard_is_an_error() -> None:
    dashboard = edited(_set_expr(f"rate({W}[5m])"))
    dashboard["panels"][1]["sharedCrosshair"] = True
    found = lint_emitted_dashboard("build/grafana/f/x.json", text_of(dashboard))
    assert sorted(d.code for d in found) == ["OBS630", "OBS641"]
    assert all(d.severity is Severity.ERROR for d in found)
    assert all("obsgen emitted this" in (d.hint or "") for d in found)


def test_check_dashboards_reads_only_grafana_json() -> None:
    bad = text_of(edited(_set(("uid",), None)))
    found = check_dashboards(Path("build"), {"grafana/f/x.json": bad,
                                             "prometheus/x.rules.yml": bad,
                                             "grafana/notes.txt": bad})
    assert {d.location.path for d in found if d.location} == {"build/grafana/f/x.json"}
    assert {d.code for d in found} == {"OBS630", "OBS647"}


def test_obsgen_check_validates_and_lints_the_emitted_dashboards(example_project: Path,
                                                                  tmp_path: Path) -> None:
    """check_project on the example project's real artifacts: the emitted dashboards are
    clean; with a defect planted into one of them, the defect is an error at its line."""
    project, problems = load_project(load_config(example_project))
    assert project is not None, problems
    artifacts = emit(project)
    dashboards = sorted(p for p in artifacts if p.startswith("grafana/"))
    assert dashboards, "the example project emits dashboards"
    build = tmp_path / "build"
    for rel, text in artifacts.items():
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_text(text, encoding="utf-8")
    tool = promtool.find_promtool()

    found, _ = check_project(project, build, artifacts, tool)
    assert [d for d in found if d.code.startswith("OBS6")] == []

    planted = json.loads(artifacts[dashboards[0]])
    planted["style"] = "dark"
    text = json.dumps(planted, indent=2, sort_keys=True) + "\n"
    found, _ = check_project(project, build, {**artifacts, dashboards[0]: text}, tool)
    [finding] = [d for d in found if d.code.startswith("OBS6")]
    assert finding.code == "OBS630" and finding.severity is Severity.ERROR
    assert finding.location is not None
    assert finding.location.path == str(build / dashboards[0])
    assert finding.location.line == line_of(text, '"style"')


def test_a_dashboard_in_an_api_envelope_is_checked_inside_it() -> None:
    wrapped = {"dashboard": edited(_set_expr(f"rate({W}[5m])")), "folderUid": "abc",
               "overwrite": True}
    text = text_of(wrapped)
    [found] = _lint(text)
    assert found.code == "OBS641" and found.location is not None
    assert found.message.startswith("dashboard.panels[1].targets[0].expr:")
    assert found.location.line == line_of(text, "[5m]")
    assert _lint(text_of({"dashboard": clean_dashboard(), "overwrite": True})) == []


SEEDS = sorted((Path(__file__).resolve().parents[2] / "build" / "grafana").glob("*/*.json"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_the_committed_seed_dashboards_are_strictly_valid_and_lint_clean(path: Path) -> None:
    assert lint_emitted_dashboard(str(path), path.read_text(encoding="utf-8")) == []


def test_the_seed_dashboards_are_committed() -> None:
    assert {p.name for p in SEEDS} >= {"hypertool-persona-overview.json",
                                       "hypertool-workflow-performance.json"}
