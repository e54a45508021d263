"""What a deploy intends to do and what it did, per object, for people and for tools."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import Any

from obsgen.diagnostics import Diagnostic, Location
from obsgen.report import as_dict, display_path

# What can happen to one object. `drift` and `foreign` are refusals: the object is left as
# it is unless --force.
ACTIONS = ("create", "update", "unchanged", "drift", "foreign", "prune")
CHANGES = frozenset({"create", "update", "prune"})


@dataclass(frozen=True)
class Action:
    kind: str  # "folder", "dashboard", "rule-file", "group"
    key: str  # folder/dashboard uid, rule file name, "namespace/group"
    action: str
    title: str = ""
    source: Location | None = None
    diff: str = ""
    outcome: str = "planned"  # planned, done, failed, skipped
    detail: str = ""

    def finished(self, outcome: str, detail: str = "") -> Action:
        return replace(self, outcome=outcome, detail=detail or self.detail)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "action": self.action, "title": self.title,
                "source": None if self.source is None else str(
                    Location(display_path(self.source.path), self.source.line,
                             self.source.column)),
                "diff": self.diff, "outcome": self.outcome, "detail": self.detail}


@dataclass(frozen=True)
class Report:
    target: str
    url: str
    dry_run: bool
    actions: tuple[Action, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    requests: int = 0
    writes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "url": self.url, "dry_run": self.dry_run,
                "actions": [a.as_dict() for a in self.actions],
                "summary": {name: self.count(name) for name in ACTIONS if self.count(name)},
                "requests": self.requests, "writes": self.writes,
                "diagnostics": [as_dict(d) for d in self.diagnostics], **self.extra}

    def summary(self) -> str:
        parts = [f"{self.count(name)} {name}" for name in ACTIONS if self.count(name)]
        failed = sum(1 for a in self.actions if a.outcome == "failed")
        verb = "Would deploy" if self.dry_run else "Deployed"
        text = f"{verb} to {self.url}: {', '.join(parts) or 'nothing to do'}"
        return text + (f"; {failed} failed." if failed else ".")


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True), before_name, after_name, n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def describe(action: Action) -> str:
    """One line for a person: `update  dashboard svc-overview "Service overview"  (done)`."""
    title = f' "{action.title}"' if action.title and action.title != action.key else ""
    quiet = action.outcome == "planned" or action.action == "unchanged"
    outcome = "" if quiet else f"  ({action.outcome})"
    detail = f": {action.detail}" if action.detail else ""
    return f"{action.action:<9} {action.kind} {action.key}{title}{outcome}{detail}"
