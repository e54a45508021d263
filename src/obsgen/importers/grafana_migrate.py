"""Dashboard JSON of any schemaVersion Grafana still migrates, as Grafana itself has it once
loaded: the shape `obsgen import` maps onto definitions and the round-trip comparison reads.

What each step does is what Grafana's DashboardMigrator and its panel-type handlers do on load
(the facts: pre-5 `rows` become row panels with gridPos, `graph`, `singlestat` and `table-old`
become timeseries, stat/gauge and table, pre-7 option layouts move into fieldConfig); the panel
kinds are in `grafana_legacy_panels`.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

from obsgen.importers.grafana_legacy_panels import migrate_panel

Json = dict[str, Any]
CURRENT_SCHEMA = 42
GRID_COLUMNS = 24
GRID_CELL_HEIGHT, GRID_CELL_VMARGIN = 30, 8
MIN_PANEL_HEIGHT = GRID_CELL_HEIGHT * 3
DEFAULT_ROW_HEIGHT = 250
DEFAULT_PANEL_SPAN = 4


def dashboard_of(document: Any) -> Json | None:
    """The dashboard object of a file: plain, inside `{"dashboard": ...}` (the HTTP API's and
    some exports' wrapper), or None when the document is not a dashboard."""
    if isinstance(document, dict) and isinstance(document.get("dashboard"), dict):
        document = document["dashboard"]
    if not isinstance(document, dict):
        return None
    looks = ("panels" in document or "rows" in document) and (
        "title" in document or "uid" in document or "schemaVersion" in document)
    return document if looks else None


def migrate(dashboard: Json) -> Json:
    """A deep copy of `dashboard` in the current schema."""
    out = copy.deepcopy(dashboard)
    for key in ("__inputs", "__requires", "__elements"):
        out.pop(key, None)
    if isinstance(out.get("rows"), list):
        out["panels"] = [*_panels(out.get("panels")), *rows_to_panels(out.pop("rows"))]
    out["panels"] = [_migrated(p) for p in _panels(out.get("panels"))]
    _templating(out)
    out["schemaVersion"] = CURRENT_SCHEMA
    return out


def _panels(value: Any) -> list[Json]:
    return [p for p in value if isinstance(p, dict)] if isinstance(value, list) else []


# What Grafana's panel model assumes for a gridPos member the JSON leaves out.
GRID_DEFAULTS: Json = {"x": 0, "y": 0, "h": 3, "w": 6}


def _migrated(panel: Json) -> Json:
    panel = migrate_panel(panel)
    if isinstance(panel.get("gridPos"), dict):
        panel["gridPos"] = {**GRID_DEFAULTS, **panel["gridPos"]}
    if panel.get("type") == "row":
        panel["panels"] = [_migrated(p) for p in _panels(panel.get("panels"))]
    _datasource_refs(panel)
    return panel


def _datasource_refs(panel: Json) -> None:
    """A datasource named by a string becomes a reference (schemaVersion 33); Grafana looks the
    name up, which a file cannot, so the name stands as the uid."""
    for holder in (panel, *(t for t in panel.get("targets") or () if isinstance(t, dict))):
        value = holder.get("datasource")
        if isinstance(value, str):
            holder["datasource"] = {"uid": value}


def _templating(dashboard: Json) -> None:
    for variable in all_variables(dashboard):
        if isinstance(variable.get("datasource"), str):
            variable["datasource"] = {"uid": variable["datasource"]}
        for key in ("tags", "tagsQuery", "tagValuesQuery", "useTags"):
            variable.pop(key, None)


def all_variables(dashboard: Json) -> Iterator[Json]:
    listed = (dashboard.get("templating") or {}).get("list")
    yield from (v for v in listed or () if isinstance(v, dict))


# Rows (schemaVersion 16) -------------------------------------------------------------------

def grid_height(height: Any) -> int:
    if isinstance(height, str):
        digits = height.strip().removesuffix("px").strip()
        height = int(digits) if digits.isdigit() else DEFAULT_ROW_HEIGHT
    if not isinstance(height, int | float):
        height = DEFAULT_ROW_HEIGHT
    cells: float = max(height, MIN_PANEL_HEIGHT) / (GRID_CELL_HEIGHT + GRID_CELL_VMARGIN)
    return math.ceil(cells)


class _RowArea:
    """The columns of one legacy row and how far down each is filled, as Grafana packs the
    row's panels left to right, wrapping when the row's height is used up."""

    def __init__(self, height: int, y: int) -> None:
        self.filled = [0] * GRID_COLUMNS
        self.y, self.height = y, height

    def place(self, width: int, again: bool = False) -> tuple[int, int] | None:
        start = end = None
        for i in range(GRID_COLUMNS - 1, -1, -1):
            if self.height - self.filled[i] <= 0:
                break
            if end is None:
                end = i
            elif i < GRID_COLUMNS - 1 and self.filled[i] <= self.filled[i + 1]:
                start = i
            else:
                break
        if start is not None and end is not None and end - start >= width - 1:
            return start, max(self.filled[start:])
        if again:
            return None
        self.y += self.height
        self.filled = [0] * GRID_COLUMNS
        return self.place(width, again=True)

    def add(self, pos: Json) -> None:
        for i in range(pos["x"], min(pos["x"] + pos["w"], GRID_COLUMNS)):
            self.filled[i] = max(self.filled[i], pos["y"] + pos["h"] - self.y)


def rows_to_panels(rows: list[Any]) -> list[Json]:
    """Pre-5.0 rows as row panels and panels with gridPos; row panels only where one row is
    collapsed, repeated or shows its title."""
    rows = [r for r in rows if isinstance(r, dict) and not r.get("repeatIteration")]
    ids = [p.get("id") for r in rows for p in _panels(r.get("panels"))]
    next_id = max([i for i in ids if isinstance(i, int)], default=0) + 1
    show = any(r.get("collapse") or r.get("showTitle") or r.get("repeat") for r in rows)
    out: list[Json] = []
    y = 0
    for row in rows:
        height = grid_height(row.get("height") or DEFAULT_ROW_HEIGHT)
        header: Json | None = None
        if show:
            header = {"id": next_id, "type": "row", "title": row.get("title", ""),
                      "collapsed": bool(row.get("collapse")), "panels": [],
                      "gridPos": {"x": 0, "y": y, "w": GRID_COLUMNS, "h": height}}
            if row.get("repeat"):
                header["repeat"] = row["repeat"]
            next_id, y = next_id + 1, y + 1
        area = _RowArea(height, y)
        for panel in _panels(row.get("panels")):
            panel = dict(panel)
            width = math.floor(panel.pop("span", None) or DEFAULT_PANEL_SPAN) * GRID_COLUMNS // 12
            h = grid_height(panel.pop("height")) if panel.get("height") else height
            x, dy = area.place(width) or (0, 0)
            y = area.y
            panel["gridPos"] = {"x": x, "y": y + dy, "w": width, "h": h}
            area.add(panel["gridPos"])
            (header["panels"] if header and header["collapsed"] else out).append(panel)
        if header is not None:
            out.append(header)
        if not (header and header["collapsed"]):
            y += height
    # Grafana orders a dashboard's panels by position once loaded
    return sorted(out, key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"]))
