"""Dashboard lint rules whose place differs in Grafana's v2 schema (targets_v2.py has its
shape): panel titles, units and datasources stand elsewhere than in the v1 model, the uid is
the resource's `metadata.name` (not `uid`), and obsgen has no schema for the rest, which one
notice says."""

from __future__ import annotations

import re
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath, format_path
from obsgen.check.dashboards.schema import JsonFinding, ParsedJson
from obsgen.check.dashboards.targets_v2 import is_v2_dashboard, library_panels, v2_panels

_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_UNIT_KINDS = frozenset({"timeseries", "stat", "gauge"})
# Plugins that are Grafana's own (expressions, the dashboard datasource, mixed), not a choice.
_OWN_PLUGINS = frozenset({"__expr__", "datasource", "grafana", "mixed"})


def _get(value: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _viz(panel: dict[str, Any]) -> tuple[str | None, Any]:
    """The panel's visualisation plugin (`vizConfig.group`; v2alpha1: its `kind`) and spec."""
    viz = panel.get("vizConfig")
    kind = _get(viz, "group") or (None if _get(viz, "kind") == "VizConfig" else _get(viz, "kind"))
    return (kind if isinstance(kind, str) else None), _get(viz, "spec")


def untitled_panels_v2(parsed: ParsedJson) -> list[JsonFinding]:
    found = []
    for path, panel in v2_panels(parsed.data):
        kind, _ = _viz(panel)
        title = panel.get("title")
        if kind != "text" and not (isinstance(title, str) and title.strip()):
            found.append(parsed.finding("OBS645", (*path, "title"), f"{kind or 'panel'} panel "
                                        "has no title", "give the panel a title that says what "
                                        "it shows"))
    return found


def missing_units_v2(parsed: ParsedJson) -> list[JsonFinding]:
    found = []
    for path, panel in v2_panels(parsed.data):
        kind, spec = _viz(panel)
        unit = _get(spec, "fieldConfig", "defaults", "unit")
        if kind in _UNIT_KINDS and not (isinstance(unit, str) and unit):
            found.append(parsed.finding(
                "OBS646", (*path, "vizConfig"), f"{kind} panel {panel.get('title', '')!r} sets "
                "no unit", "set vizConfig.spec.fieldConfig.defaults.unit (s, bytes, "
                "percentunit, reqps, short, ...) so values read right", at_key=True))
    return found


def _named_datasource(entry: Any) -> tuple[JsonPath, str] | None:
    """Where a panel query names its datasource by uid (v2beta1 `query.datasource.name`;
    v2alpha1 `datasource.uid` beside the query), unless by variable or Grafana's own."""
    query = _get(entry, "spec", "query")
    plugin = _get(query, "group") or _get(entry, "spec", "datasource", "type")
    for path in (("spec", "query", "datasource", "name"), ("spec", "datasource", "uid")):
        name = _get(entry, *path)
        if isinstance(name, str) and name and "$" not in name and plugin not in _OWN_PLUGINS:
            return path, name
    return None


def literal_datasources_v2(parsed: ParsedJson) -> list[JsonFinding]:
    found = []
    for path, panel in v2_panels(parsed.data):
        queries = _get(panel, "data", "spec", "queries")
        for index, entry in enumerate(queries if isinstance(queries, list) else []):
            named = _named_datasource(entry)
            if named is not None:
                found.append(parsed.finding(
                    "OBS640", (*path, "data", "spec", "queries", index, *named[0]),
                    f"datasource {named[1]!r} is named directly", "the dashboard breaks on any "
                    "Grafana whose datasource has another uid; name it by a datasource "
                    "variable (${datasource})"))
    return found


def unstable_uid(parsed: ParsedJson) -> list[JsonFinding]:
    # A v2 dashboard is a resource: its uid is `metadata.name`.
    where: JsonPath = ("metadata", "name") if is_v2_dashboard(parsed.data) else ("uid",)
    holder = parsed.data.get("metadata") if len(where) == 2 else parsed.data
    uid = holder.get(where[-1]) if isinstance(holder, dict) else None
    if uid is None or uid == "":
        return [parsed.finding("OBS647", where if uid == "" else where[:-1],
                               "the dashboard has no uid", "Grafana makes up a random uid on "
                               "each import, so links and provisioned updates break; set a "
                               f"fixed {format_path(where)}", at_key=uid is None)]
    if not isinstance(uid, str) or not _UID.match(uid):
        return [parsed.finding("OBS647", where, f"uid {uid!r} is not stable",
                               "Grafana accepts at most 40 letters, digits, '-' and '_'; "
                               "a uid outside that is rejected or rewritten")]
    return []


def v2_notice(parsed: ParsedJson) -> JsonFinding:
    """What obsgen reads of a v2 dashboard, and what it leaves unchecked."""
    version = parsed.data.get("apiVersion")
    libraries = library_panels(parsed.data)
    unread = (f"; the queries of its {libraries} library panel(s) live in Grafana and were not "
              "checked" if libraries else "")
    return parsed.finding(
        "OBS976", ("apiVersion",) if isinstance(version, str) else (),
        f"a dashboard in Grafana's v2 schema ({version if isinstance(version, str) else 'v2'}): "
        f"its queries, variables and panels are checked, its layout and panel options are not "
        f"validated against a schema{unread}", "obsgen holds Grafana's v1 dashboard schema "
        "only; Grafana validates the rest when the dashboard is saved")


V2_RULES = (untitled_panels_v2, missing_units_v2, literal_datasources_v2)
