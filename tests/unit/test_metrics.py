"""Catalog model: construction errors raise at once; naming conventions are findings."""

from pathlib import Path

import pytest

from obsgen import Counter, DefinitionError, Gauge, Histogram, Info, Label, Summary
from obsgen.model.metrics import naming_findings, series_names


def codes(metric: object) -> list[str]:
    return [code for code, _, _ in naming_findings(metric)]  # type: ignore[arg-type]


def test_clean_metrics_have_no_findings() -> None:
    assert codes(Counter("jobs_done_total", help="h")) == []
    assert codes(Histogram("job_duration_seconds", help="h", buckets=[1, 2])) == []
    assert codes(Info("build_info", help="h")) == []


@pytest.mark.parametrize(("metric", "code"), [
    (Counter("jobs_done", help="h"), "OBS102"),
    (Gauge("queue_length_total", help="h"), "OBS114"),
    (Gauge("request_milliseconds", help="h"), "OBS103"),
    (Gauge("queue_gauge", help="h"), "OBS104"),
    (Gauge("QueueLength", help="h"), "OBS101"),
    (Histogram("wait_seconds", help="h", labels=["le"], buckets=[1]), "OBS105"),
    (Summary("wait_seconds", help="h", labels=["quantile"]), "OBS105"),
    (Info("build", help="h"), "OBS115"),
    (Gauge("queue_length", help=""), "OBS108"),
])
def test_naming_findings(metric: object, code: str) -> None:
    assert code in codes(metric)


def test_label_declared_twice_raises() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        Counter("x_total", help="h", labels=["a", Label("a")])
    assert excinfo.value.code == "OBS107"


def test_label_values_must_be_strings() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        Label("code", values=[200, 500])  # type: ignore[list-item]
    assert excinfo.value.code == "OBS004"


def test_buckets_must_increase() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        Histogram("x_seconds", help="h", buckets=[1, 0.5])
    assert excinfo.value.code == "OBS112"


def test_gauge_bounds_ordered() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        Gauge("x", help="h", min=5, max=1)
    assert excinfo.value.code == "OBS117"


def test_series_names_of_histogram_and_summary() -> None:
    hist = Histogram("x_seconds", help="h", buckets=[1])
    assert series_names(hist) == {"x_seconds_bucket": ("le",), "x_seconds_sum": (),
                                  "x_seconds_count": ()}
    assert "x_bytes" in series_names(Summary("x_bytes", help="h"))


def test_source_location_is_the_constructing_line() -> None:
    metric = Counter("here_total", help="h")
    assert metric.source.path == __file__
    line = Path(__file__).read_text(encoding="utf-8").splitlines()[metric.source.line - 1]
    assert 'Counter("here_total"' in line
