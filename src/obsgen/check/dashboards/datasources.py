"""Which kind of datasource a dashboard's panel, target or variable queries.

Grafana writes a datasource in many shapes over its versions: `{"type": "prometheus", "uid":
"${datasource}"}`, a bare name (`"Prometheus"`), a variable (`"$datasource"`, whose own
`query` names the plugin), an import placeholder (`"${DS_PROMETHEUS}"`, declared in
`__inputs` with its `pluginId`), a pseudo-datasource (`-- Grafana --`, `-- Mixed --`,
`-- Dashboard --`) or nothing at all (the instance's default). This module turns each into a
plugin id, or None when the dashboard does not say (the default datasource, unknown here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from obsgen.check.dashboards.schema import iter_panels

# Plugins whose queries are PromQL: Prometheus and the cloud services that speak it.
PROMQL_PLUGINS = frozenset({"prometheus", "grafana-amazonprometheus-datasource",
                            "grafana-azureprometheus-datasource"})
MIXED = "mixed"
_PSEUDO = {"-- Mixed --": MIXED, "-- Grafana --": "grafana", "grafana": "grafana",
           "-- Dashboard --": "dashboard", "__expr__": "__expr__"}
# `$name`, `${name}`, `${name:format}`, `[[name]]`: the whole value names a variable.
_VARIABLE = re.compile(r"^\s*(?:\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\])\s*$")
# Old exports name datasources by their display name; one whose name says it is another
# plugin (`Loki`, `MySQL prod`) is taken for that plugin rather than for the default.
_NAMED_PLUGINS = ("loki", "tempo", "elasticsearch", "opensearch", "mysql", "postgres", "mssql",
                  "influx", "graphite", "jaeger", "zipkin", "cloudwatch", "testdata",
                  "clickhouse", "pyroscope")


@dataclass(frozen=True)
class Datasources:
    """The datasource variables and import inputs of one dashboard, by name."""

    variables: tuple[tuple[str, str], ...]  # (name, plugin id) of `type: datasource` variables
    inputs: tuple[tuple[str, str], ...]  # (name, plugin id) of `__inputs` of type datasource
    default: str | None = None  # a dashboard-level `datasource`, when the model has one

    @classmethod
    def of(cls, data: dict[str, Any]) -> Datasources:
        templating = data.get("templating")
        entries = templating.get("list") if isinstance(templating, dict) else None
        variables = tuple((v["name"], v["query"]) for v in _dicts(entries)
                          if v.get("type") == "datasource" and isinstance(v.get("name"), str)
                          and isinstance(v.get("query"), str))
        inputs = tuple((i["name"], i["pluginId"]) for i in _dicts(data.get("__inputs"))
                       if i.get("type") == "datasource" and isinstance(i.get("name"), str)
                       and isinstance(i.get("pluginId"), str))
        found = cls(variables, inputs)
        return cls(variables, inputs, found.plugin(data.get("datasource")))

    def plugin(self, value: Any) -> str | None:
        """The plugin id `value` stands for, MIXED, or None when it is not known here."""
        if isinstance(value, dict):
            kind, uid = value.get("type"), value.get("uid")
            if isinstance(kind, str) and kind and kind != "datasource":
                return _PSEUDO.get(kind, kind)
            if kind == "datasource" and isinstance(uid, str):
                return _PSEUDO.get(uid, "datasource")
            return self.plugin(uid) if isinstance(uid, str) else self.default
        if not isinstance(value, str) or value in ("", "default"):
            return self.default
        if value in _PSEUDO:
            return _PSEUDO[value]
        variable = _VARIABLE.match(value)
        if variable is not None:
            name = next(g for g in variable.groups() if g)
            return dict(self.inputs).get(name) or dict(self.variables).get(name) or self.default
        lowered = value.lower()
        return next((p for p in _NAMED_PLUGINS if p in lowered), self.default)

    def untyped_names(self, data: dict[str, Any]) -> bool:
        """Whether a panel or target names its datasource by a bare name of no known plugin
        (`"datasource": "Metrics"`): then the dashboard's default is no more known either."""
        return any(self._untyped(panel.get("datasource"))
                   or any(self._untyped(t.get("datasource")) for t in _dicts(panel.get("targets")))
                   for _, panel in iter_panels(data))

    def _untyped(self, value: Any) -> bool:
        if isinstance(value, dict):
            value = value.get("uid") if not value.get("type") else None
        return (isinstance(value, str) and value not in ("", "default") and value not in _PSEUDO
                and _VARIABLE.match(value) is None and self.plugin(value) is None)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
