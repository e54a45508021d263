"""The PromQL functions definitions call (rate, histogram_quantile, ...), apart from the types."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from obsgen.diagnostics import DefinitionError
from obsgen.model.promql import Expr, Match, Operand, Selector, _num, _Ops, as_expr

if TYPE_CHECKING:
    from obsgen.model.metrics import Metric
    from obsgen.model.pipeline import ScrapeJob

RATE_INTERVAL = "$__rate_interval"
COUNTER_LIKE_SERIES = {"counter": ("",), "histogram": ("_bucket", "_count", "_sum"),
                       "summary": ("_count", "_sum")}


def _selector(value: Metric | Selector, what: str) -> Selector:
    from obsgen.model.metrics import Metric

    if isinstance(value, Metric):
        return Selector(value)
    if isinstance(value, Selector):
        return value
    raise DefinitionError("OBS004", f"{what}() needs a catalog metric or selector, got {value!r}",
                          hint="pass the metric object from your catalog")


def _counter_like(sel: Selector, fn: str) -> Selector:
    kind = sel.metric.kind
    if kind in ("histogram", "summary") and not sel.suffix:
        sel = Selector(sel.metric, sel.matchers, "_count" if kind == "summary" else "_bucket")
    if sel.suffix not in COUNTER_LIKE_SERIES.get(kind, ()):
        raise DefinitionError(
            "OBS111", f"{fn}() on {kind} {sel.series}: {fn} only makes sense on counters",
            hint="use the gauge directly, or delta()/deriv() for its change",
        )
    return sel


def _range_fn(fn: str, value: Metric | Selector, window: str) -> Expr:
    sel = _counter_like(_selector(value, fn), fn)
    return Expr(f"{fn}({sel.range(window)})", sel.expr().labels)


def rate(value: Metric | Selector, window: str = RATE_INTERVAL) -> Expr:
    return _range_fn("rate", value, window)


def irate(value: Metric | Selector, window: str = RATE_INTERVAL) -> Expr:
    return _range_fn("irate", value, window)


def increase(value: Metric | Selector, window: str = RATE_INTERVAL) -> Expr:
    return _range_fn("increase", value, window)


def histogram_quantile(q: float, value: Metric | Selector, window: str = RATE_INTERVAL,
                       by: Iterable[str] | str = ()) -> Expr:
    sel = _selector(value, "histogram_quantile")
    if sel.metric.kind != "histogram":
        raise DefinitionError(
            "OBS111", f"histogram_quantile() on {sel.metric.kind} {sel.metric.name}",
            hint="quantiles need a Histogram's buckets; a Summary exposes them as {quantile=...}",
        )
    if not 0 <= q <= 1:
        raise DefinitionError("OBS004", f"quantile {q} is outside [0, 1]", hint="e.g. 0.95")
    buckets = Selector(sel.metric, sel.matchers, "_bucket")
    names = ("le", *((by,) if isinstance(by, str) else tuple(by)))
    inner = rate(buckets, window).sum(by=names)
    return Expr(f"histogram_quantile({_num(q)}, {inner.text})", frozenset(names) - {"le"})


def predict_linear(value: Metric | Selector, window: str, seconds: float) -> Expr:
    sel = _selector(value, "predict_linear")
    if sel.metric.kind != "gauge":
        raise DefinitionError("OBS111", f"predict_linear() on {sel.metric.kind} "
                              f"{sel.metric.name}", hint="predict_linear extrapolates gauges")
    return Expr(f"predict_linear({sel.range(window)}, {_num(seconds)})", sel.expr().labels)


def absent(value: Operand | Metric) -> Expr:
    inner = value.expr() if isinstance(value, _Ops) else as_expr(value)
    kept: frozenset[str] = frozenset()
    if isinstance(value, Selector):
        kept = frozenset(n for n, m in value.matchers if m.op == "=")
    return Expr(f"absent({inner.text})", kept)


def up(job: ScrapeJob) -> Selector:
    """`up{job="..."}` for a scrape job of the catalog."""
    from obsgen.model.metrics import Gauge

    return Selector(Gauge("up", help="1 if the last scrape succeeded"), (
        ("job", Match("=", job.name)),))


def topk(k: int, value: Operand, by: Iterable[str] | str | None = None) -> Expr:
    return as_expr(value)._aggregate("topk", by, param=str(int(k)))
