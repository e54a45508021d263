"""The escape hatches in dashboard JSON: `extra=` merged over what obsgen emits for a panel,
variable, row header or dashboard, a RawPanel written as it was given, and the "grid" layout,
where every panel keeps the position it was given (imported dashboards use all three)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from grafanalib import core

from obsgen.diagnostics import Location
from obsgen.model.dashboards import Dashboard, Panel, Row
from obsgen.model.raw_panels import RawPanel

Json = dict[str, Any]
GRID_WIDTH = 24
PlacePanel = Callable[[Panel, Location, Json, list[Json]], None]


def merge_extra(base: Json, extra: Mapping[str, Any]) -> Json:
    """`base` with `extra` merged over it: mappings key by key, any other value replaces, and
    None removes the key. `targets` given as a list of mappings as long as the emitted one
    merges target by target (the fields of a query obsgen does not write)."""
    out = dict(base)
    for key, value in extra.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge_extra(out[key], value)
        elif key == "targets" and _per_target(value, out.get(key)):
            out[key] = [merge_extra(t, v) for t, v in zip(out[key], value, strict=True)]
        else:
            out[key] = copy.deepcopy(value)
    return out


def _per_target(value: Any, base: Any) -> bool:
    return (isinstance(value, list) and isinstance(base, list) and len(value) == len(base)
            and all(isinstance(v, Mapping) for v in value)
            and all(isinstance(t, dict) for t in base))


def extra_of(item: object) -> Mapping[str, Any]:
    found = getattr(item, "extra", None)
    return found if isinstance(found, Mapping) else {}


def is_foreign(panel: Panel) -> bool:
    """A panel part of whose JSON obsgen did not write: obsgen's strict schema is for what it
    writes itself; these are linted as any dashboard is."""
    return isinstance(panel, RawPanel) or bool(extra_of(panel))


def raw_panel_json(panel: RawPanel) -> Json:
    body = copy.deepcopy(dict(panel.json))
    for key in ("id", "gridPos"):
        body.pop(key, None)
    return body


def grid_pos(value: Any) -> Json | None:
    """A gridPos given as grafanalib's GridPos or as a mapping, None where there is none."""
    if isinstance(value, core.GridPos):
        value = value.to_json_data()
    if isinstance(value, Mapping) and {"h", "w", "x", "y"} <= value.keys():
        return {k: value[k] for k in ("h", "w", "x", "y")}
    return None


def grid_layout(d: Dashboard, place: PlacePanel) -> list[Json]:
    """Panels where their gridPos puts them, row headers where their RowPanel's does; ids count
    up in definition order. `place(panel, where, gridPos, holder)` appends one panel's JSON."""
    panels: list[Json] = []
    next_id, y = 1, 0
    for row in d.rows:
        holder = panels
        if row.header is not None or row.title:
            header, y = _header(row, next_id, y), y + 1
            panels.append(header)
            next_id += 1
            if row.collapsed:
                holder = header["panels"]
        for panel in row.panels:
            where = getattr(panel, "source", row.source)
            pos = grid_pos(panel.gridPos) or {"h": row.height, "w": GRID_WIDTH, "x": 0, "y": y}
            place(panel, where, {**pos, "_id": next_id}, holder)
            y, next_id = max(y, pos["y"] + pos["h"]), next_id + 1
    return panels


def _header(row: Row, next_id: int, y: int) -> Json:
    pos = grid_pos(getattr(row.header, "gridPos", None)) or {"h": 1, "w": GRID_WIDTH, "x": 0,
                                                             "y": y}
    body: Json = {"collapsed": row.collapsed, "gridPos": pos, "id": next_id, "panels": [],
                  "title": row.title, "type": "row"}
    return merge_extra(body, extra_of(row.header))
