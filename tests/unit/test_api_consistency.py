"""One API across metrics, selectors and expressions (issue 18, item 1): a metric takes its
selector's query methods, `==`/`!=` never quietly become a Python bool, and ExpectSamples takes
a RecordingRule object as ExpectAlert takes an AlertRule."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RunObsgen
from obsgen import (
    Counter,
    DefinitionError,
    ExpectSamples,
    Gauge,
    Label,
    RecordingRule,
    ScrapeJob,
    rate,
    up,
)

QUEUE = Gauge("app_queue_depth", help="Jobs waiting.", labels=[Label("queue")], min=0)
REQUESTS = Counter("app_requests_total", help="Requests.", labels=[Label("code")])


@pytest.mark.parametrize(("on_metric", "on_selector"), [
    (lambda m: m.sum(by="queue"), lambda s: s.sum(by="queue")),
    (lambda m: m.avg(), lambda s: s.avg()),
    (lambda m: m.count(by=["queue"]), lambda s: s.count(by=["queue"])),
    (lambda m: m <= 0, lambda s: s <= 0),
    (lambda m: m > 10, lambda s: s > 10),
    (lambda m: m >= 1, lambda s: s >= 1),
    (lambda m: m < 1, lambda s: s < 1),
    (lambda m: m.eq(0), lambda s: s.eq(0)),
    (lambda m: m.ne(0), lambda s: s.ne(0)),
    (lambda m: m * 2, lambda s: s * 2),
    (lambda m: m / 2, lambda s: s / 2),
    (lambda m: m + 1, lambda s: s + 1),
    (lambda m: m - 1, lambda s: s - 1),
    (lambda m: m.or_(up(ScrapeJob("app", targets=["a:1"]))),
     lambda s: s.or_(up(ScrapeJob("app", targets=["a:1"])))),
])
def test_a_metric_takes_its_selectors_query_methods(on_metric, on_selector) -> None:  # type: ignore[no-untyped-def]
    assert str(on_metric(QUEUE)) == str(on_selector(QUEUE.selector()))


def test_metric_query_methods_render_promql() -> None:
    assert str(QUEUE.sum(by="queue")) == "sum by (queue) (app_queue_depth)"
    assert str(QUEUE <= 0) == "app_queue_depth <= 0"
    assert str(rate(REQUESTS, "5m").sum() / REQUESTS.count()) == \
        "sum(rate(app_requests_total[5m])) / count(app_requests_total)"


@pytest.mark.parametrize("build", [
    lambda: up(ScrapeJob("app", targets=["a:1"])) == 0,
    lambda: rate(REQUESTS, "5m").sum() == 0,
    lambda: QUEUE == 0,
    lambda: QUEUE.where(queue="jobs") != 1.5,
    lambda: rate(REQUESTS, "5m") == "0",
])
def test_equality_with_a_number_is_refused_not_a_python_bool(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError) as raised:
        build()
    assert raised.value.code == "OBS004"
    assert ".eq(" in (raised.value.hint or "")


def test_objects_still_compare_and_hash_as_values() -> None:
    assert QUEUE.where(queue="a") == QUEUE.where(queue="a")
    assert QUEUE.where(queue="a") != QUEUE.where(queue="b")
    assert rate(REQUESTS, "5m") == rate(REQUESTS, "5m")
    assert len({QUEUE, QUEUE, REQUESTS}) == 2
    assert QUEUE != REQUESTS and QUEUE in [REQUESTS, QUEUE]


def test_expect_samples_takes_a_recording_rule_object() -> None:
    rule = RecordingRule("code:app_requests:rate5m", rate(REQUESTS, "5m").sum(by="code"))
    expectation = ExpectSamples(rule, at="10m", samples=[('{code="500"}', 1.0)])
    assert expectation.query.text == "code:app_requests:rate5m"
    assert expectation.query.labels == frozenset({"code"})


def test_a_comparison_in_definitions_is_an_error_at_the_users_line(
        example_project: Path, obsgen: RunObsgen) -> None:
    alerts = example_project / "definitions" / "alerts.py"
    source = alerts.read_text(encoding="utf-8")
    alerts.write_text(source + "\n\nBROKEN = up(HYPERTOOL_JOB) == 0\n", encoding="utf-8")
    result = obsgen("build", "--output-format", "json", cwd=example_project)
    assert result.exit_code == 1, result.describe()
    (found,) = result.diagnostics()
    assert found["code"] == "OBS004"
    assert found["location"]["path"].endswith("definitions/alerts.py")
    assert found["location"]["line"] == source.count("\n") + 3
    assert "not a PromQL comparison" in found["message"]
