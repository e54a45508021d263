"""Legacy panel kinds and option layouts as Grafana migrates them when a dashboard loads:
`graph` -> timeseries (flot options to fieldConfig), `singlestat` -> stat or gauge,
`table-old` -> table (styles to overrides), pre-7 `fieldOptions` -> fieldConfig and
reduceOptions, old value mappings -> typed ones. The facts are Grafana's; the code is ours."""

from __future__ import annotations

from typing import Any

from obsgen.importers.grafana_legacy_tables import table_old_panel
from obsgen.importers.grafana_legacy_values import REDUCERS, no_nulls, number, obj, seq, take

Json = dict[str, Any]
GRAPH_PANEL_FIELDS = ("aliasColors", "bars", "dashLength", "dashes", "fill", "fillGradient",
                      "hiddenSeries", "legend", "lines", "linewidth", "nullPointMode",
                      "percentage", "pointradius", "points", "renderer", "seriesOverrides",
                      "spaceLength", "stack", "steppedLine", "thresholds", "timeRegions",
                      "tooltip", "xaxis", "yaxes", "yaxis", "options")
SINGLESTAT_FIELDS = ("cacheTimeout", "colorBackground", "colorPostfix", "colorPrefix",
                     "colorValue", "colors", "format", "gauge", "mappingType",
                     "mappingTypes", "nullPointMode", "nullText", "postfix", "postfixFontSize",
                     "prefix", "prefixFontSize", "rangeMaps", "sparkline", "tableColumn",
                     "thresholds", "valueFontSize", "valueMaps", "valueName", "decimals")


def migrate_panel(panel: Json) -> Json:
    """One panel in the current shape (other kinds are returned as they are)."""
    panel = dict(panel)
    kind = panel.get("type")
    if kind == "graph":
        panel = graph_panel(panel)
    elif kind in ("singlestat", "grafana-singlestat-panel"):
        panel = singlestat_panel(panel)
    elif kind == "table-old" or (kind == "table" and "styles" in panel):
        panel = table_old_panel(panel)
    elif kind in ("stat", "gauge", "bargauge") and isinstance(
            (panel.get("options") or {}).get("fieldOptions"), dict):
        panel = field_options_panel(panel)
    _modern_options(panel)
    return panel


# graph -> timeseries ------------------------------------------------------------------------

def _axis(axis: Any) -> Json:
    if not isinstance(axis, dict):
        return {}
    custom: Json = {"axisPlacement": "auto" if axis.get("show") else "hidden"}
    if axis.get("label"):
        custom["axisLabel"] = axis["label"]
    if axis.get("logBase") in (2, 10):
        custom["scaleDistribution"] = {"type": "log", "log": axis["logBase"]}
    return no_nulls({"unit": axis.get("format"), "decimals": number(axis.get("decimals")),
                      "min": number(axis.get("min")), "max": number(axis.get("max")),
                      "custom": custom})


def _series_override(old: Json, y1: Json, yaxes: list[Any]) -> tuple[Json | None, bool]:
    alias = old.get("alias")
    if not alias:
        return None, False
    regex = alias.startswith("/") and alias.endswith("/")
    props: list[Json] = []
    dash: Json | None = None
    below = False
    for key, value in old.items():
        if key == "yaxis" and value == 2:
            y2 = _axis(yaxes[1] if len(yaxes) > 1 else None)
            props += [{"id": k, "value": v} for k, v in y2.items()
                      if k != "custom" and v != y1.get(k)]
            props += [{"id": f"custom.{k}", "value": v} for k, v in y2.get("custom", {}).items()
                      if v != y1.get("custom", {}).get(k)]
        elif key == "fill":
            props.append({"id": "custom.fillOpacity", "value": value * 10})
        elif key == "fillBelowTo":
            below = True
            props.append({"id": "custom.fillBelowTo", "value": value})
        elif key == "fillGradient" and value:
            props += [{"id": "custom.fillGradient", "value": "opacity"},
                      {"id": "custom.fillOpacity", "value": value * 10}]
        elif key == "points":
            props.append({"id": "custom.showPoints", "value": "always" if value else "never"})
        elif key == "bars":
            props += ([{"id": "custom.drawStyle", "value": "bars"},
                       {"id": "custom.fillOpacity", "value": 100}] if value
                      else [{"id": "custom.drawStyle", "value": "line"}])
        elif key == "lines":
            props.append({"id": "custom.lineWidth", "value": 0})
        elif key == "linewidth":
            props.append({"id": "custom.lineWidth", "value": value})
        elif key == "pointradius":
            props.append({"id": "custom.pointSize", "value": 2 + value * 2})
        elif key in ("dashLength", "spaceLength", "dashes"):
            dash = dash or {"fill": "solid", "dash": [10, 10]}
            if key == "dashes":
                dash["fill"] = "dash" if value else "solid"
            else:
                dash["dash"][0 if key == "dashLength" else 1] = value
        elif key == "stack":
            props.append({"id": "custom.stacking", "value": {"mode": "normal", "group": value}})
        elif key == "color":
            props.append({"id": "color", "value": {"fixedColor": value, "mode": "fixed"}})
    if dash is not None:
        props.append({"id": "custom.lineStyle", "value": dash})
    rule = {"matcher": {"id": "byRegexp" if regex else "byName", "options": alias},
            "properties": props}
    return (rule if props else None), below


