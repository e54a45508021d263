"""What a diff is made of: items found in artifacts, and the changes between two sets of them."""

from __future__ import annotations

from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Item:
    """One thing a reviewer recognises in an artifact (an alert, a panel, a runbook section, an
    Alloy component...), with its settings flattened to named text values.

    `key` identifies it across the two builds; `queries` names the fields that hold PromQL (shown
    as a query diff); `headline` the fields shown when the item is added or removed (all of them
    when empty and `show_all` is set)."""

    area: str
    kind: str
    key: str
    name: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)
    queries: frozenset[str] = frozenset()
    headline: tuple[str, ...] = ()
    show_all: bool = False

    def shown_when_alone(self) -> dict[str, str]:
        if self.show_all:
            return dict(self.fields)
        return {k: self.fields[k] for k in self.headline if k in self.fields}


@dataclass(frozen=True)
class FieldChange:
    """One setting's value before and after; None where the setting is absent."""

    name: str
    before: str | None
    after: str | None
    query: bool = False


@dataclass(frozen=True)
class Change:
    area: str
    kind: str
    name: str
    status: str
    path: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Side:
    """One build's artifacts by path, and how they were obtained (for the report's header)."""

    label: str
    artifacts: dict[str, str]


@dataclass(frozen=True)
class Diff:
    before: str
    after: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)
