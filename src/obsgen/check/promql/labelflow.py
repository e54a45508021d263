"""Which labels a PromQL result can carry, as a small formula over its selectors.

The analysis records the formula once per expression (catalog-free); a check evaluates it with
whatever it knows about each selector's labels: nothing (any label possible) for a foreign rule
file, the declared labels when a catalog is at hand. The result is an upper bound: a label
outside it can never be on the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

LabelsOf = Callable[[int], frozenset[str] | None]  # a selector's labels, None when unknown
NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Carried:
    """At most `upper` (None: any label), and certainly none of `excluded`."""

    upper: frozenset[str] | None
    excluded: frozenset[str] = NOTHING

    def lacks(self, label: str) -> bool:
        """Whether the result can never carry `label`."""
        return label in self.excluded or (self.upper is not None and label not in self.upper)


class Anything(NamedTuple):
    """Labels nobody can know offline (a dashboard variable names them)."""

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(None)


class FromSelector(NamedTuple):
    selector: int  # index into the analysis' selectors

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(labels_of(self.selector))


class Fixed(NamedTuple):
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(self.labels)


class Either(NamedTuple):
    """`a or b`: the labels of either side."""

    parts: tuple[LabelFlow, ...]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        uppers = [r.upper for r in results]
        upper = None if any(u is None for u in uppers) else frozenset().union(
            *(u for u in uppers if u is not None))
        excluded = frozenset.intersection(*(r.excluded for r in results)) if results else NOTHING
        return Carried(upper, excluded)


class Without(NamedTuple):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        inner = results[0]
        upper = inner.upper - self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded | self.labels)


class Adding(NamedTuple):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        inner = results[0]
        if not self.labels:
            return inner
        upper = inner.upper | self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded - self.labels)


class Keeping(NamedTuple):
    """One-to-one matching `on(labels)`: the result keeps only those labels."""

    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        inner = results[0]
        upper = inner.upper & self.labels if inner.upper is not None else self.labels
        return Carried(upper, inner.excluded)


# NamedTuples, not frozen dataclasses: one is built per node of every query analysed, and a
# NamedTuple is about three times cheaper to build while just as immutable.
LabelFlow = Anything | FromSelector | Fixed | Either | Without | Adding | Keeping
_Formula = Either | Without | Adding | Keeping


def evaluate(flow: LabelFlow, labels_of: LabelsOf) -> Carried:
    """What `flow` can carry, computed without recursion: the formula of a long expression
    (`a + on(x) b + on(x) c ...`) can nest thousands deep."""
    if not isinstance(flow, _Formula):
        return flow.evaluate(labels_of)
    results: list[Carried] = []
    pending: list[tuple[LabelFlow, bool]] = [(flow, False)]
    while pending:
        node, ready = pending.pop()
        if not isinstance(node, _Formula):
            results.append(node.evaluate(labels_of))
            continue
        inner = node.parts if isinstance(node, Either) else (node.inner,)
        if not ready:
            pending.append((node, True))
            pending += ((part, False) for part in reversed(inner))
            continue
        done = len(results) - len(inner)
        combined = node.combine(results[done:])
        del results[done:]
        results.append(combined)
    return results[0]
