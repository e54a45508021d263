"""False errors found by linting public monitoring code (mixins' generated rules and dashboards,
operator manifests, exported community dashboards, Alloy examples): one small fixture of our
own per class under tests/fixtures/lint/public/, each with a true finding beside the false one,
so a fix that silences the whole check fails here too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from obsgen.check.dashboards.lint import lint_dashboard
from obsgen.check.foreign import ForeignFile, LintContext

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
PUBLIC = REPO / "tests" / "fixtures" / "lint" / "public"
JSON = ("--output-format", "json")


def _findings(obsgen: RunObsgen, folder: str, code: str) -> list[dict[str, Any]]:
    result = obsgen("lint", *JSON, str(PUBLIC / folder), cwd=REPO)
    assert result.exit_code in (0, 1), result.describe()
    return [d for d in result.diagnostics() if d["code"] == code]


def _summary(obsgen: RunObsgen, folder: str) -> str:
    result = obsgen("lint", "--output-format", "concise", str(PUBLIC / folder), cwd=REPO)
    lines = [line for line in result.output.splitlines() if line.startswith("Linted ")]
    assert lines, result.describe()
    return lines[0]


def _alerts_named(findings: list[dict[str, Any]]) -> set[str]:
    return {m.group(1) for d in findings if (m := re.search(r"alert (\w+)", d["message"]))}


# --- fixed here -----------------------------------------------------------------------------

def test_runbook_url_is_checked_only_against_the_page_it_names(obsgen: RunObsgen) -> None:
    """kubernetes-mixin, thanos and coredns-mixin all publish a `runbook.md`; linted together,
    each mixin's runbook_url was checked against every runbook.md of the run (179 false OBS713
    on the public corpus). A repository URL names the page whose path ends with the URL's path
    in the repository, and a page under a folder named for another repository is not it."""
    findings = _findings(obsgen, "runbook-same-name", "OBS713")
    assert _alerts_named(findings) == {"QueueStalled"}, findings
    (stalled,) = findings
    assert "queue/mixin/runbook.md" in stalled["message"], stalled
    assert stalled["severity"] == "error"


def test_histogram_quantile_over_a_native_histogram_needs_no_le(obsgen: RunObsgen) -> None:
    """alloy-mixin's dashboards read `histogram_quantile(0.99, sum(rate(x[...]))) or
    histogram_quantile(0.99, sum by (le) (rate(x_bucket[...])))`: the first side is a native
    histogram, whose samples hold the buckets. Classic buckets that lost `le` stay an error."""
    findings = _findings(obsgen, "native-histogram", "OBS902")
    assert [d["location"]["line"] for d in findings] == [12], findings
    assert "p50" in findings[0]["message"]


def test_native_or_classic_pair_is_no_type_warning(obsgen: RunObsgen) -> None:
    """The same pair drew OBS930 ("not a histogram's _bucket series") on its native side
    (7 warnings on alloy-mixin); a lone non-bucket name under histogram_quantile() keeps it."""
    findings = _findings(obsgen, "native-histogram", "OBS930")
    assert [d["location"]["line"] for d in findings] == [14], findings


def test_anchor_differing_only_in_case_resolves(obsgen: RunObsgen) -> None:
    """cortex-mixin's playbooks.md links `#CortexSchedulerQueriesStuck` to the heading
    `### CortexSchedulerQueriesStuck`: GitHub, where such pages are read, finds an anchor
    whatever its case. A link to a heading that does not exist stays an error."""
    findings = _findings(obsgen, "anchor-case", "OBS709")
    assert [d["message"].split(":")[0] for d in findings] == ["link '#QueueStalled'"], findings
    assert findings[0]["location"]["line"] == 10


def test_unused_influx_fields_of_a_prometheus_target_are_not_walked(obsgen: RunObsgen) -> None:
    """postgres-mixin's Prometheus targets keep a `groupBy` with `$interval` from the InfluxDB
    query editor, which Grafana never reads for them (13 false OBS644); an undefined variable
    in the expression stays an error."""
    findings = _findings(obsgen, "dashboard-dead-groupby", "OBS644")
    assert [re.search(r"variable '(\w+)'", d["message"]).group(1)  # type: ignore[union-attr]
            for d in findings] == ["database"], findings


def test_a_variable_standing_for_an_operator_parses(obsgen: RunObsgen) -> None:
    """hass-mixin's dashboard picks `or` or `unless` with a custom variable,
    `a $Inactive on (entity) b` (5 false OBS610 once dashboard targets were parsed); a real
    parse error in the same shape stays an error."""
    findings = _findings(obsgen, "dashboard-operator-variable", "OBS610")
    assert [d["location"]["line"] for d in findings] == [20], findings


def test_histogram_quantile_over_vmrange_buckets_needs_no_le(obsgen: RunObsgen) -> None:
    """VictoriaMetrics' dashboards and rules group buckets `by (job, vmrange)`, the label its
    histograms use instead of `le` (14 false OBS902); dropping both stays an error."""
    findings = _findings(obsgen, "vmrange-histogram", "OBS902")
    assert [d["location"]["line"] for d in findings] == [9], findings


def test_fields_an_older_or_trimmed_promtool_lacks_are_no_error(obsgen: RunObsgen) -> None:
    """prometheus/prometheus' documentation/examples use discoveries Debian's promtool 2.42 is
    built without (kubernetes_sd_configs) and fields newer than it (keep_dropped_targets,
    scrape_protocols): 15 false OBS950 errors. A wrong value stays an error."""
    trimmed = [d for d in _findings(obsgen, "prometheus-sd", "OBS950") if d["severity"] == "error"]
    invalid = _findings(obsgen, "prometheus-invalid", "OBS950")
    assert [d["severity"] for d in invalid] == ["error"], invalid
    assert trimmed == [], trimmed


def test_grafana_alerting_provisioning_is_not_a_rule_file(obsgen: RunObsgen) -> None:
    """opentelemetry-demo provisions Grafana-managed alerts (apiVersion: 1, groups with orgId
    and folder, rules with uid and data): a top-level `groups`, yet no Prometheus rule file
    (37 false OBS401)."""
    result = obsgen("lint", *JSON, str(PUBLIC / "grafana-alerting-provisioning"), cwd=REPO)
    assert result.diagnostics() == [], result.describe()


def test_dockerfile_named_dot_alloy_is_not_an_alloy_config(obsgen: RunObsgen) -> None:
    """grafana/alloy's integration tests hold a Dockerfile named Dockerfile.alloy (28 false
    OBS801); a broken Alloy config beside it stays an error."""
    findings = _findings(obsgen, "alloy-dockerfile", "OBS801")
    assert {Path(d["location"]["path"]).name for d in findings} == {"config.alloy"}, findings


def test_rule_file_written_as_json_is_linted(obsgen: RunObsgen) -> None:
    """kube-prometheus' examples/existingrule.json is a rule file written as JSON (promtool
    reads it); it was taken for a dashboard that is not one and skipped silently."""
    findings = _findings(obsgen, "json-rule-file", "OBS213")
    assert [Path(d["location"]["path"]).name for d in findings] == ["rules.json"], findings


def test_metricsql_dashboard_is_warned_not_failed(obsgen: RunObsgen) -> None:
    """VictoriaMetrics' own dashboards query a Prometheus-type datasource in MetricsQL
    (topk_max, topk_last, rollup_rate, increase() without a window, `default`, `or 0`): 24
    OBS610 errors. A dashboard that calls MetricsQL's functions may be read by VictoriaMetrics,
    so its parse failures are warnings, every one still reported."""
    findings = _findings(obsgen, "dashboard-metricsql", "OBS610")
    assert [(d["location"]["line"], d["severity"]) for d in findings] == [
        (15, "warning"), (16, "warning"), (17, "warning")], findings


def test_utf8_label_name_is_no_error(obsgen: RunObsgen) -> None:
    """sloth's generated rules carry labels like `plug-l1`, valid since Prometheus 3.0
    (UTF-8 names): 3 false OBS401 errors. A label that is not a string stays an error."""
    errors = [d for d in _findings(obsgen, "utf8-label-name", "OBS401")
              if d["severity"] == "error"]
    assert [d["location"]["line"] for d in errors] == [13], errors


# --- Grafana v2 dashboards and vmalert rule files ------------------------------------------

def test_v2_dashboard_is_linted(obsgen: RunObsgen) -> None:
    """A dashboard in Grafana's v2 schema (apiVersion dashboard.grafana.app/v2*, kind
    Dashboard, spec.elements) has none of the v1 keys and was skipped silently."""
    assert "1 dashboard, 3 queries" in _summary(obsgen, "dashboard-v2")


def test_v2_dashboard_variables_are_defined() -> None:
    """A v2 dashboard's variables are spec.variables[].spec.name, not templating.list;
    alloy-scenarios' War of Kingdoms dashboard got 4 false OBS644."""
    path = PUBLIC / "dashboard-v2" / "board.json"
    file = ForeignFile(str(path), path.read_text(encoding="utf-8"), "dashboard")
    found = lint_dashboard(file, LintContext((file,)))
    undefined = [d.message for d in found if d.code == "OBS644"]
    assert len(undefined) == 1 and "'zone'" in undefined[0], undefined


def test_vmalert_rule_file_is_not_failed_as_promql(obsgen: RunObsgen) -> None:
    """A vmalert rule file (group options vmalert alone has: concurrency, eval_offset,
    eval_delay, headers, params, type) holds MetricsQL, not PromQL: VictoriaMetrics' and
    sloth's examples gave 3 OBS401 and 16 OBS213. The file gets one notice instead."""
    result = obsgen("lint", *JSON, str(PUBLIC / "vmalert-rules"), cwd=REPO)
    errors = [d for d in result.diagnostics() if d["severity"] == "error"]
    assert errors == [], errors
    notices = [d["code"] for d in result.diagnostics() if d["severity"] == "info"]
    assert notices == ["OBS976"], result.describe()
