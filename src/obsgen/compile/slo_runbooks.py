"""The runbook of each SLO alert: what the SLI measures, what the tier means, how to see how
much budget is left, and queries to find where the bad events come from."""

from __future__ import annotations

from obsgen.compile import slo_names as names
from obsgen.compile.slo_rules import describe
from obsgen.model.names import duration_ms
from obsgen.model.promql import Selector
from obsgen.model.promql_functions import histogram_quantile, rate, topk
from obsgen.model.rules import AlertRule
from obsgen.model.runbooks import Runbook, Step
from obsgen.model.sli import Events, Latency, bucket_text
from obsgen.model.slo import SLO
from obsgen.model.slo_windows import format_duration

MEANING = {
    "page": "The budget burns so fast that it will be gone within days: act now.",
    "ticket": "The budget burns faster than the SLO window allows, slowly enough to be dealt "
              "with in working hours.",
}


def measures(slo: SLO) -> str:
    sli = slo.sli
    if isinstance(sli, Events):
        role, part = ("errors", sli.errors) if sli.errors is not None else ("good", sli.good)
        assert isinstance(part, Selector) and isinstance(sli.total, Selector)
        return (f"The share of events counted by `{sli.total.expr().text}` that are "
                f"{'bad' if role == 'errors' else 'not good'} (`{part.expr().text}`).")
    if isinstance(sli, Latency):
        return (f"The share of `{sli.selector.metric.name}` observations slower than "
                f"{bucket_text(sli.threshold)} {sli.selector.metric.unit or 'units'}.")
    if sli.ratio:
        return f"The error ratio `{sli.ratio}` (raw PromQL)."
    return f"The ratio of `{sli.errors}` to `{sli.total}` (raw PromQL)."


def _budget_time(slo: SLO) -> str:
    return format_duration(int(duration_ms(slo.window) * slo.budget) // 1000 * 1000)


def _where(slo: SLO, window: str) -> list[Step]:
    sli, src = slo.sli, slo.source
    if isinstance(sli, Events):
        part = sli.errors if sli.errors is not None else sli.good
        assert isinstance(part, Selector)
        by = [n for n in part.metric.label_names if n not in dict(part.matchers)]
        if by:
            return [Step(f"See which {', '.join(by)} the counted events come from",
                         query=topk(10, rate(part, window).sum(by=by)), source=src)]
    if isinstance(sli, Latency):
        by = [n for n in sli.selector.metric.label_names if n not in dict(sli.selector.matchers)]
        return [Step("See which series are slow: the 99th percentile by label",
                     query=topk(10, histogram_quantile(0.99, sli.selector, window, by=by)),
                     source=src)]
    return []


def runbook(slo: SLO, tier: str, alert: AlertRule) -> Runbook:
    src, rates = slo.source, slo.rates(tier)
    long = rates[0].long
    steps = [
        Step("Check the error ratio over the alert's long window",
             query=names.of(slo, names.error_ratio(long)), source=src),
        Step("Check how fast the budget burns now (1 = exactly as fast as the window allows)",
             query=names.of(slo, names.CURRENT_BURN), source=src),
        Step("Check how much of the error budget is left (1 = all of it, below 0 = spent)",
             query=names.of(slo, names.BUDGET_REMAINING), source=src),
        *_where(slo, long),
    ]
    return Runbook(
        alert, description=f"{slo.description or measures(slo)} {describe(slo, tier)}",
        impact=f"{MEANING[tier]} The SLO allows {_budget_time(slo)} of bad events "
               f"(all events failing) per {slo.window}.",
        investigation=tuple(steps),
        quick_fix="Find the change or dependency that made the events bad (deploys, "
                  "configuration, an upstream) and roll it back.",
        source=src)
