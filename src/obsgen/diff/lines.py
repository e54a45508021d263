"""How one field's change is shown: short values inline, PromQL and text as diff lines."""

from __future__ import annotations

import difflib
import re

from obsgen.diff.model import FieldChange

MAX_LINES = 60  # a diff block longer than this is cut, saying how much was left out
INLINE = 80  # a one-line value up to this long is shown inline rather than as a block


def inline(change: FieldChange) -> bool:
    values = [v for v in (change.before, change.after) if v is not None]
    return not change.query and all("\n" not in v and len(v) <= INLINE for v in values)


def diff_lines(change: FieldChange) -> list[str]:
    """`- ` / `+ ` / `  ` lines: a unified diff (no headers) when both sides have several
    lines, the whole value on each side otherwise."""
    before = change.before.splitlines() if change.before is not None else []
    after = change.after.splitlines() if change.after is not None else []
    if len(before) > 1 and len(after) > 1:
        body = list(difflib.unified_diff(before, after, lineterm="", n=2))[2:]
        lines = [f"{line[0]} {line[1:]}".rstrip() if line[:1] in "+- " else line
                 for line in body]
    else:
        lines = [f"- {line}" for line in before] + [f"+ {line}" for line in after]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… {len(lines) - MAX_LINES} more lines"]
    return lines


TOKEN = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\w+|\s+|[^\w\s]")


def fragments(change: FieldChange) -> list[tuple[str, str]]:
    """The parts of a one-line value that changed, token by token with one token of context on
    each side (`> 0.05` → `> 0.02`, `(status` → `(route, status`), so that a long query's
    change reads without comparing the whole line by eye."""
    if change.before is None or change.after is None or "\n" in change.before + change.after:
        return []
    old, new = TOKEN.findall(change.before), TOKEN.findall(change.after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    found = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = _widen(old, i1, i2), _widen(new, j1, j2)
        found.append(("".join(old[before[0]:before[1]]).strip(),
                      "".join(new[after[0]:after[1]]).strip()))
    return found


def _widen(tokens: list[str], start: int, end: int) -> tuple[int, int]:
    """Take in the nearest token that is not blank on each side."""
    while start > 0 and tokens[start - 1].isspace():
        start -= 1
    start = max(start - 1, 0)
    while end < len(tokens) and tokens[end].isspace():
        end += 1
    return start, min(end + 1, len(tokens))


def counts(statuses: list[str]) -> str:
    """`2 added, 1 changed`, in a fixed order."""
    parts = [f"{statuses.count(s)} {s}" for s in ("added", "removed", "changed")
             if statuses.count(s)]
    return ", ".join(parts)
