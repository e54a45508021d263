"""`obsgen lint` reads every query of a dashboard: panel targets of Prometheus datasources and
variable queries are parsed and checked as rule expressions are, at the JSON line:col of the
offending token; targets of other datasources are skipped and counted. Fixtures are in
tests/fixtures/lint/dashboards/ (each file says in its title what it holds); expected
positions are found in the fixture's own text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RunObsgen
from obsgen.check.dashboards.lint import lint_dashboard
from obsgen.check.dashboards.targets import dashboard_queries, promql_of_variable
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.promql.analysis import analyse
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "dashboards"
JSON = ("--output-format", "json")


def text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def lint(name: str, body: str | None = None) -> list[Diagnostic]:
    file = ForeignFile(name, text(name) if body is None else body, "dashboard")
    return lint_dashboard(file, LintContext((file,)))


def at(body: str, line_holding: str, token: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of `token` (its `nth` occurrence) on the first line of the JSON
    text that holds `line_holding`."""
    for number, line in enumerate(body.splitlines(), start=1):
        if line_holding in line:
            column = -1
            for _ in range(nth + 1):
                column = line.index(token, column + 1)
            return number, column + 1
    raise AssertionError(f"{line_holding!r} is not in the fixture")


def errors(found: list[Diagnostic]) -> set[tuple[str, int, int]]:
    return {(d.code, d.location.line, d.location.column) for d in found
            if d.severity is Severity.ERROR and d.location}


def result_errors(result_json: list[dict[str, object]]) -> set[tuple[str, int, int]]:
    out = set()
    for d in result_json:
        location = d["location"]
        assert isinstance(location, dict)
        if d["severity"] == "error":
            out.add((str(d["code"]), int(location["line"]), int(location["column"])))
    return out


# --- the example: a dashboard's queries fail as the same rule expressions do ----------

def test_broken_queries_are_errors_at_the_offending_token(obsgen: RunObsgen) -> None:
    body = text("broken-queries.json")
    result = obsgen("lint", "--catalog", str(FIXTURES / "metrics.txt"),
                    str(FIXTURES / "broken-queries.json"), *JSON, cwd=FIXTURES)
    assert result.exit_code == 1, result.describe()
    assert result_errors(result.diagnostics()) == {
        # the parenthesis `sum(` opens and nothing closes
        ("OBS610", *at(body, '"expr": "sum(rate(http_requests_total', "(")),
        ("OBS116", *at(body, "http_request_total{", "http_request_total")),
        ("OBS902", *at(body, "histogram_quantile(", "histogram_quantile")),
    }


def test_the_clean_twin_passes_with_the_catalog(obsgen: RunObsgen) -> None:
    result = obsgen("lint", "--catalog", str(FIXTURES / "metrics.txt"),
                    str(FIXTURES / "clean-queries.json"), *JSON, cwd=FIXTURES)
    assert result.exit_code == 0, result.describe()
    assert not result_errors(result.diagnostics())


def test_without_a_catalog_the_catalog_free_checks_still_run() -> None:
    body = text("broken-queries.json")
    assert errors(lint("broken-queries.json")) == {
        ("OBS610", *at(body, '"expr": "sum(rate(http_requests_total', "(")),
        ("OBS902", *at(body, "histogram_quantile(", "histogram_quantile")),
    }
    assert errors(lint("clean-queries.json")) == set()


def test_the_rule_file_with_the_same_expressions_gives_the_same_checks(
        obsgen: RunObsgen, tmp_path: Path) -> None:
    """What a rule file reports for these expressions, the dashboard reports too (its parse
    failure under the dashboard's own code)."""
    exprs = [t["expr"] for p in json.loads(text("broken-queries.json"))["panels"]
             for t in p["targets"]]
    rules = "groups:\n- name: g\n  rules:\n" + "".join(
        f"  - record: job:q{i}:x\n    expr: '{e.replace('$route', 'api')}'\n"
        for i, e in enumerate(exprs))
    (tmp_path / "rules.yml").write_text(rules, encoding="utf-8")
    catalog = str(FIXTURES / "metrics.txt")
    rule_codes = {d["code"] for d in obsgen("lint", "--catalog", catalog, "rules.yml", *JSON,
                                            cwd=tmp_path).diagnostics()
                  if d["severity"] == "error"}
    dashboard_codes = {code for code, *_ in result_errors(obsgen(
        "lint", "--catalog", catalog, str(FIXTURES / "broken-queries.json"), *JSON, cwd=tmp_path
    ).diagnostics())}
    assert rule_codes == {"OBS213", "OBS116", "OBS902"}
    assert dashboard_codes == {"OBS610", "OBS116", "OBS902"}


