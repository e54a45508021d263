"""Dashboard JSON: the current Grafana dashboard schema (schemaVersion 42), deterministic.

Layout, ids, variables, targets and the datasource are obsgen's; each panel's own options come
from grafanalib and are canonicalised by emit/grafana_panels.py.
"""

from __future__ import annotations

import json
import re
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grafanalib import core

from obsgen.diagnostics import DefinitionError, Diagnostic, Location
from obsgen.emit.grafana_extra import (
    extra_of,
    grid_layout,
    is_foreign,
    merge_extra,
    raw_panel_json,
)
from obsgen.emit.grafana_guard import check_panel_schema
from obsgen.emit.grafana_panels import Json, bucket_unit, canonical, to_plain, unit_of
from obsgen.emit.jsontext import dashboard_text
from obsgen.model.dashboards import Dashboard, Link, Panel, Row
from obsgen.model.project import Project
from obsgen.model.promql import _Ops
from obsgen.model.raw_panels import RawPanel
from obsgen.model.variables import DATASOURCE_VARIABLE, Variable, variables_used

SCHEMA_VERSION = 42  # the default of Grafana's dashboard schema obsgen is validated against
DATASOURCE: Json = {"type": "prometheus", "uid": f"${{{DATASOURCE_VARIABLE}}}"}
GRID_WIDTH = 24
FORMATS = ("time_series", "table", "heatmap")
TABLE_KINDS = ("table", "barchart")  # their plain queries are instant tables
VARIABLE_ENTRY = re.compile(r"templating\.list\[\d+\]")
SAVED_VARIABLE_STATE = ("current", "options", "name")  # values and names, not references
BUILT_IN_ANNOTATIONS: Json = {
    "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
    "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts",
    "type": "dashboard",
}


def dashboard_path(d: Dashboard) -> str:
    """Where the dashboard lands, relative to the build folder."""
    return f"grafana/{d.folder.uid}/{d.uid}.json"


def render(d: Dashboard) -> str:
    return dashboard_text(dashboard_json(d))


@dataclass(frozen=True)
class Emitted:
    """Every dashboard's file and what stopped any from being emitted, computed once a build:
    the checks need the JSON that is written."""

    artifacts: dict[str, str]
    problems: list[Diagnostic]


def compile_dashboards(project: Project) -> Emitted:
    """The dashboards' files, and what would stop them from being emitted: duplicate uids
    (reported at both definitions), anything a panel cannot be canonicalised with, and any
    panel that would not pass obsgen's strict schema (each distinct panel shape is validated
    once per build)."""
    found = list(_duplicate_uids(project.dashboards))
    files: dict[str, str] = {}
    clean: set[str] = set()
    for d in project.dashboards:
        placed: list[tuple[Json, Location]] = []
        try:
            data = dashboard_json(d, placed)
            for body, where in placed:
                check_panel_schema(body, where, clean)
        except DefinitionError as exc:
            found.append(Diagnostic.of(exc.code, exc.message, exc.location or d.source,
                                       exc.hint))
            continue
        files[dashboard_path(d)] = dashboard_text(data)
    return Emitted(files, found)


def artifacts(project: Project) -> dict[str, str]:
    return compile_dashboards(project).artifacts


def problems(project: Project) -> list[Diagnostic]:
    return compile_dashboards(project).problems


def _duplicate_uids(dashboards: tuple[Dashboard, ...]) -> Iterator[Diagnostic]:
    by_uid: dict[str, list[Dashboard]] = defaultdict(list)
    for d in dashboards:
        by_uid[d.uid].append(d)
    for uid, same in by_uid.items():
        for d in same if len(same) > 1 else ():
            others = ", ".join(f"{Path(o.source.path).name}:{o.source.line}"
                               for o in same if o is not d)
            yield Diagnostic.of("OBS602", f"dashboard uid {uid!r} is also used at {others}",
                                d.source, "uids identify dashboards in Grafana; give each its own")


