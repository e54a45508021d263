"""`obsgen diff --output-format markdown`: for a pull-request comment or
$GITHUB_STEP_SUMMARY (GitHub-flavoured Markdown)."""

from __future__ import annotations

import re
from itertools import groupby

from obsgen.diff.lines import counts, diff_lines, fragments, inline
from obsgen.diff.model import Change, Diff, FieldChange

FOLD = 10  # an area with more changes than this is folded (<details>)
LIMIT = 60_000  # characters of Markdown, under GitHub's 65,536 for a comment
TITLES = {"slos": "SLOs", "rules": "Rules", "rule tests": "Rule tests", "dashboards": "Dashboards",
          "runbooks": "Runbooks", "alloy": "Alloy pipeline",
          "instrumentation": "Instrumentation", "files": "Other files"}


def render(diff: Diff) -> str:
    out = [f"## obsgen diff: {_code(diff.before)} → {_code(diff.after)}", ""]
    out += [f"> {_escape(note)}" for note in diff.notes]
    if diff.notes:
        out.append("")
    if not diff.changes:
        out.append("No change to the artifacts.")
        return "\n".join(out) + "\n"
    out += ["| Area | Changes |", "| --- | --- |"]
    areas = [(area, list(group)) for area, group in groupby(diff.changes, key=lambda c: c.area)]
    out += [f"| {TITLES.get(a, a)} | {counts([c.status for c in cs])} |" for a, cs in areas]
    for area, changes in areas:
        out += ["", f"### {TITLES.get(area, area)}", ""]
        folded = len(changes) > FOLD
        if folded:  # a long list stays readable in a pull request: open it when wanted
            out += ["<details>", f"<summary>{len(changes)} changes</summary>", ""]
        for change in changes:
            out += _change(change)
        if folded:
            out += ["", "</details>"]
    return _capped("".join(f"{line.rstrip()}\n" for line in out))


def _capped(text: str) -> str:
    """GitHub refuses a comment over 65,536 characters: a longer report is cut at a line
    (closing an open code block), saying so."""
    if len(text) <= LIMIT:
        return text
    kept = text[:text.rfind("\n", 0, LIMIT) + 1]
    fences = re.findall(r"^ *(`{3,})", kept, re.MULTILINE)
    close = f"    {fences[-1]}\n" if len(fences) % 2 else ""
    return (f"{kept}{close}\n> The report was cut at {len(kept):,} of {len(text):,} "
            "characters (a pull-request comment holds 65,536): run `obsgen diff` for all "
            "of it.\n")


def _change(change: Change) -> list[str]:
    out = [f"- **{change.status}** {change.kind} {_code(change.name)} in {_code(change.path)}"]
    for field in change.fields:
        out += _field(field)
    return out


def _field(field: FieldChange) -> list[str]:
    if inline(field):
        return [f"  - {_code(field.name)}: {_shown(field.before)} → {_shown(field.after)}"]
    fence = "```" + "`" * max((len(m) - 2 for m in re.findall("`{3,}", _all(field))), default=0)
    lines = diff_lines(field)
    out = [f"  - {_code(field.name)}:", f"    {fence}diff", *(f"    {line}" for line in lines),
           f"    {fence}"]
    parts = fragments(field) if field.query else []
    if parts:
        out.append("    changed: " + "; ".join(f"{_shown(a or None)} → {_shown(b or None)}"
                                                for a, b in parts))
    return out


def _all(field: FieldChange) -> str:
    return f"{field.before or ''}\n{field.after or ''}"


def _shown(value: str | None) -> str:
    return "*(none)*" if value is None else _code(value)


def _code(text: str) -> str:
    """An inline code span that holds any text: a fence longer than its longest backtick run,
    padded when the text starts or ends with a backtick."""
    if text == "":
        return "*(empty)*"
    longest = max((len(m) for m in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
