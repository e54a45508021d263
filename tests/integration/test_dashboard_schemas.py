"""Every dashboard obsgen emits validates STRICTLY against Grafana's own JSON Schemas (the
grafana-foundation-sdk copies in ../shared/schemas/grafana): the dashboard model, each panel
plugin's `options` and `fieldConfig.defaults.custom`, and the Prometheus query model for every
target. Zero errors, no legacy fields, every query on the `$datasource` variable."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from grafanalib.core import HeatmapColor, TableSortByField, Target
from jsonschema import Draft7Validator

from obsgen import (
    BarChart,
    BarGauge,
    Dashboard,
    Folder,
    Heatmap,
    Row,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
    scaffold,
)
from obsgen.build import compile_project
from obsgen.config import load_config
from obsgen.emit.grafana import dashboard_json

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO.parent / "shared" / "schemas" / "grafana"


def _scaffolded() -> Path:
    """The starter project `obsgen init` writes, so its dashboard is held to the same oracle."""
    target = Path(tempfile.mkdtemp(prefix="obsgen-init-")) / "scaffold"
    scaffold.create(target)
    return target


PROJECTS = [REPO, REPO / "tests" / "golden" / "projects" / "kitchen_sink", _scaffolded()]
PLUGIN_FILES = {"state-timeline": "statetimeline"}
LEGACY_KEYS = {"rows", "sharedCrosshair", "hideControls", "style", "span", "height", "error",
               "minSpan", "fieldOptions", "thresholdType"}
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.jsonschema.json").read_text())
    return loaded


def definition(name: str, key: str) -> Draft7Validator | None:
    whole = schema(name)
    if key not in whole.get("definitions", {}):
        return None
    return Draft7Validator({"$ref": f"#/definitions/{key}", "definitions": whole["definitions"]})


def emitted() -> Iterator[tuple[str, dict[str, Any]]]:
    for project in PROJECTS:
        compiled = compile_project(load_config(project))
        assert compiled.ok, compiled.diagnostics
        for path, text in compiled.artifacts.items():
            if path.startswith("grafana/"):
                yield f"{project.name}/{path}", json.loads(text)


DASHBOARDS = dict(emitted())


def panels(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in doc["panels"]:
        yield panel
        yield from panel.get("panels", []) if panel["type"] == "row" else []


def errors(validator: Draft7Validator, value: Any, where: str) -> list[str]:
    return [f"{where}/{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(value)]


def strict_errors(doc: dict[str, Any]) -> list[str]:
    found = errors(Draft7Validator(schema("dashboard")), doc, "")
    for panel in panels(doc):
        kind, at = panel["type"], f"/panels[id={panel.get('id')}]"
        if kind == "row":
            continue
        plugin = PLUGIN_FILES.get(kind, kind)
        options = definition(plugin, "Options")
        assert options is not None, f"no Options schema for {kind}"
        found += errors(options, panel.get("options", {}), f"{at}/options")
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        field = definition(plugin, "FieldConfig")
        if field is None:
            assert custom is None, f"{at}: {kind} defines no custom field config"
        elif custom is not None:
            found += errors(field, custom, f"{at}/fieldConfig/defaults/custom")
        for target in panel.get("targets", []):
            found += errors(Draft7Validator(schema("prometheus")), target, f"{at}/targets")
    return found


def test_the_oracle_can_fail() -> None:
    broken = {"schemaVersion": 12, "rows": [], "templating": {}, "annotations": {}}
    assert strict_errors({**broken, "panels": []})


def test_seed_and_kitchen_sink_dashboards_are_emitted() -> None:
    names = {Path(p).name for p in DASHBOARDS}
    assert {"hypertool-persona-overview.json", "hypertool-workflow-performance.json",
            "my-app-overview.json"} <= names
    kinds = {p["type"] for doc in DASHBOARDS.values() for p in panels(doc)}
    assert kinds == {"row", "timeseries", "stat", "gauge", "bargauge", "barchart", "heatmap",
                     "table", "text", "state-timeline"}


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_dashboard_validates_strictly(path: str) -> None:
    assert strict_errors(DASHBOARDS[path]) == []


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_current_schema_and_no_legacy_fields(path: str) -> None:
    doc = DASHBOARDS[path]
    assert doc["schemaVersion"] == schema("dashboard")["definitions"]["Dashboard"][
        "properties"]["schemaVersion"]["default"]

    def keys(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    assert LEGACY_KEYS.isdisjoint(keys(doc))
    assert "graph" not in {p["type"] for p in panels(doc)}
    assert "singlestat" not in {p["type"] for p in panels(doc)}


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_every_query_uses_the_datasource_variable(path: str) -> None:
    doc = DASHBOARDS[path]
    variables = doc["templating"]["list"]
    assert variables[0] == {**variables[0], "name": "datasource", "type": "datasource",
                            "query": "prometheus"}
    for variable in variables[1:]:
        assert variable["datasource"] == DATASOURCE
    for panel in panels(doc):
        if panel["type"] in ("row", "text"):
            continue
        assert panel["datasource"] == DATASOURCE
        assert panel["targets"], f"panel {panel['title']!r} has no query"
        assert all(t["datasource"] == DATASOURCE for t in panel["targets"])


def test_non_default_grafanalib_options_validate_strictly() -> None:
    """grafanalib options away from their defaults still canonicalise to valid panels."""
    up = [Target(expr="up", legendFormat="{{instance}}", interval="1m")]
    d = Dashboard("options", "Options", Folder("Tests"), rows=[Row("All", [
        TimeSeries(title="ts", targets=up, stacking={"mode": "normal", "group": "A"},
                   scaleDistributionType="log", scaleDistributionLog=10, axisSoftMin=0,
                   valueMin=0, valueMax=10, valueDecimals=2, legendDisplayMode="hidden",
                   drawStyle="bars", lineInterpolation="smooth", thresholdsStyleMode="area",
                   spanNulls=True, description="d", timeFrom="1h", timeShift="1d",
                   transparent=True, interval="30s", maxDataPoints=500),
        Stat(title="stat", targets=up, alignment="center", textMode="value_and_name",
             decimals=2, noValue="n/a", orientation="horizontal", graphMode="none"),
        Table(title="table", targets=up, sortBy=[TableSortByField("Value", True)],
              filterable=True, align="left", showHeader=False),
        StateTimeline(title="st", targets=up, alignValue="center", mergeValues=False,
                      rowHeight=0.5, legendDisplayMode="table", showValue="never"),
        BarChart(title="bars", targets=up, stacking="normal", xTickLabelRotation=45,
                 colorMode="continuous-GrYlRd", barRadius=0.2, legendPlacement="right"),
        BarGauge(title="bg", targets=up, orientation="vertical", displayMode="lcd",
                 calc="max", allValues=True, limit=5, decimals=1, min=0, max=10),
        Heatmap(title="hm", targets=up, color=HeatmapColor(mode="opacity",
                                                           colorScale="linear"),
                hideZeroBuckets=True, yBucketBound="lower"),
        Text(title="html", content="<b>x</b>", mode="html"),
    ])])
    assert strict_errors(dashboard_json(d)) == []
