"""Importing Grafana dashboards: Grafana's load-time migrations, the datasource placeholder,
what is kept verbatim (and reported where), and the escape hatches the definitions use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import DefinitionError
from obsgen.emit.grafana import dashboard_json
from obsgen.importers import grafana
from obsgen.importers.contract import ImportEnv
from obsgen.importers.grafana_compare import first_difference
from obsgen.importers.grafana_migrate import migrate
from obsgen.model.dashboards import Dashboard, Folder
from obsgen.model.panels import RowPanel, TimeSeries
from obsgen.model.raw_panels import RawPanel

ENV = ImportEnv()


def _file(dashboard: dict[str, Any], path: str = "in.json") -> ForeignFile:
    return ForeignFile(path, json.dumps(dashboard, indent=2), "dashboard")


def _panel(**fields: Any) -> dict[str, Any]:
    return {"id": 1, "title": "Panel", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
            "datasource": {"type": "prometheus", "uid": "${datasource}"}, **fields}


def _dashboard(*panels: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"uid": "imp", "title": "Imported", "schemaVersion": 39, "panels": list(panels),
            "templating": {"list": []}, **fields}


def test_legacy_rows_become_row_panels_with_grid_positions() -> None:
    legacy = {"title": "Old", "schemaVersion": 14, "rows": [
        {"title": "First", "showTitle": True, "height": "250px", "panels": [
            {"id": 1, "type": "graph", "span": 6, "targets": []},
            {"id": 2, "type": "graph", "span": 6, "targets": []}]},
        {"title": "Second", "collapse": True, "height": 300, "panels": [
            {"id": 3, "type": "text", "span": 12}]}]}
    panels = migrate(legacy)["panels"]
    assert [(p["type"], p["gridPos"]) for p in panels] == [
        ("row", {"x": 0, "y": 0, "w": 24, "h": 7}),
        ("timeseries", {"x": 0, "y": 1, "w": 12, "h": 7}),
        ("timeseries", {"x": 12, "y": 1, "w": 12, "h": 7}),
        ("row", {"x": 0, "y": 8, "w": 24, "h": 8})]
    assert panels[3]["collapsed"] is True
    assert [(p["type"], p["gridPos"]) for p in panels[3]["panels"]] == [
        ("text", {"x": 0, "y": 9, "w": 24, "h": 8})]


def test_graph_becomes_timeseries_with_its_options_migrated() -> None:
    graph = _panel(type="graph", fill=1, linewidth=2, stack=True, nullPointMode="null",
                   legend={"show": True, "alignAsTable": True, "rightSide": True,
                           "values": True, "avg": True, "max": True},
                   tooltip={"shared": True, "sort": 2},
                   yaxes=[{"format": "bytes", "show": True, "min": "0"}, {"show": False}],
                   aliasColors={"errors": "red"}, targets=[])
    panel = migrate(_dashboard(graph))["panels"][0]
    assert panel["type"] == "timeseries"
    assert panel["options"]["legend"] == {"displayMode": "table", "placement": "right",
                                          "calcs": ["mean", "max"], "showLegend": True}
    assert panel["options"]["tooltip"] == {"mode": "multi", "sort": "desc"}
    defaults = panel["fieldConfig"]["defaults"]
    assert (defaults["unit"], defaults["min"]) == ("bytes", 0)
    assert defaults["custom"]["fillOpacity"] == 10
    assert defaults["custom"]["lineWidth"] == 2
    assert defaults["custom"]["stacking"] == {"mode": "normal", "group": "A"}
    assert defaults["custom"]["spanNulls"] is True
    assert panel["fieldConfig"]["overrides"] == [{
        "matcher": {"id": "byName", "options": "errors"},
        "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}]
    assert "yaxes" not in panel and "legend" not in panel


def test_singlestat_becomes_stat_and_with_a_gauge_a_gauge() -> None:
    single = _panel(type="singlestat", valueName="current", format="percent",
                    thresholds="50,80", colors=["green", "orange", "red"],
                    colorBackground=True, sparkline={"show": True},
                    valueMaps=[{"value": "null", "text": "N/A"}], mappingType=1, targets=[])
    stat = migrate(_dashboard(single))["panels"][0]
    assert stat["type"] == "stat"
    assert stat["options"]["reduceOptions"]["calcs"] == ["lastNotNull"]
    assert (stat["options"]["colorMode"], stat["options"]["graphMode"]) == ("background",
                                                                           "area")
    defaults = stat["fieldConfig"]["defaults"]
    assert defaults["unit"] == "percent"
    assert defaults["thresholds"]["steps"] == [{"value": None, "color": "green"},
                                               {"value": 50, "color": "orange"},
                                               {"value": 80, "color": "red"}]
    assert defaults["mappings"] == [{"type": "special", "options": {
        "match": "null", "result": {"text": "N/A"}}}]
    gauge = migrate(_dashboard(_panel(type="singlestat", gauge={
        "show": True, "minValue": 0, "maxValue": 100})))["panels"][0]
    assert gauge["type"] == "gauge"
    assert (gauge["fieldConfig"]["defaults"]["min"], gauge["fieldConfig"]["defaults"]["max"]) \
        == (0, 100)


def test_export_datasource_placeholders_become_the_datasource_variable() -> None:
    export = _dashboard(_panel(type="timeseries", datasource="${DS_PROM}", targets=[
        {"expr": "up", "refId": "A", "datasource": {"type": "prometheus",
                                                     "uid": "${DS_PROM}"}}]),
        __inputs=[{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}],
        __requires=[{"type": "datasource", "id": "prometheus"}])
    result = grafana.write(_file(export), ENV, "dashboards.imp")
    source = result.modules[0].source
    assert "DS_PROM" not in source and "__inputs" not in source
    assert [d.code for d in result.diagnostics] == []
    assert grafana.survey(_file(export)).queries == ("up",)


def test_unknown_panel_plugin_is_kept_verbatim_and_reported_with_its_path() -> None:
    pie = _panel(type="grafana-piechart-panel", pieType="donut",
                 targets=[{"expr": "sum(up)", "refId": "A"}])
    result = grafana.write(_file(_dashboard(_panel(type="text", id=2), pie)), ENV,
                           "dashboards.imp")
    [finding] = result.diagnostics
    assert finding.code == "OBS981"
    assert finding.message.startswith("panels[1]:")
    assert finding.location is not None and finding.location.line > 1
    assert "RawPanel(" in result.modules[0].source and "'pieType': 'donut'" in \
        result.modules[0].source.replace('"', "'")


def test_loki_target_is_kept_verbatim_and_reported() -> None:
    logs = _panel(type="timeseries", datasource={"type": "loki", "uid": "logs"},
                  targets=[{"expr": 'count_over_time({app="x"}[5m])', "refId": "A"}])
    result = grafana.write(_file(_dashboard(logs)), ENV, "dashboards.imp")
    assert [(d.code, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("OBS982", "panels[0].targets[0]")]
    assert "RawPanel(" in result.modules[0].source
    assert grafana.survey(_file(_dashboard(logs))).queries == ()


def test_a_file_that_is_not_a_dashboard_is_a_finding() -> None:
    for text in ('{"groups": []}', "{not json"):
        result = grafana.write(ForeignFile("x.json", text, "dashboard"), ENV, "dashboards.x")
        assert result.modules == ()
        assert [d.code for d in result.diagnostics] == ["OBS980"]


def test_importing_twice_gives_the_same_python() -> None:
    file = _file(_dashboard(_panel(type="stat", targets=[{"expr": "sum(up)", "refId": "A"}],
                                   options={"colorMode": "background"})))
    first = grafana.write(file, ENV, "dashboards.imp").modules[0].source
    assert first == grafana.write(file, ENV, "dashboards.imp").modules[0].source
    compile(first, "imp.py", "exec")


def test_escape_hatches_emit_what_they_hold_and_grid_layout_keeps_positions() -> None:
    raw = RawPanel({"type": "piechart", "title": "Pie", "gridPos": {"h": 5, "w": 6, "x": 18,
                                                                     "y": 3}, "id": 9})
    panel = TimeSeries(title="Up", targets=["up"], gridPos=None,
                       extra={"options": {"legend": {"showLegend": False}},
                              "fieldConfig": {"defaults": {"color": None}}})
    d = Dashboard("grid", "Grid", Folder("F"), layout="grid", extra={"weekStart": "monday"},
                  rows=[RowPanel(title="R", extra={"repeat": "x"}), raw, panel])
    out = dashboard_json(d)
    row, pie, series = out["panels"]
    assert (row["type"], row["repeat"]) == ("row", "x")
    assert pie == {"type": "piechart", "title": "Pie", "id": 2,
                   "gridPos": {"h": 5, "w": 6, "x": 18, "y": 3}}
    assert series["options"]["legend"]["showLegend"] is False
    assert "color" not in series["fieldConfig"]["defaults"]
    assert out["weekStart"] == "monday"


def test_an_escape_hatch_of_the_wrong_type_is_refused() -> None:
    for make in (lambda: TimeSeries(title="t", extra="fill=1"),
                 lambda: Dashboard("d", "D", Folder("F"), layout="free"),
                 lambda: RawPanel(["not", "a", "panel"])):  # type: ignore[arg-type]
        with pytest.raises(DefinitionError) as caught:
            make()
        assert caught.value.code in ("OBS004", "OBS609")


def _rebuilt(dashboard: dict[str, Any]) -> dict[str, Any]:
    """The imported module run, and its dashboard emitted as `obsgen build` would."""
    source = grafana.write(_file(dashboard), ENV, "dashboards.imp").modules[0].source
    namespace: dict[str, Any] = {}
    exec(compile(source, "imp.py", "exec"), namespace)
    return dashboard_json(namespace["DASHBOARD"])


def test_variables_of_every_type_and_odd_names_round_trip() -> None:
    variables = [
        {"name": "env", "type": "custom", "query": "prod,dev", "current": {
            "text": "prod", "value": "prod"}, "options": [
            {"selected": True, "text": "prod", "value": "prod"},
            {"selected": False, "text": "dev", "value": "dev"}]},
        {"name": "job-name", "type": "query", "query": {"query": "label_values(up, job)",
                                                       "refId": "A"}, "refresh": 2},
        {"name": "window", "type": "interval", "query": "1m,5m"}]
    given = _dashboard(_panel(type="stat", targets=[{"expr": "sum(up)", "refId": "A"}]),
                       templating={"list": variables})
    result = grafana.write(_file(given), ENV, "dashboards.imp")
    assert [(d.code, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("OBS986", "templating.list[1].name")]
    assert first_difference(given, _rebuilt(given)) is None


def test_a_legacy_dashboard_rebuilds_to_what_grafana_migrates_it_to() -> None:
    legacy = {"uid": "old", "title": "Old", "schemaVersion": 14, "refresh": "30s",
              "time": {"from": "now-1h", "to": "now"}, "templating": {"list": []}, "rows": [
                  {"title": "Load", "showTitle": True, "height": "250px", "panels": [
                      {"id": 1, "type": "graph", "title": "Rate", "span": 8, "fill": 2,
                       "yaxes": [{"format": "reqps", "show": True}, {"show": False}],
                       "targets": [{"expr": "sum(rate(http_requests_total[5m]))",
                                    "legendFormat": "rps", "refId": "A"}]},
                      {"id": 2, "type": "singlestat", "title": "Up", "span": 4,
                       "valueName": "current", "format": "none",
                       "targets": [{"expr": "sum(up)", "refId": "A"}]}]},
                  {"title": "Tables", "showTitle": True, "collapse": True, "panels": [
                      {"id": 3, "type": "table-old", "title": "Jobs", "span": 12,
                       "styles": [{"pattern": "Value", "unit": "short", "decimals": 1}],
                       "transform": "table",
                       "targets": [{"expr": "up", "instant": True, "refId": "A"}]}]}]}
    rebuilt = _rebuilt(legacy)
    assert [p["type"] for p in rebuilt["panels"]] == ["row", "timeseries", "stat", "row"]
    assert first_difference(legacy, rebuilt) is None


def test_a_title_with_quotes_and_backslashes_gives_valid_python() -> None:
    odd = _dashboard(_panel(type="text", options={"content": "a \\ b"}),
                     title='C:\\temp """quoted"""', description='ends with "')
    source = grafana.write(_file(odd), ENV, "dashboards.imp").modules[0].source
    compile(source, "imp.py", "exec")
    assert first_difference(odd, _rebuilt(odd)) is None
