"""An SLO's rule group: the SLI's rates and error ratio per window, its objective and budget
series, and one multi-window multi-burn-rate alert per tier.

Bad events and all events are recorded apart for each window, and the ratio is the sum of the
one over the sum of the other, so it stays right when the series are aggregated (across
shards, or over the SLO period, where a mean of ratios would weigh a quiet hour like a busy
one).
"""

from __future__ import annotations

from obsgen.compile import slo_names as names
from obsgen.model.names import duration_ms
from obsgen.model.promql import _num
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup
from obsgen.model.slo import SLO, TIERS
from obsgen.model.slo_windows import BurnRate, format_duration

TIER_LABEL = "slo_tier"
_MINUTE_MS = 60_000
_MAX_MS = 10 * _MINUTE_MS


def series_labels(slo: SLO, service: str) -> dict[str, str]:
    """The labels every series of the SLO carries (and so every alert it fires)."""
    return {**slo.labels, "service": service, "slo": slo.name}


def _window_rules(slo: SLO, window: str, labels: dict[str, str]) -> list[RecordingRule]:
    where = slo.source
    errors = names.error_rate(window)
    total = names.total_rate(window)
    ratio = f"sum({names.of(slo, errors)}) / sum({names.of(slo, total)})"
    return [RecordingRule(errors, slo.sli.error_rate(window), labels=labels, source=where),
            RecordingRule(total, slo.sli.total_rate(window), labels=labels, source=where),
            RecordingRule(names.error_ratio(window), ratio, labels=labels, source=where)]


def _meta_rules(slo: SLO, labels: dict[str, str]) -> list[RecordingRule]:
    budget = _num(slo.budget)
    exprs = [(names.OBJECTIVE, _num(slo.target)), (names.ERROR_BUDGET, budget),
             (names.CURRENT_BURN,
              f"{names.of(slo, names.error_ratio(names.base_window(slo)))} / {budget}")]
    return [RecordingRule(name, expr, labels=labels, source=slo.source) for name, expr in exprs]


def _period_rules(slo: SLO, labels: dict[str, str]) -> list[RecordingRule]:
    base, period = names.base_window(slo), slo.window
    sums = (f"sum(sum_over_time({names.of(slo, names.error_rate(base))}[{period}])) / "
            f"sum(sum_over_time({names.of(slo, names.total_rate(base))}[{period}]))")
    exprs = [
        (names.error_ratio(period), sums),
        (names.PERIOD_BURN, f"{names.of(slo, names.error_ratio(period))} / {_num(slo.budget)}"),
        (names.BUDGET_REMAINING, f"1 - {names.of(slo, names.PERIOD_BURN)}"),
    ]
    return [RecordingRule(name, expr, labels=labels, source=slo.source) for name, expr in exprs]


def _ratio(slo: SLO, window: str, recorded: frozenset[str]) -> str:
    """The error ratio over `window`: the series this group records, else computed here (a
    window the other tier's group records, which a test of this group does not load)."""
    if window in recorded:
        return f"sum({names.of(slo, names.error_ratio(window))})"
    return f"({slo.sli.error_rate(window)}) / ({slo.sli.total_rate(window)})"


def _condition(slo: SLO, rate: BurnRate, recorded: frozenset[str]) -> str:
    threshold = f"({_num(rate.factor)} * {_num(slo.budget)})"
    return (f"({_ratio(slo, rate.long, recorded)} > {threshold} and "
            f"{_ratio(slo, rate.short, recorded)} > {threshold})")


def _percent(ratio: float) -> str:
    return f"{round(ratio * 100, 6):g}%"


def describe(slo: SLO, tier: str) -> str:
    rates = slo.rates(tier)
    parts = [f"{_num(r.factor)}x over {r.long} and {r.short}" for r in rates]
    spend = ", ".join(_percent(r.budget_share(slo.window)) for r in rates)
    return (f"SLO {slo.name} ({_num(slo.objective)}% over {slo.window}) burns its error budget "
            f"of {_percent(slo.budget)} at {' or '.join(parts)} the sustainable rate; by the "
            f"time this fires the condition has spent {spend} of the budget.")


def alert(slo: SLO, tier: str, service: str, recorded: frozenset[str] = frozenset()
          ) -> AlertRule:
    t = slo.tier(tier)
    expr = "\nor\n".join(_condition(slo, r, recorded) for r in slo.rates(tier))
    # A tier may set what AlertRule keeps in fields of its own (as imported specs do).
    labels = {**series_labels(slo, service), TIER_LABEL: tier, **t.labels}
    notes = dict(t.annotations)
    return AlertRule(
        slo.alert_name(tier), expr=expr, severity=labels.pop("severity", slo.severity(tier)),
        for_=slo.for_(tier), category=labels.pop("category", "slo"),
        component=labels.pop("component", slo.name),
        summary=notes.pop("summary", f"SLO {slo.name} of {service} is burning its error "
                                     f"budget too fast ({tier})"),
        description=notes.pop("description", describe(slo, tier)),
        runbook_url=notes.pop("runbook_url", ""), labels=labels, annotations=notes,
        source=t.source)


def alerts(slo: SLO, service: str) -> list[AlertRule]:
    return [alert(slo, tier, service) for tier in TIERS if slo.rates(tier)]


def tier_windows(slo: SLO) -> dict[str, tuple[str, ...]]:
    """The windows each tier's group records: the page group those of its alert and the base
    one, the ticket group the rest of its alert's."""
    page = {w for r in slo.rates("page") for w in (r.long, r.short)} | {names.base_window(slo)}
    ticket = {w for r in slo.rates("ticket") for w in (r.long, r.short)} - page
    return {tier: tuple(sorted(found, key=duration_ms))
            for tier, found in (("page", page), ("ticket", ticket))}


def slow_interval(slo: SLO) -> str:
    """The ticket group's evaluation interval: a twelfth of its shortest window, between one
    and ten minutes (a ticket can wait that long; days-long rates every minute are costly)."""
    shortest = min((duration_ms(r.short) for r in slo.rates("ticket")), default=_MAX_MS)
    return format_duration(max(_MINUTE_MS, min(_MAX_MS, shortest // 12) // _MINUTE_MS
                               * _MINUTE_MS))


def _group(slo: SLO, service: str, tier: str, windows: tuple[str, ...],
           extra: list[RecordingRule]) -> RuleGroup:
    labels = series_labels(slo, service)
    rules: list[AlertRule | RecordingRule] = [
        rule for window in windows for rule in _window_rules(slo, window, labels)]
    rules += extra
    if slo.rates(tier):
        rules.append(alert(slo, tier, service, frozenset(windows)))
    name = f"slo-{slo.name}" if tier == "page" else f"slo-{slo.name}-{tier}"
    interval = None if tier == "page" else slow_interval(slo)
    return RuleGroup(name, rules=tuple(rules), interval=interval, source=slo.source)


def groups(slo: SLO, service: str) -> list[RuleGroup]:
    """The page group (evaluated at the global interval) and the slower ticket group."""
    windows, labels = tier_windows(slo), series_labels(slo, service)
    return [_group(slo, service, "page", windows["page"], _meta_rules(slo, labels)),
            _group(slo, service, "ticket", windows["ticket"], _period_rules(slo, labels))]
