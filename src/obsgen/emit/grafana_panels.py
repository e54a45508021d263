"""Canonicalise one grafanalib panel into a current-schema Grafana panel (schemaVersion 42).

grafanalib 0.7.1 writes legacy shapes: `fieldOptions` on bar gauges, reduce options inside a
gauge's fieldConfig, the pre-8 heatmap, `null`s the schema rejects, `span`/`height`/`error`...
Each kind below keeps what the current plugin schema defines, translates what has a modern
equivalent, and fills the options the schema requires with Grafana's own defaults.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from obsgen.diagnostics import DefinitionError, Location
from obsgen.emit.grafana_fields import (
    NO_THRESHOLDS,
    field_config,
    field_defaults,
    legend,
    merged,
    overrides,
    pick,
    reduce_options,
    tooltip,
    without_nulls,
)
from obsgen.model.promql import _Ops

Json = dict[str, Any]

# Top-level panel fields of the current schema that obsgen copies from grafanalib's output.
PANEL_FIELDS = ("title", "description", "transparent", "links", "repeat", "repeatDirection",
                "maxPerRow", "maxDataPoints", "interval", "timeFrom", "timeShift",
                "hideTimeOverride", "cacheTimeout", "transformations")
GRAFANALIB_MAX_DATA_POINTS = 100  # grafanalib's default; Grafana's own (panel width) is better


def to_plain(value: Any, path: str, where: Location) -> Any:
    """grafanalib objects expanded through `to_json_data`, query helpers to their text."""
    if isinstance(value, _Ops):
        return str(value)
    if hasattr(value, "to_json_data"):
        return to_plain(value.to_json_data(), path, where)
    if isinstance(value, dict):
        return {str(k): to_plain(v, f"{path}.{k}", where) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v, f"{path}[{i}]", where) for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise _unserialisable(path, value, where)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise _unserialisable(path, value, where)


def _unserialisable(path: str, value: object, where: Location) -> DefinitionError:
    return DefinitionError("OBS604", f"{path} = {value!r:.60} cannot be written as JSON",
                           hint="panel options take strings, numbers, booleans, lists and dicts",
                           location=where)


# Units ----------------------------------------------------------------------------------------

_SERIES = re.compile(r"(?<![\w:$])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[|\)|$|\s*[-+*/]|\s*$)")
_BASE_UNITS = (("_seconds", "s"), ("_bytes", "bytes"), ("_ratio", "percentunit"))


def _series_names(text: str) -> list[str]:
    stripped = re.sub(r"\{[^}]*\}", "{}", text)
    stripped = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "",
                      stripped)
    return [m.group(1) for m in _SERIES.finditer(stripped) if not m.group(1).isdigit()]


def unit_of(text: str) -> str:
    """The Grafana unit of a query's values, from its metric's name (the catalog's naming
    rules make the base unit the suffix): quantiles and gauges keep the unit, rates of counts
    and `_count`/`_total` series are plain numbers."""
    quantile = text.lstrip().startswith("histogram_quantile") or "histogram_quantile(" in text
    for name in _series_names(text):
        base = re.sub(r"_(bucket|count|sum|total)$", "", name)
        if name.endswith(("_count", "_total")) or (name.endswith("_bucket") and not quantile):
            return "short"
        return next((unit for suffix, unit in _BASE_UNITS if base.endswith(suffix)), "short")
    return "short"


def bucket_unit(texts: Iterable[str]) -> str:
    """The unit of a histogram's bucket bounds (`le`), for a heatmap's y axis."""
    for text in texts:
        for name in _series_names(text):
            if name.endswith("_bucket"):
                base = name.removesuffix("_bucket")
                return next((u for s, u in _BASE_UNITS if base.endswith(s)), "short")
    return "short"


# Kinds ----------------------------------------------------------------------------------------

_GRAPH_CUSTOM = (
    "drawStyle", "gradientMode", "thresholdsStyle", "transform", "lineColor", "lineWidth",
    "lineInterpolation", "lineStyle", "fillColor", "fillOpacity", "showPoints", "pointSize",
    "pointColor", "axisPlacement", "axisColorMode", "axisLabel", "axisWidth", "axisSoftMin",
    "axisSoftMax", "axisGridShow", "scaleDistribution", "axisCenteredZero", "barAlignment",
    "barWidthFactor", "stacking", "hideFrom", "insertNulls", "spanNulls", "fillBelowTo",
    "pointSymbol", "axisBorderShow", "barMaxWidth")


def _custom(raw: Json, keys: Iterable[str]) -> Json:
    custom = (raw.get("fieldConfig", {}).get("defaults", {}) or {}).get("custom") or {}
    kept: Json = without_nulls(pick(custom, keys))
    return kept


def timeseries(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    custom = _custom(raw, _GRAPH_CUSTOM)
    if not custom.get("stacking"):
        custom["stacking"] = {"group": "A", "mode": "none"}
    scale = custom.get("scaleDistribution") or {}
    if scale.get("type") != "log":
        custom["scaleDistribution"] = {"type": scale.get("type", "linear")}
    color = (raw["fieldConfig"]["defaults"].get("color") or {"mode": "palette-classic"})
    steps = (raw["fieldConfig"]["defaults"].get("thresholds") or {}).get("steps")
    return {"options": merged({"legend": legend(options.get("legend")),
                               "tooltip": tooltip(options.get("tooltip"))},
                              options, ("timezone", "orientation")),
            "fieldConfig": field_config(field_defaults(raw, unit, where, color=color,
                                                       steps=steps or NO_THRESHOLDS),
                                        custom, raw)}


def stat(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    reduce = options.get("reduceOptions") or {}
    base = {"colorMode": options.get("colorMode", "value"),
            "graphMode": options.get("graphMode", "area"),
            "justifyMode": "center" if options.get("justifyMode") in ("center", "centre")
            else "auto",
            "orientation": options.get("orientation", "auto"),
            "percentChangeColorMode": "standard", "showPercentChange": False,
            "textMode": options.get("textMode", "auto"), "wideLayout": True,
            "reduceOptions": reduce_options(reduce.get("calcs"), reduce.get("values"),
                                            reduce.get("fields"), reduce.get("limit"))}
    color = raw["fieldConfig"]["defaults"].get("color") or {"mode": "thresholds"}
    return {"options": merged(base, options, ("text", "showPercentChange", "wideLayout",
                                              "percentChangeColorMode")),
            "fieldConfig": field_config(field_defaults(raw, unit, where, color=color), None,
                                        raw)}


def gauge(raw: Json, unit: str, where: Location) -> Json:
    config = raw.get("fieldConfig") or {}
    legacy = config.get("defaults") or {}
    options = raw.get("options") or {}
    base = {"minVizHeight": 75, "minVizWidth": 75, "orientation": "auto", "sizing": "auto",
            "showThresholdLabels": bool(config.get("showThresholdLabels", False)),
            "showThresholdMarkers": bool(config.get("showThresholdMarkers", True)),
            "reduceOptions": reduce_options(legacy.get("calcs"), legacy.get("values"), "",
                                            legacy.get("limit"))}
    defaults = field_defaults(raw, unit, where, color={"mode": "thresholds"},
                              mapping_source=legacy.get("mappings"))
    if legacy.get("title"):
        defaults["displayName"] = legacy["title"]
    return {"options": merged(base, options, ("text", "orientation", "sizing")),
            "fieldConfig": field_config(defaults, None, raw)}


def bargauge(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    legacy = options.get("fieldOptions") or {}
    old = legacy.get("defaults") or {}
    base = {"displayMode": options.get("displayMode", "gradient"),
            "legend": legend({"displayMode": "list", "placement": "bottom"}, show=False),
            "maxVizHeight": 300, "minVizHeight": 16, "minVizWidth": 8, "namePlacement": "auto",
            "orientation": options.get("orientation", "horizontal"), "showUnfilled": True,
            "sizing": "auto", "valueMode": "color",
            "reduceOptions": reduce_options(legacy.get("calcs"), legacy.get("values"), "",
                                            legacy.get("limit"))}
    shaped = {"fieldConfig": {"defaults": {**pick(old, ("decimals", "min", "max", "unit")),
                                           "links": old.get("links")},
                              "overrides": overrides(raw)}}
    defaults = field_defaults(shaped, unit, where, color={"mode": "thresholds"},
                              mapping_source=legacy.get("mappings"),
                              steps=legacy.get("thresholds"))
    if old.get("title"):
        defaults["displayName"] = old["title"]
    return {"options": merged(base, options, ("text", "valueMode", "namePlacement")),
            "fieldConfig": field_config(defaults, None, raw)}


_BARCHART_OPTIONS = ("xField", "colorByField", "orientation", "barRadius", "xTickLabelRotation",
                     "xTickLabelMaxLength", "xTickLabelSpacing", "stacking", "showValue",
                     "barWidth", "groupWidth", "text", "fullHighlight")
_BARCHART_CUSTOM = ("lineWidth", "fillOpacity", "gradientMode", "axisPlacement",
                    "axisColorMode", "axisLabel", "axisWidth", "axisSoftMin", "axisSoftMax",
                    "axisGridShow", "scaleDistribution", "axisCenteredZero", "hideFrom",
                    "thresholdsStyle", "axisBorderShow")


def barchart(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    base = {"fullHighlight": False, "xTickLabelMaxLength": 0,
            **pick(options, _BARCHART_OPTIONS),
            "legend": legend(options.get("legend")), "tooltip": tooltip(options.get("tooltip"))}
    color = dict(raw["fieldConfig"]["defaults"].get("color") or {"mode": "palette-classic"})
    if color.get("mode") != "fixed" or color.get("fixedColor") in (None, "none"):
        color.pop("fixedColor", None)
    return {"options": base,
            "fieldConfig": field_config(field_defaults(raw, unit, where, color=color),
                                        _custom(raw, _BARCHART_CUSTOM), raw)}


_HEATMAP_LAYOUT = {"upper": "le", "lower": "ge", "middle": "unknown"}
GRAFANALIB_CARD_COLOR = "#b4ff00"  # grafanalib's default; Grafana's own is dark-orange


def _fill(card_color: Any) -> str:
    return card_color if card_color and card_color != GRAFANALIB_CARD_COLOR else "dark-orange"


def heatmap(raw: Json, unit: str, where: Location) -> Json:
    """The pre-8 heatmap grafanalib writes, in the shape Grafana's own migration gives it."""
    color = raw.get("color") or {}
    scheme = str(color.get("colorScheme") or "interpolateOranges").removeprefix("interpolate")
    legacy_tooltip = raw.get("tooltip") or {}
    options = {
        "calculate": raw.get("dataFormat") != "tsbuckets",
        "cellGap": 1,
        "color": {"exponent": float(color.get("exponent", 0.5)),
                  "fill": _fill(color.get("cardColor")),
                  "mode": "opacity" if color.get("mode") == "opacity" else "scheme",
                  "reverse": False,
                  "scale": "linear" if color.get("colorScale") == "linear" else "exponential",
                  "scheme": scheme, "steps": 64},
        "exemplars": {"color": "rgba(255,0,255,0.7)"},
        "legend": {"show": bool((raw.get("legend") or {}).get("show", True))},
        "rowsFrame": {"layout": _HEATMAP_LAYOUT.get(str(raw.get("yBucketBound")), "auto")},
        "showValue": "never",
        "tooltip": {"mode": "single" if legacy_tooltip.get("show", True) else "none",
                    "showColorScale": False, "yHistogram": False},
        "yAxis": {"axisPlacement": "left", "reverse": bool(raw.get("reverseYBuckets")),
                  "unit": unit},
    }
    if raw.get("hideZeroBuckets"):
        options["filterValues"] = {"le": 1e-09}
    extra = raw.get("options") if isinstance(raw.get("options"), dict) else {}
    options.update(extra or {})
    custom = {"hideFrom": {"legend": False, "tooltip": False, "viz": False},
              "scaleDistribution": {"type": "linear"}}
    defaults: Json = {}
    return {"options": options, "fieldConfig": field_config(defaults, custom, raw)}


