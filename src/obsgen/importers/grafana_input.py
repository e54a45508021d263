"""A dashboard file read for import: parsed, unwrapped, its datasource placeholders turned into
obsgen's `$datasource`, migrated to the current schema, and able to place a JSON path of it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath, JsonPositions, format_path
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.grafana_migrate import all_variables, dashboard_of, migrate

Json = dict[str, Any]
DATASOURCE_REF = "${datasource}"
PROMETHEUS_REFS = ("${datasource}", "$datasource", "[[datasource]]")


@dataclass(frozen=True)
class DashboardInput:
    file: ForeignFile
    dashboard: Json  # migrated, datasource placeholders replaced
    prefix: JsonPath  # ("dashboard",) inside a wrapper
    positions: JsonPositions

    def location(self, path: JsonPath) -> Location:
        at = self.positions.of_value((*self.prefix, *path))
        return Location(self.file.path, at.line, at.column)

    def diagnostic(self, code: str, path: JsonPath, message: str, hint: str) -> Diagnostic:
        return Diagnostic.of(code, f"{format_path(path)}: {message}", self.location(path), hint)


def read(file: ForeignFile) -> tuple[DashboardInput | None, Diagnostic | None]:
    try:
        document = json.loads(file.text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line, column = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        return None, Diagnostic.of("OBS980", f"{file.path} is not JSON: {exc}",
                                   Location(file.path, line, column),
                                   "fix the JSON or leave the file out of the import")
    dashboard = dashboard_of(document)
    if dashboard is None:
        return None, Diagnostic.of("OBS980", f"{file.path} is not a Grafana dashboard (no "
                                   "panels or rows with a title or uid)", Location(file.path, 1, 1),
                                   "import reads dashboard JSON: plain, wrapped in "
                                   '{"dashboard": ...}, or an export with __inputs')
    prefix: JsonPath = ("dashboard",) if dashboard is not document else ()
    names = datasource_names(dashboard)
    cleaned = _without_datasource_variables(dashboard, names)
    migrated = migrate(_renamed(cleaned, names))
    return DashboardInput(file, migrated, prefix, JsonPositions(file.text)), None


def datasource_names(dashboard: Json) -> frozenset[str]:
    """Names standing for the Prometheus datasource: an export's `${DS_X}` inputs of a
    Prometheus datasource, and datasource variables of type prometheus."""
    names = {"datasource"}
    for item in dashboard.get("__inputs") or ():
        if isinstance(item, dict) and item.get("type") == "datasource" and \
                item.get("pluginId", "prometheus") == "prometheus" and item.get("name"):
            names.add(str(item["name"]))
    for variable in all_variables(dashboard):
        if variable.get("type") == "datasource" and variable.get("query") == "prometheus":
            names.add(str(variable.get("name")))
    return frozenset(names)


def _without_datasource_variables(dashboard: Json, names: frozenset[str]) -> Json:
    """obsgen adds its own `$datasource` variable; the input's Prometheus one goes."""
    listed = (dashboard.get("templating") or {}).get("list")
    if not isinstance(listed, list):
        return dashboard
    kept = [v for v in listed if not (isinstance(v, dict) and v.get("type") == "datasource"
                                      and v.get("name") in names)]
    return {**dashboard, "templating": {**dashboard["templating"], "list": kept}}


def _renamed(value: Any, names: frozenset[str]) -> Any:
    pattern = re.compile(r"\$\{(%s)\}|\$(%s)\b|\[\[(%s)\]\]" % ((
        "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)),) * 3))
    return _replace(value, pattern)


def _replace(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(DATASOURCE_REF, value) if "$" in value or "[[" in value else value
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern) for k, v in value.items()}
    return value


def is_prometheus(datasource: Any, default: bool = True) -> bool:
    """Whether a panel's or target's datasource is the Prometheus one obsgen queries."""
    if datasource is None or datasource in ("", "default"):
        return default
    if isinstance(datasource, str):
        return datasource in PROMETHEUS_REFS
    if isinstance(datasource, dict):
        kind, uid = datasource.get("type"), datasource.get("uid")
        if kind == "prometheus":
            return True
        return kind is None and (uid in PROMETHEUS_REFS or uid is None)
    return False


def panels_with_paths(dashboard: Json) -> Iterator[tuple[Json, JsonPath]]:
    """Every panel, row panels' own nested panels after their row, with its JSON path."""
    for index, panel in enumerate(dashboard.get("panels") or ()):
        if not isinstance(panel, dict):
            continue
        yield panel, ("panels", index)
        if panel.get("type") == "row":
            for inner, child in enumerate(panel.get("panels") or ()):
                if isinstance(child, dict):
                    yield child, ("panels", index, "panels", inner)


def prometheus_queries(dashboard: Json) -> Iterator[tuple[str, JsonPath]]:
    """Every Prometheus target expression with its path."""
    for panel, path in panels_with_paths(dashboard):
        own = panel.get("datasource")
        for index, target in enumerate(panel.get("targets") or ()):
            if not isinstance(target, dict) or not isinstance(target.get("expr"), str):
                continue
            source = target.get("datasource", own)
            if is_prometheus(source if not _mixed(source) else None, is_prometheus(own)):
                yield target["expr"], (*path, "targets", index, "expr")


def _mixed(datasource: Any) -> bool:
    return isinstance(datasource, dict) and datasource.get("uid") == "-- Mixed --"


def variable_query(variable: Json) -> str:
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query", "")
    return query if isinstance(query, str) else ""