def dashboard_json(d: Dashboard, placed: list[tuple[Json, Location]] | None = None) -> Json:
    """The dashboard's JSON; `placed` collects each panel's JSON with its definition line."""
    out: Json = {
        "annotations": {"list": [dict(BUILT_IN_ANNOTATIONS)]},
        "editable": d.editable,
        "fiscalYearStartMonth": 0,
        "graphTooltip": d.graph_tooltip,
        "links": [_link(link) for link in d.links],
        "panels": _layout(d, [] if placed is None else placed),
        "refresh": d.refresh,
        "schemaVersion": SCHEMA_VERSION,
        "tags": list(d.tags),
        "templating": {"list": [_datasource_variable(), *map(_variable, d.variables)]},
        "time": {"from": d.time_from, "to": d.time_to},
        "timepicker": {},
        "timezone": d.timezone,
        "title": d.title,
        "uid": d.uid,
    }
    if d.description:
        out["description"] = d.description
    if d.extra:
        out = merge_extra(out, d.extra)
    own = {key: out[key] for key in ("title", "description", "links", "templating") if key in out}
    _require_defined(own, "", _defined(d), d.source, f"dashboard {d.uid!r}")
    return out


# Variables and links ------------------------------------------------------------------------

def variable_json(v: Variable) -> Json:
    """One variable's JSON as the dashboard holds it."""
    return _variable(v)


def _datasource_variable() -> Json:
    return {"hide": 0, "includeAll": False, "label": "Data source", "multi": False,
            "name": DATASOURCE_VARIABLE, "options": [], "query": "prometheus", "refresh": 1,
            "regex": "", "type": "datasource"}


def _variable(v: Variable) -> Json:
    out: Json = {"datasource": dict(DATASOURCE), "definition": v.query, "hide": 0,
                 "includeAll": v.include_all, "multi": v.multi, "name": v.name, "options": [],
                 "query": v.query, "refresh": v.refresh, "regex": "", "sort": v.sort,
                 "type": "query"}
    if v.label:
        out["label"] = v.label
    if v.description:
        out["description"] = v.description
    if v.all_value is not None:
        out["allValue"] = v.all_value
    if v.include_all:
        out["current"] = ({"selected": True, "text": ["All"], "value": ["$__all"]} if v.multi
                          else {"selected": True, "text": "All", "value": "$__all"})
    return merge_extra(out, v.extra) if v.extra else out


def _link(link: Link) -> Json:
    out: Json = {"asDropdown": link.as_dropdown, "icon": link.icon,
                 "includeVars": link.include_vars, "keepTime": link.keep_time,
                 "tags": list(link.tags), "targetBlank": link.target_blank,
                 "title": link.title, "tooltip": link.tooltip, "type": link.type}
    if link.url:
        out["url"] = link.url
    return out


# Layout -------------------------------------------------------------------------------------

def _size(panel: Panel, width: int, height: int) -> tuple[int, int]:
    pos = panel.gridPos
    if isinstance(pos, core.GridPos):
        return pos.w, pos.h
    if isinstance(pos, dict) and {"w", "h"} <= pos.keys():
        return pos["w"], pos["h"]
    return width, height


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _widths(count: int) -> list[int]:
    base, extra = divmod(GRID_WIDTH, max(count, 1))
    return [base + (1 if i < extra else 0) for i in range(count)]


def _layout(d: Dashboard, placed: list[tuple[Json, Location]]) -> list[Json]:
    """Rows top to bottom, each row's panels left to right, wrapping at the grid's width;
    ids count up in that order, so they only change when the layout does."""
    defined = _defined(d)
    if d.layout == "grid":
        return grid_layout(d, lambda panel, where, pos, holder: _place(
            panel, where, pos, holder, defined, placed))
    panels: list[Json] = []
    y, next_id = 0, 1
    for row in d.rows:
        holder = panels
        if row.title:
            inside: list[Json] = []
            header: Json = {"collapsed": row.collapsed, "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0,
                                                               "y": y},
                      "id": next_id, "panels": inside, "title": row.title, "type": "row"}
            panels.append(header)
            _require_defined(row.title, "title", defined, row.source, f"row {row.title!r}")
            next_id, y = next_id + 1, y + 1
            if row.collapsed:
                holder = inside
        y, next_id = _place_row(row, holder, y, next_id, defined, placed)
        if row.collapsed and row.title:
            y = panels[-1]["gridPos"]["y"] + 1
    return panels


