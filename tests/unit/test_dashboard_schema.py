"""obsgen's dashboard schema and its two validators: strict (what obsgen emits) and lenient
(dashboards from elsewhere), the JSON position locator, and agreement with Grafana's own
published schemas in ../shared/schemas/grafana (the oracle): whatever ours accepts, Grafana's
dashboard schema and the panel-plugin schemas accept too."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from dashboard_fixtures import clean_dashboard, line_of, target, text_of, twin
from hypothesis import given, settings
from hypothesis import strategies as st

from obsgen.check.dashboards.jsonpos import JsonPositions, format_path
from obsgen.check.dashboards.lint import lint_dashboard
from obsgen.check.dashboards.schema import (
    dashboard_schema_version,
    panel_kinds,
    validate_dashboard_lenient,
    validate_dashboard_strict,
)
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.codes import Severity, lookup

REPO = Path(__file__).resolve().parents[2]
GRAFANA = REPO.parent / "shared" / "schemas" / "grafana"
CORPUS = REPO.parent / "shared" / "corpus" / "dashboards"
SEEDS = sorted((REPO / "build" / "grafana").glob("*/*.json"))
PLUGIN_FILES = {"state-timeline": "statetimeline"}


# --- the oracle: Grafana's published schemas ---------------------------------------------

@cache
def grafana_schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GRAFANA / f"{name}.jsonschema.json").read_text())
    return loaded


@cache
def _definition(name: str, definition: str) -> jsonschema.Draft7Validator:
    schema = grafana_schema(name)
    return jsonschema.Draft7Validator({"$ref": f"#/definitions/{definition}",
                                       "definitions": schema["definitions"]})


def grafana_errors(dashboard: Any) -> list[str]:
    """Every error Grafana's schemas find: the dashboard model, then for each panel its
    plugin's Options and FieldConfig, and each target against the Prometheus query kind."""
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in
              _definition("dashboard", "Dashboard").iter_errors(dashboard)]
    panels = dashboard.get("panels", [])
    nested = [p for row in panels if row.get("type") == "row" for p in row.get("panels", [])]
    for panel in [*panels, *nested]:
        if not isinstance(panel, dict) or panel.get("type") == "row":
            continue
        plugin = PLUGIN_FILES.get(panel["type"], panel["type"])
        definitions = grafana_schema(plugin)["definitions"]
        if "options" in panel and "Options" in definitions:
            errors += [f"{panel['id']} options: {e.message}" for e in
                       _definition(plugin, "Options").iter_errors(panel["options"])]
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if custom is not None and "FieldConfig" in definitions:
            errors += [f"{panel['id']} custom: {e.message}" for e in
                       _definition(plugin, "FieldConfig").iter_errors(custom)]
        for t in panel.get("targets", []):
            errors += [f"{panel['id']} target: {e.message}" for e in
                       _definition("prometheus", "Dataquery").iter_errors(t)]
    return errors


def fixture_dashboards() -> list[dict[str, Any]]:
    """Several dashboards valid under obsgen's schema, each stressing other parts of it."""
    mapped = clean_dashboard()
    mapped["panels"][2]["fieldConfig"]["defaults"]["mappings"] = [
        {"type": "value", "options": {"1": {"text": "up", "color": "green", "index": 0}}},
        {"type": "range", "options": {"from": 0, "to": None, "result": {"text": "low"}}},
        {"type": "regex", "options": {"pattern": "^err", "result": {"color": "red"}}},
        {"type": "special", "options": {"match": "null", "result": {"text": "n/a"}}}]
    mapped["panels"][1]["fieldConfig"]["overrides"] = [
        {"matcher": {"id": "byName", "options": {}}, "properties": [{"id": "custom.x",
                                                                      "value": {}}]}]
    collapsed = clean_dashboard()
    inner = collapsed["panels"][1:9]
    collapsed["panels"] = [{"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
                            "id": 1, "panels": inner, "title": "All", "type": "row"},
                           collapsed["panels"][9]]
    minimal = twin(panels=[], links=[{"asDropdown": False, "icon": "external link",
                                      "includeVars": True, "keepTime": True, "tags": [],
                                      "targetBlank": False, "title": "Runbooks",
                                      "tooltip": "", "type": "link",
                                      "url": "https://example.org"}],
                   templating={"list": []}, annotations={"list": []})
    return [clean_dashboard(), mapped, collapsed, minimal]


@pytest.mark.parametrize("dashboard", fixture_dashboards(), ids=["clean", "mappings",
                                                                 "collapsed", "minimal"])
