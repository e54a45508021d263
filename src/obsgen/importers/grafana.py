"""Grafana dashboards -> Python definitions: the inverse of emit/grafana.py.

A dashboard of any schema Grafana still migrates is first brought to the current schema
(grafana_migrate), then written as one module: its variables and panels as named constants of
obsgen's classes, the dashboard with `layout="grid"` so every panel keeps its position, and
`extra=` wherever obsgen would otherwise write the JSON differently. Building the module emits
the input again (grafana_compare says how equal).
"""

from __future__ import annotations

import re
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import DefinitionError, Diagnostic
from obsgen.emit.grafana import dashboard_json, variable_json
from obsgen.importers.contract import Code, Imported, ImportEnv, Module, Survey
from obsgen.importers.grafana_extra_diff import extra_for
from obsgen.importers.grafana_input import (
    DashboardInput,
    panels_with_paths,
    prometheus_queries,
    read,
    variable_query,
)
from obsgen.importers.grafana_legacy_values import obj
from obsgen.importers.grafana_links import links_code, same_links
from obsgen.importers.grafana_panel_code import panel_code, row_panel
from obsgen.importers.grafana_values import Py, call, source, written
from obsgen.importers.pysource import Names, SourceModule, constant_name, text
from obsgen.model import dashboards, raw_panels
from obsgen.model.dashboards import REFRESH, RELATIVE_TIME, UID, slug
from obsgen.model.variables import DATASOURCE_VARIABLE, VARIABLE_NAME, Variable

Json = dict[str, Any]
FOLDER = "Imported"
# Dashboard keys that are Grafana's bookkeeping, not the dashboard: its database id and
# version, the schema the JSON was saved in (obsgen writes the current one).
BOOKKEEPING = ("id", "version", "schemaVersion", "panels", "templating", "rows")


def survey(file: ForeignFile) -> Survey:
    found, problem = read(file)
    if found is None:
        return Survey(diagnostics=(problem,) if problem else ())
    queries = [expr for expr, _ in prometheus_queries(found.dashboard)]
    for variable in (found.dashboard.get("templating") or {}).get("list") or ():
        if isinstance(variable, dict) and variable.get("type") == "query":
            text_ = variable_query(variable)
            if text_:
                queries.append(text_)
    return Survey(queries=tuple(dict.fromkeys(queries)))


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    found, problem = read(file)
    if found is None:
        return Imported(diagnostics=(problem,) if problem else ())
    writer = _Writer(found, env, SourceModule(module, _docstring(found)))
    writer.run()
    return Imported((Module(module, writer.module.render(), file.path),),
                    tuple(writer.diagnostics))


def _docstring(found: DashboardInput) -> str:
    title = str(found.dashboard.get("title") or "dashboard")
    description = str(found.dashboard.get("description") or "").strip()
    lines = [f"{title}: imported from {found.file.path}."]
    if description:
        lines.append(description)
    # a docstring is prose: no escapes, and no quotes that would end it
    return "\n\n".join(lines).replace("\\", "/").replace('"""', "'''")


