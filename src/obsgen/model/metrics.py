"""The metric catalog: what the application exports, with labels and their allowed values."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model import promql
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import LABEL_NAME, METRIC_NAME, SNAKE_CASE
from obsgen.model.source import caller_location

# Suffixes that name a unit other than the base one, with the base unit to use instead.
NON_BASE_UNITS: dict[str, str] = {
    "milliseconds": "seconds", "millis": "seconds", "ms": "seconds", "microseconds": "seconds",
    "nanoseconds": "seconds", "minutes": "seconds", "hours": "seconds", "days": "seconds",
    "kilobytes": "bytes", "megabytes": "bytes", "gigabytes": "bytes", "kb": "bytes",
    "mb": "bytes", "gb": "bytes", "percent": "ratio",
}
TYPE_WORDS = ("counter", "gauge", "histogram", "summary")


@dataclass(frozen=True, eq=False)
class Label:
    """A label of a metric; `values`, when given, is the closed set the code emits.

    Example:

    ```python
    ROUTE = Label("route", description="The route template, not the raw path.")
    STATUS = Label("status", values=("2xx", "3xx", "4xx", "5xx"))
    ```
    """

    name: str
    values: tuple[str, ...] | None = None
    description: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not LABEL_NAME.match(self.name):
            raise DefinitionError(
                "OBS101", f"label name {self.name!r} is not a valid label name",
                hint="label names are snake_case: [a-z_][a-z0-9_]*",
            )
        if self.values is not None:
            values = tuple(self.values)
            if len(set(values)) != len(values):
                dup = sorted(v for v in set(values) if values.count(v) > 1)
                raise DefinitionError(
                    "OBS107", f"label {self.name!r} lists value(s) {dup} more than once",
                    hint="list each allowed value once",
                )
            object.__setattr__(self, "values", values)

    @property
    def closed(self) -> bool:
        return self.values is not None

    def allows(self, value: str) -> bool:
        return self.values is None or value in self.values


def _labels(labels: Iterable[Label | str], metric: str) -> tuple[Label, ...]:
    result = tuple(Label(lab) if isinstance(lab, str) else lab for lab in labels)
    seen: set[str] = set()
    for lab in result:
        if lab.name in seen:
            raise DefinitionError("OBS107", f"label {lab.name!r} is declared twice on {metric}",
                                  hint="declare each label once; merge the two declarations")
        seen.add(lab.name)
    return result


class _QueryMethods:
    """A metric is also the query on its series: `GAUGE.sum()`, `GAUGE <= 0` and
    `COUNTER / OTHER` work as on `.selector()`. (`max`/`min` are a gauge's bounds, so those two
    aggregations stay on the selector: `GAUGE.selector().max()`.)"""

    def selector(self) -> promql.Selector:
        raise NotImplementedError

    def expr(self) -> promql.Expr:
        return self.selector().expr()

    def sum(self, by: Iterable[str] | str | None = None) -> promql.Expr:
        return self.selector().sum(by)

    def avg(self, by: Iterable[str] | str | None = None) -> promql.Expr:
        return self.selector().avg(by)

    def count(self, by: Iterable[str] | str | None = None) -> promql.Expr:
        return self.selector().count(by)

    def __gt__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() > other

    def __ge__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() >= other

    def __lt__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() < other

    def __le__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() <= other

    def __truediv__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() / other

    def __mul__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() * other

    def __add__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() + other

    def __sub__(self, other: promql.Operand) -> promql.Expr:
        return self.selector() - other

    def eq(self, other: promql.Operand) -> promql.Expr:
        return self.selector().eq(other)

    def ne(self, other: promql.Operand) -> promql.Expr:
        return self.selector().ne(other)

    def and_(self, other: promql.Operand) -> promql.Expr:
        return self.selector().and_(other)

    def or_(self, other: promql.Operand) -> promql.Expr:
        return self.selector().or_(other)

    def unless(self, other: promql.Operand) -> promql.Expr:
        return self.selector().unless(other)

    def __eq__(self, other: object) -> bool:
        promql.refuse_python_comparison(self, other)
        return self is other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__


@dataclass(frozen=True, eq=False)
class Metric(_QueryMethods):
    """Common shape of every catalog entry; use the concrete kinds below."""

    kind: ClassVar[str] = "untyped"
    name: str
    help: str = ""
    labels: Annotated[tuple[Label, ...], Accepts(tuple[Label | str, ...])] = ()
    unit: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not METRIC_NAME.match(self.name):
            raise DefinitionError(
                "OBS101", f"metric name {self.name!r} is not a valid Prometheus metric name",
                hint="metric names are snake_case ASCII: [a-z_][a-z0-9_]*",
            )
        object.__setattr__(self, "labels", _labels(self.labels, self.name))

    def label(self, name: str) -> Label:
        """The declared label `name`; raises OBS109 naming the declared ones otherwise."""
        for lab in self.labels:
            if lab.name == name:
                return lab
        declared = ", ".join(lab.name for lab in self.labels) or "none"
        raise DefinitionError(
            "OBS109", f"{self.name} has no label {name!r}",
            hint=f"declared labels: {declared}",
        )

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(lab.name for lab in self.labels)

    def where(self, **matchers: str | promql.Match) -> promql.Selector:
        """A selector on this metric; each value must be declared (see Label.values)."""
        return promql.Selector(self).where(**matchers)

    def selector(self) -> promql.Selector:
        return promql.Selector(self)

    def series(self, part: str) -> promql.Selector:
        """A selector on one series of a histogram or summary: "bucket", "sum" or "count"."""
        name = f"{self.name}_{part}"
        if name not in series_names(self):
            have = ", ".join(n.removeprefix(self.name + "_") for n in series_names(self)
                             if n != self.name) or "none besides the metric itself"
            raise DefinitionError("OBS111", f"{self.kind} {self.name} has no {part!r} series",
                                  hint=f"its series: {have}")
        return promql.Selector(self, (), f"_{part}")

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False)
class Counter(Metric):
    """A counter: a total that only goes up (and resets when the process restarts); its name
    ends in `_total`, and queries read it through `rate()`/`increase()`.

    Example:

    ```python
    REQUESTS = Counter(
        "myapp_http_requests_total",
        help="HTTP requests served, by route and status class.",
        labels=[ROUTE, STATUS],
    )
    ```
    """

    kind: ClassVar[str] = "counter"


@dataclass(frozen=True, eq=False)
class Gauge(Metric):
    """A gauge; `min`/`max` state bounds the code guarantees (checked against comparisons).
    `out_of_bounds` says what the generated instrumentation does with a value outside them:
    "refuse" it (raise, or count and drop) or "clamp" it to the nearest bound.

    Example:

    ```python
    QUEUE = Gauge("myapp_queue_jobs", help="Jobs waiting in the queue.", min=0)
    ```
    """

    kind: ClassVar[str] = "gauge"
    min: float | None = None
    max: float | None = None
    out_of_bounds: Literal["refuse", "clamp"] = "refuse"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.min is not None and self.max is not None and self.min > self.max:
            raise DefinitionError("OBS117", f"{self.name}: min {self.min} is above max {self.max}",
                                  hint="swap the bounds or drop one")


@dataclass(frozen=True, eq=False)
class Histogram(Metric):
    """A histogram; `buckets=None`: its bucket bounds are not known here (a catalog imported
    from queries that only read it), which an instrumentation module cannot be made from.

    Example:

    ```python
    LATENCY = Histogram(
        "myapp_http_request_duration_seconds",
        help="Time to serve one HTTP request.",
        labels=["route"],
        buckets=[0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    )
    ```
    """

    kind: ClassVar[str] = "histogram"
    buckets: Annotated[tuple[float, ...], Accepts(tuple[float, ...] | None)] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.buckets is None:
            object.__setattr__(self, "buckets", ())
            return
        buckets = tuple(self.buckets)
        object.__setattr__(self, "buckets", buckets)
        ordered = all(a < b for a, b in itertools.pairwise(buckets))
        finite = all(isinstance(b, int | float) and math.isfinite(b) for b in buckets)
        if not buckets or not finite or not ordered:
            raise DefinitionError(
                "OBS112", f"{self.name}: buckets {list(buckets)} are not a strictly increasing "
                "list of finite numbers", hint="e.g. buckets=[0.1, 0.5, 1, 5]; +Inf is implicit",
            )


@dataclass(frozen=True, eq=False)
class Summary(Metric):
    """A summary: `_sum` and `_count` series (and `quantiles`, when the code computes them),
    read like a histogram's without buckets.

    Example:

    ```python
    PAYLOAD = Summary("myapp_payload_bytes", help="Size of one request body.")
    ```
    """

    kind: ClassVar[str] = "summary"
    quantiles: tuple[float, ...] = ()


@dataclass(frozen=True, eq=False)
class Info(Metric):
    """An info metric: value 1, its labels carry the information.

    Example:

    ```python
    BUILD = Info("myapp_build", help="Version and commit of the running build.",
                 labels=["version", "commit"])
    ```
    """

    kind: ClassVar[str] = "info"


Finding = tuple[str, str, str]  # code, message, hint


def naming_findings(metric: Metric) -> Iterator[Finding]:
    """Naming conventions in the spirit of promlint; each finding is (code, message, hint)."""
    name = metric.name
    if not SNAKE_CASE.match(name):
        yield ("OBS101", f"metric name {name!r} is not snake_case",
               "use lower-case words joined by underscores")
    words = name.split("_")
    if metric.kind == "counter" and not name.endswith("_total"):
        yield ("OBS102", f"counter {name!r} does not end in _total", f"rename it {name}_total")
    if metric.kind != "counter" and name.endswith("_total"):
        yield ("OBS114", f"{metric.kind} {name!r} ends in _total, which marks counters",
               "drop the suffix or make the metric a Counter")
    if metric.kind == "info" and not name.endswith("_info"):
        yield ("OBS115", f"info metric {name!r} does not end in _info", f"rename it {name}_info")
    for word in words:
        if word in NON_BASE_UNITS:
            base = NON_BASE_UNITS[word]
            yield ("OBS103", f"{name!r} uses the unit {word!r}",
                   f"export the base unit {base!r} and convert at query time")
    for word in TYPE_WORDS:
        if word in words:
            yield ("OBS104", f"{name!r} contains its type word {word!r}",
                   "the metric type is metadata; drop the word from the name")
    yield from _label_findings(metric)


def _label_findings(metric: Metric) -> Iterator[Finding]:
    reserved = {"histogram": {"le"}, "summary": {"quantile"}}.get(metric.kind, set())
    for lab in metric.labels:
        if lab.name in reserved or lab.name.startswith("__"):
            yield ("OBS105", f"label {lab.name!r} is reserved on {metric.kind} {metric.name}",
                   "choose another label name")
        elif not SNAKE_CASE.match(lab.name):
            yield ("OBS101", f"label {lab.name!r} of {metric.name} is not snake_case",
                   "use lower-case words joined by underscores")
    if not metric.help.strip():
        yield ("OBS108", f"{metric.name} has no help text",
               'say what one sample means: help="Persona switches, by transition"')


def series_names(metric: Metric) -> dict[str, tuple[str, ...]]:
    """The series names a metric exposes, each with the extra labels it carries."""
    if metric.kind == "histogram":
        return {f"{metric.name}_bucket": ("le",), f"{metric.name}_sum": (),
                f"{metric.name}_count": ()}
    if metric.kind == "summary":
        return {metric.name: ("quantile",), f"{metric.name}_sum": (), f"{metric.name}_count": ()}
    return {metric.name: ()}

