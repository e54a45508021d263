"""Dashboards model and emitter: uids, variables, layout, units, targets, canonical JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from grafanalib import core
from grafanalib.core import GridPos, Target

from obsgen import (
    BarGauge,
    Counter,
    Dashboard,
    DefinitionError,
    Folder,
    Gauge,
    GaugePanel,
    Heatmap,
    Histogram,
    Label,
    Row,
    RowPanel,
    Stat,
    Table,
    Text,
    TimeSeries,
    Variable,
    histogram_quantile,
    increase,
    rate,
)
from obsgen.build import compile_project
from obsgen.config import load_config
from obsgen.emit.grafana import dashboard_json, dashboard_path, render
from obsgen.emit.grafana_panels import unit_of

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve()
DS = {"type": "prometheus", "uid": "${datasource}"}

GATES = Counter("app_gates_total", help="Gates.",
                labels=["workflow", Label("result", values=("passed", "failed"))])
LATENCY = Histogram("app_stage_duration_seconds", help="Stage time.", labels=["stage"],
                    buckets=[1, 5])
MEMORY = Gauge("app_memory_bytes", help="Memory.", labels=["pod"])
WORKFLOW = Variable.from_label(GATES, "workflow", multi=True, include_all=True)


def board(*rows: Any, variables: tuple[Variable, ...] = (WORKFLOW,), **kw: Any) -> Dashboard:
    return Dashboard("test-board", "Test", Folder("Tests"), rows=list(rows),
                     variables=variables, **kw)


def panels_of(d: Dashboard) -> list[dict[str, Any]]:
    return [p for p in dashboard_json(d)["panels"] if p["type"] != "row"]


def line_here(marker: str) -> int:
    lines = HERE.read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if marker in text and "line_here" not in text)


# uids, folders, paths ------------------------------------------------------------------------

def test_folder_uid_defaults_to_a_stable_slug() -> None:
    assert Folder("Ops / Platform").uid == "ops-platform"
    assert Folder("Ops / Platform") == Folder("Ops / Platform")
    assert Folder("X", uid="custom_1").uid == "custom_1"


@pytest.mark.parametrize("uid", ["", "has space", "x" * 41, "a/b"])
def test_invalid_uids_are_refused(uid: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        Dashboard(uid, "T", Folder("F"))
    assert raised.value.code == "OBS601"


def test_path_is_folder_uid_then_dashboard_uid() -> None:
    assert dashboard_path(board()) == "grafana/tests/test-board.json"


# variables -----------------------------------------------------------------------------------

def test_variable_from_label_renders_label_values_on_the_datasource() -> None:
    doc = dashboard_json(board(Row("", [TimeSeries(title="t", targets=[
        rate(GATES.where(workflow=WORKFLOW))])])))
    ds, workflow = doc["templating"]["list"]
    assert ds["type"] == "datasource" and ds["name"] == "datasource"
    assert ds["query"] == "prometheus"
    assert workflow["query"] == "label_values(app_gates_total, workflow)"
    assert workflow["datasource"] == DS
    assert workflow["multi"] is True and workflow["includeAll"] is True


def test_histogram_variable_reads_the_count_series_and_chains() -> None:
    stage = Variable.from_label(LATENCY.where(stage=WORKFLOW), "stage")
    assert stage.query == ("label_values(app_stage_duration_seconds_count"
                           '{stage=~"$workflow"}, stage)')


def test_variable_in_where_renders_a_regex_matcher() -> None:
    assert str(GATES.where(workflow=WORKFLOW)) == 'app_gates_total{workflow=~"$workflow"}'
    assert str(WORKFLOW) == "$workflow"


def test_variable_on_an_undeclared_label_is_refused() -> None:
    with pytest.raises(DefinitionError) as raised:
        Variable.from_label(GATES, "stage")
    assert raised.value.code == "OBS109"


def test_duplicate_and_reserved_variable_names() -> None:
    with pytest.raises(DefinitionError) as raised:
        Variable("datasource", "label_values(up, job)")
    assert raised.value.code == "OBS606"
    with pytest.raises(DefinitionError) as raised:
        board(variables=(WORKFLOW, WORKFLOW))
    assert raised.value.code == "OBS606"


def test_a_variable_may_use_one_listed_after_it_but_not_itself() -> None:
    # Grafana orders variables by what their queries use (a mixin's coredns dashboard lists
    # `instance`, which uses $job, before `job`); only a loop has no order.
    job = Variable("job", 'label_values(up{instance=~"$instance"}, job)')
    instance = Variable("instance", 'label_values(up{job=~"$job"}, instance)')
    with pytest.raises(DefinitionError) as raised:
        board(variables=(instance, job))
    assert raised.value.code == "OBS606" and "depends on itself" in str(raised.value)
    later = Variable("instance", 'label_values(up{job=~"$job"}, instance)')
    board(variables=(later, Variable("job", "label_values(up, job)")))


def test_undefined_variable_is_reported_at_the_panel_line() -> None:
    with pytest.raises(DefinitionError) as raised:
        board(Row("", [TimeSeries(title="t", targets=['up{job=~"$job"}'])]))  # UNDEFINED-VAR
    assert raised.value.code == "OBS605"
    assert raised.value.location is not None
    assert raised.value.location.line == line_here("# UNDEFINED-VAR")


def test_grafana_macros_are_not_variables() -> None:
    d = board(Row("", [TimeSeries(title="t", targets=[
        'sum(rate(app_gates_total{workflow=~"$workflow"}[$__rate_interval])) / $__range_s'])]))
    assert next(text for text, _ in d.queries()).endswith("$__range_s")


# queries -------------------------------------------------------------------------------------

def test_rate_defaults_to_the_rate_interval() -> None:
    assert str(rate(GATES)) == "rate(app_gates_total[$__rate_interval])"
    assert str(increase(GATES, "$__range")) == "increase(app_gates_total[$__range])"


def test_queries_give_text_and_panel_line() -> None:
    d = board(Row("", [
        TimeSeries(title="a", targets=[rate(GATES.where(workflow=WORKFLOW)).sum()]),  # Q-A
        Stat(title="b", targets=[Target(expr="up", legendFormat="{{job}}")]),  # Q-B
        Text(title="c", content="no queries"),
    ]))
    texts = [(text, where.line) for text, where in d.queries()]
    assert texts == [
        ('sum(rate(app_gates_total{workflow=~"$workflow"}[$__rate_interval]))',
         line_here("# Q-A")),
        ("up", line_here("# Q-B")),
    ]
    assert all(where.path == str(HERE) for _, where in d.queries())


def test_targets_carry_datasource_ref_legend_and_format() -> None:
    d = board(Row("", [
        TimeSeries(title="a", targets=[rate(GATES).sum(by="result"),
                                       Target(expr="up", legendFormat="{{job}}", hide=True)]),
        Table(title="t", targets=[rate(GATES).sum(by="result")]),
    ]), variables=())
    series, table = panels_of(d)
    first, second = series["targets"]
    assert (first["refId"], second["refId"]) == ("A", "B")
    assert first["datasource"] == DS and series["datasource"] == DS
    assert first["legendFormat"] == "__auto" and second["legendFormat"] == "{{job}}"
    assert second["hide"] is True and first["range"] is True
    assert table["targets"][0]["format"] == "table" and table["targets"][0]["instant"] is True


def test_a_target_that_is_no_query_is_refused() -> None:
    d = board(Row("", [TimeSeries(title="a", targets=[42])]), variables=())
    with pytest.raises(DefinitionError) as raised:
        render(d)
    assert raised.value.code == "OBS607"


# layout --------------------------------------------------------------------------------------

def test_panels_share_the_row_width_and_ids_count_up() -> None:
    d = board(Row("One", [Text(title=str(i), content="x") for i in range(5)]),
              Row("Two", [Text(title="wide", content="x")], height=4), variables=())
    panels = dashboard_json(d)["panels"]
    assert [p["id"] for p in panels] == list(range(1, 9))
    assert [p["gridPos"]["w"] for p in panels] == [24, 5, 5, 5, 5, 4, 24, 24]
    assert [p["gridPos"]["x"] for p in panels[1:6]] == [0, 5, 10, 15, 20]
    assert panels[6]["gridPos"] == {"h": 1, "w": 24, "x": 0, "y": 9}
    assert panels[7]["gridPos"] == {"h": 4, "w": 24, "x": 0, "y": 10}


def test_explicit_sizes_wrap_at_the_grid_width() -> None:
    d = board(Row("", [Text(title="a", content="x", gridPos=GridPos(h=3, w=16, x=0, y=0)),
                       Text(title="b", content="x", gridPos=GridPos(h=5, w=16, x=0, y=0)),
                       Text(title="c", content="x", gridPos=GridPos(h=2, w=8, x=0, y=0))]),
              variables=())
    assert [p["gridPos"] for p in dashboard_json(d)["panels"]] == [
        {"h": 3, "w": 16, "x": 0, "y": 0}, {"h": 5, "w": 16, "x": 0, "y": 3},
        {"h": 2, "w": 8, "x": 16, "y": 3}]


def test_row_panels_in_a_flat_list_start_rows_and_collapsed_rows_hold_their_panels() -> None:
    d = board(Text(title="top", content="x"), RowPanel(title="Hidden", collapsed=True),
              Text(title="inside", content="x"), variables=())
    top, row = dashboard_json(d)["panels"]
    assert top["title"] == "top" and row["type"] == "row" and row["collapsed"] is True
    assert [p["title"] for p in row["panels"]] == ["inside"]
    assert row["panels"][0]["gridPos"]["y"] == row["gridPos"]["y"] + 1


# units, thresholds, mappings -----------------------------------------------------------------

@pytest.mark.parametrize(("query", "unit"), [
    (histogram_quantile(0.9, LATENCY), "s"),
    (rate(LATENCY.series("sum")).sum() / rate(LATENCY.series("count")).sum(), "s"),
    (rate(LATENCY.series("count")), "short"),
    (MEMORY.selector().max(by="pod"), "bytes"),
    (rate(GATES), "short"),
    ("1", "short"),
])
def test_units_come_from_the_catalog_names(query: Any, unit: str) -> None:
    assert unit_of(str(query)) == unit


def test_unit_set_on_the_panel_wins_and_heatmaps_put_it_on_the_y_axis() -> None:
    d = board(Row("", [
        TimeSeries(title="a", targets=[MEMORY.selector().max()]),
        TimeSeries(title="b", targets=[MEMORY.selector().max()], unit="decbytes"),
        Heatmap(title="c", dataFormat="tsbuckets", targets=[rate(LATENCY).sum(by="le")]),
    ]), variables=())
    a, b, c = panels_of(d)
    assert a["fieldConfig"]["defaults"]["unit"] == "bytes"
    assert b["fieldConfig"]["defaults"]["unit"] == "decbytes"
    assert c["options"]["yAxis"]["unit"] == "s" and c["options"]["calculate"] is False
    assert c["targets"][0]["format"] == "heatmap"


def test_thresholds_and_mappings_as_plain_python() -> None:
    d = board(Row("", [GaugePanel(title="g", targets=["up"],
                                  thresholds=[(None, "red"), (5, "yellow"), (9, "green")]),
                       Stat(title="s", targets=["up"], mappings={"0": "down",
                                                                 "1": ("up", "green")})]),
              variables=())
    gauge, stat = panels_of(d)
    assert gauge["fieldConfig"]["defaults"]["thresholds"] == {"mode": "absolute", "steps": [
        {"color": "red", "value": None}, {"color": "yellow", "value": 5},
        {"color": "green", "value": 9}]}
    assert stat["fieldConfig"]["defaults"]["mappings"] == [{"type": "value", "options": {
        "0": {"index": 0, "text": "down"}, "1": {"color": "green", "index": 1, "text": "up"}}}]


def test_unsorted_thresholds_are_refused() -> None:
    d = board(Row("", [Stat(title="s", targets=["up"], thresholds=[(None, "red"), (9, "a"),
                                                                   (5, "b")])]), variables=())
    with pytest.raises(DefinitionError) as raised:
        render(d)
    assert raised.value.code == "OBS609"


# canonical output ----------------------------------------------------------------------------

def test_grafanalib_legacy_shapes_are_translated() -> None:
    raw = core.BarGauge(title="b", targets=["up"]).to_json_data()
    assert "fieldOptions" in raw["options"] and raw["span"] is None  # what grafanalib writes
    (panel,) = panels_of(board(Row("", [BarGauge(title="b", targets=["up"])]), variables=()))
    assert "fieldOptions" not in panel["options"]
    assert panel["options"]["reduceOptions"] == {"calcs": ["mean"], "fields": "",
                                                 "values": False}
    assert not {"span", "height", "error", "editable", "minSpan", "thresholdType",
                "maxDataPoints"} & panel.keys()


def test_output_is_deterministic_and_current() -> None:
    d = board(Row("", [TimeSeries(title="a", targets=[rate(GATES.where(workflow=WORKFLOW))])]))
    text = render(d)
    assert text == render(d) and text.endswith("}\n") and "\r" not in text
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert doc["schemaVersion"] == 42
    assert not {"rows", "sharedCrosshair", "hideControls", "style", "id"} & doc.keys()


def test_rebuild_of_the_seed_is_byte_identical() -> None:
    first = compile_project(load_config(REPO)).artifacts
    second = compile_project(load_config(REPO)).artifacts
    dashboards = {k: v for k, v in first.items() if k.startswith("grafana/")}
    assert len(dashboards) == 3  # the two of definitions/dashboards/ and the SLO dashboard
    assert dashboards == {k: v for k, v in second.items() if k.startswith("grafana/")}


def test_seed_defines_only_variables_its_queries_use() -> None:
    project = compile_project(load_config(REPO)).project
    assert project is not None
    for d in project.dashboards:
        used = " ".join(text for text, _ in d.queries()) + " ".join(v.query for v in d.variables)
        for variable in d.variables:
            assert f"${variable.name}" in used, (d.uid, variable.name)


def test_panel_source_is_the_line_that_built_it() -> None:
    panel = TimeSeries(title="here")  # PANEL-LINE
    assert panel.source.path == str(HERE)
    assert panel.source.line == line_here("# PANEL-LINE")
    assert sys.modules[TimeSeries.__module__].__name__ == "obsgen.model.panels"