def _place_row(row: Row, holder: list[Json], y: int, next_id: int, defined: frozenset[str],
               placed: list[tuple[Json, Location]]) -> tuple[int, int]:
    x, tallest = 0, 0
    for panel, width in zip(row.panels, _widths(len(row.panels)), strict=True):
        w, h = _size(panel, width, row.height)
        where = getattr(panel, "source", row.source)
        if not (_whole(w) and _whole(h) and 1 <= w <= GRID_WIDTH and h >= 1):
            raise DefinitionError("OBS609", f"panel {panel.title!r}: gridPos w={w!r}, h={h!r} "
                                  "does not fit the 24-column grid", hint="w is a whole number "
                                  "1-24, h a whole number of at least 1", location=where)
        if x + w > GRID_WIDTH:
            x, y, tallest = 0, y + tallest, 0
        _place(panel, where, {"h": h, "w": w, "x": x, "y": y, "_id": next_id}, holder, defined,
               placed)
        x, tallest, next_id = x + w, max(tallest, h), next_id + 1
    return y + tallest, next_id


def _place(panel: Panel, where: Location, pos: Json, holder: list[Json],
           defined: frozenset[str], placed: list[tuple[Json, Location]]) -> None:
    body = panel_json(panel, where)
    _require_defined(body, "", defined, where, f"panel {body.get('title', '')!r}")
    ident = pos.pop("_id")
    body["id"], body["gridPos"] = ident, pos
    holder.append(body)
    if not is_foreign(panel):
        placed.append((body, where))


# Variables the emitted text refers to -------------------------------------------------------

def _defined(d: Dashboard) -> frozenset[str]:
    return frozenset({DATASOURCE_VARIABLE, *(v.name for v in d.variables)})


