"""Typed PromQL: expressions, selectors and matchers built from catalog objects, checked as they
are written.

`quality_gate.where(result="failed")` refuses a label or value the catalog does not declare, at
the user's line; the functions over them (`rate()`, `histogram_quantile()`, ...) are in
model/promql_functions.py. Each renders to plain PromQL text; raw strings stay allowed everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Union

from obsgen.diagnostics import DefinitionError
from obsgen.model.arguments import check_arguments
from obsgen.model.names import check_duration

if TYPE_CHECKING:
    from obsgen.model.metrics import Metric
    from obsgen.model.pipeline import ScrapeJob
    from obsgen.model.rules import RecordingRule

TARGET_LABELS = ("job", "instance")  # attached by Prometheus to every scraped series


@dataclass(frozen=True)
class Match:
    """One label matcher: op is =, !=, =~ or !~.

    Example:

    ```python
    NOT_OK = Match("=~", "4..|5..")  # what regex("4..|5..") makes
    ```
    """

    op: str
    value: str

    def __post_init__(self) -> None:
        check_arguments(self)


class AsMatch(Protocol):
    """Anything that can stand on the right of a label matcher (e.g. a dashboard variable)."""

    def as_match(self) -> Match: ...


MatchValue = Union[str, Match, "ScrapeJob", AsMatch]


def regex(pattern: str) -> Match:
    return Match("=~", pattern)


def not_(value: str) -> Match:
    return Match("!=", value)


def not_regex(pattern: str) -> Match:
    return Match("!~", pattern)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def refuse_python_comparison(value: object, other: object) -> None:
    """`up(JOB) == 0` must not quietly become Python's False: == and != between a query and a
    number or text cannot build PromQL (Python needs a bool from them), so they are refused."""
    if isinstance(other, bool | int | float | str):
        raise DefinitionError(
            "OBS004", f"`==`/`!=` between the PromQL expression {str(value)!r} and {other!r} "
            "gives Python's True/False, not a PromQL comparison",
            hint=f"write .eq({other!r}) or .ne({other!r}) for PromQL's == and !=; "
                 "<, <=, > and >= build PromQL as they are")


class _Ops:
    """Operators shared by metrics, selectors and expressions; each returns a new Expr."""

    def expr(self) -> Expr:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        refuse_python_comparison(self, other)
        return self is other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__

    def _binary(self, op: str, other: Operand, keep: str = "lhs") -> Expr:
        lhs, rhs = self.expr(), as_expr(other)
        labels = rhs.labels if lhs.scalar else lhs.labels
        if keep == "union" and lhs.labels is not None and rhs.labels is not None:
            labels = lhs.labels | rhs.labels
        return Expr(f"{lhs.operand()} {op} {rhs.operand()}", labels, binary=True,
                    scalar=lhs.scalar and rhs.scalar)

    def __gt__(self, other: Operand) -> Expr:
        return self._binary(">", other)

    def __ge__(self, other: Operand) -> Expr:
        return self._binary(">=", other)

    def __lt__(self, other: Operand) -> Expr:
        return self._binary("<", other)

    def __le__(self, other: Operand) -> Expr:
        return self._binary("<=", other)

    def eq(self, other: Operand) -> Expr:
        return self._binary("==", other)

    def ne(self, other: Operand) -> Expr:
        return self._binary("!=", other)

    def __truediv__(self, other: Operand) -> Expr:
        return self._binary("/", other)

    def __mul__(self, other: Operand) -> Expr:
        return self._binary("*", other)

    def __add__(self, other: Operand) -> Expr:
        return self._binary("+", other)

    def __sub__(self, other: Operand) -> Expr:
        return self._binary("-", other)

    def and_(self, other: Operand) -> Expr:
        return self._binary("and", other)

    def or_(self, other: Operand) -> Expr:
        return self._binary("or", other, keep="union")

    def unless(self, other: Operand) -> Expr:
        return self._binary("unless", other)

    def _aggregate(self, op: str, by: Iterable[str] | str | None, param: str = "") -> Expr:
        inner = self.expr()
        grouping = _grouping(by, inner)
        clause = f" by ({', '.join(grouping)}) " if by is not None else ""
        args = f"{param}, {inner.text}" if param else inner.text
        return Expr(f"{op}{clause}({args})", frozenset(grouping))

    def sum(self, by: Iterable[str] | str | None = None) -> Expr:
        return self._aggregate("sum", by)

    def avg(self, by: Iterable[str] | str | None = None) -> Expr:
        return self._aggregate("avg", by)

    def max(self, by: Iterable[str] | str | None = None) -> Expr:
        return self._aggregate("max", by)

    def min(self, by: Iterable[str] | str | None = None) -> Expr:
        return self._aggregate("min", by)

    def count(self, by: Iterable[str] | str | None = None) -> Expr:
        return self._aggregate("count", by)

    def __str__(self) -> str:
        return self.expr().text


@dataclass(frozen=True)
class Expr(_Ops):
    """A PromQL expression: its text, and the labels its result carries when known.

    Example:

    ```python
    ERRORS = rate(REQUESTS.where(status="5xx"), "5m").sum(by="route")
    assert isinstance(ERRORS, Expr)
    assert str(ERRORS) == (
        'sum by (route) (rate(myapp_http_requests_total{status="5xx"}[5m]))')
    ```
    """

    text: str
    labels: frozenset[str] | None = None
    binary: bool = False
    scalar: bool = False

    def __post_init__(self) -> None:
        check_arguments(self)

    def __eq__(self, other: object) -> bool:
        refuse_python_comparison(self, other)
        return isinstance(other, Expr) and (self.text, self.labels, self.binary, self.scalar) \
            == (other.text, other.labels, other.binary, other.scalar)

    def expr(self) -> Expr:
        return self

    def operand(self) -> str:
        return f"({self.text})" if self.binary else self.text


# What a rule, test or runbook query may be given: `as_expr` turns each into an Expr.
Operand = Union[_Ops, str, int, float, "Metric", "RecordingRule"]


def as_expr(value: Operand | Metric) -> Expr:
    """Coerce a metric, selector, expression, number or raw PromQL string to an Expr."""
    from obsgen.model.metrics import Metric
    from obsgen.model.rules import RecordingRule

    if isinstance(value, Metric):
        return Selector(value).expr()
    if isinstance(value, RecordingRule):  # the series it records, with the labels they carry
        labels = value.query.labels
        return Expr(value.name, None if labels is None else labels | set(value.labels))
    if isinstance(value, _Ops):
        return value.expr()
    if isinstance(value, bool):
        raise DefinitionError("OBS004", f"{value!r} is not a PromQL operand",
                              hint="compare with a number")
    if isinstance(value, int | float):
        return Expr(_num(value), frozenset(), scalar=True)
    if isinstance(value, str):
        return Expr(value, None, binary=" " in value.strip())
    raise DefinitionError("OBS004", f"{value!r} is not a PromQL expression",
                          hint="use a catalog metric, a helper like rate(), or a PromQL string")


def _grouping(by: Iterable[str] | str | None, inner: Expr) -> tuple[str, ...]:
    if by is None:
        return ()
    names = (by,) if isinstance(by, str) else tuple(by)
    if inner.labels is not None:
        missing = [n for n in names if n not in inner.labels]
        if missing:
            have = ", ".join(sorted(inner.labels)) or "none"
            raise DefinitionError(
                "OBS109", f"cannot group by {', '.join(map(repr, missing))}: the expression's "
                f"series do not carry it", hint=f"labels available here: {have}",
            )
    return names


@dataclass(frozen=True)
class Selector(_Ops):
    """`metric_suffix{matchers}` on one catalog metric."""

    metric: Metric
    matchers: tuple[tuple[str, Match], ...] = ()
    suffix: str = ""

    def __eq__(self, other: object) -> bool:
        refuse_python_comparison(self, other)
        return isinstance(other, Selector) and (self.metric, self.matchers, self.suffix) \
            == (other.metric, other.matchers, other.suffix)

    @property
    def series(self) -> str:
        return self.metric.name + self.suffix

    def where(self, **matchers: MatchValue) -> Selector:
        added = tuple((name, self._checked(name, value)) for name, value in matchers.items())
        return Selector(self.metric, self.matchers + added, self.suffix)

    def _checked(self, name: str, value: MatchValue) -> Match:
        match = _to_match(value)
        if name in TARGET_LABELS or (name == "le" and self.suffix == "_bucket"):
            return match
        label = self.metric.label(name)
        if label.values is None or "$" in match.value:
            return match
        if match.op in ("=", "!=") and match.value not in label.values:
            raise DefinitionError(
                "OBS110", f"{self.metric.name}{{{name}{match.op}{_quote(match.value)}}}: "
                f"{match.value!r} is not a declared value of {name!r}",
                hint=f"declared values: {', '.join(label.values)}" + did_you_mean(
                    match.value, label.values),
            )
        if match.op in ("=~", "!~") and not regex_hits(match.value, label.values):
            raise DefinitionError(
                "OBS110", f"regex {match.value!r} on {name!r} matches no declared value",
                hint=f"declared values: {', '.join(label.values)}",
            )
        return match

    def expr(self) -> Expr:
        body = ",".join(f"{n}{m.op}{_quote(m.value)}" for n, m in self.matchers)
        text = f"{self.series}{{{body}}}" if body else self.series
        extra = ("le",) if self.suffix == "_bucket" else ("quantile",) if (
            self.metric.kind == "summary" and not self.suffix) else ()
        return Expr(text, frozenset((*self.metric.label_names, *TARGET_LABELS, *extra)))

    def range(self, window: str) -> str:
        return f"{self.expr().text}[{_window(window)}]"


def _to_match(value: MatchValue) -> Match:
    from obsgen.model.pipeline import ScrapeJob

    if isinstance(value, Match):
        return value
    if isinstance(value, str):
        return Match("=", value)
    if isinstance(value, ScrapeJob):
        return Match("=", value.name)
    if hasattr(value, "as_match"):
        return value.as_match()
    raise DefinitionError("OBS004", f"label matcher value {value!r} is not a string",
                          hint='write where(label="value") or where(label=regex("a|b"))')


def regex_hits(pattern: str, values: Iterable[str]) -> bool:
    """Whether a PromQL (fully anchored) regex matches at least one of `values`; raises OBS110
    when the pattern does not compile."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise DefinitionError("OBS110", f"regex {pattern!r} does not compile: {exc}",
                              hint="PromQL regexes are RE2, fully anchored") from None
    return any(compiled.fullmatch(v) for v in values)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" naming the choice closest to a label value (one differing only in
    case first: `5XX` for `5xx`), or "" when none is close."""
    import difflib

    choices = list(choices)
    close = [c for c in choices if c.casefold() == value.casefold()] or \
        difflib.get_close_matches(value, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _window(window: str) -> str:
    return window if window.startswith("$") else check_duration(window, "range")
