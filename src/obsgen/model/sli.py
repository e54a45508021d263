"""Service level indicators: what share of events was bad, built from catalog metrics.

`Events` counts bad (or good) events against all events from two counter selectors; `Latency`
counts the events of a histogram slower than one of its declared buckets; `RawRatio` takes
PromQL text with a `{{window}}` placeholder where the catalog cannot say it. Each renders the
two rates (bad events, all events) for one window, which the SLO records separately so that
the error ratio over any window or aggregation is a ratio of sums.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from obsgen.diagnostics import DefinitionError
from obsgen.model.arguments import check_arguments
from obsgen.model.metrics import Histogram, Metric
from obsgen.model.promql import Selector
from obsgen.model.promql_functions import rate

WINDOW = "{{window}}"


def _counter_selector(value: Metric | Selector, role: str) -> Selector:
    sel = value if isinstance(value, Selector) else Selector(value)
    if sel.metric.kind != "counter" and not sel.suffix:
        raise DefinitionError(
            "OBS217", f"the {role} events of an SLI come from {sel.metric.kind} "
            f"{sel.metric.name}; events are counted by counters",
            hint="use a Counter (or a histogram's .series(\"count\")); a gauge's value is no "
                 "count of events")
    return sel


def _matchers(sel: Selector) -> dict[str, str]:
    return {name: f"{m.op}{m.value}" for name, m in sel.matchers}


def _check_subset(part: Selector, total: Selector, role: str) -> None:
    """Bad (or good) events must be a subset of all events: the labels they filter on exist on
    the total's metric, and every filter of the total applies to them too."""
    declared = {*total.metric.label_names, "job", "instance"}
    absent = sorted(set(_matchers(part)) - declared)
    if absent:
        raise DefinitionError(
            "OBS218", f"the {role} selector {part.expr().text} filters on "
            f"{', '.join(absent)}, which the total {total.metric.name} does not carry",
            hint=f"labels of {total.metric.name}: "
                 f"{', '.join(total.metric.label_names) or 'none'}; count {role} events on a "
                 "label both metrics share")
    mine = _matchers(part)
    missing = sorted(n for n, m in _matchers(total).items() if mine.get(n) != m)
    if missing:
        raise DefinitionError(
            "OBS218", f"the total selector {total.expr().text} filters on {', '.join(missing)} "
            f"but the {role} selector {part.expr().text} does not",
            hint=f"give the {role} selector the same filter, or it counts events the total "
                 "leaves out")


@dataclass(frozen=True, eq=False)
class Events:
    """Bad events / all events: give `errors=` or `good=` (one of them) and `total=`.

    Example:

    ```python
    SERVER_ERRORS = Events(errors=REQUESTS.where(status="5xx"), total=REQUESTS)
    ```
    """

    total: Metric | Selector
    errors: Metric | Selector | None = None
    good: Metric | Selector | None = None

    def __post_init__(self) -> None:
        check_arguments(self)
        if (self.errors is None) == (self.good is None):
            raise DefinitionError("OBS004", "Events needs exactly one of errors= and good=",
                                  hint="Events(errors=REQS.where(code=\"500\"), total=REQS)")
        total = _counter_selector(self.total, "total")
        object.__setattr__(self, "total", total)
        role = "errors" if self.errors is not None else "good"
        part = _counter_selector(getattr(self, role), role)
        _check_subset(part, total, role)
        object.__setattr__(self, role, part)

    @property
    def kind(self) -> str:
        return "events"

    def total_rate(self, window: str) -> str:
        assert isinstance(self.total, Selector)
        return rate(self.total, window).sum().text

    def error_rate(self, window: str) -> str:
        if isinstance(self.errors, Selector):
            return rate(self.errors, window).sum().text
        assert isinstance(self.good, Selector)
        return f"{self.total_rate(window)} - {rate(self.good, window).sum().text}"


