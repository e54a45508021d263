"""The field config and options every panel kind shares (thresholds, mappings, legend, tooltip)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from obsgen.diagnostics import DefinitionError, Location

Json = dict[str, Any]

DEFAULT_THRESHOLDS: list[Json] = [{"color": "green", "value": None}, {"color": "red", "value": 80}]
# A time series draws no threshold unless asked to: Grafana's "red at 80" default means nothing
# for most series, and appears as soon as someone turns threshold lines on.
NO_THRESHOLDS: list[Json] = [{"color": "green", "value": None}]
LEGEND_CALCS_DEFAULT: list[str] = []


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def pick(source: Json, keys: Iterable[str]) -> Json:
    return {k: source[k] for k in keys if k in source and source[k] is not None}


def thresholds(steps: Any, mode: str, where: Location) -> Json:
    """Threshold steps from grafanalib `Threshold`s, `{"color", "value"}` dicts or plain
    `(value, color)` pairs; the first step's value is always null (minus infinity)."""
    if not steps:
        return {"mode": mode, "steps": [dict(s) for s in DEFAULT_THRESHOLDS]}
    result = []
    for index, step in enumerate(steps):
        if isinstance(step, list) and len(step) == 2:
            value, color = step
        elif isinstance(step, dict) and "color" in step:
            value, color = step.get("value"), step["color"]
        else:
            raise DefinitionError("OBS609", f"threshold step {step!r} is not (value, color)",
                                  hint='thresholds=[(None, "red"), (200, "yellow"), '
                                  '(500, "green")]', location=where)
        if value in ("null", None) or index == 0:
            value = None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise DefinitionError("OBS609", f"threshold value {value!r} is not a number",
                                  hint="threshold values are numbers", location=where)
        result.append({"color": color, "value": value})
    values = [s["value"] for s in result[1:]]
    if values != sorted(values):
        raise DefinitionError("OBS609", f"threshold values {values} are not increasing",
                              hint="list the steps from lowest to highest", location=where)
    return {"mode": mode if mode in ("absolute", "percentage") else "absolute", "steps": result}


def mappings(raw: Any, where: Location) -> list[Json]:
    """Value mappings: a plain dict `{value: text}` or `{value: (text, color)}`, grafanalib
    ValueMap/RangeMap output, or mappings already in Grafana's current shape."""
    if not raw:
        return []
    if isinstance(raw, dict):
        options = {}
        for index, (value, result) in enumerate(raw.items()):
            text, color = (result, None) if isinstance(result, str) else tuple(result)
            entry: Json = {"text": text, "color": color, "index": index}
            options[str(value)] = without_nulls(entry)
        return [{"type": "value", "options": options}]
    result = []
    for item in raw:
        if isinstance(item, dict) and "op" in item and "text" in item:  # grafanalib ValueMap
            result.append({"type": "value", "options": {str(item["value"]): {
                "text": item["text"], "index": len(result)}}})
        elif isinstance(item, dict) and {"from", "to", "text"} <= item.keys():  # RangeMap
            result.append({"type": "range", "options": {
                "from": item["from"], "to": item["to"],
                "result": {"text": item["text"], "index": len(result)}}})
        elif isinstance(item, dict) and item.get("type") in ("value", "range", "regex",
                                                              "special"):
            result.append(item)
        else:
            raise DefinitionError("OBS609", f"value mapping {item!r:.60} has no known shape",
                                  hint='mappings={"0": "down", "1": ("up", "green")}',
                                  location=where)
    return result


def field_defaults(raw: Json, unit: str, where: Location, *, color: Json | None = None,
                   mapping_source: Any = None, steps: Any = None) -> Json:
    defaults = raw.get("fieldConfig", {}).get("defaults", {}) or {}
    out = pick(defaults, ("decimals", "min", "max", "displayName", "noValue"))
    if out.get("noValue") == "none":  # grafanalib's default would print the word "none"
        del out["noValue"]
    panel_unit = defaults.get("unit")
    out["unit"] = panel_unit if panel_unit not in (None, "", "none") else unit
    if color is not None:
        out["color"] = color
    found = mappings(mapping_source if mapping_source is not None else defaults.get("mappings"),
                     where)
    if found:
        out["mappings"] = found
    if steps is None:
        steps = (defaults.get("thresholds") or {}).get("steps")
    mode = (defaults.get("thresholds") or {}).get("mode", "absolute")
    out["thresholds"] = thresholds(steps, mode, where)
    links = defaults.get("links")
    if links:
        out["links"] = links
    return out


def overrides(raw: Json) -> list[Json]:
    found = raw.get("fieldConfig", {}).get("overrides") or []
    return [_override(o) for o in found if isinstance(o, dict)]


def _override(override: Json) -> Json:
    """`byName` with a string is what Grafana's editor writes, but the schema types matcher
    options as an object; `byNames` says the same in that form."""
    matcher = override.get("matcher") or {}
    if matcher.get("id") == "byName" and isinstance(matcher.get("options"), str):
        names = {"mode": "include", "names": [matcher["options"]]}
        return {**override, "matcher": {"id": "byNames", "options": names}}
    return override


def field_config(defaults: Json, custom: Json | None, raw: Json) -> Json:
    if custom:
        defaults = {**defaults, "custom": custom}
    return {"defaults": defaults, "overrides": overrides(raw)}


def legend(raw: Any, show: bool | None = None) -> Json:
    raw = raw if isinstance(raw, dict) else {}
    mode = raw.get("displayMode", "list")
    out = {"displayMode": mode if mode in ("list", "table", "hidden") else "list",
           "placement": raw.get("placement") if raw.get("placement") in ("bottom", "right")
           else "bottom",
           "calcs": list(raw.get("calcs") or LEGEND_CALCS_DEFAULT),
           "showLegend": raw.get("showLegend", mode != "hidden") if show is None else show}
    out.update(pick(raw, ("asTable", "isVisible", "sortBy", "sortDesc", "width")))
    return out


def tooltip(raw: Any) -> Json:
    raw = raw if isinstance(raw, dict) else {}
    return {"mode": raw.get("mode", "single"), "sort": raw.get("sort", "none"),
            **pick(raw, ("maxWidth", "maxHeight", "hideZeros"))}


def reduce_options(calcs: Any, values: Any = False, fields: Any = "", limit: Any = None) -> Json:
    calcs = calcs if isinstance(calcs, list) else [calcs]
    out = {"calcs": [c for c in calcs if isinstance(c, str)] or ["lastNotNull"],
           "fields": fields if isinstance(fields, str) else "", "values": bool(values)}
    if isinstance(limit, int | float) and not isinstance(limit, bool):
        out["limit"] = limit
    return out


def merged(base: Json, raw: Json, keys: Iterable[str]) -> Json:
    """`base` overlaid with the current-schema keys the user set (extraJson included)."""
    return {**base, **pick(raw, (k for k in keys if k not in base))}
