"""The page-level text of several runbook pages made into the project's one `RunbookGuide`.

A project has one guide (OBS705 reports a second), so pages are taken in the order of their
paths: the first gives the guide its title, introduction and escalation path; the items of
every page's troubleshooting, commands and common issues follow one another in their fields.
What a field cannot hold twice (a later page's title, introduction, its own escalation path)
and a later page's notes are kept as written in the guide's notes, under a heading naming the
page, and reported (OBS986), so no page's text is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.markdown_blocks import blocks
from obsgen.importers.runbook_page import GUIDE_SECTION_LEVEL, GuideSpec

_APPENDED = ("troubleshooting", "commands", "common_issues")
_ORDER = ("title", "introduction", "troubleshooting", "commands", "common_issues",
          "escalation_path")


@dataclass(frozen=True)
class PageGuide:
    """One page's guide text: where the page is and where that text starts on it."""

    path: str
    line: int
    spec: GuideSpec


def merged(pages: Sequence[PageGuide], module: str) -> tuple[GuideSpec, list[Diagnostic]]:
    """One guide from the pages' guides, in the order of their paths; an OBS986 for each later
    page part of whose text went to the notes (`module`: where the guide is written)."""
    ordered = sorted(pages, key=lambda p: p.path)
    first = ordered[0]
    fields = dict(first.spec.fields)
    notes = [first.spec.notes] if first.spec.notes else []
    found: list[Diagnostic] = []
    for page in ordered[1:]:
        kept = _join(fields, page.spec)
        if kept:
            notes.append(_section(page, kept))
            found.append(Diagnostic.of(
                "OBS986", f"this page's text outside every alert's section joined the project's "
                f"one RunbookGuide (in {module}, imported from {first.path}); what its fields "
                "could not hold was kept as written in the guide's notes",
                Location(page.path, page.line),
                "move the text into the guide's fields by hand if it belongs there, or leave "
                "it in notes"))
    spec = GuideSpec(tuple((k, fields[k]) for k in _ORDER if k in fields), "\n\n".join(notes))
    return spec, found


def _join(fields: dict[str, object], later: GuideSpec) -> list[str]:
    """Add a later page's list fields to `fields`; the Markdown of what they cannot hold."""
    kept: list[str] = []
    for key, value in later.fields:
        if key in _APPENDED or (key == "escalation_path" and key not in fields):
            fields[key] = (*_items(fields.get(key, ())), *_items(value))
        elif key == "introduction":
            kept.append(str(value))
        elif key == "escalation_path":
            heading = "#" * (GUIDE_SECTION_LEVEL + 1)
            kept.append(f"{heading} Escalation path\n\n" + "\n".join(
                f"{n}. {step}" for n, step in enumerate(_items(value), 1)))
    if later.notes:
        kept.append(_deeper(later.notes))
    return kept


def _items(value: object) -> tuple[object, ...]:
    assert isinstance(value, tuple)
    return value


def _section(page: PageGuide, kept: list[str]) -> str:
    """The kept text under a heading naming the page: its title, else its file's name."""
    title = dict(page.spec.fields).get("title") or PurePath(page.path).name
    return "\n\n".join([f"{'#' * GUIDE_SECTION_LEVEL} {title}", *kept])


def _deeper(notes: str) -> str:
    """Notes with every heading one level down, to sit under the page's heading."""
    lines: list[str | None] = list(notes.split("\n"))
    for block in blocks(notes):
        if block.kind == "heading":
            lines[block.start] = f"{'#' * min(6, block.level + 1)} {block.content}"
            lines[block.start + 1:block.end] = [None] * (block.end - block.start - 1)
    return "\n".join(line for line in lines if line is not None)