def _references(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(JSON path, variable name) for each variable a part of the dashboard refers to, read as
    the dashboard lint reads it: `repeat` names its variable bare, a text panel's content is
    prose that may hold a literal `$`, a variable's saved `current`/`options` are values."""
    if isinstance(value, str):
        yield from ((path, name) for name in variables_used(value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _references(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        saved = SAVED_VARIABLE_STATE if VARIABLE_ENTRY.fullmatch(path) else ()
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "repeat" and isinstance(item, str) and item:
                yield where, item
            elif key not in saved and not (key == "content" and path.endswith("options")):
                yield from _references(item, where)


def _require_defined(value: Any, path: str, defined: frozenset[str], where: Location,
                     what: str) -> None:
    """OBS605 at `where` for the first variable `value` refers to that is not `defined`."""
    text = json.dumps(value)
    if '"repeat"' not in text and set(variables_used(text)) <= defined:
        return  # nothing undefined anywhere in it: no need to walk it for the path
    for at, name in _references(value, path):
        if name not in defined:
            have = ", ".join(sorted(defined))
            raise DefinitionError(
                "OBS605", f"{what}: {at} uses ${name}, which the dashboard does not "
                "define", hint=f"add Variable({name!r}, ...) to the dashboard's variables=[...], "
                f"or reword the text without '$' (defined: {have})", location=where)


# Panels and targets -------------------------------------------------------------------------

def panel_json(panel: Panel, where: Location) -> Json:
    if isinstance(panel, RawPanel):
        return raw_panel_json(panel)
    body = _panel_json(panel, where)
    extra = extra_of(panel)
    return merge_extra(body, extra) if extra else body


def _panel_json(panel: Panel, where: Location) -> Json:
    try:
        raw = to_plain(panel.to_json_data(), "panel", where)
    except DefinitionError:
        raise
    except Exception as exc:  # grafanalib's serialiser failing on a value it cannot handle
        raise DefinitionError("OBS604", f"panel {panel.title!r} cannot be serialised: {exc}",
                              hint="check the panel's options", location=where) from None
    _check_datasource(raw.get("datasource"), where)
    texts = [str(t) for t in _query_texts(panel)]
    unit = (bucket_unit(texts) if raw.get("type") == "heatmap"
            else unit_of(texts[0]) if texts else "short")
    try:
        body = canonical(raw, unit, where)
    except DefinitionError:
        raise
    except Exception as exc:  # an option of a shape no check above foresaw: never a traceback
        raise DefinitionError("OBS604", f"panel {panel.title!r:.60}: an option has a shape "
                              f"obsgen cannot write ({type(exc).__name__}: {exc})",
                              hint="check the panel's options against grafanalib's "
                              "documentation for this panel kind", location=where) from None
    if body["type"] != "text":
        body["datasource"] = dict(DATASOURCE)
        body["targets"] = _targets(panel, raw, where)
    return body


def _check_datasource(value: Any, where: Location) -> None:
    if value in (None, "", "$datasource", "${datasource}", DATASOURCE):
        return
    raise DefinitionError("OBS608", f"panel datasource {value!r} is not the dashboard's "
                          "$datasource variable", hint="drop dataSource=...; every panel "
                          "queries ${datasource}, chosen on the dashboard", location=where)


def _query_texts(panel: Panel) -> Iterator[str]:
    for target in panel.targets or ():
        expr = target.expr if isinstance(target, core.Target) else target
        if isinstance(expr, _Ops | str):
            yield str(expr)


def _targets(panel: Panel, raw: Json, where: Location) -> list[Json]:
    kind = raw["type"]
    plain_format = ("heatmap" if kind == "heatmap" and raw.get("dataFormat") == "tsbuckets"
                    else "table" if kind in TABLE_KINDS else "time_series")
    found = []
    for index, target in enumerate(panel.targets or ()):
        ref = string.ascii_uppercase[index % 26] * (index // 26 + 1)
        found.append(_target(target, ref, plain_format, where))
    return found


def _target(target: Any, ref: str, plain_format: str, where: Location) -> Json:
    if isinstance(target, _Ops | str):
        instant = plain_format == "table"
        return _query(str(target), ref, plain_format, instant, "__auto")
    if isinstance(target, core.Target):
        if not isinstance(target.expr, _Ops | str) or not str(target.expr).strip():
            raise DefinitionError("OBS607", f"target {target.refId or ref}: expr "
                                  f"{target.expr!r:.60} is not a query", hint="expr= takes a "
                                  "helper expression or a PromQL string", location=where)
        fmt = plain_format if target.format == "time_series" else target.format
        if fmt not in FORMATS:
            raise DefinitionError("OBS607", f"target format {target.format!r} is not one of "
                                  f"{', '.join(FORMATS)}", hint="Prometheus targets return "
                                  "time series, tables or heatmap buckets", location=where)
        out = _query(str(target.expr), target.refId or ref, fmt, target.instant,
                     target.legendFormat or "__auto")
        if target.interval:
            out["interval"] = target.interval
        if target.hide:
            out["hide"] = True
        return out
    raise DefinitionError("OBS607", f"panel target {target!r:.60} is not a query",
                          hint="targets take helper expressions (rate(...)), PromQL strings or "
                          "grafanalib Target(expr=..., legendFormat=...)", location=where)


def _query(expr: str, ref: str, fmt: str, instant: bool, legend: str) -> Json:
    return {"datasource": dict(DATASOURCE), "editorMode": "code", "expr": expr,
            "format": fmt, "instant": instant, "legendFormat": legend, "range": not instant,
            "refId": ref}
