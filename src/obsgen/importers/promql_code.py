"""PromQL texts as Python: typed helpers over catalog constants (`rate(M, "5m").sum(by=[...])`,
`M.where(code="500")`, `X > 0.2`) where they render back to the same query, else the text as a
string literal.

Each shape is built twice at once: as the Python a person would write and as the model object
that Python makes. The object's rendering is then parsed and compared with the original, so a
helper is only ever used where the rebuilt rule reads exactly what the imported one did; any
shape not listed here, any matcher or grouping the catalog refuses, and any difference at all
leaves the query a string.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import promql_parser as pp

import obsgen
from obsgen.diagnostics import DefinitionError
from obsgen.importers.contract import Code, Import, Ref
from obsgen.importers.pysource import literal
from obsgen.model import promql, promql_functions
from obsgen.model.metrics import Metric, series_names

_RANGE_FUNCTIONS: Mapping[str, Callable[..., promql.Expr]] = {
    "rate": promql_functions.rate, "irate": promql_functions.irate,
    "increase": promql_functions.increase}
_AGGREGATIONS = ("sum", "avg", "max", "min", "count")
_COMPARISONS = {">": "__gt__", ">=": "__ge__", "<": "__lt__", "<=": "__le__"}
_METHODS = {"==": "eq", "!=": "ne"}
_ARITHMETIC = {"/": "__truediv__", "*": "__mul__", "+": "__add__", "-": "__sub__"}
_MATCH_HELPERS = {"!=": "not_", "=~": "regex", "!~": "not_regex"}
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


_OBSGEN_NAMES = ("rate", "irate", "increase", "histogram_quantile", "not_", "regex", "not_regex")


class ShapeError(Exception):
    """A shape this module does not write as helpers; the query stays a string."""


@dataclass(frozen=True)
class Built:
    code: Code
    value: Any  # the model object the code makes: a Selector or an Expr
    binary: bool = False
    bare: bool = False  # the code is a catalog constant: a Metric, not a Selector

    def operand(self, method: str) -> str:
        """The code as the object `method` is called on."""
        text = self.code.text
        if self.bare and not hasattr(Metric, method):  # a Metric has most query methods
            text += ".selector()"
        return f"({text})" if self.binary else text


def _obsgen(code: str, *names: str) -> Code:
    return Code(code, frozenset(Import("obsgen", n) for n in names))


def _join(parts: Iterable[Code], text: str) -> Code:
    imports: frozenset[Import] = frozenset()
    for part in parts:
        imports |= part.imports
    return Code(text, imports)


def window(value: timedelta) -> str:
    millis = int(value.total_seconds() * 1000)
    if millis % 1000:
        return f"{millis}ms"
    seconds = millis // 1000
    unit, size = next((u, s) for u, s in _UNITS if seconds % s == 0)
    return f"{seconds // size}{unit}"


class Converter:
    def __init__(self, metrics: Iterable[Metric], refs: Mapping[str, Ref]) -> None:
        self.series: dict[str, tuple[Metric, str]] = {}
        for metric in metrics:
            for name in series_names(metric):
                self.series.setdefault(name, (metric, name[len(metric.name):]))
        self.refs = refs

    def __call__(self, text: str) -> Code:
        try:
            built = self.build(pp.parse(text))
            if not isinstance(built.value, promql.Selector | promql.Expr):
                raise ShapeError("a number")
            rendered = promql.as_expr(self.run(built.code)).text
            if not same_query(rendered, text):
                raise ShapeError(rendered)
        except (ShapeError, DefinitionError, ValueError, TypeError, AttributeError,
                SyntaxError):
            return Code(literal(text))
        return built.code

    def run(self, code: Code) -> Any:
        """What the written Python makes, run against the catalog's own objects: the check
        that it is the query it replaces. The text is this module's own, its strings
        literals."""
        names: dict[str, Any] = {n: getattr(obsgen, n) for n in _OBSGEN_NAMES}
        names.update({self.refs[m.name].name: m for m, _ in self.series.values()})
        return eval(code.text, {"__builtins__": {}}, names)

    def build(self, node: Any) -> Built:
        if isinstance(node, pp.ParenExpr):
            inner = self.build(node.expr)
            return Built(inner.code, inner.value, inner.binary)
        if isinstance(node, pp.VectorSelector):
            return self.selector(node)
        if isinstance(node, pp.Call):
            return self.call(node)
        if isinstance(node, pp.AggregateExpr):
            return self.aggregate(node)
        if isinstance(node, pp.BinaryExpr):
            return self.binary(node)
        if isinstance(node, pp.NumberLiteral):
            value = int(node.val) if float(node.val).is_integer() else float(node.val)
            return Built(Code(repr(value)), value)
        raise ShapeError(type(node).__name__)

    def selector(self, node: Any) -> Built:
        if node.offset is not None or node.at is not None or node.matchers.or_matchers \
                or node.name not in self.series:
            raise ShapeError("selector")
        metric, suffix = self.series[node.name]
        base = self.refs[metric.name].code()
        value = promql.Selector(metric, (), suffix)
        if suffix:
            base = Code(f"{base.text}.series({literal(suffix[1:])})", base.imports)
            value = metric.series(suffix[1:])
        matchers = [m for m in node.matchers.matchers if m.name != "__name__"]
        if not matchers:
            return Built(base, value, bare=not suffix)
        args, given, codes = [], {}, [base]
        for matcher in matchers:
            op = str(matcher.op).replace("MatchOp.", "")
            op = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}.get(op, op)
            if not matcher.name.isidentifier() or keyword.iskeyword(matcher.name) \
                    or matcher.name in given:
                raise ShapeError("label")
            if op == "=":
                args.append(f"{matcher.name}={literal(matcher.value)}")
                given[matcher.name] = matcher.value
            else:
                helper = _MATCH_HELPERS[op]
                args.append(f"{matcher.name}={helper}({literal(matcher.value)})")
                given[matcher.name] = promql.Match(op, matcher.value)
                codes.append(_obsgen("", helper))
        return Built(_join(codes, f"{base.text}.where({', '.join(args)})"), value.where(**given))

    def call(self, node: Any) -> Built:
        name, args = node.func.name, list(node.args)
        if name in _RANGE_FUNCTIONS and len(args) == 1 and isinstance(args[0], pp.MatrixSelector):
            inner = self.selector(args[0].vector_selector)
            span = window(args[0].range)
            return Built(_join([inner.code, _obsgen("", name)],
                               f"{name}({inner.code.text}, {literal(span)})"),
                         _RANGE_FUNCTIONS[name](inner.value, span))
        if name == "histogram_quantile" and len(args) == 2:
            return self.quantile(args[0], args[1])
        raise ShapeError(name)

    def quantile(self, q: Any, agg: Any) -> Built:
        """histogram_quantile(q, sum by (le, ...) (rate(m_bucket{...}[w])))."""
        if not isinstance(q, pp.NumberLiteral) or not isinstance(agg, pp.AggregateExpr) \
                or str(agg.op) != "sum" or agg.modifier is None or agg.param is not None \
                or "By" not in str(agg.modifier.type) or list(agg.modifier.labels)[:1] != ["le"]:
            raise ShapeError("histogram_quantile")
        rated = agg.expr
        if not isinstance(rated, pp.Call) or rated.func.name != "rate" \
                or not isinstance(rated.args[0], pp.MatrixSelector):
            raise ShapeError("histogram_quantile")
        inner = self.selector(rated.args[0].vector_selector)
        if not isinstance(inner.value, promql.Selector) or inner.value.suffix != "_bucket":
            raise ShapeError("histogram_quantile")
        metric = inner.value.metric
        selector = promql.Selector(metric, inner.value.matchers)
        code = inner.code.text.replace(f".series({literal('bucket')})", "", 1)
        by = list(agg.modifier.labels)[1:]
        span = window(rated.args[0].range)
        extra = f", by={literal(by)}" if by else ""
        text = f"histogram_quantile({literal(q.val)}, {code}, {literal(span)}{extra})"
        return Built(_join([inner.code, _obsgen("", "histogram_quantile")], text),
                     promql_functions.histogram_quantile(q.val, selector, span, by))

    def aggregate(self, node: Any) -> Built:
        op = str(node.op)
        if op not in _AGGREGATIONS or node.param is not None:
            raise ShapeError(op)
        inner = self.build(node.expr)
        if not isinstance(inner.value, promql.Selector | promql.Expr):
            raise ShapeError("aggregate of a number")
        target = inner.operand(op)
        if node.modifier is None:
            return Built(Code(f"{target}.{op}()", inner.code.imports),
                         getattr(inner.value, op)())
        if "By" not in str(node.modifier.type):
            raise ShapeError("without")
        labels = list(node.modifier.labels)
        return Built(Code(f"{target}.{op}(by={literal(labels)})", inner.code.imports),
                     getattr(inner.value, op)(by=labels))

    def binary(self, node: Any) -> Built:
        op = str(node.op)
        if node.modifier is not None:
            raise ShapeError("vector matching")
        lhs, rhs = self.build(node.lhs), self.build(node.rhs)
        if not isinstance(lhs.value, promql.Selector | promql.Expr):
            raise ShapeError("number on the left")
        right = f"({rhs.code.text})" if rhs.binary else rhs.code.text
        if op in _COMPARISONS or op in _ARITHMETIC:
            method = _COMPARISONS.get(op) or _ARITHMETIC[op]
            text = f"{lhs.operand(method)} {op} {right}"
        elif op in _METHODS:
            method = _METHODS[op]
            text = f"{lhs.operand(method)}.{method}({right})"
        else:
            raise ShapeError(op)
        value = getattr(lhs.value, method)(rhs.value)
        return Built(_join([lhs.code, rhs.code], text), value, binary=True)


def _children(node: Any) -> list[Any]:
    """A node's sub-expressions, in the order its text shows them."""
    if isinstance(node, pp.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, pp.AggregateExpr):
        return [*([node.param] if node.param is not None else []), node.expr]
    if isinstance(node, pp.Call):
        return list(node.args)
    if isinstance(node, pp.UnaryExpr | pp.SubqueryExpr):
        return [node.expr]
    return []


def _unwrapped(node: Any) -> Any:
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    return node


def canonical(node: Any) -> str:
    """A parsed query as text in which grouping is written one way: parentheses only, and
    always, around a binary operation that is an operand of another. Two queries with the
    same canonical text have the same tree but for parentheses that change nothing."""
    node = _unwrapped(node)
    text, out, at = str(node), [], 0
    for child in _children(node):
        shown = str(child)
        found = text.find(shown, at)
        if found < 0:
            return text  # not split by its children's text: compared as printed
        inner = canonical(child)
        if isinstance(node, pp.BinaryExpr) and isinstance(_unwrapped(child), pp.BinaryExpr):
            inner = f"({inner})"
        out += [text[at:found], inner]
        at = found + len(shown)
    return "".join([*out, text[at:]])


def same_query(a: str, b: str) -> bool:
    """Whether two PromQL texts parse to the same query (see `canonical`)."""
    return canonical(pp.parse(a)) == canonical(pp.parse(b))


def converter(metrics: Iterable[Metric], refs: Mapping[str, Ref]) -> Callable[[str], Code]:
    """The run's `ImportEnv.query`."""
    return Converter(metrics, refs)
