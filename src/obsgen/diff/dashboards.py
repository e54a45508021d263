"""Grafana dashboard JSON as items: the dashboard's own settings and variables, and each panel
(by title) with its queries and settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from obsgen.diff.flatten import flatten, scalar
from obsgen.diff.model import Item

# Set by Grafana or by obsgen's layout, not by anyone reviewing a change: a panel's id moves
# whenever a panel is inserted before it.
PANEL_NOISE = ("id", "targets", "panels")


def is_dashboard(path: str) -> bool:
    return path.startswith("grafana/") and path.endswith(".json")


def items(path: str, text: str) -> list[Item]:
    try:
        board = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(board, dict):
        raise ValueError("not a dashboard object")
    uid = str(board.get("uid") or path)
    title = str(board.get("title") or uid)
    own = {k: v for k, v in board.items() if k not in ("panels", "templating")}
    fields = flatten(own)
    for variable in (board.get("templating") or {}).get("list") or []:
        name = variable.get("name", "")
        fields.update(flatten({k: v for k, v in variable.items() if k != "name"},
                              f"variable ${name}"))
    found = [Item("dashboards", "dashboard", f"dashboard:{uid}", title, path, fields,
                  headline=("title", "uid"))]
    found += [_panel(path, uid, title, panel) for panel in _panels(board.get("panels") or [])]
    return found


def _panels(panels: list[Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows' collapsed panels included, in order."""
    for panel in panels:
        if isinstance(panel, dict):
            yield panel
            yield from _panels(panel.get("panels") or [])


def _panel(path: str, uid: str, board: str, panel: dict[str, Any]) -> Item:
    title = str(panel.get("title") or "(untitled)")
    fields = flatten({k: v for k, v in panel.items() if k not in PANEL_NOISE})
    queries = set()
    for i, target in enumerate(panel.get("targets") or []):
        ref = str(target.get("refId") or i)
        for key, value in target.items():
            if key == "refId":
                continue
            name = f"query {ref}" if key == "expr" else f"target {ref}.{key}"
            fields.update(flatten(value, name) if isinstance(value, dict)
                          else {name: scalar(value)})
        queries.add(f"query {ref}")
    kind = "row" if panel.get("type") == "row" else "panel"
    return Item("dashboards", kind, f"panel:{uid}:{title}", f"{board} > {title}", path, fields,
                queries=frozenset(queries),
                headline=("type", *sorted(queries)))
