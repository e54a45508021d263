"""Rule-test checks: every input series is a catalog series with declared labels and values,
and every expected alert is defined in a group."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser

from obsgen.check.promql.parse import TooDeepError, parse_checked
from obsgen.diagnostics import Diagnostic
from obsgen.emit.annotations import TemplateError, expected_annotations, expected_labels
from obsgen.model.catalog import Catalog
from obsgen.model.project import Project
from obsgen.model.ruletests import ExpectAlert, Firing, RuleTest, Series

# MatchOp is not hashable; its repr is "MatchOp.<Name>".
_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}


def parse_series(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Metric name and (label, op, value) matchers of a promtool input series."""
    try:
        node = parse_checked(text)
    except TooDeepError as exc:  # no series selector is this deep; never hand it to the parser
        raise ValueError(str(exc)) from None
    if not isinstance(node, promql_parser.VectorSelector):
        raise ValueError("an input series is a selector like metric{label=\"value\"}")
    matchers = [(m.name, _OPS[repr(m.op).rpartition(".")[2]], m.value)
                for m in node.matchers.matchers]
    name = node.name or next((v for n, _, v in matchers if n == "__name__"), "")
    return name, matchers


def _series_findings(series: Series, catalog: Catalog) -> Iterator[Diagnostic]:
    try:
        name, matchers = parse_series(series.text)
    except ValueError as exc:
        yield Diagnostic.of("OBS208", f"input series {series.text!r} does not parse: {exc}",
                            series.source, 'write metric{label="value", ...}')
        return
    for code, message, hint in catalog.check_selector(name, matchers):
        yield Diagnostic.of(code, f"rule test series: {message}", series.source, hint)


def _test_findings(test: RuleTest, project: Project, catalog: Catalog) -> Iterator[Diagnostic]:
    for series in test.series:
        yield from _series_findings(series, catalog)
    for expectation in test.alerts:
        if project.group_of(expectation.alert) is None:
            yield Diagnostic.of("OBS209", f"test {test.name!r} expects {expectation.alert.name}, "
                                "which is in no rule group", expectation.source,
                                "add the alert to a RuleGroup")
            continue
        for firing in expectation.firing:
            yield from _template_findings(project, expectation, firing)


def _template_findings(project: Project, expectation: ExpectAlert, firing: Firing
                       ) -> Iterator[Diagnostic]:
    """OBS210 for each label or annotation template the firing leaves unexpandable."""
    try:
        expected_labels(expectation.alert, firing)
    except TemplateError as exc:
        yield Diagnostic.of("OBS210", str(exc), expectation.source,
                            "give that label's expanded value in the test, under its name: "
                            'Firing(labels={..., "team": "..."})')
    try:
        expected_annotations(project, expectation.alert, firing)
    except TemplateError as exc:
        yield Diagnostic.of("OBS210", str(exc), expectation.source,
                            "give that annotation's expanded text in the test: "
                            'Firing(labels={...}, annotations={"description": "..."})')


def check_rule_tests(project: Project) -> list[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    return [d for test in project.tests for d in _test_findings(test, project, catalog)]