# --- which targets are PromQL ------------------------------------------------------------------

def test_targets_of_other_datasources_are_skipped_and_counted() -> None:
    """Every target and variable query of datasources.json is invalid PromQL; only the three
    of Prometheus datasources (by mixed panel default, by `${DS_PROM}` from __inputs, by no
    datasource at all) are parsed."""
    queries = dashboard_queries(text("datasources.json"))
    assert dict(queries.skipped) == {"loki": 6, "mysql": 1, "tempo": 1, "grafana": 1,
                                     "dashboard": 1, "grafana-testdata-datasource": 1}
    assert queries.skipped_targets == 11
    assert [q.path for q in queries.queries] == [
        ("panels", 8, "targets", 1, "expr"), ("panels", 9, "targets", 0, "expr"),
        ("panels", 10, "targets", 0, "expr")]
    found = lint("datasources.json")
    assert {d.code for d in found if d.severity is Severity.ERROR} == {"OBS610"}
    assert sorted(d.message.split(":")[0] for d in found if d.code == "OBS610") == [
        "panels[10].targets[0].expr", "panels[8].targets[1].expr", "panels[9].targets[0].expr"]


def test_panels_in_collapsed_and_legacy_rows_are_read() -> None:
    body = text("rows.json")
    assert errors(lint("rows.json")) == {
        # `by (` opens and nothing closes; in a legacy row, one `)` too many
        ("OBS610", *at(body, ")) by (", "(", nth=2)),
        ("OBS610", *at(body, '"rate(http_requests_total[$__rate_interval]))"', ")", nth=1)),
    }


def test_variable_queries_in_both_forms() -> None:
    body = text("variables.json")
    queries = dashboard_queries(body)
    assert queries.variable_queries == 5  # job, instance, top, broken, broken_result
    assert errors(lint("variables.json")) == {
        ("OBS611", *at(body, '"query": "label_values(http_requests_total{', "{")),
        ("OBS611", *at(body, '"query": "query_result(sum(', "(", nth=1)),
    }


@pytest.mark.parametrize(("query", "promql"), [
    ("label_values(up, job)", ("up", 13)),
    ('  label_values(up{a="x,y"}, $label) ', ('up{a="x,y"}', 15)),
    ("label_values(kube_pod_info{cluster=\"$cluster\"},\n  namespace)",
     ('kube_pod_info{cluster="$cluster"}', 13)),
    ("query_result(topk(5, up))", ("topk(5, up)", 13)),
    ('label_names(up{job="a"})', ('up{job="a"}', 12)),
    ('up{job="a"}', ('up{job="a"}', 0)),  # Grafana asks for the series it selects
    ("label_values(job)", None),
    ("label_names()", None),
    ("metrics(http_.*)", None),
    ("query_result()", None),
])
def test_the_promql_of_a_variable_query(query: str, promql: tuple[str, int] | None) -> None:
    assert promql_of_variable(query) == promql


# --- positions: escapes in the JSON string shift the column --------------------------------

def test_the_column_counts_the_json_escapes_before_the_token() -> None:
    expr = 'sum(rate(x{a="b\\\\d"}[5m]))\n+ sum(y{c="d"}'
    dashboard = {"uid": "esc", "title": "Escapes", "panels": [{
        "id": 1, "type": "timeseries", "title": "t",
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "targets": [{"expr": expr, "refId": "A"}]}],
        "templating": {"list": [{"name": "datasource", "type": "datasource",
                                 "query": "prometheus"}]}}
    body = json.dumps(dashboard, indent=1)
    assert '\\"b\\\\\\\\d\\"' in body and "\\n+ sum(y" in body  # the escapes are there
    assert errors(lint("esc.json", body)) == {("OBS610", *at(body, '"expr"', "(", nth=2))}


# --- false errors ------------------------------------------------------------------------------

def test_import_placeholders_declared_in_inputs_are_defined() -> None:
    found = lint("import-placeholders.json")
    assert not [d for d in found if d.severity is Severity.ERROR], found
    assert dashboard_queries(text("import-placeholders.json")).panel_queries == 1


def test_a_regex_escaped_dollar_is_no_variable() -> None:
    """`\\$SYS` in a matcher is a literal dollar, in a double-quoted and in a raw string (a
    raw string holds it as written, as Prometheus reads it)."""
    found = lint("escaped-dollar.json")
    assert not [d for d in found if d.severity is Severity.ERROR], found
    assert dashboard_queries(text("escaped-dollar.json")).panel_queries == 2


def test_a_raw_string_keeps_its_backslashes() -> None:
    analysis = analyse("count(x{mountpoint=~`\\d+|\\$SYS`})")
    assert analysis.ok, analysis.error
    assert analysis.selectors[0].matchers[0].value == "\\d+|\\$SYS"