class _Writer:
    """Writes one dashboard module; collects what could not be mapped."""

    def __init__(self, found: DashboardInput, env: ImportEnv, module: SourceModule) -> None:
        self.found, self.env, self.module = found, env, module
        self.names = Names({ref.name for ref in env.metrics.values()} | {"DASHBOARD", "FOLDER"})
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> None:
        d = self.found.dashboard
        self.module.need("obsgen", "Folder")
        self.module.add(f"FOLDER = Folder({text(FOLDER)})")
        variables = [v for v in (self._variable(item, i) for i, item in
                                 enumerate((d.get("templating") or {}).get("list") or ()))
                     if v is not None]
        rows = [self._panel(panel, path) for panel, path in panels_with_paths(d)]
        self._dashboard(variables, rows)

    def _constant(self, wanted: str, value: Py) -> Py:
        name = self.names.claim(wanted)
        self.module.add(f"{name} = {source(self.module, value)}")
        return Py(Code(name), value.value)

    # Variables ------------------------------------------------------------------------------

    def _variable(self, item: Any, index: int) -> Py | None:
        path: JsonPath = ("templating", "list", index)
        if not isinstance(item, dict):
            self.diagnostics.append(self.found.diagnostic(
                "OBS980", path, f"variable {item!r:.60} is not an object; not imported",
                "a templating entry is a JSON object with a name and a type"))
            return None
        name = str(item.get("name", ""))
        if not VARIABLE_NAME.match(name) or name == DATASOURCE_VARIABLE:
            usable = _usable_name(name)
            self.diagnostics.append(self.found.diagnostic(
                "OBS986", (*path, "name"), f"variable name {name!r} is not one obsgen can define"
                f"; written as {usable!r} with its own name kept in extra=",
                "rename the variable to [a-zA-Z_][a-zA-Z0-9_]* (not 'datasource') where it is "
                "defined and used"))
            item = {**item, "name": usable}
        args = _variable_args(item)
        try:
            made = call("obsgen", "Variable", args, Variable)
            extra = extra_for({**item, "name": name}, variable_json(made.value))
            if extra:
                made = call("obsgen", "Variable", {**args, "extra": extra}, Variable)
        except DefinitionError as exc:
            self.diagnostics.append(self.found.diagnostic(
                "OBS986", path, f"variable not imported: {exc.message}", exc.hint or ""))
            return None
        return self._constant(constant_name(item["name"], "VARIABLE"), made)

    # Panels ---------------------------------------------------------------------------------

    def _panel(self, panel: Json, path: JsonPath) -> Py:
        if panel.get("type") == "row":
            return row_panel(panel)
        try:
            made, found = panel_code(panel, path, self.found, self.env)
        except DefinitionError as exc:
            kept = {k: v for k, v in panel.items() if k != "id"}
            made = call("obsgen.model.raw_panels", "RawPanel", {"json": kept},
                        raw_panels.RawPanel)
            found = [self.found.diagnostic("OBS981", path, f"panel kept verbatim as a RawPanel: "
                                           f"{exc.message}", exc.hint or "")]
        self.diagnostics += found
        title = str(panel.get("title") or panel.get("type") or "panel")
        return self._constant(constant_name(title, "PANEL"), made)

    # The dashboard --------------------------------------------------------------------------

    def _dashboard(self, variables: list[Py], rows: list[Py]) -> None:
        d = self.found.dashboard
        args = _dashboard_args(d, self.found.file.path)
        args = {**args, "folder": Py(Code("FOLDER"), dashboards.Folder(FOLDER)),
                "layout": "grid", "variables": variables, "rows": rows}
        # The dashboard's own keys, from one without variables or panels: a reference the
        # input gets wrong is for the build to report at its line, not for the import.
        links = links_code(d.get("links"))
        if links is not None:
            args["links"] = links
        bare = call("obsgen", "Dashboard", {**args, "variables": [], "rows": []},
                    dashboards.Dashboard)
        emitted = dashboard_json(bare.value)
        given = {**d, "links": emitted["links"]} if same_links(d.get("links"),
                                                                emitted["links"]) else d
        extra = extra_for(given, emitted, ignore=BOOKKEEPING)
        if extra:
            args = {**args, "extra": extra}
        self.module.add(f"DASHBOARD = {source(self.module, written('obsgen', 'Dashboard', args))}")


def _usable_name(name: str) -> str:
    usable = re.sub(r"\W", "_", name, flags=re.ASCII).strip("_") or "variable"
    usable = f"v_{usable}" if usable[0].isdigit() or usable.startswith("__") else usable
    return f"{usable}_variable" if usable == DATASOURCE_VARIABLE else usable


def _variable_args(item: Json) -> Json:
    args: Json = {"name": item["name"], "query": variable_query(item) or item["name"]}
    if isinstance(item.get("label"), str) and item["label"]:
        args["label"] = item["label"]
    for key, arg in (("multi", "multi"), ("includeAll", "include_all")):
        if item.get(key) is True:
            args[arg] = True
    if isinstance(item.get("allValue"), str):
        args["all_value"] = item["allValue"]
    if item.get("sort") in range(9) and item.get("sort") != 1:
        args["sort"] = item["sort"]
    if item.get("refresh") in (0, 1) and item.get("refresh") is not False:
        args["refresh"] = item["refresh"]
    if isinstance(item.get("description"), str) and item["description"]:
        args["description"] = item["description"]
    return args


def _dashboard_args(d: Json, path: str) -> Json:
    title = str(d["title"]) if isinstance(d.get("title"), str) and d["title"].strip() else path
    uid = d.get("uid") if isinstance(d.get("uid"), str) and UID.match(d["uid"]) else (
        slug(title) or "imported")
    args: Json = {"uid": uid, "title": title}
    tags = [t for t in d.get("tags") or () if isinstance(t, str)]
    if tags:
        args["tags"] = tags
    if isinstance(d.get("description"), str) and d["description"]:
        args["description"] = d["description"]
    time = obj(d.get("time"))
    for key, arg, default in (("from", "time_from", "now-6h"), ("to", "time_to", "now")):
        value = time.get(key)
        if isinstance(value, str) and RELATIVE_TIME.match(value) and value != default:
            args[arg] = value
    refresh = d.get("refresh")
    if refresh is False or refresh is None:
        refresh = ""
    if isinstance(refresh, str) and REFRESH.match(refresh) and refresh != "1m":
        args["refresh"] = refresh
    if isinstance(d.get("timezone"), str) and d["timezone"] != "browser":
        args["timezone"] = d["timezone"]
    if d.get("graphTooltip") in (0, 2):
        args["graph_tooltip"] = d["graphTooltip"]
    if d.get("editable") is False:
        args["editable"] = False
    return args

