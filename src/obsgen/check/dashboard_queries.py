"""Every panel query against the catalog before anything is emitted: it parses, and each
selector names a catalog series with declared labels and values. Helper-built queries were
checked as they were written; this catches raw PromQL strings and metrics defined outside the
catalog, at the panel's line."""

from __future__ import annotations

import re
from collections.abc import Iterator

import promql_parser as pp

from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.catalog import Catalog
from obsgen.model.project import Project

# MatchOp values are not hashable, so this is a list of pairs rather than a dict.
_MATCH_OPS = ((pp.MatchOp.Equal, "="), (pp.MatchOp.NotEqual, "!="), (pp.MatchOp.Re, "=~"),
              (pp.MatchOp.NotRe, "!~"))
_RANGE = re.compile(r"\[([^\]\[]*)\]")
_TEMPLATE = re.compile(r"\$\{\w+(?::[^}]*)?\}|\$\w+|\[\[\w+\]\]")


def parseable(text: str) -> str:
    """Grafana macros and variables replaced by stand-ins PromQL accepts: a duration inside a
    range, a number elsewhere; variables inside quoted label values stay as they are."""
    text = _RANGE.sub(lambda m: "[" + _TEMPLATE.sub("5m", m.group(1)) + "]", text)
    parts = re.split(r'("(?:[^"\\]|\\.)*")', text)
    return "".join(p if p.startswith('"') else _TEMPLATE.sub("1", p) for p in parts)


def selectors(node: object) -> Iterator[pp.VectorSelector]:
    if isinstance(node, pp.VectorSelector):
        yield node
    elif isinstance(node, pp.MatrixSelector):
        yield node.vector_selector
    elif isinstance(node, pp.Call):
        for arg in node.args:
            yield from selectors(arg)
    elif isinstance(node, pp.BinaryExpr):
        yield from selectors(node.lhs)
        yield from selectors(node.rhs)
    elif isinstance(node, pp.AggregateExpr | pp.ParenExpr | pp.UnaryExpr | pp.SubqueryExpr):
        yield from selectors(node.expr)


def _op(op: object) -> str:
    return next(text for value, text in _MATCH_OPS if value == op)


def check_query(text: str, where: Location, catalog: Catalog) -> Iterator[Diagnostic]:
    try:
        tree = pp.parse(parseable(text))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the Rust parser may panic (a BaseException) on odd input
        yield Diagnostic.of("OBS610", f"panel query does not parse: {exc}", where,
                            f"the query is: {text}")
        return
    for vs in selectors(tree):
        if not vs.name:
            continue
        matchers = [(m.name, _op(m.op), m.value) for m in vs.matchers.matchers]
        for code, message, hint in catalog.check_selector(vs.name, matchers):
            yield Diagnostic.of(code, message, where, hint)


def check_dashboard_queries(project: Project) -> list[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    return [found for d in project.dashboards for text, where in d.queries()
            for found in check_query(text, where, catalog)]
