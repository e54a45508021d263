"""Rule lint on foreign rule files (obsgen.check.rules.checks.lint_rule_file): the defect fixture
finds every planted defect at its line with its code, its clean twin finds nothing, bad input
becomes diagnostics, and each catalog-free check is shown on a minimal file."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.rules.checks import lint_rule_file
from obsgen.codes import Severity
from obsgen.config import load_config
from obsgen.diagnostics import Diagnostic
from obsgen.load import load_project
from obsgen.model.catalog import Catalog

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "defects" / "rules"
EXPECT = re.compile(r"# expect: (OBS\d+)")


@cache
def fixture_catalog() -> Catalog:
    project, diagnostics = load_project(load_config(FIXTURE / "catalog"))
    assert project is not None and diagnostics == []
    return Catalog(project.metrics, project.jobs)


def fixture_files() -> tuple[ForeignFile, ...]:
    return tuple(ForeignFile(str(p), p.read_text(encoding="utf-8"), "rules")
                 for p in sorted(FIXTURE.glob("*.y*ml")))


def expected(file: ForeignFile) -> set[tuple[int, str]]:
    return {(number, code) for number, line in enumerate(file.text.splitlines(), start=1)
            for code in EXPECT.findall(line)}


def lint(text: str, catalog: Catalog | None = None, path: str = "x.rules.yml"
         ) -> list[Diagnostic]:
    file = ForeignFile(path, text, "rules")
    return lint_rule_file(file, LintContext((file,), catalog))


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


@pytest.mark.parametrize("name", ["defective.rules.yml", "clean.rules.yml", "broken.rules.yml",
                                  "not-rules.yml", "prometheusrule.yaml"])
def test_fixture_findings_are_exactly_the_planted_defects(name: str) -> None:
    files = fixture_files()
    file = next(f for f in files if f.path.endswith(name))
    found = lint_rule_file(file, LintContext(files, fixture_catalog()))
    assert {(d.location.line, d.code) for d in found if d.location} == expected(file)
    assert all(d.location is not None and d.location.path == file.path for d in found)


def test_the_defect_fixture_plants_one_defect_per_check() -> None:
    file = next(f for f in fixture_files() if f.path.endswith("defective.rules.yml"))
    planted = {code for _, code in expected(file)}
    assert planted >= {"OBS109", "OBS110", "OBS111", "OBS116", "OBS213", *(
        f"OBS9{n:02d}" for n in (1, 2, 3, 4, 5, 6, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
                                 31))}


def test_the_clean_twin_without_a_catalog_assumes_the_default_scrape_interval() -> None:
    """The catalog's job scrapes every 30s, so rate(...[2m]) is fine with it; without a
    catalog the interval is Prometheus' default 1m, and [2m] spans only two scrapes."""
    file = next(f for f in fixture_files() if f.path.endswith("clean.rules.yml"))
    found = lint_rule_file(file, LintContext((file,), None))
    assert [d.code for d in found] == ["OBS926"]
    assert "[2m]" in found[0].message and "1m" in found[0].message


def test_expression_findings_carry_the_column_of_the_selector() -> None:
    text = ("groups:\n- name: g\n  rules:\n  - record: a:b:c\n"
            "    expr: sum(rate(shop_orders_total{colour=\"red\"}[5m]))\n")
    (found,) = lint(text, fixture_catalog())
    assert found.code == "OBS109"
    assert found.location is not None
    assert (found.location.line, found.location.column) == (5, 38)  # the matcher


def test_literal_block_expressions_map_lines_inside_the_block() -> None:
    text = ("groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: |\n"
            "      sum(rate(shop_orders_total[5m]))\n"
            "      / sum(rate(shop_order_total[5m]))\n")
    (found,) = lint(text, fixture_catalog())
    assert found.code == "OBS116"
    assert found.location is not None
    assert (found.location.line, found.location.column) == (7, 18)
    assert "did you mean 'shop_orders_total'" in (found.hint or "")


# --- catalog-free checks, one minimal file each -------------------------------------------------

