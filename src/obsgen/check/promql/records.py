"""What the analysis of one PromQL expression holds (check.promql.analysis makes them): its
selectors, aggregations, calls, vector matchings and comparisons with a constant, each with its
position in the original text, and the labels its result carries."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from obsgen.check.promql.labelflow import Carried, LabelFlow


class LabelMatcher(NamedTuple):
    label: str
    op: str  # =, !=, =~ or !~
    value: str

    @property
    def templated(self) -> bool:
        """The value holds a dashboard variable, so its real value is unknown here."""
        return "$" in self.value or "[[" in self.value


class Selector(NamedTuple):
    """One vector selector: `name{matchers}[range] offset ...`, as written."""

    name: str | None  # None when only a regex or a template names the metric
    matchers: tuple[LabelMatcher, ...]  # without the `__name__` equality that gave `name`
    position: int  # offset into the original text
    range: float | None = None  # seconds, when this is a range selector
    range_text: str | None = None  # the range as written, e.g. "5m" or "$__rate_interval"
    offset: float | None = None  # seconds; negative for `offset -5m`
    functions: tuple[str, ...] = ()  # enclosing function calls, innermost first
    aggregations: tuple[str, ...] = ()  # enclosing aggregation operators, innermost first
    templated: bool = False  # the metric name holds a dashboard variable

    def matcher(self, label: str) -> LabelMatcher | None:
        return next((m for m in self.matchers if m.label == label), None)


class Aggregation(NamedTuple):
    op: str
    by: tuple[str, ...] | None  # None: no `by` clause
    without: tuple[str, ...] | None
    position: int
    inner: LabelFlow  # labels of the aggregated expression
    selectors: tuple[int, ...]  # indexes into Analysis.selectors of what it aggregates


class Call(NamedTuple):
    name: str
    position: int
    argument: LabelFlow | None  # labels of the first vector argument, if any
    selectors: tuple[int, ...]


class Matching(NamedTuple):
    """A binary operation between two vectors and how it matches their series."""

    op: str
    cardinality: str  # one-to-one, many-to-one, one-to-many, many-to-many
    on: tuple[str, ...] | None
    ignoring: tuple[str, ...] | None
    include: tuple[str, ...]  # group_left/group_right labels
    return_bool: bool
    position: int


class Comparison(NamedTuple):
    """`vector OP constant` (normalised so the vector stands on the left)."""

    op: str
    value: float
    position: int
    return_bool: bool
    source: int | None  # the selector whose sample values reach the comparison unchanged...
    summed: bool = False  # ...or summed (which keeps only a non-negative lower bound)


@dataclass(frozen=True, slots=True)
class ParseError:
    message: str
    position: int  # 0 when the parser does not say where
    too_deep: bool = False  # not parsed at all: too deep or too long to analyse safely


# The records above are NamedTuples rather than frozen dataclasses: they are created for every
# node of every query on the hot path (target: 30,000 queries/s), a NamedTuple is built about
# three times faster, and it is just as immutable.


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str
    selectors: tuple[Selector, ...] = ()
    aggregations: tuple[Aggregation, ...] = ()
    calls: tuple[Call, ...] = ()
    matchings: tuple[Matching, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    output: LabelFlow | None = None  # labels of the result; None when it did not parse
    error: ParseError | None = None
    # Where each line starts, for a long text: locating thousands of findings in it by
    # counting newlines each time would take quadratic time.
    line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def line_column(self, position: int) -> tuple[int, int]:
        """0-based line and column of an offset into the text."""
        if self.line_starts:
            line = bisect_right(self.line_starts, position) - 1
            return line, position - self.line_starts[line]
        line = self.text.count("\n", 0, position)
        start = self.text.rfind("\n", 0, position) + 1
        return line, position - start

    def carried(self, flow: LabelFlow,
                labels_of: Callable[[Selector], frozenset[str] | None] | None = None) -> Carried:
        """The labels `flow` can carry; `labels_of` gives a selector's labels when known
        (from a catalog), else every selector may carry any label."""
        sel = self.selectors
        lookup = (lambda i: labels_of(sel[i])) if labels_of else (lambda i: None)
        return flow.evaluate(lookup)
