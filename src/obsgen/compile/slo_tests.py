"""promtool tests of an SLO's alerts: for each burn-rate condition, an incident burning just
above its factor after a healthy stretch fires once the long window is full of it (and not
before 90% of the time that takes), and one burning just below stays silent.

Traffic is steady (`TRAFFIC` events a minute); the incident changes only the share of bad
events. A RawRatio SLI is PromQL obsgen cannot feed, so it gets no generated tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from obsgen.compile.slo_rules import series_labels, slow_interval
from obsgen.compile.slo_series import Feed, feed
from obsgen.model.names import duration_ms
from obsgen.model.rules import AlertRule
from obsgen.model.ruletests import ExpectAlert, Firing, RuleTest, Series
from obsgen.model.slo import SLO, TIERS
from obsgen.model.slo_windows import BurnRate, format_duration

TRAFFIC = 1000  # events per minute
ABOVE, BELOW = 1.05, 0.95
EARLY = 0.9  # the share of the expected detection time that must pass in silence
_MINUTE = 60_000
_MAX_STEP = 10 * _MINUTE


@dataclass(frozen=True)
class Case:
    """One generated test: the tier, its condition and how hard the incident burns."""

    tier: str
    rate: BurnRate
    margin: float

    def ratio(self, slo: SLO) -> float:
        return self.rate.factor * slo.budget * self.margin


def step_ms(slo: SLO, tier: str) -> int:
    """Four samples to the tier's shortest window, at most ten minutes apart: promtool
    evaluates every minute of a test, and days of minute samples make a test take minutes."""
    shortest = min(duration_ms(r.short) for r in slo.rates(tier))
    return max(1000, min(_MAX_STEP, shortest // 4) // 1000 * 1000)


def evaluation_ms(slo: SLO, tier: str) -> int:
    """How often promtool evaluates the tier's group (see slo_rules.groups)."""
    return _MINUTE if tier == "page" else duration_ms(slow_interval(slo))


def healthy_ms(slo: SLO, tier: str) -> int:
    """The healthy stretch before the incident: every window of the tier full of it."""
    return max(duration_ms(r.long) for r in slo.rates(tier))


def _first_fire(slo: SLO, rate: BurnRate, ratio: float) -> float:
    """Milliseconds after onset when `rate` starts to hold at `ratio` (inf: never)."""
    threshold = rate.factor * slo.budget
    if ratio <= threshold:
        return math.inf
    return duration_ms(rate.long) * threshold / ratio


def _others_fire(slo: SLO, case: Case, ratio: float) -> float:
    """The earliest another condition of the same tier fires for this incident."""
    return min((_first_fire(slo, r, ratio) for r in slo.rates(case.tier) if r is not case.rate),
               default=math.inf)


def _wait(alert: AlertRule) -> int:
    return duration_ms(alert.for_ or "0s")


def _expectations(slo: SLO, alert: AlertRule, case: Case, firing: dict[str, str], step: int
                  ) -> list[ExpectAlert]:
    """Silent at 90% of the expected detection time and firing once the long window is full
    of the incident (above), or still silent then (below); a check another condition of the
    tier could spoil by firing first is left out."""
    long, start = duration_ms(case.rate.long), healthy_ms(slo, case.tier)
    others = _others_fire(slo, case, case.ratio(slo))
    every = evaluation_ms(slo, case.tier)
    end = -(-(start + long + _wait(alert)) // every) * every + every

    def expect(ms: float, *fired: Firing) -> ExpectAlert:
        return ExpectAlert(alert, at=format_duration(int(ms) // every * every), firing=fired,
                           source=slo.source)

    if case.margin < 1:
        return [expect(end)] if long < others else []
    early = EARLY * long / case.margin
    quiet = [expect(start + early)] if early < others else []
    return [*quiet, expect(end, Firing(firing))]


def _test(slo: SLO, service: str, alert: AlertRule, case: Case, source: Feed
          ) -> RuleTest | None:
    ratio = case.ratio(slo)
    if ratio >= 1:
        return None  # an error ratio cannot exceed 1: the condition can never fire
    step = step_ms(slo, case.tier)
    expect = _expectations(slo, alert, case, series_labels(slo, service), step)
    if not expect:
        return None
    steps = healthy_ms(slo, case.tier) // step
    every = evaluation_ms(slo, case.tier)
    incident = (duration_ms(case.rate.long) + _wait(alert) + 2 * every) // step + 1
    per_step = TRAFFIC * step / _MINUTE
    series = [Series(text, values, source=slo.source)
              for text, values in source.series(per_step, ratio, steps, incident)]
    what = (f"just above {case.rate.factor:g}x fires within {case.rate.long}" if case.margin > 1
            else f"just below {case.rate.factor:g}x stays silent")
    return RuleTest(f"SLO {slo.name}, {case.tier} ({case.rate.long}/{case.rate.short}): "
                    f"burning {what}", series=tuple(series), expect=tuple(expect),
                    interval=format_duration(step), source=slo.source)


def tests(slo: SLO, service: str, alerts: dict[str, AlertRule]) -> list[RuleTest]:
    source = feed(slo.sli)
    if source is None:
        return []
    made = (_test(slo, service, alerts[tier], Case(tier, rate, margin), source)
            for tier in TIERS if tier in alerts for rate in slo.rates(tier)
            for margin in (ABOVE, BELOW))
    return [t for t in made if t is not None]
