"""The queries of a dashboard in Grafana's v2 schema (Grafana 12, `apiVersion:
dashboard.grafana.app/v2...`, `kind: Dashboard`): panels are `spec.elements.<key>`, each query
`data.spec.queries[i].spec.query`, a DataQuery whose `group` names its plugin (v2alpha1: its
`kind`) and whose `spec` holds what the plugin reads (`expr` for Prometheus); a query
variable's DataQuery is `spec.variables[i].spec.query`. Yields the same tuples as the v1 walk
in targets.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath

API_GROUP = "dashboard.grafana.app/"
_V2_VERSION = re.compile(r"v2(?:(?:alpha|beta)\d+)?")  # v2alpha1, v2beta1, v2; not v1beta1
_DATA_QUERY = "DataQuery"  # v2beta1 on; v2alpha1 put the plugin id in `kind`


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def is_v2_dashboard(data: Any) -> bool:
    """A `kind: Dashboard` resource in the v2 schema: its apiVersion says so, or (written
    without one) its spec holds the v2 spec's `elements` or `layout`."""
    spec = data.get("spec") if isinstance(data, dict) else None
    if not isinstance(spec, dict) or data.get("kind") != "Dashboard":
        return False
    version = data.get("apiVersion")
    if isinstance(version, str) and version.startswith(API_GROUP):
        return bool(_V2_VERSION.fullmatch(version[len(API_GROUP):]))
    return "elements" in spec or "layout" in spec


def v2_panels(data: Any) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every panel element: the path of its `spec`, and that spec (title, data, vizConfig)."""
    elements = _get(data, "spec", "elements")
    for key, element in (elements.items() if isinstance(elements, dict) else ()):
        spec = _get(element, "spec")
        if _get(element, "kind") == "Panel" and isinstance(spec, dict):
            yield ("spec", "elements", key, "spec"), spec


def library_panels(data: Any) -> int:
    """Elements that stand for a library panel, whose queries live in Grafana, not here."""
    elements = _get(data, "spec", "elements")
    return sum(_get(e, "kind") == "LibraryPanel"
               for e in (elements.values() if isinstance(elements, dict) else ()))


def _plugin(query: Any, entry: Any = None) -> tuple[str | None, bool]:
    for plugin in (_get(query, "group"), _get(entry, "spec", "datasource", "type"),
                   None if _get(query, "kind") == _DATA_QUERY else _get(query, "kind")):
        if isinstance(plugin, str) and plugin:
            return plugin, False
    return None, True


def v2_targets(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any], str, bool]]:
    """Every panel query: the path of its DataQuery's spec, that spec, its plugin ("prometheus"
    when the query names none, or "unknown" when it holds no `expr` either), and whether that
    plugin was assumed."""
    for panel_path, panel in v2_panels(data):
        queries = _get(panel, "data", "spec", "queries")
        for index, entry in enumerate(queries if isinstance(queries, list) else []):
            query = _get(entry, "spec", "query")
            spec = _get(query, "spec")
            if not isinstance(spec, dict):
                continue
            plugin, assumed = _plugin(query, entry)
            path = (*panel_path, "data", "spec", "queries", index, "spec", "query", "spec")
            yield path, spec, plugin or ("prometheus" if "expr" in spec else "unknown"), assumed


def v2_variable_queries(data: dict[str, Any]) -> Iterator[tuple[JsonPath, str, str, bool]]:
    """Every query variable's query text, its path, plugin, and whether that was assumed."""
    entries = _get(data, "spec", "variables")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if _get(entry, "kind") != "QueryVariable":
            continue
        query = _get(entry, "spec", "query")
        text = _get(query, "spec", "query")
        if isinstance(text, str) and text.strip():
            plugin, assumed = _plugin(query, entry)
            yield (("spec", "variables", index, "spec", "query", "spec", "query"), text,
                   plugin or "prometheus", assumed)