def table(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    custom_raw = (raw.get("fieldConfig", {}).get("defaults", {}) or {}).get("custom") or {}
    # Not `cellOptions`: Grafana's schema makes it a oneOf whose branches overlap, so the
    # plain {"type": ...} form matches several and fails; displayMode says the same thing.
    custom = {"align": custom_raw.get("align", "auto"), "inspect": False,
              **pick(custom_raw, ("filterable", "width", "minWidth", "hidden", "hideHeader"))}
    if custom_raw.get("displayMode") not in (None, "auto"):
        custom["displayMode"] = custom_raw["displayMode"]
    sort_by = [{"displayName": s["displayName"], "desc": bool(s.get("desc", False))}
               for s in options.get("sortBy") or [] if isinstance(s, dict)]
    base = {"cellHeight": "sm", "frameIndex": 0, "showHeader": bool(options.get("showHeader",
                                                                                True)),
            "footer": {"countRows": False, "reducer": ["sum"], "show": False}}
    if sort_by:
        base["sortBy"] = sort_by
    color = {"mode": (raw.get("color") or {}).get("mode") or "thresholds"}
    defaults = field_defaults(raw, unit, where, color=color, mapping_source=raw.get("mappings"))
    return {"options": merged(base, options, ("showTypeIcons", "footer", "cellHeight")),
            "fieldConfig": field_config(defaults, custom, raw)}


def text(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    mode = options.get("mode", "markdown")
    out = {"content": options.get("content", ""),
           "mode": mode if mode in ("html", "markdown", "code") else "markdown"}
    if "code" in options:
        out["code"] = options["code"]
    return {"options": out}


def state_timeline(raw: Json, unit: str, where: Location) -> Json:
    options = raw.get("options") or {}
    base = {"alignValue": options.get("alignValue", "left"),
            "mergeValues": bool(options.get("mergeValues", True)),
            "rowHeight": options.get("rowHeight", 0.9),
            "showValue": options.get("showValue", "auto"),
            "legend": legend(options.get("legend")), "tooltip": tooltip(options.get("tooltip"))}
    color = raw["fieldConfig"]["defaults"].get("color") or {"mode": "thresholds"}
    custom = _custom(raw, ("lineWidth", "fillOpacity", "axisPlacement", "axisLabel",
                           "hideFrom", "spanNulls", "insertNulls"))
    return {"options": merged(base, options, ("timezone", "perPage")),
            "fieldConfig": field_config(field_defaults(raw, unit, where, color=color), custom,
                                        raw)}


KINDS: dict[str, Callable[[Json, str, Location], Json]] = {
    "timeseries": timeseries, "stat": stat, "gauge": gauge, "bargauge": bargauge,
    "barchart": barchart, "heatmap": heatmap, "table": table, "text": text,
    "state-timeline": state_timeline,
}


def canonical(raw: Json, unit: str, where: Location) -> Json:
    """The current-schema panel for grafanalib's output `raw` (targets, datasource, id and
    gridPos are the dashboard's to add)."""
    kind = raw.get("type")
    if kind not in KINDS:
        raise DefinitionError("OBS603", f"panel kind {kind!r} is not one obsgen emits",
                              hint=f"use one of: {', '.join(sorted(KINDS))}", location=where)
    common = without_nulls(pick(raw, PANEL_FIELDS))
    for key in ("transparent", "hideTimeOverride"):
        if common.get(key) is False:
            del common[key]
    for key in ("links", "transformations"):
        if not common.get(key):
            common.pop(key, None)
    if common.get("maxDataPoints") == GRAFANALIB_MAX_DATA_POINTS:
        del common["maxDataPoints"]
    if not common.get("repeat"):
        for key in ("repeat", "repeatDirection", "maxPerRow"):
            common.pop(key, None)
    if not common.get("description"):
        common.pop("description", None)
    body: Json = {"type": kind, **common, **KINDS[kind](raw, unit, where)}
    return body
