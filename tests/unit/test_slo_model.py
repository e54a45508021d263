"""SLO definitions and what they compile into: windows, scaling, SLI queries, rule layout."""

from __future__ import annotations

import pytest

from obsgen import SLO, BurnRate, Counter, Events, Histogram, Label, Latency, RawRatio, Tier
from obsgen.compile.slo import compile_slos
from obsgen.compile.slo_rules import groups
from obsgen.diagnostics import DefinitionError
from obsgen.model.rules import AlertRule, RecordingRule

REQUESTS = Counter("app_requests_total", help="Requests.",
                   labels=[Label("code", values=("200", "500")), "route"])
FAILURES = Counter("app_failures_total", help="Failures.", labels=["route"])
LATENCY = Histogram("app_request_duration_seconds", help="Latency.", labels=["route"],
                    buckets=[0.1, 0.25, 0.5, 1, 2.5])
ERRORS = Events(errors=REQUESTS.where(code="500"), total=REQUESTS)


def slo(**kwargs: object) -> SLO:
    args: dict[str, object] = {"name": "api", "sli": ERRORS, "objective": 99.9, **kwargs}
    return SLO(**args)  # type: ignore[arg-type]


def rates(s: SLO, tier: str) -> list[tuple[float, str, str]]:
    return [(r.factor, r.long, r.short) for r in s.rates(tier)]


def test_thirty_day_defaults_are_the_workbooks() -> None:
    s = slo()
    assert rates(s, "page") == [(14.4, "1h", "5m"), (6, "6h", "30m")]
    assert rates(s, "ticket") == [(3, "1d", "2h"), (1, "3d", "6h")]
    # Sloth's google-30d windows give these budget shares: 2%, 5%, 10%, 10%.
    shares = [round(r.budget_share("30d"), 4) for t in ("page", "ticket") for r in s.rates(t)]
    assert shares == [0.02, 0.05, 0.1, 0.1]


def test_windows_scale_with_the_slo_window_keeping_factors_and_budget_shares() -> None:
    s = slo(window="7d")
    assert rates(s, "page") == [(14.4, "14m", "5m"), (6, "1h24m", "7m")]
    assert rates(s, "ticket") == [(3, "5h36m", "28m"), (1, "16h48m", "1h24m")]
    shares = [round(r.budget_share("7d"), 3) for t in ("page", "ticket") for r in s.rates(t)]
    assert shares == [0.02, 0.05, 0.1, 0.1]


def test_an_slo_window_too_short_for_the_scaled_defaults_asks_for_rates() -> None:
    with pytest.raises(DefinitionError) as caught:
        slo(window="2d")
    assert caught.value.code == "OBS215"
    assert "1h and 5m scale to 5m and 5m" in caught.value.message
    s = slo(window="2d", page=Tier(rates=[BurnRate(14.4, long="30m", short="5m")]),
            ticket=Tier(rates=[BurnRate(1, long="12h", short="1h")]))
    assert rates(s, "ticket") == [(1, "12h", "1h")]


def test_explicit_rates_are_used_as_written_and_a_tier_can_be_off() -> None:
    s = slo(window="28d", page=Tier(rates=[BurnRate(13.44, long="1h", short="5m")]),
            ticket=False)
    assert rates(s, "page") == [(13.44, "1h", "5m")]
    assert s.rates("ticket") == ()
    made = groups(s, "svc")
    assert [a.name for g in made for a in g.alerts] == ["ApiPageBurnRate"]


def test_error_ratio_is_the_ratio_of_recorded_sums() -> None:
    page, _ = groups(slo(), "svc")
    recorded = {r.name: r.query.text for r in page.rules if isinstance(r, RecordingRule)}
    assert recorded["slo:sli_error:rate5m"] == 'sum(rate(app_requests_total{code="500"}[5m]))'
    assert recorded["slo:sli_total:rate5m"] == "sum(rate(app_requests_total[5m]))"
    assert recorded["slo:sli_error:ratio_rate5m"] == (
        'sum(slo:sli_error:rate5m{slo="api"}) / sum(slo:sli_total:rate5m{slo="api"})')
    assert recorded["slo:objective:ratio"] == "0.999"
    assert recorded["slo:error_budget:ratio"] == "0.001"


def test_period_ratio_sums_numerator_and_denominator_over_the_window() -> None:
    _, ticket = groups(slo(), "svc")
    recorded = {r.name: r.query.text for r in ticket.rules if isinstance(r, RecordingRule)}
    assert recorded["slo:sli_error:ratio_rate30d"] == (
        'sum(sum_over_time(slo:sli_error:rate5m{slo="api"}[30d])) / '
        'sum(sum_over_time(slo:sli_total:rate5m{slo="api"}[30d]))')
    assert ticket.interval == "10m"


