"""The typed PromQL helpers render what they should and refuse what the catalog forbids."""

import promql_parser
import pytest

from obsgen import (
    Counter,
    DefinitionError,
    Gauge,
    Histogram,
    Label,
    ScrapeJob,
    Summary,
    absent,
    histogram_quantile,
    increase,
    predict_linear,
    rate,
    regex,
    topk,
    up,
)

RESULT = Label("result", values=("passed", "failed"))
GATES = Counter("gates_total", help="h", labels=[Label("workflow"), RESULT])
BUDGET = Gauge("budget_remaining", help="h", labels=[Label("persona", values=("a", "b"))], min=0)
LATENCY = Histogram("latency_seconds", help="h", labels=["route"], buckets=[0.1, 1])
SIZES = Summary("size_bytes", help="h", labels=["route"])


def code_of(excinfo: pytest.ExceptionInfo[DefinitionError]) -> str:
    return excinfo.value.code


def test_where_renders_matchers_in_given_order() -> None:
    sel = GATES.where(result="failed", workflow="deploy")
    assert str(sel) == 'gates_total{result="failed",workflow="deploy"}'


def test_where_escapes_quotes_and_backslashes() -> None:
    sel = GATES.where(workflow='say "hi" \\ bye')
    parsed = promql_parser.parse(str(sel))
    assert parsed.matchers.matchers[0].value == 'say "hi" \\ bye'


def test_undeclared_value_is_refused_with_suggestion() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        GATES.where(result="fail")
    assert code_of(excinfo) == "OBS110"
    assert excinfo.value.hint is not None and "'failed'" in excinfo.value.hint


def test_undeclared_label_is_refused() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        GATES.where(stage="x")
    assert code_of(excinfo) == "OBS109"


def test_regex_must_hit_a_declared_value() -> None:
    assert str(GATES.where(result=regex("pass.*"))) == 'gates_total{result=~"pass.*"}'
    with pytest.raises(DefinitionError) as excinfo:
        GATES.where(result=regex("fail"))
    assert code_of(excinfo) == "OBS110"


def test_target_labels_and_grafana_variables_pass() -> None:
    job = ScrapeJob("app", targets=["localhost:1"])
    assert str(GATES.where(job=job)) == 'gates_total{job="app"}'
    assert str(GATES.where(result=regex("$result"))) == 'gates_total{result=~"$result"}'


def test_rate_on_gauge_is_refused() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        rate(BUDGET, "5m")
    assert code_of(excinfo) == "OBS111"


def test_rate_defaults_to_grafana_rate_interval() -> None:
    assert str(rate(GATES)) == "rate(gates_total[$__rate_interval])"
    assert str(increase(GATES, "1h")) == "increase(gates_total[1h])"


def test_rate_window_must_be_a_duration() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        rate(GATES, "5 minutes")
    assert code_of(excinfo) == "OBS201"


def test_histogram_quantile_groups_by_le_and_requested_labels() -> None:
    text = str(histogram_quantile(0.95, LATENCY, "5m", by="route"))
    assert text == ("histogram_quantile(0.95, sum by (le, route) "
                    "(rate(latency_seconds_bucket[5m])))")
    promql_parser.parse(text)


def test_histogram_quantile_on_counter_or_summary_is_refused() -> None:
    for metric in (GATES, SIZES):
        with pytest.raises(DefinitionError) as excinfo:
            histogram_quantile(0.5, metric, "5m")
        assert code_of(excinfo) == "OBS111"


def test_rate_on_histogram_and_summary_uses_counter_series() -> None:
    assert str(rate(LATENCY, "5m")) == "rate(latency_seconds_bucket[5m])"
    assert str(rate(SIZES, "5m")) == "rate(size_bytes_count[5m])"


def test_series_of_histogram_and_summary() -> None:
    assert str(LATENCY.series("bucket").where(le="+Inf")) == 'latency_seconds_bucket{le="+Inf"}'
    assert str(SIZES.series("count")) == "size_bytes_count"
    for metric, part in ((SIZES, "bucket"), (GATES, "sum")):
        with pytest.raises(DefinitionError) as excinfo:
            metric.series(part)
        assert code_of(excinfo) == "OBS111"


def test_grouping_by_a_label_the_series_lacks_is_refused() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        rate(GATES, "5m").sum(by="persona")
    assert code_of(excinfo) == "OBS109"
    with pytest.raises(DefinitionError):
        rate(GATES, "5m").sum(by="workflow").sum(by="result")


def test_binary_expressions_parse_and_keep_left_labels() -> None:
    ratio = rate(GATES.where(result="failed"), "5m").sum(by="workflow") / rate(
        GATES, "5m").sum(by="workflow")
    alert = ratio > 0.2
    assert alert.labels == frozenset({"workflow"})
    parsed = promql_parser.parse(str(alert))
    assert isinstance(parsed, promql_parser.BinaryExpr)


def test_set_operators_and_absent_render_valid_promql() -> None:
    job = ScrapeJob("app")
    expr = up(job).eq(0).or_(absent(up(job)))
    assert str(expr) == '(up{job="app"} == 0) or absent(up{job="app"})'
    assert expr.labels is not None and "job" in expr.labels
    promql_parser.parse(str(expr))


def test_predict_linear_only_on_gauges() -> None:
    assert str(predict_linear(BUDGET, "30m", 3600)) == (
        "predict_linear(budget_remaining[30m], 3600)")
    with pytest.raises(DefinitionError):
        predict_linear(GATES, "30m", 3600)


def test_topk_renders_parameter_first() -> None:
    assert str(topk(5, rate(GATES, "5m").sum(by="workflow"))) == (
        "topk(5, sum by (workflow) (rate(gates_total[5m])))")


def test_number_formatting_is_stable() -> None:
    assert str(BUDGET.selector() <= 0) == "budget_remaining <= 0"
    assert str(BUDGET.selector() > 0.25) == "budget_remaining > 0.25"
