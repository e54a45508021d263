"""`obsgen diff` for a terminal (--output-format full)."""

from __future__ import annotations

from itertools import groupby

from obsgen.diff.lines import counts, diff_lines, fragments, inline
from obsgen.diff.model import Change, Diff
from obsgen.terminal import printable

MARK = {"added": "+", "removed": "-", "changed": "~"}


def render(diff: Diff) -> str:
    out = [f"obsgen diff: {diff.before} → {diff.after}"]
    out += [f"note: {note}" for note in diff.notes]
    if not diff.changes:
        out.append("No change to the artifacts.")
    for area, grouped in groupby(diff.changes, key=lambda c: c.area):
        changes = list(grouped)
        out.append(f"\n{area}: {counts([c.status for c in changes])}")
        for change in changes:
            out += _change(change)
    return printable("".join(f"{line.rstrip()}\n" for line in out), newlines=True)


def _change(change: Change) -> list[str]:
    out = [f"  {MARK[change.status]} {change.kind} {change.name}  ({change.path})"]
    for field in change.fields:
        if inline(field):
            out.append(f"      {field.name}: {_value(field.before)} → {_value(field.after)}")
            continue
        out.append(f"      {field.name}:")
        out += [f"        {line}" for line in diff_lines(field)]
        parts = fragments(field) if field.query else []
        if parts:
            out.append("        changed: " + "; ".join(f"{_value(a or None)} → {_value(b or None)}"
                                                       for a, b in parts))
    return out


def _value(value: str | None) -> str:
    return "(none)" if value is None else repr(value) if value == "" else value
