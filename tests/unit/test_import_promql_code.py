"""Queries written as typed helpers only where the helpers render the same PromQL."""

from __future__ import annotations

import promql_parser
import pytest

from obsgen.importers.catalog import Query, infer
from obsgen.importers.promql_code import converter, same_query
from obsgen.model.promql import as_expr

QUERIES = {
    "queue_depth > 100": "QUEUE_DEPTH > 100",
    "max by (queue) (queue_depth)": 'QUEUE_DEPTH.selector().max(by=["queue"])',
    'queue_depth{queue="mail"}': 'QUEUE_DEPTH.where(queue="mail")',
    'sum by (route) (rate(http_requests_total{code="500"}[5m]))':
        'rate(HTTP_REQUESTS_TOTAL.where(code="500"), "5m").sum(by=["route"])',
    "sum(increase(http_requests_total[1h])) > 10":
        'increase(HTTP_REQUESTS_TOTAL, "1h").sum() > 10',
    "histogram_quantile(0.99, sum by (le, job) (rate(http_duration_seconds_bucket[5m])))":
        'histogram_quantile(0.99, HTTP_DURATION_SECONDS, "5m", by=["job"])',
    'max by (queue) (queue_depth{queue=~"m.*"}) >= 3':
        'QUEUE_DEPTH.where(queue=regex("m.*")).max(by=["queue"]) >= 3',
}
# The helpers write every operation that is an operand in parentheses; so does the Python.
QUERIES["rate(http_requests_total[5m]) / rate(http_requests_total[1h]) > 0.5"] = (
    '(rate(HTTP_REQUESTS_TOTAL, "5m") / rate(HTTP_REQUESTS_TOTAL, "1h")) > 0.5')
QUERIES["queue_depth - (queue_depth - 1)"] = (
    "QUEUE_DEPTH - (QUEUE_DEPTH - 1)")
STRINGS = [
    "rate(http_requests_total[5m]) / on (route) group_left rate(http_requests_total[1m])",
    "sum without (code) (rate(http_requests_total[5m]))",
    "queue_depth offset 5m > 1",
    'queue_depth{queue!="a", queue!="b"}',  # one label twice: no keyword arguments for it
    "topk(3, queue_depth)",
    "vector(1)",
    "(queue_depth > 1) == bool 1",
]


@pytest.fixture(scope="module")
def convert():  # type: ignore[no-untyped-def]
    catalog = infer([Query(q, "a.yml") for q in [*QUERIES, *STRINGS]], frozenset())
    return converter(catalog.metrics, catalog.refs())


@pytest.mark.parametrize("query", QUERIES)
def test_common_shapes_become_helpers(convert, query: str) -> None:  # type: ignore[no-untyped-def]
    code = convert(query)
    assert code.text.replace("'", '"') == QUERIES[query]
    assert same_query(as_expr(convert.run(code)).text, query)
    assert {i.module for i in code.imports} <= {"obsgen", ":metrics"}


@pytest.mark.parametrize("query", STRINGS)
def test_other_shapes_stay_strings(convert, query: str) -> None:  # type: ignore[no-untyped-def]
    code = convert(query)
    assert code.text == repr(query) and not code.imports


def test_same_query_ignores_only_parentheses_that_change_nothing() -> None:
    assert same_query("(a / b) > 0.2", "a / b > 0.2")
    assert same_query("sum((a))", "sum(a)")
    assert not same_query("a - (b - c)", "a - b - c")
    assert not same_query("a * (b + c)", "a * b + c")
    assert not same_query("rate(a[5m])", "rate(a[1m])")


def test_a_helper_is_used_only_where_it_renders_the_same_query(convert) -> None:  # type: ignore[no-untyped-def]
    """The helpers render `sum by (route) (...)`; a query the parser would read differently
    (here: a grouping in another order than the helper writes) is kept as text."""
    query = "histogram_quantile(0.5, sum by (job, le) (rate(http_duration_seconds_bucket[5m])))"
    code = convert(query)
    assert code.text == repr(query)
    assert str(promql_parser.parse(query))  # it parses: the text is kept on purpose
