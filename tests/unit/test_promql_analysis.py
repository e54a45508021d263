"""obsgen.check.promql.analysis.analyse: selectors, ranges, functions, groupings, matching,
comparisons, result labels and positions in the original text, with Grafana macros substituted."""

from __future__ import annotations

import pytest

from obsgen.check.promql.analysis import analyse, substitute


def test_selector_with_matchers_range_offset_and_enclosing_operations() -> None:
    text = 'sum by (job) (rate(http_requests_total{code=~"5..",path!="/"}[5m] offset 1m))'
    a = analyse(text)
    assert a.ok
    (sel,) = a.selectors
    assert sel.name == "http_requests_total"
    assert [(m.label, m.op, m.value) for m in sel.matchers] == [("code", "=~", "5.."),
                                                                ("path", "!=", "/")]
    assert (sel.range, sel.range_text, sel.offset) == (300.0, "5m", 60.0)
    assert sel.functions == ("rate",) and sel.aggregations == ("sum",)
    assert text.index("http_requests_total") == sel.position
    (agg,) = a.aggregations
    assert (agg.op, agg.by, agg.without, agg.position) == ("sum", ("job",), None, 0)


def test_name_given_by_the___name___matcher() -> None:
    (sel,) = analyse('{__name__="up", job="api"}').selectors
    assert sel.name == "up"
    assert [(m.label, m.value) for m in sel.matchers] == [("job", "api")]


def test_grafana_macros_are_substituted_and_positions_map_back() -> None:
    text = ('sum by (le) (rate(lat_bucket{job="$job", ns=~"${ns:regex}"}[$__rate_interval]))'
            ' / $__range_s + rate(foo[[[interval]]])')
    a = analyse(text)
    assert a.ok, a.error
    lat, foo = a.selectors
    assert lat.range_text == "$__rate_interval"
    assert foo.range_text == "[[interval]]"
    assert text[foo.position:].startswith("foo")
    assert lat.matcher("job") is not None and lat.matcher("job").templated  # type: ignore[union-attr]


def test_a_variable_in_a_metric_name_marks_the_selector_templated() -> None:
    (sel,) = analyse("rate(node_${resource}_total[5m])").selectors
    assert sel.templated and sel.name is None


@pytest.mark.parametrize("text", ["topk($n, foo)", "sum by ($label) (foo)", "foo > $threshold",
                                  "rate(foo[$__interval:$__interval])"])
def test_variables_in_numbers_groupings_and_subqueries_parse(text: str) -> None:
    assert analyse(text).ok, analyse(text).error


def test_substitution_leaves_strings_and_comments_alone() -> None:
    text = 'foo{a="$x"} # costs $__range\n'
    assert substitute(text).text == text


def test_parse_error_is_data_not_an_exception() -> None:
    a = analyse("sum(rate(foo[5m])")
    assert not a.ok and a.error is not None
    assert "parenthesis" in a.error.message
    assert a.selectors == ()


def test_vector_matching_is_recorded() -> None:
    a = analyse("a * on (x, y) group_left (z) b")
    (m,) = a.matchings
    assert (m.op, m.cardinality, m.on, m.ignoring, m.include) == ("*", "many-to-one",
                                                                 ("x", "y"), None, ("z",))


def test_comparison_with_a_constant_is_normalised_vector_first() -> None:
    (c,) = analyse("0 > max(budget)").comparisons
    assert (c.op, c.value, c.source, c.summed) == ("<", 0.0, 0, False)
    (c,) = analyse("sum(budget) <= 5").comparisons
    assert c.summed
    (c,) = analyse("rate(x_total[5m]) > 1").comparisons
    assert c.source is None  # rate changes the values: no bound applies


@pytest.mark.parametrize(("text", "lacks", "may_carry"), [
    ("sum by (a) (foo)", {"b", "le"}, {"a"}),
    ("sum without (a) (foo)", {"a"}, {"b"}),
    ("foo", set(), {"anything"}),
    ("a / on (x) b", {"y"}, {"x"}),
    ("a / ignoring (x) b", {"x"}, {"y"}),
    ("a * on (x) group_left (z) b", set(), {"y", "z"}),
    ('label_replace(sum by (a) (foo), "dst", "$1", "a", "(.*)")', {"b"}, {"a", "dst"}),
    ('absent(foo{job="x", mode=~"a|b"})', {"mode"}, {"job"}),
    ("histogram_quantile(0.9, sum by (le, a) (rate(x_bucket[5m])))", {"le"}, {"a"}),
    ("sum by (a) (foo) or sum by (b) (bar)", {"c"}, {"a", "b"}),
    ('count_values("version", build_info)', {"job"}, {"version"}),
    ("vector(1)", {"job"}, set()),
])
def test_result_labels(text: str, lacks: set[str], may_carry: set[str]) -> None:
    a = analyse(text)
    assert a.output is not None
    carried = a.carried(a.output)
    assert all(carried.lacks(label) for label in lacks)
    assert not any(carried.lacks(label) for label in may_carry)


def test_result_labels_with_a_catalog_resolver() -> None:
    a = analyse("sum without (code) (rate(req_total[5m]))")
    assert a.output is not None
    carried = a.carried(a.output, lambda s: frozenset({"code", "path", "job"}))
    assert carried.upper == frozenset({"path", "job"})


def test_histogram_quantile_call_records_its_argument() -> None:
    a = analyse("histogram_quantile(0.9, sum(rate(x_bucket[5m])))")
    call = next(c for c in a.calls if c.name == "histogram_quantile")
    assert call.argument is not None and a.carried(call.argument).lacks("le")
    assert call.selectors == (0,)


def test_results_are_cached_by_text() -> None:
    assert analyse("up == 0") is analyse("up == 0")


def test_comment_words_do_not_steal_selector_positions() -> None:
    text = "# foo is great\nfoo > 1"
    (sel,) = analyse(text).selectors
    assert sel.position == text.index("foo >")
    assert analyse(text).line_column(sel.position) == (1, 0)
