"""Every dashboard query through the one query check rules and runbooks get
(check.promql.references.check_query): the project's panel queries against its catalog before
anything is emitted, at the panel's definition line; and the PromQL of any dashboard JSON
(panel targets of Prometheus datasources, variable queries) at its line:col in the JSON, against
the catalog given to `obsgen lint --catalog`, else with the catalog-free checks only. Grafana
macros and variables are understood by the analysis."""

from __future__ import annotations

from collections.abc import Callable, Collection

from obsgen.check.dashboards.jsonpos import format_path
from obsgen.check.dashboards.metricsql import speaks_metricsql
from obsgen.check.dashboards.schema import ParsedJson
from obsgen.check.dashboards.targets import Query, queries_of
from obsgen.check.promql.references import check_query
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.catalog import Catalog
from obsgen.model.project import Project
from obsgen.terminal import shortened

PANEL_PARSE = "OBS610"
VARIABLE_PARSE = "OBS611"


def _as_dashboard_finding(found: Diagnostic, text: str, code: str,
                          certain: bool = True) -> Diagnostic:
    """A parse failure under the dashboard's own code (a panel's or a variable's query); a
    warning when the dashboard does not say its datasource is Prometheus."""
    if found.code != "OBS213":
        return found
    what = "variable query" if code == VARIABLE_PARSE else "panel query"
    message = found.message.replace("expression does not parse", f"{what} does not parse")
    hint = f"the query is: {shortened(text)}"
    if certain:
        return Diagnostic.of(code, message, found.location, hint)
    return Diagnostic.of(code, message, found.location, f"{hint}; the datasource may not be "
                         "Prometheus (the dashboard names it without a type, or calls MetricsQL "
                         "functions): VictoriaMetrics runs MetricsQL, which accepts more",
                         Severity.WARNING)


def check_dashboard_queries(project: Project) -> list[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    return [_as_dashboard_finding(found, text, PANEL_PARSE)
            for dashboard in project.dashboards for text, where in dashboard.queries()
            for found in check_query(text, where, catalog, recorded=project.recorded_series)]


def check_json_queries(parsed: ParsedJson, path: str, catalog: Catalog | None,
                       recorded: Collection[str] = ()) -> list[Diagnostic]:
    """Every PromQL query of one dashboard JSON, each finding at the offending part of the
    JSON string that holds the query."""
    found = []
    queries = queries_of(parsed).queries
    metricsql = speaks_metricsql(q.text for q in queries)
    for query in queries:
        code = VARIABLE_PARSE if query.variable else PANEL_PARSE
        certain = query.certain and not metricsql
        found += [_as_dashboard_finding(d, query.text, code, certain) for d in check_query(
            query.text, Location(path), catalog, recorded=recorded,
            owner=format_path(query.path), place=_placer(parsed, path, query))]
    return found


def _placer(parsed: ParsedJson, path: str, query: Query) -> Callable[[int], Location]:
    def place(position: int) -> Location:
        # Positions are computed only for a query with a finding: most have none.
        where = parsed.positions.in_string(query.path, query.offset + position)
        return Location(path, where.line, where.column)
    return place
