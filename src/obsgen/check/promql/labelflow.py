"""Which labels a PromQL result can carry, as a small formula over its selectors.

The analysis records the formula once per expression (catalog-free); a check evaluates it with
whatever it knows about each selector's labels: nothing (any label possible) for a foreign rule
file, the declared labels when a catalog is at hand. The result is an upper bound: a label
outside it can never be on the result.

`a or b` returns series of either side, so a label may be on the result's series from one side
and missing from the other's: the result keeps what each side (each branch) carries, and a
label some branch lacks while another may carry it is carried on one side only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

LabelsOf = Callable[[int], frozenset[str] | None]  # a selector's labels, None when unknown
NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Carried:
    """At most `upper` (None: any label), and certainly none of `excluded`; `branches`: what
    each alternative of an `or` below carries (flat: a branch has no branches of its own)."""

    upper: frozenset[str] | None
    excluded: frozenset[str] = NOTHING
    branches: tuple[Carried, ...] = ()

    def lacks(self, label: str) -> bool:
        """Whether the result can never carry `label`."""
        return label in self.excluded or (self.upper is not None and label not in self.upper)

    def one_sided(self, label: str) -> bool:
        """Whether `label` may be on the result, but never on the series of some branch."""
        lacking = [b.lacks(label) for b in self.branches]
        return not self.lacks(label) and any(lacking) and not all(lacking)

    def each(self, change: Callable[[Carried], Carried]) -> Carried:
        """`change` applied to the whole and to every branch alike."""
        whole = change(self)
        if not self.branches:
            return whole
        return Carried(whole.upper, whole.excluded, _distinct(change(b) for b in self.branches))


def _distinct(branches: Iterable[Carried]) -> tuple[Carried, ...]:
    return tuple(dict.fromkeys(branches))


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
        branches = _distinct(b for r in results for b in (r.branches or (r,)))
        return Carried(upper, excluded, branches)


class Without(NamedTuple):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        return results[0].each(self.apply)

    def apply(self, inner: Carried) -> Carried:
        upper = inner.upper - self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded | self.labels)


class Adding(NamedTuple):
    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        return results[0].each(self.apply) if self.labels else results[0]

    def apply(self, inner: Carried) -> Carried:
        upper = inner.upper | self.labels if inner.upper is not None else None
        return Carried(upper, inner.excluded - self.labels)


class Keeping(NamedTuple):
    """One-to-one matching `on(labels)`: the result keeps only those labels."""

    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        return results[0].each(self.apply)

    def apply(self, inner: Carried) -> Carried:
        upper = inner.upper & self.labels if inner.upper is not None else self.labels
        return Carried(upper, inner.excluded)


class Grouping(NamedTuple):
    """`agg by (labels) (inner)`: the result's series carry those labels as a group has them,
    so a label some branch of `inner` lacks is missing from that branch's groups. The whole
    keeps every grouping label (that a grouping label is never on the input is the
    aggregation's own finding, not the result's)."""

    inner: LabelFlow
    labels: frozenset[str]

    def evaluate(self, labels_of: LabelsOf) -> Carried:
        return evaluate(self, labels_of)

    def combine(self, results: Sequence[Carried]) -> Carried:
        inner = results[0]
        branches = _distinct(Carried(frozenset(x for x in self.labels if not b.lacks(x)))
                             for b in inner.branches)
        return Carried(self.labels, NOTHING, branches)


# NamedTuples, not frozen dataclasses: one is built per node of every query analysed, and a
# NamedTuple is about three times cheaper to build while just as immutable.
LabelFlow = Anything | FromSelector | Fixed | Either | Without | Adding | Keeping | Grouping
_Formula = Either | Without | Adding | Keeping | Grouping


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
