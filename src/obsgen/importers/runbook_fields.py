"""The sections of a runbook page read as `Runbook` and `RunbookGuide` fields.

A section is mapped by its heading ("Investigation", "Root causes", "Quick fix"...) when its
content has the shape the field holds (steps, a three-column table, a checklist); what a section
holds beyond that shape, and every section no field takes, is returned as leftover blocks for
the free `notes`, so nothing of the page is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import promql_parser

from obsgen.importers.markdown_blocks import Block

SHELL = frozenset({"sh", "bash", "shell", "console", "zsh", "shell-session"})
PROMQL = frozenset({"promql", "prometheus"})

RUNBOOK_FIELDS: tuple[tuple[str, str], ...] = (
    ("long_term", r"long[- ]term|permanent"),
    ("quick_fix", r"quick fix|mitigat|immediate|workaround|remediat|resolution|^fix"),
    ("root_causes", r"cause"),
    ("investigation", r"investigat|diagnos|triage|troubleshoot|debug|^steps"),
    ("impact", r"impact"),
    ("description", r"description|overview|summary|meaning|what (it|this) means|^about"),
    ("prevention", r"prevent"),
    ("related", r"related|see also"),
    ("escalation", r"escalat|contact|who to page"),
)
GUIDE_FIELDS: tuple[tuple[str, str], ...] = (
    ("troubleshooting", r"troubleshoot"),
    ("commands", r"command"),
    ("common_issues", r"common (issues|problems)|known (issues|problems)"),
    ("escalation_path", r"escalation"),
    ("overview", r"^alerts$"),
)


def field_for(title: str, fields: tuple[tuple[str, str], ...]) -> str | None:
    words = " ".join(re.sub(r"[^\w\s-]", " ", title).lower().split())
    return next((name for name, pattern in fields if re.search(pattern, words)), None)


@dataclass(frozen=True)
class StepSpec:
    text: str
    query: str | None = None
    command: str = ""


Mapped = tuple[object, list[Block]]  # (the field's value, the blocks left for the notes)


def text_field(body: Sequence[Block], span: Callable[[Sequence[Block]], str]) -> Mapped | None:
    return (span(body), []) if body else None


def parses(query: str) -> bool:
    try:
        promql_parser.parse(query)
    except Exception:
        return False
    return True


def _fenced(info: str, code: str) -> str:
    marker = "`" * max(3, max((len(r) for r in re.findall("`+", code)), default=0) + 1)
    return f"{marker}{info}\n{code.rstrip(chr(10))}\n{marker}"


@dataclass
class _Step:
    texts: list[str]
    query: str | None = None
    command: str = ""

    def attach(self, info: str, code: str) -> None:
        """A code block: the step's query or command if it has none yet, else its text."""
        code = code.rstrip("\n")
        if info in PROMQL and self.query is None and parses(code):
            self.query = code
        elif info in SHELL and not self.command and code.strip():
            self.command = code
        else:
            self.texts.append(_fenced(info, code))

    def spec(self, number: int) -> StepSpec:
        text = "\n\n".join(t for t in self.texts if t.strip())
        text = re.sub(rf"^\*\*Step {number}\.\*\*\s+", "", text)
        return StepSpec(text, self.query, self.command)


def steps(body: Sequence[Block]) -> Mapped | None:
    """Paragraphs and list items start steps; a code block after one is its query (promql),
    its command (shell) or part of its text; anything else joins the text of the step before."""
    found: list[_Step] = []
    for block in body:
        if block.kind == "paragraph":
            found.append(_Step([block.source]))
        elif block.kind == "list":
            for item in block.items:
                step = _Step(list(item.texts))
                for info, code in item.fences:
                    step.attach(info, code)
                found.append(step)
        elif not found:
            return None
        elif block.kind == "fence":
            found[-1].attach(block.info, block.content)
        else:
            found[-1].texts.append(block.source)
    specs = [s.spec(n) for n, s in enumerate(found, 1)]
    if not specs or not all(s.text.strip() for s in specs):
        return None
    return tuple(specs), []


def table(body: Sequence[Block], header: Sequence[str]) -> Mapped | None:
    """Rows of the first table with three columns whose header matches `header` (patterns);
    the other blocks are left over."""
    for n, block in enumerate(body):
        if block.kind != "table" or len(block.rows) < 2:
            continue
        head, *rows = block.rows
        if len(head) != 3 or not all(re.search(p, h.lower()) for p, h in zip(header, head,
                                                                             strict=True)):
            continue
        if not all(len(r) == 3 and all(c.strip() for c in r) for r in rows):
            return None
        return tuple(tuple(c.strip() for c in r) for r in rows), [*body[:n], *body[n + 1:]]
    return None


ROOT_CAUSE_HEADER = (r"cause", r"confirm|check|verify|diagnos|symptom|how", r"fix|resol|remed|"
                     r"action|mitigat")
COMMON_ISSUE_HEADER = (r"symptom|issue|problem", r"cause", r"fix|resol|remed|action|solution")
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")


def items(body: Sequence[Block], checklist: bool = False
          ) -> tuple[tuple[str, ...], list[Block]] | None:
    """The items of the section's lists; other blocks are left over."""
    lists = [b for b in body if b.kind == "list"]
    if not lists:
        return None
    found = tuple(_CHECKBOX.sub("", i.source) if checklist else i.source
                  for b in lists for i in b.items)
    if not all(f.strip() for f in found):
        return None
    return found, [b for b in body if b.kind != "list"]


_LINKED = re.compile(r"^\[`?(?P<name>[^\]`]+)`?\]\([^)]*\)(?P<rest>.*)$", re.S)
_CODE = re.compile(r"^`(?P<name>[^`]+)`(?P<rest>.*)$", re.S)
_BARE = re.compile(r"^(?P<name>[A-Za-z_][\w:]*)(?P<rest>.*)$", re.S)


def related(body: Sequence[Block], alerts: Callable[[str], str | None],
            derived_summaries: bool) -> Mapped | None:
    """Alerts named by every item of the section's lists (a link, a code span or the name).
    The text after a name is the alert's own summary in obsgen's layout (`derived_summaries`),
    else it would be lost, so such a section is not mapped."""
    listed = items(body)
    if listed is None or listed[1]:
        return None
    names = []
    for item in listed[0]:
        match = _LINKED.match(item) or _CODE.match(item) or _BARE.match(item)
        name = alerts(match.group("name")) if match else None
        rest = match.group("rest").strip() if match else ""
        if name is None or (rest and not (derived_summaries and rest.startswith(":"))):
            return None
        names.append(name)
    return tuple(names), []


def commands(body: Sequence[Block]) -> Mapped | None:
    """`Purpose:` paragraphs each followed by a shell code block."""
    pairs = []
    for n in range(0, len(body), 2):
        purpose, code = body[n], body[n + 1] if n + 1 < len(body) else None
        if purpose.kind != "paragraph" or not purpose.source.endswith(":") or code is None \
                or code.kind != "fence" or code.info not in SHELL or not code.content.strip():
            return None
        pairs.append((purpose.source[:-1], code.content.rstrip("\n")))
    return (tuple(pairs), []) if pairs else None
