"""What a PromQL expression reads and how: its selectors, the functions and aggregations around
them, its vector matching, its comparisons with a constant, and which labels its result carries.

Parsing is the `promql-parser` package's, guarded by check.promql.parse so that no text can
overflow the stack; this module only walks its tree. Grafana macros and template variables
(`$__rate_interval`, `$var`, `${var:csv}`, `[[var]]`) are replaced with parseable stand-ins
first, and every position reported points into the ORIGINAL text (check.promql.cursor).
A parse failure, or an expression too deep to analyse, is data (`Analysis.error`), never an
exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial

import promql_parser as pp

from obsgen.check.promql import parse as guard
from obsgen.check.promql.cursor import Cursor
from obsgen.check.promql.grafana_macros import STAND_IN_NAME, Substituted, substitute
from obsgen.check.promql.labelflow import (
    Adding,
    Anything,
    Carried,
    Either,
    Fixed,
    FromSelector,
    Grouping,
    Keeping,
    LabelFlow,
    Without,
)
from obsgen.check.promql.parse_errors import error_position
from obsgen.check.promql.records import (
    Aggregation,
    Analysis,
    Call,
    Comparison,
    LabelMatcher,
    Matching,
    ParseError,
    Selector,
)

__all__ = ["Aggregation", "Analysis", "Call", "Carried", "Comparison", "LabelFlow",
           "LabelMatcher", "Matching", "ParseError", "Selector", "analyse", "substitute"]

COMPARISONS = {"==", "!=", ">", "<", ">=", "<="}
SET_OPERATORS = {"and", "or", "unless"}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
_WRAPPERS = (pp.ParenExpr, pp.SubqueryExpr)
_EMPTY: frozenset[str] = frozenset()


def _match_op(op: pp.MatchOp) -> str:
    # The parser's enums are not hashable, and identity tests are the cheapest look-up.
    if op is pp.MatchOp.Equal:
        return "="
    if op is pp.MatchOp.NotEqual:
        return "!="
    return "=~" if op is pp.MatchOp.Re else "!~"
# Aggregations that return samples of their input, labels untouched.
_SELECTING_AGGREGATIONS = {"topk", "bottomk", "limitk", "limit_ratio"}
# What keeps a gauge's declared bounds: the value of one of its samples, or an average of them.
_VALUE_KEEPING_AGGREGATIONS = {"min", "max", "avg", "topk", "bottomk", "quantile", "limitk"}
_VALUE_KEEPING_FUNCTIONS = {"min_over_time", "max_over_time", "avg_over_time", "last_over_time",
                            "quantile_over_time", "sort", "sort_desc"}


# --- the walk ---------------------------------------------------------------------------------

_CARDINALITY = {"VectorMatchCardinality.OneToOne": "one-to-one",
                "VectorMatchCardinality.ManyToOne": "many-to-one",
                "VectorMatchCardinality.OneToMany": "one-to-many",
                "VectorMatchCardinality.ManyToMany": "many-to-many"}

_Source = tuple[int, bool] | None  # (selector index, summed) feeding a value unchanged


@dataclass(slots=True)
class _Walk:
    original: str
    sub: Substituted
    cursor: Cursor
    selectors: list[Selector]
    aggregations: list[Aggregation]
    calls: list[Call]
    matchings: list[Matching]
    comparisons: list[Comparison]

    def at(self, position: int) -> int:
        return self.sub.original(position)

    def node(self, expr: pp.Expr, functions: tuple[str, ...], aggs: tuple[str, ...]
             ) -> tuple[LabelFlow, bool, _Source]:
        """Walk `expr`: returns the labels its result carries, whether it is a scalar, and the
        selector whose values it passes through unchanged (for bound checks)."""
        if isinstance(expr, pp.VectorSelector):
            index = self.selector(expr, None, functions, aggs)
            return FromSelector(index), False, (index, False)
        if isinstance(expr, pp.MatrixSelector):
            index = self.selector(expr.vector_selector, expr.range, functions, aggs)
            return FromSelector(index), False, (index, False)
        if isinstance(expr, pp.Call):
            return self.call(expr, functions, aggs)
        if isinstance(expr, pp.BinaryExpr):
            return self.binary(expr, functions, aggs)
        if isinstance(expr, pp.AggregateExpr):
            return self.aggregate(expr, functions, aggs)
        if isinstance(expr, _WRAPPERS):
            return self.node(expr.expr, functions, aggs)
        if isinstance(expr, pp.UnaryExpr):
            flow, scalar, _ = self.node(expr.expr, functions, aggs)
            return flow, scalar, None
        return Fixed(frozenset()), isinstance(expr, pp.NumberLiteral), None

    def selector(self, vs: pp.VectorSelector, window: timedelta | None, functions: tuple[str, ...],
                 aggs: tuple[str, ...]) -> int:
        written = name = vs.name
        matchers = []
        given = vs.matchers
        for m in given.matchers:
            label, op = m.name, _match_op(m.op)
            if label == "__name__" and op == "=" and name is None:
                name = m.value
                continue
            matchers.append(LabelMatcher(label, op, m.value))
        for group in given.or_matchers:
            matchers.extend(LabelMatcher(m.name, _match_op(m.op), m.value) for m in group)
        position = self.cursor.find(written) if written else self.cursor.find("{")
        templated = bool(written) and bool(self.sub.spans) and self.sub.touches(
            position, position + len(written or ""))
        if templated or (name and STAND_IN_NAME in name):
            templated, name = True, None
        range_seconds = range_text = None
        if window is not None:
            range_seconds = window.total_seconds()
            range_text = self.range_text(position)
        shift = vs.offset
        offset = shift.total_seconds() if shift is not None else None
        self.selectors.append(Selector(name, tuple(matchers), self.at(position), range_seconds,
                                       range_text, offset, functions, aggs, templated))
        return len(self.selectors) - 1

    def range_text(self, position: int) -> str | None:
        start = self.cursor.after("[", position)
        end = self.cursor.after("]", start) if start is not None else None
        if start is None or end is None:
            return None
        return self.original_slice(start + 1, end).strip()

    def original_slice(self, start: int, end: int) -> str:
        return self.original[self.at(start):self.sub.original_end(end)] if end > start else ""

    def call(self, expr: pp.Call, functions: tuple[str, ...], aggs: tuple[str, ...]
             ) -> tuple[LabelFlow, bool, _Source]:
        func = expr.func
        name = func.name
        position = self.at(self.cursor.find(name))
        first = len(self.selectors)
        inner = (name, *functions)
        args = expr.args
        flows = [self.node(arg, inner, aggs) for arg in args]
        vector_args = [f for f, scalar, _ in flows if not scalar]
        argument = vector_args[0] if vector_args and name != "histogram_quantile" else None
        if name == "histogram_quantile" and len(flows) == 2:
            argument = flows[1][0]
        self.calls.append(Call(name, position, argument, tuple(range(first, len(self.selectors)))))
        if func.return_type is pp.ValueType.Scalar:
            return Fixed(_EMPTY), True, None
        return self.call_result(args, name, flows, argument)

    def call_result(self, args: list[pp.Expr], name: str,
                    flows: list[tuple[LabelFlow, bool, _Source]], argument: LabelFlow | None
                    ) -> tuple[LabelFlow, bool, _Source]:
        if name in ("absent", "absent_over_time"):
            return Fixed(self.equalities(args[0])), False, None
        if argument is None:
            return Fixed(_EMPTY), False, None
        if name == "histogram_quantile":
            return Without(argument, frozenset({"le"})), False, None
        if name in ("label_replace", "label_join") and len(args) > 1:
            target = args[1]
            if type(target) is pp.StringLiteral:
                return Adding(argument, frozenset({target.val})), False, None
        source = None
        if name in _VALUE_KEEPING_FUNCTIONS:
            source = next((s for _, scalar, s in flows if not scalar), None)
        elif name == "sum_over_time":
            found = next((s for _, scalar, s in flows if not scalar), None)
            source = (found[0], True) if found else None
        return argument, False, source

    def equalities(self, arg: pp.Expr) -> frozenset[str]:
        while type(arg) is pp.ParenExpr:
            arg = arg.expr
        if type(arg) is pp.MatrixSelector:
            arg = arg.vector_selector
        if type(arg) is not pp.VectorSelector:
            return frozenset()
        return frozenset(m.name for m in arg.matchers.matchers
                         if m.op is pp.MatchOp.Equal and m.name != "__name__")

    def aggregate(self, expr: pp.AggregateExpr, functions: tuple[str, ...],
                  aggs: tuple[str, ...]) -> tuple[LabelFlow, bool, _Source]:
        op = str(expr.op)
        position = self.at(self.cursor.find(op))
        first = len(self.selectors)
        param = expr.param
        if param is not None:
            self.node(param, functions, (op, *aggs))
        inner, _, source = self.node(expr.expr, functions, (op, *aggs))
        by = without = None
        modifier = expr.modifier
        templated = False
        if modifier is not None:
            given = modifier.labels
            labels = tuple(name for name in given if name != STAND_IN_NAME)
            templated = len(labels) < len(given)
            if modifier.type is pp.AggModifierType.By:
                by = labels
            else:
                without = labels
        self.aggregations.append(Aggregation(op, by, without, position, inner,
                                             tuple(range(first, len(self.selectors)))))
        if templated:  # a dashboard variable names a grouping label: any label may survive
            return Anything(), False, None
        return self.aggregate_result(param, op, inner, by, without, source)

    @staticmethod
    def aggregate_result(param: object, op: str, inner: LabelFlow,
                         by: tuple[str, ...] | None, without: tuple[str, ...] | None,
                         source: _Source) -> tuple[LabelFlow, bool, _Source]:
        kept = source if op in _VALUE_KEEPING_AGGREGATIONS else (
            (source[0], True) if op == "sum" and source else None)
        if op in _SELECTING_AGGREGATIONS:
            return inner, False, kept
        extra = _EMPTY
        if op == "count_values" and isinstance(param, pp.StringLiteral):
            extra = frozenset({param.val})
        if without is not None:
            return Adding(Without(inner, frozenset(without)), extra), False, kept
        grouped = Grouping(inner, frozenset(by or ()))
        return (Adding(grouped, extra) if extra else grouped), False, kept

    def binary(self, expr: pp.BinaryExpr, functions: tuple[str, ...], aggs: tuple[str, ...]
               ) -> tuple[LabelFlow, bool, _Source]:
        left, right = expr.lhs, expr.rhs
        lhs = self.node(left, functions, aggs)
        rhs_start = len(self.selectors)
        return self.joined(expr, left, right, lhs, self.node(right, functions, aggs), rhs_start)

    def chain(self, chain: guard.ParsedChain) -> tuple[LabelFlow, bool, _Source]:
        """A chain parsed in pieces, walked as the left-nested tree it stands for (chains
        nest only a few deep: one per precedence level, or per parenthesised chain)."""
        left: guard.Tree | None = chain.operands[0]
        result = self.operand(chain.operands[0])
        for operator, right in zip(chain.operators, chain.operands[1:], strict=True):
            rhs_start = len(self.selectors)
            result = self.joined(operator, left, right, result, self.operand(right), rhs_start)
            left = None  # from here on the left side is a binary expression, never a number
        return result

    def operand(self, tree: guard.Tree) -> tuple[LabelFlow, bool, _Source]:
        return self.chain(tree) if isinstance(tree, guard.ParsedChain) else self.node(tree, (),
                                                                                       ())

    def joined(self, expr: pp.BinaryExpr, left: guard.Tree | None, right: guard.Tree,
               lhs_walked: tuple[LabelFlow, bool, _Source],
               rhs_walked: tuple[LabelFlow, bool, _Source], rhs_start: int
               ) -> tuple[LabelFlow, bool, _Source]:
        """`left OP right` from its walked sides; `expr` gives OP and its modifier."""
        op = str(expr.op)
        lhs, lhs_scalar, lhs_source = lhs_walked
        rhs, rhs_scalar, rhs_source = rhs_walked
        modifier = expr.modifier
        return_bool = bool(modifier and modifier.return_bool)
        if op in COMPARISONS and lhs_scalar != rhs_scalar:
            constant = _number(left if lhs_scalar else right)
            if constant is not None:
                self.comparison(op, constant, return_bool, lhs_scalar, lhs_source, rhs_source)
        if lhs_scalar and rhs_scalar:
            return Fixed(_EMPTY), True, None
        if lhs_scalar or rhs_scalar:
            flow, source = (rhs, rhs_source) if lhs_scalar else (lhs, lhs_source)
            keeps = op in COMPARISONS and not return_bool
            return flow, False, source if keeps else None
        position = self.selectors[rhs_start].position if rhs_start < len(self.selectors) else 0
        return self.vector_binary(op, modifier, lhs, rhs, position, lhs_source, return_bool)

    def comparison(self, op: str, constant: float, return_bool: bool, lhs_scalar: bool,
                   lhs_source: _Source, rhs_source: _Source) -> None:
        source = rhs_source if lhs_scalar else lhs_source
        op = _FLIP[op] if lhs_scalar else op
        index, summed = source if source else (None, False)
        position = self.selectors[index].position if index is not None else 0
        self.comparisons.append(Comparison(op, constant, position, return_bool, index, summed))

    def vector_binary(self, op: str, modifier: pp.BinModifier | None, lhs: LabelFlow,
                      rhs: LabelFlow, position: int, lhs_source: _Source, return_bool: bool
                      ) -> tuple[LabelFlow, bool, _Source]:
        card = _CARDINALITY.get(str(modifier.card), "one-to-one") if modifier else (
            "many-to-many" if op in SET_OPERATORS else "one-to-one")
        matching = modifier.matching if modifier else None
        labels = frozenset(matching.labels) if matching else frozenset()
        on = matching is not None and matching.type is pp.LabelModifierType.Include
        include = tuple(modifier.group_labels or ()) if modifier else ()
        self.matchings.append(Matching(op, card, tuple(sorted(labels)) if on else None,
                                       tuple(sorted(labels)) if matching and not on else None,
                                       include, return_bool, position))
        if op == "or":  # `a or b or c` is one Either, however long the chain
            parts = (*lhs.parts, rhs) if type(lhs) is Either else (lhs, rhs)
            return Either(parts), False, None
        if op in ("and", "unless"):
            return lhs, False, lhs_source
        keeps = op in COMPARISONS and not return_bool
        if card == "many-to-one":
            return Adding(lhs, frozenset(include)), False, lhs_source if keeps else None
        if card == "one-to-many":
            return Adding(rhs, frozenset(include)), False, None
        flow: LabelFlow = Keeping(lhs, labels) if on else (
            Without(lhs, labels) if labels else lhs)
        return flow, False, lhs_source if keeps else None


def _number(expr: guard.Tree | None) -> float | None:
    while type(expr) is pp.ParenExpr:
        expr = expr.expr
    return float(expr.val) if type(expr) is pp.NumberLiteral else None


@lru_cache(maxsize=1 << 16)
def analyse(text: str) -> Analysis:
    """Analyse one PromQL expression (Grafana macros allowed); cached by text, since rules and
    panels repeat the same queries. Never raises, and never overflows the stack: a long text
    is measured first, and one too deep or too long to analyse safely comes back with an
    error that says so (`too_deep`)."""
    sub = substitute(text)
    if len(sub.text) <= guard.FAST_LENGTH or guard.shallow(sub.text):
        return _analysed(text, sub, None)
    try:
        plan = guard.plan(sub.text)
        job = partial(_analysed, text, sub, plan)
        return guard.run_deep(job, plan.depth) if plan.deep else job()
    except guard.TooDeepError as exc:
        return Analysis(text, error=ParseError(str(exc), 0, too_deep=True))


def _analysed(text: str, sub: Substituted, plan: guard.Plan | None) -> Analysis:
    try:
        tree = pp.parse(sub.text) if plan is None else guard.parse(sub.text, plan)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the Rust parser may panic (a BaseException) on odd input
        message = str(exc) or "invalid PromQL"
        position = sub.original(error_position(sub.text, message))
        return Analysis(text, error=ParseError(message, position))
    walk = _Walk(text, sub, Cursor.over(sub.text), [], [], [], [], [])
    if isinstance(tree, guard.ParsedChain):
        output, _, _ = walk.chain(tree)
    else:
        output, _, _ = walk.node(tree, (), ())
    return Analysis(text, tuple(walk.selectors), tuple(walk.aggregations), tuple(walk.calls),
                    tuple(walk.matchings), tuple(walk.comparisons), output, None,
                    () if plan is None else _line_starts(text))


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return tuple(starts)