def _graph_thresholds(old: list[Any], y1: Json) -> None:
    steps: list[Json] = []
    area = line = False
    ordered = sorted((t for t in old if isinstance(t, dict) and number(t.get("value"))
                      is not None), key=lambda t: number(t["value"]) or 0)
    for index, item in enumerate(ordered):
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        area, line = area or bool(item.get("fill")), line or bool(item.get("line"))
        if item.get("op") == "gt":
            steps.append({"value": item["value"], "color": _threshold_color(item)})
        if item.get("op") == "lt":
            if not steps:
                steps.append({"value": None, "color": _threshold_color(item)})
            color = (_threshold_color(after) if after and after.get("op") == "lt"
                     else "transparent")
            steps.append({"value": item["value"], "color": color})
    if not steps:
        return
    if steps[0]["value"] is not None:
        steps.insert(0, {"color": "transparent", "value": None})
    y1.setdefault("custom", {})["thresholdsStyle"] = {
        "mode": "line+area" if line and area else "area" if area else "line"}
    y1["thresholds"] = {"mode": "absolute", "steps": steps}


def _threshold_color(item: Json) -> str:
    mode = item.get("colorMode")
    if mode == "warning":
        return "orange"
    if mode == "custom":
        return str(item.get("fillColor") or item.get("lineColor") or "red")
    return "red"


def _legend(old: Any, options: Json) -> None:
    if not isinstance(old, dict):
        return
    legend = options["legend"]
    if old.get("show"):
        legend["displayMode"] = "table" if old.get("alignAsTable") else "list"
    else:
        legend["displayMode"], legend["showLegend"] = "list", False
    if old.get("rightSide"):
        legend["placement"] = "right"
    if old.get("values"):
        legend["calcs"] = [REDUCERS[k] for k, v in old.items() if v and k in REDUCERS]
    if old.get("sideWidth"):
        legend["width"] = old["sideWidth"]


