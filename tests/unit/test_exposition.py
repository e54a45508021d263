"""The catalog read from a Prometheus exposition-format scrape (`obsgen lint --catalog FILE`)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, Summary
from prometheus_client.exposition import generate_latest

from obsgen.check.exposition import parse_exposition

SCRAPE = """\
# HELP http_requests_total Requests served.\\nBy method and code.
# TYPE http_requests_total counter
http_requests_total{method="GET",code="200"} 1027
http_requests_total{method="POST",code="500"} 3 1395066363000

# HELP request_seconds Request latency.
# TYPE request_seconds histogram
request_seconds_bucket{route="/a",le="0.1"} 10
request_seconds_bucket{route="/a",le="1"} 12
request_seconds_bucket{route="/a",le="+Inf"} 13
request_seconds_sum{route="/a"} 3.5
request_seconds_count{route="/a"} 13
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 0.2
rpc_seconds{quantile="0.99"} 1.5
rpc_seconds_sum 100
rpc_seconds_count 400
# TYPE queue_depth gauge
queue_depth{queue="a \\"quoted\\" name"} 4
some_untyped_thing 1
"""


def test_families_types_help_labels_and_lines() -> None:
    exposition = parse_exposition(SCRAPE, "metrics.txt")
    assert exposition.diagnostics == ()
    metrics = {m.name: m for m in exposition.catalog.metrics}
    assert {n: m.kind for n, m in metrics.items()} == {
        "http_requests_total": "counter", "request_seconds": "histogram",
        "rpc_seconds": "summary", "queue_depth": "gauge", "some_untyped_thing": "untyped"}
    counter = metrics["http_requests_total"]
    assert counter.help == "Requests served.\nBy method and code."
    assert counter.label_names == ("code", "method")
    assert (counter.source.path, counter.source.line) == ("metrics.txt", 1)
    histogram = metrics["request_seconds"]
    assert histogram.label_names == ("route",)  # `le` belongs to the _bucket series only
    assert histogram.buckets == (0.1, 1.0)  # type: ignore[attr-defined]
    assert histogram.source.line == 6
    assert metrics["rpc_seconds"].label_names == ()  # `quantile` is the summary's own
    assert metrics["queue_depth"].labels[0].description == (
        'values seen in the scrape: a "quoted" name')
    assert metrics["some_untyped_thing"].source.line == 20
    assert exposition.catalog.jobs == ()


def test_catalog_answers_queries_with_open_label_values() -> None:
    catalog = parse_exposition(SCRAPE, "metrics.txt").catalog
    assert list(catalog.check_selector("request_seconds_bucket", [("le", "=", "0.5")])) == []
    assert list(catalog.check_selector("rpc_seconds", [("quantile", "=", "0.9")])) == []
    # A value the scrape did not show is not an error: a scrape is not the closed set.
    assert list(catalog.check_selector("http_requests_total", [("code", "=", "503")])) == []
    [(code, _, hint)] = catalog.check_selector("http_request_total", [])
    assert (code, hint) == ("OBS116", "did you mean 'http_requests_total'?")
    [(code, message, _)] = catalog.check_selector("queue_depth", [("route", "=", "/")])
    assert code == "OBS109" and "route" in message
    [(code, _, _)] = catalog.check_selector("request_seconds", [])
    assert code == "OBS116"  # a histogram's own name is no series


def test_counter_keeps_its_series_name_without_total() -> None:
    # prometheus_client's family parser would rename this series to foo_total.
    catalog = parse_exposition("# TYPE foo counter\nfoo 1\n", "m.txt").catalog
    assert [(m.name, m.kind) for m in catalog.metrics] == [("foo", "counter")]


def test_histogram_with_only_the_inf_bucket() -> None:
    text = '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 0\nh_count 1\n'
    exposition = parse_exposition(text, "m.txt")
    assert exposition.diagnostics == ()
    [metric] = exposition.catalog.metrics
    assert (metric.kind, metric.buckets) == ("histogram", ())  # type: ignore[attr-defined]


def test_a_scrape_written_by_prometheus_client() -> None:
    registry = CollectorRegistry()
    Counter("jobs_done", "Jobs done.", ["queue"], registry=registry).labels("q1").inc()
    Gauge("temperature_celsius", "Temperature.", registry=registry).set(21)
    Histogram("work_seconds", "Work time.", buckets=(0.5, 2), registry=registry).observe(1)
    Summary("payload_bytes", "Payload size.", registry=registry).observe(10)
    Info("build", "Build info.", registry=registry).info({"version": "1.2"})
    text = generate_latest(registry).decode()
    exposition = parse_exposition(text, "m.txt")
    assert exposition.diagnostics == ()
    series = exposition.catalog.series
    for name in ("jobs_done_total", "temperature_celsius", "work_seconds_bucket",
                 "work_seconds_sum", "payload_bytes_count", "build_info"):
        assert name in series, name
    assert series["jobs_done_total"].metric is not None
    assert series["jobs_done_total"].metric.kind == "counter"
    assert "queue" in series["jobs_done_total"].labels


def test_syntax_errors_each_at_its_line_and_the_rest_still_read() -> None:
    text = "\n".join([
        "# TYPE good gauge",           # 1
        "good 1",                      # 2
        'bad_labels{x=1} 2',           # 3
        "bad_value abc",               # 4
        "# TYPE weird frobnicator",    # 5
        "# HELP 9starts_with_digit x", # 6
        "# TYPE good counter",         # 7: a second TYPE
        "1abc 1",                      # 8
        "",
    ])
    exposition = parse_exposition(text, "m.txt")
    found = [(d.code, d.location.line if d.location else None) for d in exposition.diagnostics]
    assert found == [("OBS964", 3), ("OBS964", 4), ("OBS964", 5), ("OBS964", 6), ("OBS964", 7),
                     ("OBS964", 8)]
    assert all(d.hint for d in exposition.diagnostics)
    assert [m.name for m in exposition.catalog.metrics] == ["good"]
    assert exposition.catalog.metrics[0].kind == "gauge"


def test_no_metric_at_all_is_a_finding() -> None:
    exposition = parse_exposition("# just a comment\n# EOF\n", "m.txt")
    [diagnostic] = exposition.diagnostics
    assert diagnostic.code == "OBS964" and "no metric" in diagnostic.message