def bucket_text(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else repr(float(bound))


@dataclass(frozen=True, eq=False)
class Latency:
    """Events slower than `threshold` (in the histogram's unit) / all events of the histogram;
    the threshold must be one of its declared buckets, else the SLI would silently measure
    another bound.

    Example:

    ```python
    SLOW_REQUESTS = Latency(LATENCY, threshold=0.5)
    ```
    """

    histogram: Histogram | Selector
    threshold: float

    def __post_init__(self) -> None:
        check_arguments(self)
        sel = self.histogram if isinstance(self.histogram, Selector) else Selector(
            self.histogram)
        if not isinstance(sel.metric, Histogram):
            raise DefinitionError("OBS217", f"a latency SLI needs a histogram, got "
                                  f"{sel.metric.kind} {sel.metric.name}",
                                  hint="pass a Histogram from the catalog")
        object.__setattr__(self, "histogram", Selector(sel.metric, sel.matchers))
        buckets = sel.metric.buckets
        if buckets and float(self.threshold) not in {float(b) for b in buckets}:
            raise DefinitionError(
                "OBS216", f"latency threshold {bucket_text(self.threshold)} is not a bucket of "
                f"{sel.metric.name}", hint=f"nearest buckets: {_nearest(buckets, self.threshold)}"
                "; a threshold between buckets cannot be counted exactly")

    @property
    def kind(self) -> str:
        return "latency"

    @property
    def selector(self) -> Selector:
        assert isinstance(self.histogram, Selector)
        return self.histogram

    def le_matcher(self) -> str:
        """The bucket's `le`; integral bounds also match the float form ("300.0") that
        Prometheus 3 and the Python client write."""
        text = bucket_text(self.threshold)
        if "." in text or "e" in text:
            return f'le="{text}"'
        return f'le=~"{text}|{text}\\\\.0"'

    def total_rate(self, window: str) -> str:
        count = Selector(self.selector.metric, self.selector.matchers, "_count")
        return rate(count, window).sum().text

    def error_rate(self, window: str) -> str:
        body = ",".join([*(f'{n}{m.op}"{m.value}"' for n, m in self.selector.matchers),
                         self.le_matcher()])
        fast = f"sum(rate({self.selector.metric.name}_bucket{{{body}}}[{window}]))"
        return f"{self.total_rate(window)} - {fast}"


def _nearest(buckets: tuple[float, ...], value: float) -> str:
    at = bisect.bisect_left(buckets, value)
    near = buckets[max(0, at - 1):at + 1]
    return " and ".join(bucket_text(b) for b in near)


@dataclass(frozen=True, eq=False)
class RawRatio:
    """PromQL for the rates of bad and of all events, `{{window}}` standing for the range
    (the escape hatch for queries the catalog cannot type). `ratio=` alone gives the error
    ratio itself (Sloth's raw SLI); its period ratio is then a mean of ratios.

    Example:

    ```python
    RAW_ERRORS = RawRatio(
        errors='sum(rate(myapp_http_requests_total{status="5xx"}[{{window}}]))',
        total="sum(rate(myapp_http_requests_total[{{window}}]))",
    )
    ```
    """

    errors: str = ""
    total: str = ""
    ratio: str = ""

    def __post_init__(self) -> None:
        check_arguments(self)
        if bool(self.ratio) == bool(self.errors or self.total):
            raise DefinitionError("OBS004", "RawRatio takes errors= and total=, or ratio=",
                                  hint="RawRatio(errors=\"sum(rate(x{code='500'}[{{window}}]))\","
                                       " total=\"sum(rate(x[{{window}}]))\")")
        for role in ("ratio",) if self.ratio else ("errors", "total"):
            if WINDOW not in getattr(self, role):
                raise DefinitionError(
                    "OBS004", f"the {role} query of a RawRatio has no {WINDOW} placeholder",
                    hint="write the range as [{{window}}]: sum(rate(x_total[{{window}}]))")

    @property
    def kind(self) -> str:
        return "raw"

    def total_rate(self, window: str) -> str:
        # With only a ratio, every window counts as one event, of which `ratio` is bad.
        return self.total.replace(WINDOW, window) if self.total else "vector(1)"

    def error_rate(self, window: str) -> str:
        return (self.errors or self.ratio).replace(WINDOW, window)


SLI = Events | Latency | RawRatio
