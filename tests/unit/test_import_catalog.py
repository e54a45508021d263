"""The catalog an import infers from queries, and metrics.py as written from it."""

from __future__ import annotations

from obsgen.importers.catalog import Query, given, infer
from obsgen.importers.metrics_module import metrics_module
from obsgen.model.metrics import Counter, Gauge, Histogram, Label, Summary


def _by_name(queries: list[str], recorded: frozenset[str] = frozenset(), **expected: str
             ) -> dict[str, object]:
    catalog = infer([Query(q, "rules/app.yml", tuple(expected.get("labels", "").split()))
                     for q in queries], recorded)
    return {m.name: m for m in catalog.metrics}


def test_types_from_suffix_and_functions() -> None:
    found = _by_name([
        'sum by (route) (rate(http_requests_total{code="500"}[5m]))',
        "histogram_quantile(0.9, sum by (le) (rate(http_duration_seconds_bucket[5m])))",
        "rate(rpc_latency_seconds_sum[5m]) / rate(rpc_latency_seconds_count[5m])",
        "rate(node_cpu[5m])",
        "queue_depth > 3",
    ])
    assert isinstance(found["http_requests_total"], Counter)
    assert isinstance(found["http_duration_seconds"], Histogram)  # the base name
    assert "http_duration_seconds_bucket" not in found
    assert isinstance(found["rpc_latency_seconds"], Summary)
    assert isinstance(found["node_cpu"], Counter)  # read with rate(), whatever its name
    assert isinstance(found["queue_depth"], Gauge)


def test_labels_matched_grouped_joined_and_read_by_templates() -> None:
    found = _by_name(['sum by (route) (rate(http_requests_total{code="500",job="a"}[5m]))'
                      " / on (route) group_left (team) owner_info"], labels="pod")
    labels = [lab.name for lab in found["http_requests_total"].labels]  # type: ignore[attr-defined]
    # job and instance are every series' own; the template's `pod` must be carried too.
    assert labels == ["code", "pod", "route", "team"]


def test_recorded_series_up_and_alerts_are_no_catalog_metrics() -> None:
    found = _by_name(["job:errors:rate5m > 0 and up == 1 and ALERTS", "sum(rate(x_total[1m]))"],
                     recorded=frozenset({"other_recorded"}))
    assert list(found) == ["x_total"]


def test_inferred_entries_carry_a_review_note_and_break_naming_rules_visibly() -> None:
    catalog = infer([Query('node_memory_MemFree_bytes{instance="a"} < 100', "rules/node.yml")],
                    frozenset())
    # Unformatted (the run formats every module with ruff): compare with one kind of quote.
    source = metrics_module(catalog, "inferred from the imported queries").source.replace(
        "'", '"')
    assert "# review: inferred from node.yml: gauge" in source
    # The exporter's name is not snake_case and has no help: said on its line, not renamed.
    assert '"node_memory_MemFree_bytes"' in source
    assert "# obsgen: noqa OBS101, OBS108" in source


def test_a_given_catalog_is_written_as_given() -> None:
    metric = Gauge("queue_depth", help="Jobs waiting.", labels=(
        Label("queue", values=("mail", "sms")),))
    source = metrics_module(given([metric]), "from metrics.txt").source.replace("'", '"')
    assert "review" not in source and "noqa" not in source
    assert 'Label("queue", values=["mail", "sms"])' in source
    assert 'help="Jobs waiting."' in source
