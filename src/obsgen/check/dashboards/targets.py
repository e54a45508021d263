"""The PromQL of a Grafana dashboard: every panel target of a Prometheus datasource and every
Prometheus variable query, found in one walk, with where each stands in the JSON; targets of
other datasources (Loki, SQL, Tempo, Grafana's own...) are counted by plugin, never parsed.

A target's datasource is its own, else its panel's, else the dashboard's default; a default
the dashboard does not name is taken for Prometheus, and so is a datasource named by a bare
name of no known plugin (less certainly: see `Query.certain`). A variable query is what Grafana's
Prometheus datasource runs for it: the series selector of `label_values(selector, label)`,
the query of `query_result(query)` and of `label_names(selector)`, else the whole text as a
series selector; `label_values(label)`, `label_names()` and `metrics(regex)` hold no PromQL.
Dashboards in Grafana's v2 schema are read too (targets_v2.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from typing import Any

from obsgen.check.dashboards.datasources import MIXED, PROMQL_PLUGINS, Datasources
from obsgen.check.dashboards.jsonpos import JsonPath
from obsgen.check.dashboards.schema import ParsedJson, iter_panels, parse_json, unwrap_envelope
from obsgen.check.dashboards.targets_v2 import v2_targets, v2_variable_queries

# Grafana's own patterns for a Prometheus variable query (public/app/plugins/datasource/
# prometheus), matched across lines since a query may span several.
_NO_PROMQL = re.compile(r"label_names\(\s*\)|metrics\(.*\)|(label_values|query_result)\(\s*\)"
                        r"|label_values\(\s*[^,()]+\)", re.DOTALL)
_PROMQL_ARGUMENT = re.compile(r"(?:label_values\((?P<selector>.+),\s*[^,()]+?\s*"
                              r"|query_result\((?P<query>.+)|label_names\((?P<match>.+))\)\s*",
                              re.DOTALL)


@dataclass(frozen=True)
class Query:
    """One PromQL text of a dashboard: `path` is the JSON string holding it (from the top of
    the document), `offset` where the PromQL starts inside that string."""

    path: JsonPath
    text: str
    offset: int
    variable: bool  # a variable's query, not a panel target
    # Whether the dashboard says the datasource is Prometheus (by type, datasource variable or
    # import input), or names no datasource in a way obsgen cannot type; not so when it runs
    # on the default datasource of a dashboard that names its datasources by bare names (a
    # PMM dashboard's "Metrics", which is VictoriaMetrics and speaks MetricsQL).
    certain: bool = True


@dataclass(frozen=True)
class DashboardQueries:
    """What a dashboard asks of its datasources: the PromQL to check, and the targets and
    variable queries of other datasources, counted by plugin id."""

    queries: tuple[Query, ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()  # (plugin id, how many), sorted
    empty: int = 0  # Prometheus targets with no query (a row's placeholder `{"refId": "A"}`)

    @property
    def panel_queries(self) -> int:
        return sum(not q.variable for q in self.queries)

    @property
    def variable_queries(self) -> int:
        return sum(q.variable for q in self.queries)

    @property
    def skipped_targets(self) -> int:
        """Targets and variable queries of other datasources than Prometheus."""
        return sum(n for _, n in self.skipped)


@lru_cache(maxsize=64)
def dashboard_queries(text: str) -> DashboardQueries:
    """The queries of one dashboard JSON text (paths from the top of the document, inside an
    API envelope if there is one), for the lint summary: `len(.queries)` queries to check,
    `.skipped_targets` targets of other datasources; nothing for a text that is not a
    dashboard. Cached by text: the checks and the summary of one run walk a dashboard once."""
    parsed = parse_json(text)
    if not isinstance(parsed, ParsedJson):
        return DashboardQueries()
    inner = unwrap_envelope(parsed)
    return _walk(inner.data, inner.prefix) if isinstance(inner.data, dict) else (
        DashboardQueries())


def queries_of(parsed: ParsedJson) -> DashboardQueries:
    """The queries of a parsed (and unwrapped) dashboard."""
    return dashboard_queries(parsed.text)


def _walk(data: dict[str, Any], prefix: JsonPath) -> DashboardQueries:
    sources = Datasources.of(data)
    found: list[tuple[Query, bool]] = []  # each with whether its datasource was assumed
    skipped: Counter[str] = Counter()
    empty = 0
    for path, target, plugin, assumed in chain(_targets(data, sources), v2_targets(data)):
        if plugin not in PROMQL_PLUGINS:
            skipped[plugin] += 1
        elif isinstance(target.get("expr"), str) and target["expr"].strip():
            found.append((Query((*prefix, *path, "expr"), target["expr"], 0, False), assumed))
        else:
            empty += 1
    for path, text, plugin, assumed in chain(_variable_queries(data, sources),
                                             v2_variable_queries(data)):
        if plugin not in PROMQL_PLUGINS:
            skipped[plugin] += 1
            continue
        promql = promql_of_variable(text)
        if promql is not None:
            found.append((Query((*prefix, *path), promql[0], promql[1], True), assumed))
    untyped = sources.untyped_names(data)
    queries = tuple(replace(q, certain=False) if assumed and untyped else q
                    for q, assumed in found)
    return DashboardQueries(queries, tuple(sorted(skipped.items())), empty)


def _targets(data: dict[str, Any], sources: Datasources
             ) -> Iterator[tuple[JsonPath, dict[str, Any], str, bool]]:
    """Every panel target with the plugin that runs it ("unknown" for a target of the default
    datasource that holds no `expr`: whatever it is, it is no Prometheus query), and whether
    that plugin was assumed rather than declared."""
    for path, panel in iter_panels(data):
        targets = panel.get("targets")
        if not isinstance(targets, list):
            continue
        panel_plugin = sources.plugin(panel.get("datasource"))
        for index, target in enumerate(targets):
            if not isinstance(target, dict):
                continue
            plugin = sources.plugin(target.get("datasource"))
            if plugin is None or (plugin == MIXED and panel_plugin != MIXED):
                plugin = panel_plugin
            if plugin is None or plugin == MIXED:
                yield (*path, "targets", index), target, (
                    "prometheus" if "expr" in target else "unknown"), True
            else:
                yield (*path, "targets", index), target, plugin, False


def _variable_queries(data: dict[str, Any], sources: Datasources
                      ) -> Iterator[tuple[JsonPath, str, str, bool]]:
    templating = data.get("templating")
    entries = templating.get("list") if isinstance(templating, dict) else None
    for index, variable in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(variable, dict) or variable.get("type") != "query":
            continue
        path: JsonPath = ("templating", "list", index, "query")
        query = variable.get("query")
        if isinstance(query, dict):  # {"query": "label_values(...)", "refId": ...}
            path, query = (*path, "query"), query.get("query")
        if isinstance(query, str) and query.strip():
            plugin = sources.plugin(variable.get("datasource"))
            yield path, query, plugin or "prometheus", plugin is None


def promql_of_variable(text: str) -> tuple[str, int] | None:
    """The PromQL a Prometheus variable query runs and where it starts in `text`, or None
    when it runs none (`label_values(job)`, `label_names()`, `metrics(regex)`)."""
    start = len(text) - len(text.lstrip())
    body = text.strip()
    if _NO_PROMQL.fullmatch(body):
        return None
    call = _PROMQL_ARGUMENT.fullmatch(body)
    if call is None:
        return body, start  # Grafana runs any other text as a series selector
    group = next(g for g in ("selector", "query", "match") if call.group(g) is not None)
    return call.group(group), start + call.start(group)
