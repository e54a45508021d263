"""The queries of a dashboard in Grafana's v2 schema (Grafana 12, `apiVersion:
dashboard.grafana.app/v2...`, `kind: Dashboard`): panels are `spec.elements.<key>`, each query
`data.spec.queries[i].spec.query`, a DataQuery whose `group` names its plugin and whose `spec`
holds what the plugin reads (`expr` for Prometheus); a query variable's DataQuery is
`spec.variables[i].spec.query`. Yields the same tuples as the v1 walk in targets.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _plugin(query: Any) -> tuple[str | None, bool]:
    group = _get(query, "group")
    return (group, False) if isinstance(group, str) and group else (None, True)


def v2_targets(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any], str, bool]]:
    """Every panel query: the path of its DataQuery's spec, that spec, its plugin ("prometheus"
    when the query names none, or "unknown" when it holds no `expr` either), and whether that
    plugin was assumed."""
    elements = _get(data, "spec", "elements")
    for key, element in (elements.items() if isinstance(elements, dict) else ()):
        queries = _get(element, "spec", "data", "spec", "queries")
        for index, entry in enumerate(queries if isinstance(queries, list) else []):
            query = _get(entry, "spec", "query")
            spec = _get(query, "spec")
            if not isinstance(spec, dict):
                continue
            plugin, assumed = _plugin(query)
            path = ("spec", "elements", key, "spec", "data", "spec", "queries", index, "spec",
                    "query", "spec")
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
            plugin, assumed = _plugin(query)
            yield (("spec", "variables", index, "spec", "query", "spec", "query"), text,
                   plugin or "prometheus", assumed)
