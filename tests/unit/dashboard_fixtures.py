"""Hand-written dashboards for the dashboard schema and lint tests: one clean dashboard holding
every panel kind obsgen emits, written from Grafana's documented panel models (not from
obsgen's emitter), and helpers to derive twins from it."""

from __future__ import annotations

import copy
import json
from typing import Any

DS = {"type": "prometheus", "uid": "${datasource}"}
LEGEND = {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True}
TOOLTIP = {"mode": "multi", "sort": "none"}
REDUCE = {"calcs": ["lastNotNull"], "fields": "", "values": False}
THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green", "value": None},
                                            {"color": "red", "value": 80}]}


def target(expr: str, ref: str = "A", **extra: Any) -> dict[str, Any]:
    return {"datasource": DS, "expr": expr, "legendFormat": "{{workflow}}", "refId": ref,
            **extra}


def panel(kind: str, pid: int, title: str, options: dict[str, Any],
          custom: dict[str, Any] | None = None, unit: str | None = "short",
          targets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    defaults: dict[str, Any] = {"color": {"mode": "palette-classic"}, "mappings": [],
                                "thresholds": THRESHOLDS}
    if unit is not None:
        defaults["unit"] = unit
    if custom is not None:
        defaults["custom"] = custom
    out = {"datasource": DS, "fieldConfig": {"defaults": defaults, "overrides": []},
           "gridPos": {"h": 8, "w": 12, "x": 0, "y": pid * 8}, "id": pid, "options": options,
           "title": title, "type": kind}
    if targets is not None:
        out["targets"] = targets
    return out


RATE = 'sum by (workflow) (rate(hypertool_quality_gate_total{workflow=~"$workflow"}' \
       '[$__rate_interval]))'


def clean_dashboard() -> dict[str, Any]:
    """A dashboard that obsgen's strict schema and every lint rule accept."""
    t = [target(RATE)]
    panels = [
        {"collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0}, "id": 1,
         "panels": [], "title": "Overview", "type": "row"},
        panel("timeseries", 2, "Gate rate", {"legend": LEGEND, "tooltip": TOOLTIP},
              {"drawStyle": "line", "fillOpacity": 10, "lineWidth": 1, "showPoints": "never",
               "spanNulls": False, "stacking": {"group": "A", "mode": "none"}}, "reqps", t),
        panel("stat", 3, "Success ratio", {
            "colorMode": "value", "graphMode": "area", "justifyMode": "auto",
            "orientation": "auto", "percentChangeColorMode": "standard",
            "reduceOptions": REDUCE, "showPercentChange": False, "textMode": "auto",
            "wideLayout": True}, {}, "percentunit", t),
        panel("gauge", 4, "Budget left", {
            "minVizHeight": 75, "minVizWidth": 75, "orientation": "auto",
            "reduceOptions": REDUCE, "showThresholdLabels": False,
            "showThresholdMarkers": True, "sizing": "auto"}, None, "percent", t),
        panel("bargauge", 5, "Tokens by persona", {
            "displayMode": "gradient", "legend": LEGEND, "maxVizHeight": 300,
            "minVizHeight": 16, "minVizWidth": 8, "namePlacement": "auto",
            "orientation": "horizontal", "reduceOptions": REDUCE, "showUnfilled": True,
            "sizing": "auto", "valueMode": "color"}, None, "short", t),
        panel("barchart", 6, "Failed gates", {
            "barWidth": 0.97, "fullHighlight": False, "groupWidth": 0.7, "legend": LEGEND,
            "orientation": "horizontal", "showValue": "auto", "stacking": "none",
            "tooltip": TOOLTIP, "xTickLabelMaxLength": 0, "xTickLabelRotation": 0},
              {"fillOpacity": 80, "gradientMode": "none", "lineWidth": 1}, "short",
              [target(RATE, format="table", instant=True)]),
        panel("heatmap", 7, "Duration distribution", {
            "calculate": False, "cellGap": 1,
            "color": {"exponent": 0.5, "fill": "dark-orange", "mode": "scheme",
                      "reverse": False, "scale": "exponential", "scheme": "Oranges",
                      "steps": 64},
            "exemplars": {"color": "rgba(255,0,255,0.7)"}, "legend": {"show": True},
            "showValue": "auto", "tooltip": {"mode": "single", "yHistogram": False},
            "yAxis": {"axisPlacement": "left", "unit": "s"}},
              {"hideFrom": {"legend": False, "tooltip": False, "viz": False},
               "scaleDistribution": {"type": "linear"}}, "s",
              [target('sum by (le) (rate(hypertool_stage_duration_seconds_bucket'
                      '{workflow=~"$workflow"}[$__rate_interval]))', format="heatmap")]),
        panel("table", 8, "Slowest stages", {
            "cellHeight": "sm", "footer": {"countRows": False, "reducer": ["sum"],
                                           "show": False},
            "frameIndex": 0, "showHeader": True,
            "sortBy": [{"desc": True, "displayName": "Value"}]},
              {"align": "auto", "inspect": False}, "s",
              [target(RATE, format="table", instant=True)]),
        panel("state-timeline", 9, "Gate state", {
            "alignValue": "left", "legend": LEGEND, "mergeValues": True, "rowHeight": 0.9,
            "showValue": "auto", "tooltip": TOOLTIP},
              {"fillOpacity": 70, "lineWidth": 0}, "short", t),
        {"gridPos": {"h": 4, "w": 24, "x": 0, "y": 80}, "id": 10,
         "options": {"content": "Quality gates of $workflow.", "mode": "markdown"},
         "title": "About", "type": "text"},
    ]
    dashboard = {
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana",
                                                               "uid": "-- Grafana --"},
                                  "enable": True, "hide": True,
                                  "iconColor": "rgba(0, 211, 255, 1)",
                                  "name": "Annotations & Alerts", "type": "dashboard"}]},
        "editable": False,
        "graphTooltip": 1,
        "links": [],
        "panels": panels,
        "refresh": "1m",
        "schemaVersion": 42,
        "tags": ["hypertool"],
        "templating": {"list": [
            {"current": {"text": "Prometheus", "value": "prometheus"}, "hide": 0,
             "includeAll": False, "label": "Datasource", "multi": False,
             "name": "datasource", "options": [], "query": "prometheus", "refresh": 1,
             "regex": "", "type": "datasource"},
            {"current": {"text": ["All"], "value": ["$__all"]}, "datasource": DS,
             "definition": "label_values(hypertool_quality_gate_total, workflow)",
             "hide": 0, "includeAll": True, "label": "Workflow", "multi": True,
             "name": "workflow", "options": [],
             "query": "label_values(hypertool_quality_gate_total, workflow)", "refresh": 2,
             "regex": "", "sort": 1, "type": "query"},
        ]},
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": "Fixture Overview",
        "uid": "fixture-overview",
        "version": 1,
    }
    copied: dict[str, Any] = json.loads(json.dumps(dashboard))  # no shared sub-objects
    return copied


def text_of(dashboard: dict[str, Any]) -> str:
    return json.dumps(dashboard, indent=2, sort_keys=True) + "\n"


def twin(**changes: Any) -> dict[str, Any]:
    """A copy of the clean dashboard with top-level keys replaced (None deletes)."""
    out = copy.deepcopy(clean_dashboard())
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle`, found independently of obsgen."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]
