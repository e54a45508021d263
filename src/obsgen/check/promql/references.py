"""Cross-checks of one PromQL query against the catalog: every metric, label and value it names
exists, every function suits the metric's type, every grouping label is carried, every
comparison can be true, every `job` is a scrape job.

Without a catalog only the checks that need none run (a `histogram_quantile` whose input lost
`le`, a grouping by a label an inner aggregation already dropped, a function applied to a
series whose name marks the wrong type).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from obsgen.check.promql.analysis import Analysis, Selector, analyse
from obsgen.check.promql.literal_positions import placer
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.catalog import Catalog
from obsgen.model.metrics import Gauge
from obsgen.terminal import shortened

COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
GAUGE_FUNCTIONS = frozenset({"deriv", "delta", "idelta", "predict_linear", "holt_winters",
                             "double_exponential_smoothing"})
COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")
# Series Prometheus writes itself; their labels are those of the alert or target.
SYNTHETIC_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds",
                              "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
                              "scrape_series_added"})
_TARGET_LABELS = frozenset({"job", "instance"})


def locate(where: Location, analysis: Analysis, position: int) -> Location:
    """The place of `position` in the query, given where the query's text starts. A location
    without a column is a Python definition's line: the place inside the string literal that
    holds the query, when there is one, else that line."""
    if not where.column:
        inside = placer(analysis.text, where)
        return inside(position) if inside else where
    line, column = analysis.line_column(position)
    if line == 0:
        return Location(where.path, where.line, where.column + column)
    # Later lines of a `|` block share the first line's indentation.
    return Location(where.path, where.line + line, where.column + column)


def matcher_position(text: str, selector: Selector, label: str) -> int:
    """Where the matcher of `label` starts in the selector (the analysis keeps only where the
    selector starts); the selector's start when it is not found."""
    index = _skip_space(text, _skip_name(text, selector.position))
    if text[index:index + 1] != "{":
        return selector.position
    index += 1
    while index < len(text) and text[index] != "}":
        if text[index] in "\"'`":
            index = _past_string(text, index)
            continue
        end = _skip_name(text, index)
        if end > index and text[index:end] == label:
            return index
        index = max(end, index + 1)
    return selector.position


def range_position(text: str, selector: Selector) -> int:
    """Where the range of a range selector (`5m` of `x{...}[5m]`) starts; else the selector's
    start."""
    index = _skip_space(text, _skip_name(text, selector.position))
    if text[index:index + 1] == "{":
        while index < len(text) and text[index] != "}":
            index = _past_string(text, index) if text[index] in "\"'`" else index + 1
        index = _skip_space(text, index + 1)
    return index + 1 if text[index:index + 1] == "[" else selector.position


def _skip_name(text: str, index: int) -> int:
    while index < len(text) and (text[index].isalnum() or text[index] in "_:."):
        index += 1
    return index


def _skip_space(text: str, index: int) -> int:
    while text[index:index + 1].isspace():
        index += 1
    return index


def _past_string(text: str, index: int) -> int:
    """Just past the quoted string starting at `index`."""
    quote, index = text[index], index + 1
    while index < len(text) and text[index] != quote:
        index += 2 if text[index] == "\\" and quote != "`" else 1
    return index + 1


def too_deep(what: str, why: str, where: Location) -> Diagnostic:
    """OBS972: an expression obsgen did not analyse, since it cannot do so safely."""
    return Diagnostic.of("OBS972", f"{what} not checked: {why}", where,
                         "Prometheus accepts it, but obsgen cannot analyse it safely: split it "
                         "into recording rules, or shorten the chain")


def check_query(text: str, where: Location, catalog: Catalog | None, *, jobs_known: bool = True,
                recorded: Collection[str] = (), owner: str = "",
                place: Callable[[int], Location] | None = None) -> list[Diagnostic]:
    """Every reference check on one query, wherever it comes from (a rule, a panel, a
    dashboard variable, a runbook step). `where` is where its text starts; `place`, when
    given, says where each offset of the text stands instead (a query inside a JSON string,
    whose escapes shift the columns); `recorded` names series that recording rules produce
    (known although not in the catalog); `jobs_known` says whether the catalog's scrape jobs
    are the complete set (a catalog read from an exposition scrape has none to compare with)."""
    analysis = analyse(text)
    prefix = f"{owner}: " if owner else ""
    if analysis.error is not None and analysis.error.too_deep:
        return [too_deep(f"{prefix}expression", analysis.error.message, where)]
    if analysis.error is not None:
        place = place or placer(text, where)
        return [Diagnostic.of("OBS213", f"{prefix}expression does not parse: "
                              f"{analysis.error.message}",
                              place(analysis.error.position) if place else where,
                              f"the expression is: {shortened(text)}")]
    check = _Checker(analysis, catalog, jobs_known and bool(catalog and catalog.jobs),
                     frozenset(recorded))
    return [Diagnostic.of(code, prefix + message, place(position) if place else
                          locate(where, analysis, position), hint)
            for code, message, hint, position in check.findings()]


