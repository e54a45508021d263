"""Markdown runbook pages as items: one per section (heading), keyed by the page and the
heading's trail, with the section's own text."""

from __future__ import annotations

import re

from obsgen.diff.model import Item

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def is_page(path: str) -> bool:
    return path.startswith("runbooks/") and path.endswith(".md")


def items(path: str, text: str) -> list[Item]:
    found: list[Item] = []
    trail: list[tuple[int, str]] = []
    body: list[str] = []
    fenced = False

    def close() -> None:
        if trail or any(line.strip() for line in body):
            name = " > ".join(t for _, t in trail) or "(top of page)"
            found.append(Item("runbooks", "section", f"section:{path}:{name}", name, path,
                              {"text": "\n".join(body).strip("\n")}))

    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match is None:
            body.append(line)
            continue
        close()
        level = len(match.group(1))
        trail = [*(t for t in trail if t[0] < level), (level, match.group(2))]
        body = []
    close()
    return found
