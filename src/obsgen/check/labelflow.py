"""Which labels a PromQL result can carry, as a small formula over its selectors.

The analysis records the formula once per expression (catalog-free); a check evaluates it with
whatever it knows about each selector's labels: nothing (any label possible) for a foreign rule
file, the declared labels when a catalog is at hand. The result is an upper bound: a label
outside it can never be on the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


class LabelFlow:
    def evaluate(self, labels_of: LabelsOf) -> Carried:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Anything(LabelFlow):
    """Labels nobody can know offline (a dashboard variable names them)."""

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(None)


@dataclass(frozen=True, slots=True)
class FromSelector(LabelFlow):
    index: int

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(labels_of(self.index))


@dataclass(frozen=True, slots=True)
class Fixed(LabelFlow):
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return Carried(self.labels)


@dataclass(frozen=True, slots=True)
class Union(LabelFlow):
    parts: tuple[LabelFlow, ...]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        results = [p.evaluate(labels_of) for p in self.parts]
        uppers = [r.upper for r in results]
        upper = None if any(u is None for u in uppers) else frozenset().union(
            *(u for u in uppers if u is not None))
        excluded = frozenset.intersection(*(r.excluded for r in results)) if results else NOTHING
        return Carried(upper, excluded)


@dataclass(frozen=True, slots=True)
class Without(LabelFlow):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        inner = self.inner.evaluate(labels_of)
        upper = inner.upper - self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded | self.labels)


@dataclass(frozen=True, slots=True)
class Adding(LabelFlow):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        inner = self.inner.evaluate(labels_of)
        if not self.labels:
            return inner
        upper = inner.upper | self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded - self.labels)


@dataclass(frozen=True, slots=True)
class Keeping(LabelFlow):
    """One-to-one matching `on(labels)`: the result keeps only those labels."""

    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        inner = self.inner.evaluate(labels_of)
        upper = inner.upper & self.labels if inner.upper is not None else self.labels
        return Carried(upper, inner.excluded)