def test_fixture_dashboards_are_valid_under_ours_and_grafanas(dashboard: dict[str, Any]
                                                              ) -> None:
    assert validate_dashboard_strict(text_of(dashboard)) == []
    assert grafana_errors(dashboard) == []


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_dashboards_are_valid_under_ours_and_grafanas(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert validate_dashboard_strict(text) == []
    assert grafana_errors(json.loads(text)) == []


def _sites(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _sites(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _sites(item, (*path, index))


def _mutations(dashboard: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every single-step edit of a dashboard: drop a key, add an unknown key, give a value
    of another JSON type."""
    for path in _sites(dashboard):
        parent_path, last = path[:-1], path[-1:] if path else ()
        out = copy.deepcopy(dashboard)
        node = out
        for step in path:
            node = node[step]
        if isinstance(node, dict):
            node["zzUnknown"] = 1
            yield f"add key at {path}", copy.deepcopy(out)
            node.pop("zzUnknown")
        if last:
            parent = out
            for step in parent_path:
                parent = parent[step]
            original = parent[last[0]]
            if isinstance(parent, dict):
                del parent[last[0]]
                yield f"drop {path}", copy.deepcopy(out)
            for other in ("text", 7, 2.5, True, [], {}):
                if type(other) is not type(original):
                    parent[last[0]] = other
                    yield f"{path} := {other!r}", copy.deepcopy(out)
            parent[last[0]] = original


def test_edits_grafana_rejects_ours_rejects_too() -> None:
    """Ours is the narrower schema: of the single-step edits of two fixture dashboards (a
    fixed sample of them, to keep the run short), none is valid under ours while invalid
    under Grafana's; and ours does refuse most of them."""
    disagreements, refused, checked = [], 0, 0
    for base in fixture_dashboards()[:2]:
        edits = list(_mutations(base))
        for label, mutated in random.Random(42).sample(edits, 150):
            checked += 1
            if validate_dashboard_strict(text_of(mutated)):
                refused += 1
            elif grafana_errors(mutated):
                disagreements.append(label)
    assert disagreements == []
    assert refused > checked // 2


# --- strict: obsgen's own output ----------------------------------------------------------

def test_schema_version_is_grafanas_current_default() -> None:
    grafana = grafana_schema("dashboard")["definitions"]["Dashboard"]["properties"]
    assert dashboard_schema_version() == grafana["schemaVersion"]["default"] == 42


def test_panel_kinds_are_the_ones_obsgen_emits() -> None:
    assert panel_kinds() == ("barchart", "bargauge", "gauge", "heatmap", "stat",
                             "state-timeline", "table", "text", "timeseries")


def test_strict_reports_an_unexpected_property_at_its_key_line() -> None:
    dashboard = clean_dashboard()
    dashboard["panels"][1]["sharedCrosshair"] = True
    text = text_of(dashboard)
    [finding] = validate_dashboard_strict(text)
    assert finding.code == "OBS630" and lookup(finding.code).severity is Severity.ERROR
    assert finding.path == ("panels", 1, "sharedCrosshair")
    assert finding.line == line_of(text, '"sharedCrosshair"')
    assert "panels[1].sharedCrosshair" in finding.message


def test_strict_checks_panel_options_against_the_panel_kind() -> None:
    dashboard = clean_dashboard()
    dashboard["panels"][1]["options"]["legend"]["placement"] = "left"
    text = text_of(dashboard)
    [finding] = validate_dashboard_strict(text)
    assert finding.path == ("panels", 1, "options", "legend", "placement")
    assert "'left' is not one of" in finding.message and "timeseries" in finding.message
    assert finding.line == line_of(text, '"placement": "left"')


@pytest.mark.parametrize(("change", "path"), [
    ({"schemaVersion": 39}, ("schemaVersion",)),
    ({"uid": None}, ()),
    ({"uid": "has spaces"}, ("uid",)),
    ({"__inputs": []}, ("__inputs",)),
    ({"rows": []}, ("rows",)),
    ({"annotations": None}, ()),
    ({"id": "seven"}, ("id",)),
])
def test_strict_refuses_what_grafana_would_migrate(change: dict[str, Any],
                                                   path: tuple[Any, ...]) -> None:
    findings = validate_dashboard_strict(text_of(twin(**change)))
    assert [f.path for f in findings] == [path]
    assert all(f.code == "OBS630" for f in findings)


def test_strict_refuses_a_legacy_graph_panel_and_a_target_without_ref_id() -> None:
    dashboard = clean_dashboard()
    dashboard["panels"][1]["type"] = "graph"
    dashboard["panels"][2]["targets"] = [{"expr": "up"}]
    paths = {f.path for f in validate_dashboard_strict(text_of(dashboard))}
    assert ("panels", 1, "type") in paths
    assert ("panels", 2, "targets", 0) in paths


# --- lenient: dashboards from elsewhere ---------------------------------------------------

def _exported() -> dict[str, Any]:
    """An old export: __inputs/__requires, legacy rows, a graph panel with its legacy fields,
    a datasource by name, nulls, no annotations, schemaVersion 16."""
    return {
        "__inputs": [{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}],
        "__requires": [{"type": "panel", "id": "graph", "version": ""}],
        "schemaVersion": 16, "style": "dark", "title": "Old", "uid": "old-one",
        "templating": {"list": [{"name": "job", "type": "query", "datasource": "Prometheus",
                                 "query": "label_values(up, job)", "tags": [],
                                 "useTags": False}]},
        "rows": [{"title": "r", "panels": [
            {"id": 1, "type": "graph", "span": 6, "title": "Load", "lines": True,
             "yaxes": [{"format": "short"}], "targets": [{"expr": "up{job=~\"$job\"}"}]}]}],
        "refresh": None,
    }


def test_lenient_turns_every_migrated_feature_into_a_warning_with_path_and_hint() -> None:
    text = json.dumps(_exported(), indent=2)
    findings = validate_dashboard_lenient(text)
    by_path = {format_path(f.path): f for f in findings}
    assert all(lookup(f.code).severity is Severity.WARNING for f in findings)
    assert all(f.hint for f in findings)
    assert by_path["__inputs"].code == "OBS633"
    assert by_path["__inputs"].line == line_of(text, '"__inputs"')
    assert by_path["__requires"].code == "OBS633"
    assert by_path["rows"].code == "OBS633" and "row panels" in (by_path["rows"].hint or "")
    assert by_path["style"].code == "OBS633"
    assert by_path["schemaVersion"].code == "OBS633"
    assert "16" in by_path["schemaVersion"].message
    assert by_path["refresh"].code == "OBS633" and "null" in by_path["refresh"].message
    assert by_path["templating.list[0].datasource"].code == "OBS633"
    assert by_path["templating.list[0].tags"].code == "OBS633"
    assert by_path["rows[0].panels[0].type"].code == "OBS642"
    assert "'timeseries'" in (by_path["rows[0].panels[0].type"].hint or "")
    assert any("annotations" in f.message for f in findings if f.path == ())
    # the graph panel's own legacy fields (lines, yaxes, span) are summed up by OBS642
    assert not any(f.path[:4] == ("rows", 0, "panels", 0) and f.code != "OBS642"
                   for f in findings)


def test_lenient_reports_an_unknown_property_and_a_bad_option_as_warnings() -> None:
    dashboard = clean_dashboard()
    dashboard["panels"][1]["colour"] = "red"
    dashboard["panels"][1]["options"]["tooltip"]["mode"] = "all"
    findings = validate_dashboard_lenient(text_of(dashboard))
    assert {(f.code, f.path) for f in findings} == {
        ("OBS632", ("panels", 1, "colour")),
        ("OBS634", ("panels", 1, "options", "tooltip", "mode"))}


def test_lenient_accepts_what_grafana_fills_in_that_strict_refuses() -> None:
    dashboard = clean_dashboard()
    del dashboard["panels"][1]["fieldConfig"]["overrides"]
    del dashboard["panels"][1]["options"]["tooltip"]
    dashboard["panels"][1]["targets"][0] = {"expr": "up", "step": 10}
    text = text_of(dashboard)
    assert {f.path for f in validate_dashboard_strict(text)} == {
        ("panels", 1, "fieldConfig"), ("panels", 1, "options"),
        ("panels", 1, "targets", 0), ("panels", 1, "targets", 0, "step")}
    assert validate_dashboard_lenient(text) == []


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{\n  "title": "x",\n  "panels": [1, 2,]\n}\n', 3, 19),
    ('{"title": "x"', 1, 14),
    ("", 1, 1),
])
def test_malformed_json_is_an_error_at_line_and_column(text: str, line: int,
                                                       column: int) -> None:
    for validate in (validate_dashboard_lenient, validate_dashboard_strict):
        [finding] = validate(text)
        assert (finding.code, finding.line, finding.column) == ("OBS631", line, column)
        assert lookup("OBS631").severity is Severity.ERROR


@pytest.mark.parametrize("text", ["[1, 2]", '"dashboard"', "null", '{"a": NaN}',
                                  '{"panels": ' + "[" * 900 + "]" * 900 + "}"])
def test_json_that_is_no_dashboard_object_is_an_error(text: str) -> None:
    assert [f.code for f in validate_dashboard_lenient(text)] == ["OBS631"]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8)
                    | st.floats(allow_nan=False, allow_infinity=False),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(
                        ["panels", "type", "targets", "templating", "list", "datasource",
                         "options", "fieldConfig", "defaults", "rows", "uid", "expr", "name",
                         "title", "gridPos", "schemaVersion", "annotations", "x"]),
                        inner, max_size=5), max_leaves=30)