def test_grafana_builtin_variables_and_adhoc_filters_are_no_errors() -> None:
    found = lint("builtins.json")
    assert not [d for d in found if d.severity is Severity.ERROR], found
    assert not [d for d in found if d.code == "OBS644"]
    assert dashboard_queries(text("builtins.json")).panel_queries == 9


def test_a_variable_may_stand_for_an_operator_or_an_offset() -> None:
    """`a $inactive on (entity) b`, where the custom variable is `or` or `unless` (Home
    Assistant's mixin), and `offset $shift` parse; a query with neither fails as before."""
    found = lint("variable-roles.json")
    assert not [d for d in found if d.severity is Severity.ERROR], found
    assert dashboard_queries(text("variable-roles.json")).panel_queries == 2
    assert analyse("x $inactive on (entity) y").ok
    assert analyse("sum(x offset $shift)").ok and analyse("x offset -$shift").ok
    assert not analyse("x $inactive").ok and not analyse("x on (entity) $inactive y").ok


def test_what_grafana_never_interpolates_in_a_prometheus_target_is_no_reference() -> None:
    """An InfluxDB editor's `groupBy: [{params: ["$interval"]}]` left in a Prometheus target
    refers to nothing; the same undefined `$interval` in the target's `expr` does."""
    body = text("editor-leftovers.json")
    assert errors(lint("editor-leftovers.json")) == {
        ("OBS644", *at(body, '"sum(rate(http_requests_total{route=~', "$route")),
        ("OBS644", *at(body, '"sum(rate(http_requests_total{route=~', "$interval")),
    }


def _parse_failures(name: str) -> list[tuple[str, Severity]]:
    return [(d.code, d.severity) for d in lint(name) if d.code in ("OBS610", "OBS611")]


def test_a_dashboard_that_calls_metricsql_functions_gets_warnings() -> None:
    """VictoriaMetrics added as a Prometheus-type datasource: `range_last` is MetricsQL's
    alone, so `rate(x)` without a window in the same dashboard is MetricsQL too."""
    assert _parse_failures("metricsql.json") == [("OBS610", Severity.WARNING)] * 2


def test_a_datasource_named_without_a_type_gets_warnings() -> None:
    """`"datasource": "Metrics"` (PMM's VictoriaMetrics) and the default datasource of that
    dashboard: obsgen cannot tell they are Prometheus."""
    assert _parse_failures("untyped-datasource.json") == [("OBS610", Severity.WARNING)] * 2
    typed = text("untyped-datasource.json").replace('"datasource": "Metrics"',
                                                    '"datasource": "$datasource"')
    typed_dashboard = json.loads(typed)
    typed_dashboard["templating"]["list"] = [{"name": "datasource", "type": "datasource",
                                             "query": "prometheus"}]
    body = json.dumps(typed_dashboard, indent=2)
    assert [d.severity for d in lint("typed.json", body) if d.code == "OBS610"] == [
        Severity.ERROR, Severity.ERROR]


def test_a_v2_dashboard_s_queries_are_read() -> None:
    """Grafana 12's v2 schema: panels under spec.elements, each query a DataQuery whose group
    names its plugin; variables under spec.variables."""
    board = {"apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard",
             "metadata": {"name": "v2"}, "spec": {"title": "v2", "elements": {"panel-1": {
                 "kind": "Panel", "spec": {"id": 1, "title": "Orders", "data": {
                     "kind": "QueryGroup", "spec": {"queries": [
                         {"kind": "PanelQuery", "spec": {"refId": "A", "query": {
                             "kind": "DataQuery", "group": "prometheus",
                             "spec": {"expr": 'sum(rate(x{region="$region"}[5m])'}}}},
                         {"kind": "PanelQuery", "spec": {"refId": "B", "query": {
                             "kind": "DataQuery", "group": "loki",
                             "spec": {"expr": 'sum(count_over_time({app="x"}[5m]))'}}}}]}}}}},
                 "variables": [{"kind": "QueryVariable", "spec": {"name": "region", "query": {
                     "kind": "DataQuery", "group": "prometheus",
                     "spec": {"query": "label_values(x{, region)"}}}}]}}
    body = json.dumps(board, indent=2)
    queries = dashboard_queries(body)
    assert (queries.panel_queries, queries.variable_queries, dict(queries.skipped)) == (
        1, 1, {"loki": 1})
    assert errors(lint("v2.json", body)) == {
        ("OBS610", *at(body, '"expr": "sum(rate(x{region', "(")),
        ("OBS611", *at(body, '"query": "label_values(x{', "{")),
    }
