"""The dashboards round trip's oracle: what it calls equal and where it says they differ."""

from __future__ import annotations

import copy
import json
from typing import Any

from obsgen.importers.grafana_compare import first_difference


def _dashboard() -> dict[str, Any]:
    return {"uid": "u", "title": "T", "schemaVersion": 39, "templating": {"list": []},
            "panels": [{"id": 1, "type": "timeseries", "title": "P",
                        "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
                        "fieldConfig": {"defaults": {"unit": "bytes"}, "overrides": []},
                        "options": {"legend": {"displayMode": "list"}},
                        "targets": [{"expr": "sum(rate(x[5m])) by (a)", "refId": "A"}]}]}


def test_a_dashboard_equals_itself_and_a_changed_unit_is_named() -> None:
    given = _dashboard()
    assert first_difference(given, copy.deepcopy(given)) is None
    changed = copy.deepcopy(given)
    changed["panels"][0]["fieldConfig"]["defaults"]["unit"] = "s"
    difference = first_difference(given, changed)
    assert difference is not None
    assert (difference.path, difference.given, difference.rebuilt) == (
        "panels[0].fieldConfig.defaults.unit", "bytes", "s")


def test_queries_compare_as_parsed_promql_and_options_may_gain_defaults() -> None:
    rebuilt = _dashboard()
    panel = rebuilt["panels"][0]
    panel["targets"][0]["expr"] = "sum by (a) (rate(x[5m]))"
    panel["options"]["legend"]["showLegend"] = True
    assert first_difference(_dashboard(), rebuilt) is None
    panel["targets"][0]["expr"] = "sum by (b) (rate(x[5m]))"
    difference = first_difference(_dashboard(), rebuilt)
    assert difference is not None and difference.path == "panels[0].targets[0].expr"


def test_a_legacy_graph_equals_the_timeseries_grafana_migrates_it_to() -> None:
    legacy = _dashboard()
    legacy["panels"][0] = {"id": 1, "type": "graph", "title": "P", "span": 6,
                           "yaxes": [{"format": "bytes", "show": True}, {"show": True}],
                           "targets": [{"expr": "up", "refId": "A"}]}
    legacy["rows"], legacy["panels"] = [{"panels": legacy["panels"]}], []
    current = first_difference(legacy, legacy)
    assert current is None
    rebuilt = json.loads(json.dumps(legacy))
    rebuilt["rows"][0]["panels"][0]["yaxes"][0]["format"] = "s"
    difference = first_difference(legacy, rebuilt)
    assert difference is not None and difference.path.endswith("defaults.unit")


def test_obsgen_s_own_datasource_variable_is_allowed() -> None:
    rebuilt = _dashboard()
    rebuilt["templating"]["list"].append({"name": "datasource", "type": "datasource",
                                          "query": "prometheus"})
    assert first_difference(_dashboard(), rebuilt) is None
    rebuilt["templating"]["list"].append({"name": "extra", "type": "query", "query": "q"})
    difference = first_difference(_dashboard(), rebuilt)
    assert difference is not None and difference.path == "templating.list (names)"
