"""A RawRatio of the common shape, read back as Events so its alerts get generated tests too:
`sum(rate(<selector>[{{window}}]))` for bad events and for all events, or all events minus
`sum(rate(<selector>[{{window}}]))` of good ones (how imported Sloth and OpenSLO specs read).
Any other PromQL gets no generated tests."""

from __future__ import annotations

import re

from obsgen.diagnostics import DefinitionError
from obsgen.model.metrics import Counter, Label
from obsgen.model.promql import Match, Selector
from obsgen.model.sli import Events, RawRatio

_RATE = re.compile(r"sum\(rate\((?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<body>[^{}]*)\})?"
                   r"\[\{\{window\}\}\]\)\)")
_MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')

Parsed = tuple[str, tuple[tuple[str, Match], ...]]


def _matchers(body: str) -> tuple[tuple[str, Match], ...] | None:
    found, at = [], 0
    while at < len(body):
        hit = _MATCHER.match(body, at)
        if hit is None:
            return None
        value = re.sub(r"\\(.)", r"\1", hit.group(3))
        found.append((hit.group(1), Match(hit.group(2), value)))
        at = hit.end()
    return tuple(found)


def _rate(text: str) -> Parsed | None:
    hit = _RATE.fullmatch(text.strip())
    if hit is None:
        return None
    matchers = _matchers(hit.group("body") or "")
    return None if matchers is None else (hit.group("name"), matchers)


def _selectors(*parsed: Parsed) -> list[Selector]:
    """Selectors on stand-in counters that declare the labels the queries match on."""
    labels: dict[str, set[str]] = {}
    for name, matchers in parsed:
        labels.setdefault(name, set()).update(n for n, _ in matchers)
    metrics = {name: Counter(name, labels=tuple(Label(n) for n in sorted(found)))
               for name, found in labels.items()}
    return [Selector(metrics[name], matchers) for name, matchers in parsed]


def as_events(sli: RawRatio) -> Events | None:
    total = _rate(sli.total)
    if sli.ratio or total is None:
        return None
    errors = _rate(sli.errors)
    try:
        if errors is not None:
            bad, all_ = _selectors(errors, total)
            return Events(errors=bad, total=all_)
        left, _, right = sli.errors.partition(" - ")
        good = _rate(right)
        if good is None or _rate(left) != total:
            return None
        part, all_ = _selectors(good, total)
        return Events(good=part, total=all_)
    except DefinitionError:  # not a subset of the total: no tests rather than wrong ones
        return None