def test_page_alert_is_multi_window_multi_burn_rate() -> None:
    page, _ = groups(slo(), "svc")
    (alert,) = page.alerts
    assert isinstance(alert, AlertRule)
    assert alert.query.text == (
        '(sum(slo:sli_error:ratio_rate1h{slo="api"}) > (14.4 * 0.001) and '
        'sum(slo:sli_error:ratio_rate5m{slo="api"}) > (14.4 * 0.001))\nor\n'
        '(sum(slo:sli_error:ratio_rate6h{slo="api"}) > (6 * 0.001) and '
        'sum(slo:sli_error:ratio_rate30m{slo="api"}) > (6 * 0.001))')
    assert alert.severity == "critical"
    assert alert.for_ == "2m30s"
    assert alert.labels["slo"] == "api" and alert.labels["slo_tier"] == "page"


def test_a_window_the_other_group_records_is_computed_in_place() -> None:
    _, ticket = groups(slo(), "svc")
    (alert,) = ticket.alerts
    # 6h is the page group's; a promtool test of the ticket group loads only its own file.
    assert ("(sum(rate(app_requests_total{code=\"500\"}[6h]))) / "
            "(sum(rate(app_requests_total[6h]))) > (1 * 0.001)") in alert.query.text
    assert 'sum(slo:sli_error:ratio_rate3d{slo="api"}) > (1 * 0.001)' in alert.query.text


def test_good_events_and_latency_count_the_complement() -> None:
    good = Events(good=REQUESTS.where(code="200"), total=REQUESTS)
    assert good.error_rate("5m") == ('sum(rate(app_requests_total[5m])) - '
                                     'sum(rate(app_requests_total{code="200"}[5m]))')
    lat = Latency(LATENCY.where(route="/a"), threshold=1)
    assert lat.error_rate("5m") == (
        'sum(rate(app_request_duration_seconds_count{route="/a"}[5m])) - '
        'sum(rate(app_request_duration_seconds_bucket{route="/a",le=~"1|1\\\\.0"}[5m]))')
    assert Latency(LATENCY, threshold=0.25).le_matcher() == 'le="0.25"'


def test_raw_ratio_takes_a_window_placeholder() -> None:
    raw = RawRatio(errors="sum(rate(x_total{c='5'}[{{window}}]))",
                   total="sum(rate(x_total[{{window}}]))")
    assert raw.error_rate("1h") == "sum(rate(x_total{c='5'}[1h]))"
    with pytest.raises(DefinitionError) as caught:
        RawRatio(errors="sum(rate(x_total[5m]))", total="sum(rate(x_total[{{window}}]))")
    assert caught.value.code == "OBS004"


def test_nearest_buckets_below_and_above_the_threshold() -> None:
    with pytest.raises(DefinitionError) as caught:
        Latency(LATENCY, threshold=0.3)
    assert caught.value.code == "OBS216"
    assert caught.value.hint is not None and "0.25 and 0.5" in caught.value.hint


def test_errors_on_another_metric_need_its_filters_on_the_total() -> None:
    Events(errors=FAILURES.where(route="/a"), total=REQUESTS.where(route="/a"))
    with pytest.raises(DefinitionError) as caught:
        Events(errors=FAILURES, total=REQUESTS.where(route="/a"))
    assert caught.value.code == "OBS218"


def test_compiled_slo_gives_groups_tests_runbooks_and_one_dashboard_per_service() -> None:
    made = compile_slos([slo(), slo(name="api-latency", sli=Latency(LATENCY, threshold=0.5))],
                        "svc")
    assert not made.diagnostics
    assert [g.name for g in made.groups] == ["slo-api", "slo-api-ticket", "slo-api-latency",
                                             "slo-api-latency-ticket"]
    # Per tier and condition, one incident just above and one just below the factor.
    assert len(made.tests) == 16
    assert len(made.runbooks) == 4
    assert [d.uid for d in made.dashboards] == ["slo-svc"]
    above = next(t for t in made.tests if "just above 14.4x" in t.name)
    assert above.alerts[0].firing == ()  # silent at 90% of the detection time
    assert above.alerts[-1].firing  # firing once the long window is full of the incident


def test_same_definitions_compile_to_the_same_rules() -> None:
    one = [r.query.text for g in groups(slo(), "svc") for r in g.rules]
    two = [r.query.text for g in groups(slo(), "svc") for r in g.rules]
    assert one == two


def test_raw_ratios_of_the_common_shape_get_generated_tests() -> None:
    raw = RawRatio(errors='sum(rate(app_requests_total{code=~"5.."}[{{window}}]))',
                   total="sum(rate(app_requests_total[{{window}}]))")
    made = compile_slos([slo(sli=raw)], "svc")
    assert len(made.tests) == 8
    series = {s.text for t in made.tests for s in t.series}
    # A bad series the regex matches, and the rest of the traffic on a value it does not.
    assert series == {'app_requests_total{code="5.."}', 'app_requests_total{code="obsgen-other"}'}
    good = RawRatio(errors="sum(rate(jobs_total[{{window}}])) - sum(rate(jobs_ok_total"
                           "[{{window}}]))", total="sum(rate(jobs_total[{{window}}]))")
    assert len(compile_slos([slo(sli=good)], "svc").tests) == 8
    other = RawRatio(ratio="1 - avg_over_time(up[{{window}}])")
    assert compile_slos([slo(sli=other)], "svc").tests == ()
