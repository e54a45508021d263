"""obsgen.check.promql.references.check_query: each reference check against a small catalog, the
queries it must leave alone, where it reports, and the checks run by `obsgen build`/`check`
on a project's raw-string expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from obsgen.check.promql.references import check_query
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.catalog import Catalog
from obsgen.model.metrics import Counter, Gauge, Histogram, Info, Label, Summary
from obsgen.model.pipeline import ScrapeJob

CATALOG = Catalog(
    (Counter("jobs_total", help="Jobs run.", labels=[Label("result", values=("ok", "failed")),
                                                     "queue"]),
     Gauge("queue_depth", help="Waiting jobs.", labels=["queue"], min=0, max=100),
     Gauge("temperature_celsius", help="Unbounded gauge.", labels=["room"]),
     Histogram("job_duration_seconds", help="Job latency.", labels=["queue"], buckets=[1, 10]),
     Summary("rpc_duration_seconds", help="RPC latency.", labels=["method"]),
     Info("worker_info", help="Worker build.", labels=["version"])),
    (ScrapeJob("worker"), ScrapeJob("scheduler")),
)
HERE = Location("rules.yml", 10, 7)


def check(text: str, **kwargs: object) -> list[tuple[str, int]]:
    found: list[Diagnostic] = check_query(text, HERE, CATALOG, **kwargs)  # type: ignore[arg-type]
    return [(d.code, d.location.column if d.location else 0) for d in found]


@pytest.mark.parametrize(("text", "code", "at"), [
    ("jobs_totl", "OBS116", 0),
    ('jobs_total{colour="red"}', "OBS109",11),
    ('jobs_total{result="fail"}', "OBS110",11),
    ('jobs_total{result=~"err.*"}', "OBS110",11),
    ('jobs_total{result!~"o"}', "OBS110",11),
    ("queue_depth_bucket", "OBS901", 0),
    ("worker_info_count", "OBS901", 0),
    ("rate(queue_depth[5m])", "OBS111", 5),
    ("increase(worker_info[5m])", "OBS111", 9),
    ("rate(rpc_duration_seconds[5m])", "OBS111", 5),
    ("deriv(jobs_total[5m])", "OBS111", 6),
    ("histogram_quantile(0.9, rate(rpc_duration_seconds_sum[5m]))", "OBS111", 29),
    ("histogram_quantile(0.9, sum by (queue) (rate(job_duration_seconds_bucket[5m])))",
     "OBS902", 0),
    ("sum by (room) (queue_depth)", "OBS903", 0),
    ("sum without (room) (queue_depth)", "OBS904", 0),
    ("queue_depth < 0", "OBS905", 0),
    ("max(queue_depth) > 100", "OBS905", 4),
    ("0 > avg_over_time(queue_depth[10m])", "OBS905", 18),
    ("sum(queue_depth) < 0", "OBS905", 4),
    ("queue_depth == 150", "OBS905", 0),
    ('up{job="wroker"} == 0', "OBS906", 0),
    ('absent(jobs_total{job="nope"})', "OBS906", 7),
    ("sum(rate(x[5m])", "OBS213", 0),
])
def test_each_reference_check(text: str, code: str, at: int) -> None:
    assert check(text) == [(code, HERE.column + at)]


@pytest.mark.parametrize("text", [
    'sum by (queue) (rate(jobs_total{result="failed"}[5m]))',
    'jobs_total{result=~"ok|failed", queue=~".+"}',
    "histogram_quantile(0.99, sum by (le, queue) (rate(job_duration_seconds_bucket[5m])))",
    "rate(job_duration_seconds_count[5m]) / rate(job_duration_seconds_sum[5m])",
    'rpc_duration_seconds{quantile="0.99"} > 1',
    "queue_depth <= 0",
    "queue_depth == 100",
    "sum(queue_depth) > 1000",  # a sum may exceed each sample's max
    "temperature_celsius < -40",
    "predict_linear(queue_depth[1h], 3600) < 0",
    'up{job="worker"} == 0 or absent(up{job="scheduler"})',
    'jobs_total{job=~"work.*", instance="a:1"}',
    "ALERTS{alertstate=\"firing\"}",
    "job:jobs:rate5m > 1",
    'jobs_total{result="$result", queue=~"${queue:regex}"}',
    "rate(node_${resource}_total[5m])",
    "sum by (le) (rate(job_duration_seconds_bucket[$__rate_interval]))",
    "count by (version) (worker_info)",
    'label_replace(queue_depth, "room", "$1", "queue", "(.*)") > 1',
])
def test_valid_queries_are_left_alone(text: str) -> None:
    assert check(text) == []


def test_unknown_metric_hint_suggests_the_closest_name() -> None:
    (found,) = check_query("jobs_totl", HERE, CATALOG)
    assert found.hint == "did you mean 'jobs_total'?"


def test_jobs_are_not_checked_when_the_catalog_does_not_know_them() -> None:
    assert check('up{job="anything"}', jobs_known=False) == []
    assert check_query('up{job="x"}', HERE, Catalog(CATALOG.metrics, ())) == []


def test_recorded_series_are_known() -> None:
    assert check("shop_errors_ratio > 1", recorded=["shop_errors_ratio"]) == []


def test_a_location_without_column_is_kept_and_the_owner_named() -> None:
    where = Location("definitions/alerts.py", 42)
    (found,) = check_query("queue_depth < 0", where, CATALOG, owner="alert QueueNegative")
    assert found.location == where
    assert found.message.startswith("alert QueueNegative: queue_depth < 0 can never be true")


def test_multi_line_queries_report_the_line_inside_the_text() -> None:
    (found,) = check_query("sum(rate(jobs_total[5m]))\n/ sum(queue_dept)", HERE, CATALOG)
    assert found.location == Location("rules.yml", 11, HERE.column + 6)


def test_without_a_catalog_only_catalog_free_checks_run() -> None:
    assert check_query("jobs_totl < 0", HERE, None) == []
    found = check_query("histogram_quantile(0.9, sum(rate(x_bucket[5m])))", HERE, None)
    assert [d.code for d in found] == ["OBS902"]


# --- the project: raw-string expressions get the full reference checks --------------------------

RAW_ALERT = '''

RAW_DEFECT = AlertRule(
    "RawQueryDefect",
    expr='sum(rate(hypertool_persona_tokens_used_total{persona="intern"}[5m])) > 1',
    for_="5m",
    severity="warning",
    summary="Tokens used by {{ $labels.model }}",
    description="An alert written as a raw PromQL string.",
)
RAW_GROUP = RuleGroup("raw-queries", rules=[RAW_DEFECT])
'''


def test_build_checks_raw_string_expressions_against_the_catalog(
        example_project: Path, obsgen: object) -> None:
    alerts = example_project / "definitions" / "alerts.py"
    text = alerts.read_text(encoding="utf-8") + RAW_ALERT
    alerts.write_text(text, encoding="utf-8")
    line = text.splitlines().index("RAW_DEFECT = AlertRule(") + 1
    result = obsgen("build", "--output-format", "json", cwd=example_project)  # type: ignore[operator]
    assert result.exit_code == 1, result.describe()
    found = {(d["code"], d["location"]["line"]) for d in result.diagnostics()
             if d["location"]["path"].endswith("alerts.py")}
    assert ("OBS110", line + 2) in found  # at the matcher, inside the string literal
    assert ("OBS927", line) in found
    # in our own definitions an annotation that renders empty is an error, not a warning
    assert {d["severity"] for d in result.diagnostics() if d["code"] == "OBS927"} == {"error"}


def test_check_on_the_seed_project_finds_nothing(example_project: Path, obsgen: object) -> None:
    result = obsgen("check", "--output-format", "json", cwd=example_project)  # type: ignore[operator]
    assert result.exit_code == 0, result.describe()
    assert [d for d in result.diagnostics() if d["severity"] != "info"] == []
