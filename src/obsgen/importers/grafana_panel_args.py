"""Which grafanalib argument of each panel kind says which part of the panel's JSON, so an
imported panel reads `unit="bytes", legendDisplayMode="table"` as a person would write it.
Whatever obsgen then emits differently is still corrected by `extra=` (grafana_extra_diff), so
a mapping here only has to be right in the common case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from grafanalib import core

from obsgen.importers.grafana_legacy_values import obj, seq
from obsgen.importers.grafana_values import call

Json = dict[str, Any]
Path = tuple[str, ...]
_DEFAULTS, _CUSTOM = ("fieldConfig", "defaults"), ("fieldConfig", "defaults", "custom")
_OPTIONS = ("options",)

# (argument, where its value stands in the panel JSON, the JSON types it takes)
COMMON: tuple[tuple[str, Path, tuple[type, ...]], ...] = (
    ("interval", ("interval",), (str,)),
    ("maxDataPoints", ("maxDataPoints",), (int,)),
    ("timeFrom", ("timeFrom",), (str,)),
    ("timeShift", ("timeShift",), (str,)),
    ("transparent", ("transparent",), (bool,)),
    ("transformations", ("transformations",), (list,)),
    ("links", ("links",), (list,)),
    ("mappings", (*_DEFAULTS, "mappings"), (list,)),
    ("overrides", ("fieldConfig", "overrides"), (list,)),
)
BY_KIND: dict[str, tuple[tuple[str, Path, tuple[type, ...]], ...]] = {
    "timeseries": (
        ("unit", (*_DEFAULTS, "unit"), (str,)),
        ("valueDecimals", (*_DEFAULTS, "decimals"), (int,)),
        ("valueMin", (*_DEFAULTS, "min"), (int, float)),
        ("valueMax", (*_DEFAULTS, "max"), (int, float)),
        ("legendDisplayMode", (*_OPTIONS, "legend", "displayMode"), (str,)),
        ("legendPlacement", (*_OPTIONS, "legend", "placement"), (str,)),
        ("legendCalcs", (*_OPTIONS, "legend", "calcs"), (list,)),
        ("tooltipMode", (*_OPTIONS, "tooltip", "mode"), (str,)),
        ("tooltipSort", (*_OPTIONS, "tooltip", "sort"), (str,)),
        ("drawStyle", (*_CUSTOM, "drawStyle"), (str,)),
        ("lineInterpolation", (*_CUSTOM, "lineInterpolation"), (str,)),
        ("lineWidth", (*_CUSTOM, "lineWidth"), (int,)),
        ("fillOpacity", (*_CUSTOM, "fillOpacity"), (int,)),
        ("gradientMode", (*_CUSTOM, "gradientMode"), (str,)),
        ("showPoints", (*_CUSTOM, "showPoints"), (str,)),
        ("pointSize", (*_CUSTOM, "pointSize"), (int,)),
        ("spanNulls", (*_CUSTOM, "spanNulls"), (bool,)),
        ("axisPlacement", (*_CUSTOM, "axisPlacement"), (str,)),
        ("axisLabel", (*_CUSTOM, "axisLabel"), (str,)),
        ("stacking", (*_CUSTOM, "stacking"), (dict,)),
    ),
    "stat": (
        ("format", (*_DEFAULTS, "unit"), (str,)),
        ("decimals", (*_DEFAULTS, "decimals"), (int,)),
        ("noValue", (*_DEFAULTS, "noValue"), (str,)),
        ("colorMode", (*_OPTIONS, "colorMode"), (str,)),
        ("graphMode", (*_OPTIONS, "graphMode"), (str,)),
        ("textMode", (*_OPTIONS, "textMode"), (str,)),
        ("orientation", (*_OPTIONS, "orientation"), (str,)),
    ),
    "gauge": (
        ("format", (*_DEFAULTS, "unit"), (str,)),
        ("decimals", (*_DEFAULTS, "decimals"), (int,)),
        ("min", (*_DEFAULTS, "min"), (int, float)),
        ("max", (*_DEFAULTS, "max"), (int, float)),
    ),
    "bargauge": (
        ("format", (*_DEFAULTS, "unit"), (str,)),
        ("decimals", (*_DEFAULTS, "decimals"), (int,)),
        ("min", (*_DEFAULTS, "min"), (int, float)),
        ("max", (*_DEFAULTS, "max"), (int, float)),
        ("displayMode", (*_OPTIONS, "displayMode"), (str,)),
        ("orientation", (*_OPTIONS, "orientation"), (str,)),
    ),
    "table": (
        ("unit", (*_DEFAULTS, "unit"), (str,)),
        ("showHeader", (*_OPTIONS, "showHeader"), (bool,)),
    ),
}
# Unit arguments: obsgen reads "none" as "not given" and picks a unit from the query, so an
# explicit "none" stays in extra=.
UNITS = ("unit", "format")
THRESHOLD_KINDS = ("timeseries", "stat", "gauge", "bargauge", "table", "state-timeline")


def _at(panel: Json, path: Path) -> Any:
    value: Any = panel
    for step in path:
        value = obj(value).get(step)
    return value


def panel_arguments(kind: str, panel: Json) -> Json:
    """The arguments of obsgen's `kind` class that say what `panel` holds."""
    found: Json = {}
    for name, path, types in (*COMMON, *BY_KIND.get(kind, ())):
        value = _at(panel, path)
        if isinstance(value, types) and not (isinstance(value, bool) and bool not in types) \
                and value not in ("", [], {}) and not (name in UNITS and value == "none"):
            found[name] = value
    steps = seq(obj(_at(panel, (*_DEFAULTS, "thresholds"))).get("steps"))
    if kind in THRESHOLD_KINDS and steps and all(isinstance(s, dict) for s in steps):
        found["thresholds"] = [{"color": s.get("color"), "value": s.get("value")}
                               for s in steps]
    if isinstance(panel.get("repeat"), str) and panel["repeat"]:
        found.update(_repeat(panel))
    return found


def _repeat(panel: Json) -> Json:
    args: Json = {"variable": panel["repeat"]}
    if panel.get("repeatDirection") in ("h", "v"):
        args["direction"] = panel["repeatDirection"]
    if isinstance(panel.get("maxPerRow"), int):
        args["maxPerRow"] = panel["maxPerRow"]
    return {"repeat": call("grafanalib.core", "Repeat", args, core.Repeat)}


def without(args: Json, names: Iterable[str]) -> Json:
    dropped = set(names)
    return {k: v for k, v in args.items() if k not in dropped}
