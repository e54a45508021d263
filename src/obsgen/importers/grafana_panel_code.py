"""One imported panel as Python: obsgen's panel class with its title, position and queries,
and `extra=` for whatever of its JSON obsgen would otherwise write differently; a kind obsgen
does not model, or a panel querying another datasource, as a RawPanel kept verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attr
from grafanalib import core

from obsgen.check.dashboards.jsonpos import JsonPath, format_path
from obsgen.diagnostics import DefinitionError, Diagnostic
from obsgen.emit.grafana import panel_json
from obsgen.emit.grafana_fields import DEFAULT_THRESHOLDS
from obsgen.importers.contract import ImportEnv
from obsgen.importers.grafana_canonical import canonical_panel
from obsgen.importers.grafana_extra_diff import extra_for
from obsgen.importers.grafana_input import DashboardInput, is_prometheus
from obsgen.importers.grafana_panel_args import panel_arguments
from obsgen.importers.grafana_values import Py, call
from obsgen.model import panels, raw_panels

Json = dict[str, Any]
KINDS: dict[str, str] = {
    "timeseries": "TimeSeries", "stat": "Stat", "gauge": "GaugePanel", "bargauge": "BarGauge",
    "barchart": "BarChart", "heatmap": "Heatmap", "table": "Table", "text": "Text",
    "state-timeline": "StateTimeline",
}
# Not carried into the definitions: positions and ids are the layout's, pluginVersion says
# which shape the options had, and the current shape is what is written.
LAYOUT_KEYS = ("id", "gridPos", "pluginVersion")
# Top-level panel keys obsgen writes for every panel it models.
MODELLED = frozenset({"type", "title", "description", "targets", "datasource", "options",
                      "fieldConfig", "transformations", "repeat", "repeatDirection",
                      "maxPerRow", "interval", "maxDataPoints", "timeFrom", "timeShift",
                      "hideTimeOverride", "transparent", "links", "cacheTimeout"})


BASE_ARGUMENTS = ("title", "description", "gridPos", "targets")


def grid(pos: Any) -> Py | None:
    if not (isinstance(pos, dict) and all(isinstance(pos.get(k), int) for k in "hwxy")):
        return None
    args = {k: pos[k] for k in ("h", "w", "x", "y")}
    return call("grafanalib.core", "GridPos", args, core.GridPos)


def row_panel(panel: Json) -> Py:
    args: Json = {"title": panel.get("title") or ""}
    if panel.get("collapsed"):
        args["collapsed"] = True
    pos = grid(panel.get("gridPos"))
    if pos is not None:
        args["gridPos"] = pos
    emitted = {"collapsed": bool(panel.get("collapsed")), "title": args["title"], "type": "row"}
    extra = extra_for(panel, emitted, ignore=(*LAYOUT_KEYS, "panels"))
    if extra:
        args["extra"] = extra
    return call("obsgen", "RowPanel", args, panels.RowPanel)


def panel_code(panel: Json, path: JsonPath, source: DashboardInput, env: ImportEnv
               ) -> tuple[Py, list[Diagnostic]]:
    kind = str(panel.get("type"))
    foreign = list(_foreign_targets(panel, path, source))
    if kind not in KINDS or foreign:
        found = foreign or [source.diagnostic(
            "OBS981", path, f"panel kind {kind!r} is not one obsgen models; kept verbatim as "
            "a RawPanel", "it is emitted as it was; replace it by one of obsgen's panel "
            "kinds to have its queries typed and checked")]
        kept = {k: v for k, v in panel.items() if k != "id"}
        return call("obsgen.model.raw_panels", "RawPanel", {"json": kept},
                    raw_panels.RawPanel), found
    return _modelled(panel, path, source, env)


def _foreign_targets(panel: Json, path: JsonPath, source: DashboardInput
                     ) -> Iterator[Diagnostic]:
    own = panel.get("datasource")
    for index, target in enumerate(panel.get("targets") or ()):
        where = (*path, "targets", index)
        if not isinstance(target, dict):
            continue
        ds = target.get("datasource", own)
        if isinstance(ds, dict) and ds.get("uid") == "-- Mixed --":
            ds = None
        if not is_prometheus(ds, is_prometheus(own)) or not isinstance(target.get("expr"), str) \
                or not target["expr"].strip():
            what = ds.get("type") if isinstance(ds, dict) and ds.get("type") else ds
            yield source.diagnostic(
                "OBS982", where, f"a query of datasource {what!r} (not PromQL on the dashboard's "
                "Prometheus datasource); its panel is kept verbatim as a RawPanel",
                "obsgen types and checks PromQL queries only; the panel is emitted as it was")


def _modelled(panel: Json, path: JsonPath, source: DashboardInput, env: ImportEnv
              ) -> tuple[Py, list[Diagnostic]]:
    kind = str(panel["type"])
    args: Json = {"title": panel.get("title") or ""}
    if isinstance(panel.get("description"), str) and panel["description"]:
        args["description"] = panel["description"]
    pos = grid(panel.get("gridPos"))
    if pos is not None:
        args["gridPos"] = pos
    if kind != "text":
        args["targets"] = [_target(t, env) for t in panel.get("targets") or ()]
    cls = getattr(panels, KINDS[kind])
    where = source.location(path)
    try:
        args = {**args, **_unless_default(cls, panel_arguments(kind, panel))}
        made = call("obsgen", KINDS[kind], args, cls)
        emitted = panel_json(made.value, where)
    except DefinitionError:  # an option obsgen would refuse as an argument: all in extra=
        args = {k: v for k, v in args.items() if k in BASE_ARGUMENTS}
        made = call("obsgen", KINDS[kind], args, cls)
        emitted = panel_json(made.value, where)
    given = {k: v for k, v in canonical_panel(panel).items()
             if not (k == "datasource" and is_prometheus(v))}
    emitted.pop("datasource", None)
    extra = extra_for(given, emitted, ignore=LAYOUT_KEYS)
    found = []
    unknown = sorted(k for k in extra if k not in MODELLED)
    if unknown:
        found.append(source.diagnostic(
            "OBS981", path, f"{', '.join(format_path((*path, k)) for k in unknown)}: not in "
            "obsgen's panel model; kept verbatim in extra=", "it is emitted as it was"))
    if extra:
        made = call("obsgen", KINDS[kind], {**args, "extra": extra}, cls)
    return made, found


def _unless_default(cls: type, args: Json) -> Json:
    """`args` without those that say what the class does anyway (a person leaves them out)."""
    fields = attr.fields_dict(cls)
    kept = {}
    for name, value in args.items():
        default: Any = fields[name].default if name in fields else attr.NOTHING
        if isinstance(default, attr.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if value != default and not (name == "thresholds" and value == DEFAULT_THRESHOLDS):
            kept[name] = value
    return kept


def _target(target: Json, env: ImportEnv) -> Py:
    expr = target["expr"]
    code = env.query(expr)
    args: Json = {"expr": Py(code, expr)}
    for key in ("legendFormat", "refId", "interval", "format"):
        value = target.get(key)
        if isinstance(value, str) and value and not (key == "format" and value == "time_series"):
            args[key] = value
    for key in ("instant", "hide"):
        if target.get(key) is True:
            args[key] = True
    return call("grafanalib.core", "Target", args, core.Target)