SCALAR = st.none() | st.booleans() | st.integers() | st.text(max_size=6) | st.sampled_from(
    ["row", "graph", "timeseries", "stat", "$x", "${__all}", "rate(x[5m])", 'up{job="a"}'])
PANEL = st.fixed_dictionaries({}, optional={
    "type": JSON | SCALAR, "title": SCALAR, "targets": st.lists(st.dictionaries(
        st.sampled_from(["expr", "datasource", "instant", "refId"]), JSON | SCALAR),
        max_size=2) | SCALAR,
    "datasource": JSON | SCALAR, "panels": JSON, "fieldConfig": JSON, "options": JSON,
    "repeat": JSON | SCALAR})
DASHBOARD = st.fixed_dictionaries({}, optional={
    "panels": st.lists(PANEL, max_size=3) | JSON,
    "rows": st.lists(st.fixed_dictionaries({"panels": st.lists(PANEL, max_size=2)}),
                     max_size=2) | JSON,
    "templating": st.fixed_dictionaries({"list": st.lists(st.dictionaries(
        st.sampled_from(["name", "type", "query", "datasource", "current"]), JSON | SCALAR),
        max_size=3) | JSON}) | JSON,
    "uid": JSON | SCALAR, "schemaVersion": JSON | SCALAR, "dashboard": JSON})


