"""A runbook page read into runbooks (one per heading that names an alert) and the guide (the
page's title, introduction and project-wide sections), each with free `notes` for what no field
takes.

Pages obsgen wrote itself carry parts derived from the alert (its severity table, summary and
expression) and from the rule group (the page's title line); those are recognised by their exact
shape and left out, since the build writes them again from the alert.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify

from obsgen.importers import runbook_fields as rf
from obsgen.importers.markdown_blocks import Block, blocks, lines_of

NO_RUNBOOK = "No runbook has been written for this alert yet."
ALERT_TABLE = ("Severity", "Category", "Component", "Fires after")
OVERVIEW_TABLE = ("Alert", "Severity", "Category", "Summary", "Page")
# Two words run together at least: HighErrorRate, HTTPErrors (not Impact, not Contents).
# obsgen's pages put an alert's sections at ### (under its ## heading) and the guide's at ##;
# notes are moved to those levels, whatever level the imported page used.
RUNBOOK_SECTION_LEVEL = 3
GUIDE_SECTION_LEVEL = 2
_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*(?:[a-z0-9][A-Z]|[A-Z][A-Z][a-z])[A-Za-z0-9]*$")
_CODE_SPAN = re.compile(r"`+([^`]+?)`+")


@dataclass(frozen=True)
class RunbookSpec:
    alert: str
    line: int  # 1-based line of its heading
    fields: tuple[tuple[str, object], ...]  # Runbook keyword arguments, in the model's order
    notes: str = ""


@dataclass(frozen=True)
class GuideSpec:
    fields: tuple[tuple[str, object], ...]
    notes: str = ""


@dataclass(frozen=True)
class Left:
    """Text kept as notes, for the OBS986 report: where it starts and what it is."""

    line: int
    title: str


@dataclass
class Page:
    text: str
    lines: list[str] = field(init=False)
    blocks: list[Block] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = lines_of(self.text)
        self.blocks = blocks(self.text)

    def span(self, part: Sequence[Block]) -> str:
        return "\n".join(self.lines[part[0].start:part[-1].end]) if part else ""


def heading_title(raw: str) -> str:
    """A heading's text without code spans' backticks, emphasis and link syntax."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    return re.sub(r"[`*]", "", text).strip().rstrip(":").strip()


def alert_like(raw: str) -> list[str]:
    """Names a heading seems to give an alert: CamelCase, or in code spans."""
    spans = _CODE_SPAN.findall(raw)
    title = heading_title(raw)
    return [*([title] if _CAMEL.match(title) else []), *(s.strip() for s in spans)]


def _compact(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).lower()


class AlertNames:
    """Matches a heading or a name against the run's alerts: by name, or by its anchor."""

    def __init__(self, alerts: Sequence[str]) -> None:
        self.names = set(alerts)
        self.anchors = {slugify(a, "-"): a for a in sorted(alerts, reverse=True)}
        self.spelled = {_compact(a): a for a in sorted(alerts, reverse=True)}

    def __call__(self, text: str) -> str | None:
        """The alert `text` names: exactly, by its anchor (`#highcpuload`), or spelled out in
        words (`High CPU load`)."""
        title = heading_title(text)
        if title in self.names:
            return title
        return self.anchors.get(slugify(title, "-")) or self.spelled.get(_compact(title))

    def in_heading(self, raw: str) -> tuple[str, str] | None:
        """(alert, the rest of the heading) when the heading names an alert."""
        whole = self(raw)
        if whole is not None:
            return whole, ""
        for span in _CODE_SPAN.finditer(raw):
            if span.group(1).strip() in self.names:
                return span.group(1).strip(), _rest(raw, span.start(), span.end())
        # "Runbook: HighErrorRate", "HighErrorRate (critical)": one word of it is the name.
        for word in re.finditer(r"[A-Za-z_][\w:]*", raw):
            if word.group() in self.names:
                return word.group(), _rest(raw, word.start(), word.end())
        return None


def _rest(raw: str, start: int, end: int) -> str:
    return (raw[:start] + raw[end:]).strip(" -:\u2014\u2013")


def _sections(body: Sequence[Block]) -> tuple[list[Block], list[tuple[Block, list[Block]]]]:
    """The blocks before the first heading, and (heading, blocks) for each heading of the
    body's highest level."""
    levels = [b.level for b in body if b.kind == "heading"]
    top = min(levels) if levels else 0
    intro: list[Block] = []
    parts: list[tuple[Block, list[Block]]] = []
    for block in body:
        if block.kind == "heading" and block.level == top:
            parts.append((block, []))
        elif parts:
            parts[-1][1].append(block)
        else:
            intro.append(block)
    return intro, parts


def _notes(chunks: list[tuple[Block | None, list[Block]]], level: int) -> str:
    """Sections as Markdown, their headings moved to `level` (and theirs below, alike)."""
    out = []
    for heading, body in chunks:
        shift = level - heading.level if heading is not None else 0
        part = [heading, *body] if heading is not None else body
        out += [f"{'#' * min(6, max(1, b.level + shift))} {b.content}" if b.kind == "heading"
                else b.source for b in part]
    return "\n\n".join(out)


def _derived_intro(intro: list[Block]) -> tuple[list[Block], bool]:
    """The alert's table, summary and expression obsgen writes under its heading, left out."""
    shape = [b.kind for b in intro[:4]]
    if shape == ["table", "paragraph", "paragraph", "fence"] and intro[0].rows \
            and intro[0].rows[0] == ALERT_TABLE and intro[1].source.startswith("**Summary:**") \
            and intro[2].source == "**Alert expression:**":
        return intro[4:], True
    return intro, False


@dataclass
class _Runbook:
    page: Page
    names: AlertNames
    derived: bool
    fields: dict[str, object] = field(default_factory=dict)
    chunks: list[tuple[Block | None, list[Block]]] = field(default_factory=list)

    def take(self, heading: Block, body: list[Block]) -> None:
        name = rf.field_for(heading.content, rf.RUNBOOK_FIELDS)
        mapped = self._mapped(name, body) if name and name not in self.fields else None
        if mapped is None or name is None:
            self.chunks.append((heading, body))
            return
        self.fields[name], rest = mapped
        if rest:
            self.chunks.append((heading, rest))

    def _mapped(self, name: str, body: list[Block]) -> rf.Mapped | None:
        if name == "investigation":
            return rf.steps(body)
        if name == "root_causes":
            return rf.table(body, rf.ROOT_CAUSE_HEADER)
        if name == "prevention":
            return rf.items(body, checklist=True)
        if name == "related":
            return rf.related(body, self.names, self.derived)
        return rf.text_field(body, self.page.span)


def read_runbook(page: Page, names: AlertNames, alert: str, rest: str, heading: Block,
                 body: list[Block]) -> tuple[RunbookSpec | None, list[Left]]:
    intro, parts = _sections(body)
    intro, derived = _derived_intro(intro)
    if derived and [b.source for b in intro] == [NO_RUNBOOK] and not parts:
        return None, []
    builder = _Runbook(page, names, derived)
    for sub, sub_body in parts:
        builder.take(sub, sub_body)
    lead = "\n\n".join(p for p in (rest, page.span(intro)) if p)
    described = str(builder.fields.get("description", ""))
    builder.fields["description"] = "\n\n".join(p for p in (lead, described) if p) or \
        "(The imported runbook has no description.)"
    order = ("description", "impact", "investigation", "root_causes", "quick_fix", "long_term",
             "prevention", "related", "escalation")
    fields = tuple((k, builder.fields[k]) for k in order if k in builder.fields)
    left = [Left(h.start + 1, h.content) for h, _ in builder.chunks if h is not None]
    return RunbookSpec(alert, heading.start + 1, fields,
                       _notes(builder.chunks, RUNBOOK_SECTION_LEVEL)), left


def _derived_page_head(outside: list[Block]) -> list[Block]:
    """A group page's title and its 'Runbooks for the alerts of rule group' line."""
    if len(outside) >= 2 and outside[0].kind == "heading" and outside[0].level == 1 \
            and outside[0].content.endswith(" runbooks") \
            and outside[1].source.startswith("Runbooks for the alerts of rule group ") \
            and outside[1].source.endswith("Back to the [overview](index.md)."):
        return outside[2:]
    return outside


def read_guide(page: Page, outside: list[Block]) -> tuple[GuideSpec | None, list[Left]]:
    outside = _derived_page_head(outside)
    if not outside:
        return None, []
    fields: dict[str, object] = {}
    if outside[0].kind == "heading" and outside[0].level == 1 and outside[0].content.strip():
        fields["title"] = outside[0].content
        outside = outside[1:]
    intro, parts = _sections(outside)
    if intro:
        fields["introduction"] = page.span(intro)
    chunks: list[tuple[Block | None, list[Block]]] = []
    for heading, body in parts:
        name = rf.field_for(heading.content, rf.GUIDE_FIELDS)
        mapped = _guide_field(name, body) if name and name not in fields else None
        if mapped is None or name is None:
            chunks.append((heading, body))
            continue
        if name != "overview":
            fields[name] = mapped[0]
        if mapped[1]:
            chunks.append((heading, mapped[1]))
    order = ("title", "introduction", "troubleshooting", "commands", "common_issues",
             "escalation_path")
    left = [Left(h.start + 1, h.content) for h, _ in chunks if h is not None]
    return GuideSpec(tuple((k, fields[k]) for k in order if k in fields),
                     _notes(chunks, GUIDE_SECTION_LEVEL)), left


def _guide_field(name: str, body: list[Block]) -> rf.Mapped | None:
    if name == "overview":  # obsgen's own alert overview, written again from the alerts
        table = [b for b in body if b.kind == "table" and b.rows and b.rows[0] == OVERVIEW_TABLE]
        none_yet = [b for b in body if b.source == "No alerts are defined yet."]
        return (None, []) if len(body) == 1 and (table or none_yet) else None
    if name == "commands":
        return rf.commands(body)
    if name == "common_issues":
        return rf.table(body, rf.COMMON_ISSUE_HEADER)
    return rf.items(body)


def split(page: Page, heading_alert: Callable[[str], tuple[str, str] | None]
          ) -> tuple[list[Block], list[tuple[str, str, Block, list[Block]]]]:
    """The blocks outside every alert's section, and each alert's (name, rest of its heading,
    heading, section). A section runs to the next heading of its level or above."""
    outside: list[Block] = []
    sections: list[tuple[str, str, Block, list[Block]]] = []
    current: tuple[str, str, Block, list[Block]] | None = None
    for block in page.blocks:
        if block.kind == "heading":
            if current is not None and block.level <= current[2].level:
                current = None
            found = heading_alert(block.content) if current is None else None
            if found is not None:
                current = (*found, block, [])
                sections.append(current)
                continue
        (current[3] if current is not None else outside).append(block)
    return outside, sections
