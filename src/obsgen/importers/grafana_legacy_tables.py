"""The old table panel (`table-old`, or `table` with `styles`) as Grafana migrates it on
load: styles become field overrides, the default style the defaults, `transform` a
transformation."""

from __future__ import annotations

from typing import Any

from obsgen.importers.grafana_legacy_values import REDUCERS, no_nulls, number, obj, take

Json = dict[str, Any]
TABLE_OLD_FIELDS = ("styles", "columns", "transform", "sort", "fontSize", "pageSize",
                    "scroll", "showHeader")


# table-old -> table ---------------------------------------------------------------------------

TRANSFORMS = {"timeseries_to_rows": "seriesToRows", "timeseries_to_columns": "seriesToColumns",
              "timeseries_aggregations": "reduce", "table": "merge"}


def _style_properties(style: Json) -> list[Json]:
    props: list[Json] = []
    if style.get("alias"):
        props.append({"id": "displayName", "value": style["alias"]})
    if style.get("unit") and style.get("type") != "date":
        props.append({"id": "unit", "value": style["unit"]})
    if style.get("type") == "date" and style.get("dateFormat"):
        props.append({"id": "unit", "value": f"time: {style['dateFormat']}"})
    if number(style.get("decimals")) is not None:
        props.append({"id": "decimals", "value": number(style["decimals"])})
    if style.get("align") and style["align"] != "auto":
        props.append({"id": "custom.align", "value": style["align"]})
    if style.get("type") == "hidden":
        props.append({"id": "custom.hidden", "value": True})
    if style.get("colorMode") in ("cell", "value", "row"):
        mode = "color-background" if style["colorMode"] in ("cell", "row") else "color-text"
        props.append({"id": "custom.displayMode", "value": mode})
    if isinstance(style.get("thresholds"), list) and isinstance(style.get("colors"), list):
        steps = [{"value": None, "color": style["colors"][0]}] if style["colors"] else []
        for value, color in zip(style["thresholds"], style["colors"][1:], strict=False):
            steps.append({"value": number(value), "color": color})
        props.append({"id": "thresholds", "value": {"mode": "absolute", "steps": steps}})
    if style.get("link"):
        props.append({"id": "links", "value": [no_nulls({
            "title": style.get("linkTooltip") or "", "url": style.get("linkUrl") or "",
            "targetBlank": bool(style.get("linkTargetBlank"))})]})
    return props


def table_old_panel(panel: Json) -> Json:
    old = take(panel, TABLE_OLD_FIELDS)
    defaults: Json = {"custom": {"align": "auto", "displayMode": "auto", "inspect": False}}
    overrides: list[Json] = []
    for style in old.get("styles") or ():
        if not isinstance(style, dict):
            continue
        pattern = str(style.get("pattern") or "")
        props = _style_properties(style)
        if pattern == "/.*/":
            for prop in props:
                _set_path(defaults, prop["id"], prop["value"])
        elif props:
            regex = pattern.startswith("/") and pattern.endswith("/")
            overrides.append({"matcher": {"id": "byRegexp" if regex else "byName",
                                          "options": pattern}, "properties": props})
    transform = TRANSFORMS.get(str(old.get("transform")))
    if transform == "reduce":
        reducers = [REDUCERS.get(str(c.get("value")), str(c.get("value")))
                    for c in old.get("columns") or () if isinstance(c, dict)]
        panel.setdefault("transformations", []).append(
            {"id": "reduce", "options": {"reducers": reducers}})
    elif transform is not None:
        panel.setdefault("transformations", []).append({"id": transform, "options": {}})
    options: Json = {"showHeader": bool(old.get("showHeader", True))}
    sort = obj(old.get("sort"))
    if sort.get("col") is not None:
        options["sortBy"] = [{"displayName": str(sort["col"]), "desc": bool(sort.get("desc"))}]
    panel["type"] = "table"
    panel["fieldConfig"] = {"defaults": defaults, "overrides": overrides}
    panel["options"] = options
    return panel


def _set_path(target: Json, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