Finding = tuple[str, str, str, int]  # code, message, hint, position in the query


def _native_histograms(names: list[str | None]) -> bool:
    """Whether histogram_quantile() reads only series named as native histograms are (no
    `_bucket`): each of their samples holds every bucket, so they need no `le` label.
    A mixin's `native or classic` pair reads `x` on one side and `x_bucket` on the other."""
    return bool(names) and all(name is not None and "_bucket" not in name for name in names)


class _Checker:
    def __init__(self, analysis: Analysis, catalog: Catalog | None, check_jobs: bool,
                 recorded: frozenset[str]) -> None:
        self.analysis = analysis
        self.catalog = catalog
        self.check_jobs = check_jobs
        self.recorded = recorded

    def findings(self) -> Iterator[Finding]:
        # A quantile over a non-histogram is said once, as the type error it is.
        wrong_type = list(self.quantile_types()) if self.catalog is not None else []
        yield from wrong_type
        yield from self.histogram_quantiles({position for *_, position in wrong_type})
        yield from self.groupings()
        if self.catalog is None:
            yield from self.name_types()
            return
        for selector in self.analysis.selectors:
            yield from self.selector(selector)
        yield from self.comparisons()

    # --- labels a selector carries -----------------------------------------------------------

    def labels_of(self, selector: Selector) -> frozenset[str] | None:
        if self.catalog is None or selector.name is None:
            return None
        info = self.catalog.series.get(selector.name)
        return frozenset(info.labels) if info is not None else None

    def histogram_quantiles(self, wrong_type: set[int]) -> Iterator[Finding]:
        selectors = self.analysis.selectors
        for call in self.analysis.calls:
            if call.name != "histogram_quantile" or call.argument is None or any(
                    selectors[i].position in wrong_type for i in call.selectors):
                continue
            if _native_histograms([selectors[i].name for i in call.selectors]):
                continue
            carried = self.analysis.carried(call.argument, self.labels_of)
            # VictoriaMetrics' histograms bucket by `vmrange`, which its histogram_quantile()
            # reads in place of `le`.
            if carried.lacks("le") and carried.lacks("vmrange"):
                yield ("OBS902", "histogram_quantile() needs the `le` label, which its input "
                       "series do not carry (an aggregation dropped it, or they are no buckets)",
                       "keep `le` in the grouping: sum by (le, ...) (rate(x_bucket[5m]))",
                       call.position)

    def groupings(self) -> Iterator[Finding]:
        for agg in self.analysis.aggregations:
            inner = self.analysis.carried(agg.inner, self.labels_of)
            have = ", ".join(sorted(inner.upper)) if inner.upper is not None else ""
            hint = f"labels available here: {have or 'none'}" if inner.upper is not None else (
                "an inner aggregation or vector match already removed it")
            for label in agg.by or ():
                if inner.lacks(label):
                    yield ("OBS903", f"{agg.op} by ({label}): the aggregated series never carry "
                           f"{label!r}, so every result has it empty", hint, agg.position)
            for label in agg.without or ():
                if inner.lacks(label):
                    yield ("OBS904", f"{agg.op} without ({label}): the aggregated series never "
                           f"carry {label!r}; the clause does nothing", hint, agg.position)

    # --- catalog-free type hints from names ---------------------------------------------------

    def name_types(self) -> Iterator[Finding]:
        for selector in self.analysis.selectors:
            name, fn = selector.name, selector.functions[0] if selector.functions else ""
            if name is None or ":" in name or name in self.recorded:
                continue
            if fn in GAUGE_FUNCTIONS and name.endswith(COUNTER_SUFFIXES):
                yield ("OBS930", f"{fn}() on {name}, whose name marks a counter",
                       "use rate() or increase() on counters; deriv/delta are for gauges",
                       selector.position)
        # A query reading both `x` and `x_bucket` is the `native or classic` pair: x is a
        # native histogram, which histogram_quantile() takes as it is.
        read = {s.name for s in self.analysis.selectors}
        for call in self.analysis.calls:
            names = [self.analysis.selectors[i].name for i in call.selectors]
            if call.name != "histogram_quantile" or not names or any(
                    n is None or ":" in n or n in self.recorded or n.endswith("_bucket")
                    or f"{n}_bucket" in read for n in names):
                continue
            yield ("OBS930", f"histogram_quantile() over {names[0]}, which is not a "
                   "histogram's _bucket series",
                   "pass rate(<histogram>_bucket[...]) aggregated by le",
                   self.analysis.selectors[call.selectors[0]].position)

    # --- one selector against the catalog -----------------------------------------------------

    def selector(self, selector: Selector) -> Iterator[Finding]:
        assert self.catalog is not None
        name = selector.name
        if name is None or name in SYNTHETIC_SERIES or name in self.recorded or ":" in name:
            return
        info = self.catalog.series.get(name)
        if info is None:
            yield from self.unknown(selector, name)
            return
        for matcher in selector.matchers:
            if matcher.templated or matcher.label == "job":
                continue
            at = matcher_position(self.analysis.text, selector, matcher.label)
            for code, message, hint in self.catalog.check_selector(
                    name, [(matcher.label, matcher.op, matcher.value)]):
                yield code, message, hint, at
        yield from self.job(selector)
        yield from self.function_types(selector)

    def unknown(self, selector: Selector, name: str) -> Iterator[Finding]:
        assert self.catalog is not None
        base, _, suffix = name.rpartition("_")
        metric = next((m for m in self.catalog.metrics if m.name == base), None)
        if suffix in ("bucket", "sum", "count") and metric is not None:
            yield ("OBS901", f"{name}: {metric.kind} {base} has no _{suffix} series",
                   f"only histograms (and summaries, for _sum/_count) have it; read {base}",
                   selector.position)
            return
        for code, message, hint in self.catalog.check_selector(name, []):
            yield code, message, hint, selector.position

    def job(self, selector: Selector) -> Iterator[Finding]:
        matcher = selector.matcher("job")
        if not self.check_jobs or matcher is None or matcher.templated:
            return
        assert self.catalog is not None
        jobs = [j.name for j in self.catalog.jobs]
        if matcher.op == "=" and matcher.value not in jobs:
            yield ("OBS906", f"{selector.name}{{job=\"{matcher.value}\"}}: no scrape job is "
                   f"named {matcher.value!r}, so this selects nothing",
                   f"scrape jobs: {', '.join(jobs)}", selector.position)

    def function_types(self, selector: Selector) -> Iterator[Finding]:
        assert self.catalog is not None and selector.name is not None
        info = self.catalog.series[selector.name]
        kind = info.metric.kind if info.metric is not None else "gauge"  # `up`
        counter_like = kind == "counter" or (
            kind in ("histogram", "summary") and selector.name != getattr(info.metric, "name", ""))
        fn = selector.functions[0] if selector.functions else ""
        if fn in COUNTER_FUNCTIONS and not counter_like:
            what = "a summary's quantile series" if kind == "summary" else f"{kind}"
            yield ("OBS111", f"{fn}() on {what} {selector.name}: {fn} only makes sense on "
                   "counters", "use the gauge directly, or delta()/deriv() for its change",
                   selector.position)
        if fn in GAUGE_FUNCTIONS and counter_like:
            yield ("OBS111", f"{fn}() on counter series {selector.name}",
                   "use rate() or increase() on counters", selector.position)

    def quantile_types(self) -> Iterator[Finding]:
        """histogram_quantile over catalog series none of which is a histogram's buckets (one
        bucket series among others is a join with an info metric, which is fine)."""
        assert self.catalog is not None
        for call in self.analysis.calls:
            if call.name != "histogram_quantile":
                continue
            known = []
            for index in call.selectors:
                selector = self.analysis.selectors[index]
                info = self.catalog.series.get(selector.name or "")
                if info is None:
                    break
                kind = info.metric.kind if info.metric is not None else "gauge"
                if kind == "histogram" and (selector.name or "").endswith("_bucket"):
                    break
                known.append((selector, kind))
            else:
                if known:
                    selector, kind = known[0]
                    yield ("OBS111", f"histogram_quantile() over {kind} series {selector.name}",
                           "quantiles need a Histogram's _bucket series; a Summary exposes "
                           "them as {quantile=...}", selector.position)

    # --- comparisons against declared bounds --------------------------------------------------

    def comparisons(self) -> Iterator[Finding]:
        assert self.catalog is not None
        for comparison in self.analysis.comparisons:
            if comparison.source is None or comparison.return_bool:
                continue
            selector = self.analysis.selectors[comparison.source]
            info = self.catalog.series.get(selector.name or "")
            metric = info.metric if info is not None else None
            if not isinstance(metric, Gauge):
                continue
            low = metric.min
            high = None if comparison.summed else metric.max
            if comparison.summed and (low is None or low < 0):
                continue
            if _never_true(comparison.op, comparison.value, low, high):
                bounds = f"[{_fmt(low)}, {_fmt(high)}]"
                yield ("OBS905", f"{selector.name} {comparison.op} {_fmt(comparison.value)} can "
                       f"never be true: the gauge is declared within {bounds}",
                       "compare against a value inside the bounds, or fix the declared "
                       "min/max", comparison.position)


def _never_true(op: str, value: float, low: float | None, high: float | None) -> bool:
    if op == "<":
        return low is not None and low >= value
    if op == "<=":
        return low is not None and low > value
    if op == ">":
        return high is not None and high <= value
    if op == ">=":
        return high is not None and high < value
    if op == "==":
        return (low is not None and value < low) or (high is not None and value > high)
    return False


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)
