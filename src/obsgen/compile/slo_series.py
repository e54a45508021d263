"""Input series that drive an SLI at a chosen error ratio: concrete label sets for its
selectors, and counter values in promtool's expanding notation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from obsgen.compile.slo_raw import as_events
from obsgen.model.metrics import Metric
from obsgen.model.promql import Match, Selector
from obsgen.model.sli import SLI, Events, Latency, bucket_text

START = 100_000  # far from zero, so Prometheus extrapolates every counter alike
OTHER = "obsgen-other"


def _satisfies(match: Match, value: str) -> bool:
    if match.op == "=":
        return value == match.value
    if match.op == "!=":
        return value != match.value
    hit = re.fullmatch(match.value, value) is not None
    return hit if match.op == "=~" else not hit


def _value(metric: Metric, name: str, match: Match, wanted: bool = True) -> str | None:
    """A value of label `name` that does (or, wanted=False, does not) satisfy `match`."""
    if match.op == "=" and wanted:
        return match.value
    declared = metric.label(name).values if name in metric.label_names else None
    guesses = [*(declared or ()), *re.split(r"\|", match.value), OTHER]
    return next((v for v in guesses if re.fullmatch(r"[\w.:-]+", v)
                 and _satisfies(match, v) == wanted), None)


def concrete(sel: Selector) -> dict[str, str] | None:
    labels = {}
    for name, match in sel.matchers:
        value = _value(sel.metric, name, match)
        if value is None:
            return None
        labels[name] = value
    return labels


def _text(name: str, labels: dict[str, str]) -> str:
    body = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{body}}}" if body else name


def _num(value: float) -> str:
    text = f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def counter(healthy_step: float, incident_step: float, healthy: int, incident: int) -> str:
    """`healthy` steps rising by healthy_step, then `incident` more rising by incident_step."""
    top = START + healthy_step * healthy
    return (f"{START}+{_num(healthy_step)}x{healthy} "
            f"{_num(top + incident_step)}+{_num(incident_step)}x{incident - 1}")


@dataclass(frozen=True)
class Flow:
    """One input series and the share of each step's events it counts: `healthy` while all
    is well, `bad_share(ratio)` = healthy + slope x ratio during the incident."""

    text: str
    healthy: float
    slope: float


@dataclass(frozen=True)
class Feed:
    flows: tuple[Flow, ...]

    def series(self, traffic: float, ratio: float, healthy: int, incident: int
               ) -> Iterator[tuple[str, str]]:
        for flow in self.flows:
            good, bad = traffic * flow.healthy, traffic * (flow.healthy + flow.slope * ratio)
            yield flow.text, counter(good, bad, healthy, incident)


def _events(sli: Events) -> Feed | None:
    assert isinstance(sli.total, Selector)
    part = sli.errors if sli.errors is not None else sli.good
    assert isinstance(part, Selector)
    # Bad events: 0 -> ratio of the traffic; good events: all -> 1 - ratio of it.
    share, slope = (0.0, 1.0) if sli.errors is not None else (1.0, -1.0)
    total, mine = concrete(sli.total), concrete(part)
    if total is None or mine is None:
        return None
    flows = [Flow(_text(part.series, {**total, **mine}), share, slope)]
    if part.metric is not sli.total.metric:
        return Feed((*flows, Flow(_text(sli.total.series, total), 1.0, 0.0)))
    rest = _complement(part, total)
    if rest is None:
        return None
    return Feed((*flows, Flow(_text(part.series, rest), 1 - share, -slope)))


def _complement(part: Selector, total: dict[str, str]) -> dict[str, str] | None:
    """Labels of series the total counts and `part` does not."""
    for name, match in part.matchers:
        if name in total:
            continue
        value = _value(part.metric, name, match, wanted=False)
        if value is not None:
            return {**total, name: value}
    return None


def _latency(sli: Latency) -> Feed | None:
    labels = concrete(sli.selector)
    if labels is None:
        return None
    name = sli.selector.metric.name
    fast = {**labels, "le": bucket_text(sli.threshold)}
    return Feed((Flow(_text(f"{name}_count", labels), 1.0, 0.0),
                 Flow(_text(f"{name}_bucket", fast), 1.0, -1.0)))


def feed(sli: SLI) -> Feed | None:
    """Series for the SLI, or None where obsgen cannot make them (raw PromQL of another
    shape than slo_raw reads)."""
    if isinstance(sli, Events):
        return _events(sli)
    if isinstance(sli, Latency):
        return _latency(sli)
    events = as_events(sli)
    return _events(events) if events is not None else None