ALERT = """groups:
- name: g
  rules:
  - alert: {name}
    expr: {expr}
{extra}    labels:
      severity: warning
    annotations:
      summary: {summary}
      description: d
      runbook_url: https://example.org/rb
"""


def alert(name: str = "A", expr: str = "up == 0", for_: str | None = "5m",
          summary: str = "s") -> str:
    extra = f"    for: {for_}\n" if for_ else ""
    return ALERT.format(name=name, expr=expr, extra=extra, summary=summary)


def test_a_well_formed_alert_is_clean_without_a_catalog() -> None:
    assert lint(alert()) == []


@pytest.mark.parametrize(("text", "code"), [
    (alert(name="high_errors"), "OBS920"),
    (alert(for_=None), "OBS921"),
    (alert(summary="''"), "OBS922"),
    (alert(expr="sum(rate(x_total[1m])) > 1"), "OBS926"),
    (alert(expr="sum(irate(x_total[1m])) > 1"), "OBS926"),
    (alert(expr="sum by (job) (up) == 0", summary="'{{ $labels.instance }} down'"), "OBS927"),
    (alert(expr="absent(up{job=~\"a|b\"})", summary="'{{ $labels.job }} gone'"), "OBS927"),
    (alert(expr="histogram_quantile(0.9, sum(rate(x_bucket[5m]))) > 1"), "OBS902"),
    (alert(expr="sum by (a) (sum by (b) (x)) > 1"), "OBS903"),
    (alert(expr="deriv(x_total[5m]) > 1"), "OBS930"),
    (alert(expr="histogram_quantile(0.9, rate(x_seconds[5m])) > 1"), "OBS930"),
    (alert(expr="sum(rate(x[5m])"), "OBS213"),
])
def test_each_catalog_free_check(text: str, code: str) -> None:
    assert codes(lint(text)) == [code]


SCRAPE_30S = """prometheus.scrape "shop" {
	targets         = [{"__address__" = "localhost:9000"}]
	forward_to      = []
	job_name        = "shop"
	scrape_interval = "30s"
}
"""


def windows(*configs: ForeignFile) -> list[str]:
    rules = ForeignFile("r.yml", alert(expr="'sum(rate(x_total{job=\"shop\"}[2m])) > 1'"),
                        "rules")
    return codes(lint_rule_file(rules, LintContext((rules, *configs), None)))


def test_without_a_catalog_rate_windows_go_by_the_runs_scrape_configs() -> None:
    """[2m] spans four 30s scrapes, but only two of Prometheus' default 1m."""
    alloy = ForeignFile("config.alloy", SCRAPE_30S, "alloy")
    assert windows() == ["OBS926"]
    assert windows(alloy) == []
    assert windows(ForeignFile("config.alloy", SCRAPE_30S.replace("30s", "1m"), "alloy")) == [
        "OBS926"]
    prometheus = ("global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: shop\n"
                  "  static_configs: [{targets: ['localhost:9000']}]\n")
    assert windows(ForeignFile("prometheus.yml", prometheus, "prometheus-config")) == []
    slow_job = prometheus.replace("- job_name: shop\n", "- job_name: shop\n  scrape_interval: 2m\n")
    assert windows(ForeignFile("prometheus.yml", slow_job, "prometheus-config")) == ["OBS926"]


def test_irate_needs_only_two_intervals() -> None:
    assert lint(alert(expr="sum(irate(x_total[2m])) > 1")) == []


def test_an_alert_without_series_needs_no_for() -> None:
    assert lint(alert(expr="vector(1)", for_=None)) == []
    inhibitor = 'ALERTS{severity="info"} == 1 unless on (namespace) ALERTS{severity="warning"}'
    assert lint(alert(expr=f"'{inhibitor}'", for_=None)) == []


LINT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "rules"


def test_labels_only_one_side_of_an_or_carries_are_found_at_their_template() -> None:
    """OBS932, beside the same shapes where every side carries the label, and `unless`,
    whose result carries its left side's labels only (OBS927 for the rest)."""
    path = LINT_FIXTURES / "one-sided.rules.yml"
    file = ForeignFile(str(path), path.read_text(encoding="utf-8"), "rules")
    found = lint_rule_file(file, LintContext((file,), None))
    assert {(d.location.line, d.code) for d in found if d.location} == expected(file)
    assert {d.severity for d in found} == {Severity.WARNING}
    assert "'instance'" in next(d.message for d in found if d.code == "OBS932")