def graph_panel(panel: Json) -> Json:
    """A flot graph as a timeseries panel (a graph of series values as a bar chart)."""
    old = take(panel, GRAPH_PANEL_FIELDS)
    config = obj(panel.get("fieldConfig"))
    yaxes = seq(old.get("yaxes"))
    y1 = _axis(yaxes[0] if yaxes else None)
    if config.get("defaults"):
        y1 = {**config["defaults"], **y1}
    overrides = list(config.get("overrides") or [])
    for alias, color in (old.get("aliasColors") or {}).items():
        if color:
            overrides.append({"matcher": {"id": "byName", "options": alias}, "properties": [
                {"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]})
    below = False
    for item in old.get("seriesOverrides") or ():
        rule, fills = _series_override(item, y1, yaxes) if isinstance(item, dict) else (None,
                                                                                       False)
        below = below or fills
        if rule is not None:
            overrides.append(rule)
    graph = dict(y1.get("custom") or {})
    graph["drawStyle"] = ("bars" if old.get("bars") else "line" if old.get("lines", True)
                          else "points")
    if old.get("points"):
        graph["showPoints"] = "always"
        if number(old.get("pointradius")) is not None:
            graph["pointSize"] = 2 + old["pointradius"] * 2
    elif graph["drawStyle"] != "points":
        graph["showPoints"] = "never"
    graph["lineWidth"] = old.get("linewidth")
    if old.get("dashes"):
        graph["lineStyle"] = {"fill": "dash", "dash": [old.get("dashLength", 10),
                                                        old.get("spaceLength", 10)]}
    if below:
        graph["fillOpacity"] = 35
    elif number(old.get("fill")) is not None:
        graph["fillOpacity"] = old["fill"] * 10
    gradient = number(old.get("fillGradient"))
    if gradient:
        graph["gradientMode"], graph["fillOpacity"] = "opacity", gradient * 10
    graph["spanNulls"] = old.get("nullPointMode") == "null"
    if old.get("steppedLine"):
        graph["lineInterpolation"] = "stepAfter"
    if graph["drawStyle"] == "bars":
        graph["fillOpacity"] = 100
    if old.get("stack"):
        graph["stacking"] = {"mode": "normal", "group": "A"}
    y1["custom"] = no_nulls(graph)
    if old.get("nullPointMode") is not None:
        y1["nullValueMode"] = old["nullPointMode"]
    options: Json = {"legend": {"displayMode": "list", "placement": "bottom", "calcs": [],
                                "showLegend": True},
                     "tooltip": {"mode": "single", "sort": "none"}}
    _legend(old.get("legend"), options)
    tooltip = obj(old.get("tooltip"))
    if tooltip.get("shared"):
        options["tooltip"]["mode"] = "multi"
    if tooltip.get("sort") in (1, 2):
        options["tooltip"]["sort"] = "asc" if tooltip["sort"] == 1 else "desc"
    if isinstance(old.get("thresholds"), list):
        _graph_thresholds(old["thresholds"], y1)
    series = (old.get("xaxis") or {}).get("mode") == "series" if isinstance(
        old.get("xaxis"), dict) else False
    panel["type"] = "barchart" if series else "timeseries"
    panel["fieldConfig"] = {"defaults": no_nulls(y1), "overrides": overrides}
    panel["options"] = options
    return panel


# singlestat -> stat / gauge -----------------------------------------------------------------

def _old_value_mappings(old: Json, steps: Json | None) -> list[Json]:
    value_maps = [m for m in old.get("valueMaps") or () if isinstance(m, dict)]
    range_maps = [m for m in old.get("rangeMaps") or () if isinstance(m, dict)]
    kind = old.get("mappingType")
    items = (value_maps if kind in (1, None) else []) + (range_maps if kind in (2, None) else [])
    typed = [{**m, "type": 1} for m in value_maps] if kind in (1, None) else []
    typed += [{**m, "type": 2} for m in range_maps] if kind in (2, None) else []
    return upgrade_value_mappings(typed if items else [], steps)


def _active_color(value: float, steps: Json | None) -> str | None:
    color = None
    for step in (steps or {}).get("steps") or ():
        bound = step.get("value")
        if bound is None or value >= bound:
            color = step.get("color")
    return color


def upgrade_value_mappings(old: list[Any], thresholds: Json | None = None) -> list[Json]:
    """Pre-8 value/range mappings as typed `value`, `range` and `special` mappings."""
    values: Json = {}
    out: list[Json] = []
    for item in old:
        if not isinstance(item, dict):
            continue
        if item.get("type") and isinstance(item.get("options"), dict):
            if item["type"] == "value":
                values.update(item["options"])
            else:
                out.append(item)
            continue
        value = number(item.get("text"))
        color = _active_color(value, thresholds) if value is not None else None
        result = no_nulls({"text": item.get("text"), "color": color})
        if item.get("type") in (1, "1") and item.get("value") is not None:
            if item["value"] == "null":
                out.append({"type": "special", "options": {"match": "null", "result": result}})
            else:
                values[str(item["value"])] = result
        elif item.get("type") in (2, "2"):
            out.append({"type": "range", "options": {"from": number(item.get("from")),
                                                     "to": number(item.get("to")),
                                                     "result": result}})
    if values:
        out.insert(0, {"type": "value", "options": values})
    return out


def singlestat_panel(panel: Json) -> Json:
    old = take(panel, SINGLESTAT_FIELDS)
    gauge = obj(old.get("gauge"))
    reducer = REDUCERS.get(str(old.get("valueName")), "mean")
    options: Json = {"reduceOptions": {"calcs": [reducer], "fields": "", "values": False},
                     "orientation": "horizontal"}
    if old.get("tableColumn"):
        options["reduceOptions"]["fields"] = f"/^{old['tableColumn']}$/"
    defaults: Json = no_nulls({"unit": old.get("format") or None,
                                "nullValueMode": old.get("nullPointMode"),
                                "noValue": old.get("nullText") or None,
                                "decimals": old.get("decimals")})
    if isinstance(old.get("thresholds"), str) and isinstance(old.get("colors"), list):
        levels = [number(v.strip()) for v in old["thresholds"].split(",")]
        steps: list[Json] = []
        for color in old["colors"]:
            index = len(steps) - 1
            steps.append({"value": None if index < 0 else
                          (levels[index] if index < len(levels) else None), "color": color})
        defaults["thresholds"] = {"mode": "absolute", "steps": steps}
    mappings = _old_value_mappings(old, defaults.get("thresholds"))
    if mappings:
        defaults["mappings"] = mappings
    if gauge.get("show"):
        defaults["min"], defaults["max"] = gauge.get("minValue"), gauge.get("maxValue")
        panel["type"] = "gauge"
        options["showThresholdMarkers"] = bool(gauge.get("thresholdMarkers", True))
        options["showThresholdLabels"] = bool(gauge.get("thresholdLabels", False))
    else:
        panel["type"] = "stat"
        sparkline = obj(old.get("sparkline"))
        options["graphMode"] = "area" if sparkline.get("show") else "none"
        options["colorMode"] = ("background" if old.get("colorBackground") else
                                "value" if old.get("colorValue") else "none")
        if (options["colorMode"] == "none" and options["graphMode"] == "area"
                and sparkline.get("lineColor")):
            defaults["color"] = {"mode": "fixed", "fixedColor": sparkline["lineColor"]}
        if old.get("valueName") == "name":
            options["textMode"] = "name"
    panel["fieldConfig"] = {"defaults": no_nulls(defaults), "overrides": []}
    panel["options"] = options
    return panel


def field_options_panel(panel: Json) -> Json:
    """Stat, gauge and bar gauge options of Grafana 6 (`options.fieldOptions`)."""
    options = dict(panel.get("options") or {})
    field = dict(options.pop("fieldOptions"))
    defaults = dict(field.get("defaults") or {})
    steps = defaults.pop("thresholds", None) or field.get("thresholds")
    if isinstance(steps, list) and steps:
        defaults["thresholds"] = {"mode": "absolute", "steps": [
            {"value": None if i == 0 else s.get("value"), "color": s.get("color")}
            for i, s in enumerate(steps) if isinstance(s, dict)]}
    elif isinstance(steps, dict):
        defaults["thresholds"] = steps
    if isinstance(field.get("mappings"), list):
        defaults["mappings"] = field["mappings"]
    if isinstance(defaults.get("color"), str):
        defaults["color"] = {"mode": "fixed", "fixedColor": defaults["color"]}
    if "title" in defaults:
        defaults["displayName"] = defaults.pop("title")
    config = obj(panel.get("fieldConfig"))
    panel["fieldConfig"] = {"defaults": {**(config.get("defaults") or {}), **defaults},
                            "overrides": [*(config.get("overrides") or []),
                                          *(field.get("overrides") or [])]}
    options["reduceOptions"] = no_nulls({"values": field.get("values"),
                                          "limit": field.get("limit"),
                                          "calcs": field.get("calcs")})
    panel["options"] = options
    return panel


# Current panels saved by older Grafana ----------------------------------------------------------

def _modern_options(panel: Json) -> None:
    """Option layouts Grafana renamed in place: a timeseries `tooltipOptions`, a legend hidden
    through its display mode, `hideFrom.graph`, and pre-8 value mappings."""
    options = panel.get("options")
    if isinstance(options, dict):
        if "tooltipOptions" in options and panel.get("type") == "timeseries":
            options["tooltip"] = options.pop("tooltipOptions")
        legend = options.get("legend")
        if isinstance(legend, dict) and legend.get("displayMode") == "hidden":
            legend["displayMode"], legend["showLegend"] = "list", False
    config = panel.get("fieldConfig")
    defaults = config.get("defaults") if isinstance(config, dict) else None
    if isinstance(defaults, dict):
        hide = (defaults.get("custom") or {}).get("hideFrom")
        if isinstance(hide, dict) and "graph" in hide:
            hide["viz"] = hide.pop("graph")
        if isinstance(defaults.get("mappings"), list) and any(
                isinstance(m, dict) and m.get("type") in (1, 2) for m in defaults["mappings"]):
            defaults["mappings"] = upgrade_value_mappings(defaults["mappings"],
                                                          defaults.get("thresholds"))