@settings(max_examples=300, deadline=None)
@given(JSON | DASHBOARD)
def test_lenient_validation_and_lint_never_raise_on_any_json(value: Any) -> None:
    text = json.dumps(value, indent=1)
    file = ForeignFile("d.json", text, "dashboard")
    found = lint_dashboard(file, LintContext((file,)))
    assert all(d.location is not None and d.location.line >= 1 for d in found)
    if not isinstance(value, dict):
        assert [d.code for d in found] == ["OBS631"]
    else:
        assert all(d.severity is not Severity.ERROR or d.code == "OBS644" for d in found)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=4000))
def test_lenient_validation_never_raises_on_truncated_text(cut: int) -> None:
    text = (CORPUS / "kube-prometheus" / "alertmanager-overview.json").read_text()[:cut]
    assert [f.code for f in validate_dashboard_lenient(text)] == ["OBS631"]


# --- the JSON position locator -----------------------------------------------------------



@pytest.mark.parametrize("name", ["dotdc/k8s-views-nodes.json",
                                  "kube-prometheus/k8s-resources-node.json"])
def test_every_value_position_decodes_back_to_that_value(name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    data = json.loads(text)
    positions = JsonPositions(text)
    decoder = json.JSONDecoder()
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    count = 0
    for path in _sites(data):
        node = data
        for step in path:
            node = node[step]
        where = positions.of_value(path)
        offset = starts[where.line - 1] + where.column - 1
        assert decoder.raw_decode(text, offset)[0] == node
        count += 1
    assert count > 500


def test_key_positions_and_escaped_keys() -> None:
    text = '{\n  "a\\"b": {"c\\u00e9": [1,\n   {"d": "x"}]}\n}'
    positions = JsonPositions(text)
    assert (positions.of_key(('a"b',)).line, positions.of_key(('a"b',)).column) == (2, 3)
    assert (positions.of_value(('a"b', "cé", 1, "d")).line,
            positions.of_value(('a"b', "cé", 1, "d")).column) == (3, 10)
    # a missing path falls back to its nearest existing ancestor
    assert positions.of_value(('a"b', "missing")) == positions.of_value(('a"b',))


def test_format_path() -> None:
    assert format_path(("panels", 3, "targets", 0, "expr")) == "panels[3].targets[0].expr"
    assert format_path(()) == "(dashboard)"
    assert target("up")["refId"] == "A"


def test_a_position_inside_a_string_counts_escapes_as_written() -> None:
    text = '{"q": "a\\"b\\u00e9c[5m]"}'
    positions = JsonPositions(text)
    decoded = json.loads(text)["q"]
    where = positions.in_string(("q",), decoded.index("[5m]"))
    assert (where.line, where.column) == (1, text.index("[5m]") + 1)
    assert positions.in_string(("missing",), 3) == positions.of_value(())