def test_template_labels_kept_by_the_expression_are_fine() -> None:
    text = alert(expr="sum by (instance) (up) == 0", summary="'{{ $labels.instance }} down'")
    assert lint(text) == []


def test_a_join_with_group_left_carries_the_included_label() -> None:
    text = alert(expr="sum by (pod) (x) * on (pod) group_left (node) kube_pod_info > 1",
                 summary="'{{ $labels.node }}'")
    assert lint(text) == []


def test_runbook_checks() -> None:
    missing = alert().replace("      runbook_url: https://example.org/rb\n", "")
    assert codes(lint(missing)) == ["OBS923"]
    wrong = alert().replace("https://example.org/rb", "wiki/page")
    assert codes(lint(wrong)) == ["OBS924"]
    templated = alert().replace("https://example.org/rb", "'{{ $externalURL }}/rb'")
    assert lint(templated) == []


def test_recording_rule_names() -> None:
    def record(name: str) -> str:
        return f"groups:\n- name: g\n  rules:\n  - record: {name}\n    expr: up\n"

    assert codes(lint(record("up_by_job"))) == ["OBS925"]
    assert codes(lint(record("'job:up:'"))) == ["OBS925"]
    assert lint(record("job:up:sum")) == []
    assert lint(record(":node_memory:sum")) == []  # empty level: aggregated to no labels


def test_severity_outside_the_usual_set_is_a_warning() -> None:
    (found,) = lint(alert().replace("severity: warning", "severity: p1"))
    assert (found.code, found.severity) == ("OBS931", Severity.WARNING)


def test_recorded_series_of_other_files_are_known() -> None:
    rules = ForeignFile("a.yml", "groups:\n- name: g\n  rules:\n  - record: job:x:rate5m\n"
                        "    expr: sum by (job) (rate(shop_orders_total[5m]))\n", "rules")
    user = ForeignFile("b.yml", alert(expr="job:x:rate5m > 1"), "rules")
    assert lint_rule_file(user, LintContext((rules, user), fixture_catalog())) == []


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code", "line"), [
    ("groups: [\n", "OBS940", 2),
    ("- a\n- b\n", "OBS941", 1),
    ("groups: 3\n", "OBS941", 1),
    ("groups: {a: 1}\n", "OBS941", 1),
    ("groups:\n- rules: []\n", "OBS401", 2),
    ("groups:\n- name: g\n  rules:\n  - record: x\n", "OBS401", 4),
    ("groups:\n- name: g\n  rules: {a: 1}\n", "OBS401", 3),
    ("groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: up\n    for: 5m\n", "OBS401",
     4),
    ("kind: PrometheusRule\nspec: {}\n", "OBS941", 1),
    ("\ufeffgroups:\n- name: g\n  rules:\n  - alert: A\n    expr: [1\n", "OBS940", 6),
])
def test_bad_input_is_a_diagnostic_with_a_line(text: str, code: str, line: int) -> None:
    found = lint(text)
    assert [(d.code, d.location.line if d.location else None) for d in found] == [(code, line)]


def test_schema_findings_point_at_the_offending_node_also_in_a_prometheusrule() -> None:
    text = ("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n"
            "  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n"
            "      for: 5 minutes\n")
    schema = [d for d in lint(text) if d.code == "OBS401"]
    assert [(d.location.line if d.location else 0) for d in schema] == [9]
    assert "5 minutes" in schema[0].message


def test_an_empty_rules_list_is_accepted() -> None:
    assert lint("groups:\n- name: g\n  rules:\n") == []


def test_duplicate_groups_and_rules() -> None:
    text = ("groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: up\n"
            "  - record: a:b:c\n    expr: up\n- name: g\n  rules: []\n")
    assert sorted((d.code, d.location.line if d.location else 0) for d in lint(text)) == [
        ("OBS928", 8), ("OBS929", 6)]
