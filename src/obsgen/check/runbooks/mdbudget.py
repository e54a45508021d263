"""Markdown that would take Python-Markdown quadratic time, found in linear time and left out
of rendering, with every line kept in its place.

Three costs grow with the square of the input, measured on Python-Markdown 3.x:
- brackets: an inline pattern scans forward from every `[`, `(` and `<` for the bracket that
  closes it: to its partner, or to the end of the paragraph when there is none. Matched
  links cost about the paragraph's length times its nesting depth; 50,000 unclosed `[` cost
  50,000 scans of the whole line (minutes).
- marks: every inline match (emphasis, code, link, entity, escape) rebuilds the paragraph's
  text, so a paragraph of 100,000 `*a` rebuilds 100 KB 50,000 times.
- open tags: the HTML preprocessor reads the whole page, and from a `<` and a letter scans for
  the `>` that ends the tag, across paragraphs.
Each is charged here the way Python-Markdown would spend it. A paragraph (a list item, a
heading) charged far more than its length is blanked (its characters made spaces, a code
fence's marker kept so fences stay paired); the costliest open tags are made spaces until the
page is within its budget.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Literal
from xml.etree.ElementTree import Element

import markdown
from markdown.blockparser import BlockParser
from markdown.extensions.tables import TableProcessor

from obsgen.diagnostics import Diagnostic, Location

SCANS_PER_CHARACTER = 12  # a block's brackets may scan it this many times over...
SCANS_FLOOR = 256  # ...plus this many characters, so that a short line is never blanked
REBUILDS = 500_000_000  # characters copied by inline matches in one block (about 0.3 s)
MAX_RUN = 64  # `*`/`_` in a row: emphasis recurses once per few marks (2,000 overflow)
MAX_NESTING = 32  # lists and quotes in one another: Python-Markdown recurses per level
ESCAPE_WEIGHT = 16  # the characters a backslash escape's stash placeholder stands for
_SPECIAL = re.compile(r"[\[\]()>\n]|<(?=[^\s<>])|\\[!-/:-@\[-`{-~]")  # "< " opens nothing
_MARKS = re.compile(r"[*_`&\\\[<]")
_OPEN_TAG = re.compile(r"<[A-Za-z]|>")
_RUN = re.compile(rf"[*_]{{{MAX_RUN + 1},}}")
_RULE_LINE = re.compile(r" {0,3}([*_-])(?: *\1){2,}[ \t\r]*")  # a horizontal rule: no emphasis
_NESTING = re.compile(r"(?:[ \t>]|[*+-](?=[ \t])|\d+\.(?=[ \t]))*")
_NESTS = re.compile(r"[>*+-]|\d+\.")
_BLANK = re.compile(r"[ \t\r]*$")
_HEADING = re.compile(r"#{1,6}(?:[ \t\r]|$)")  # at the start of a line, as Python-Markdown
_ITEM = re.compile(r" *(?:[*+-]|\d+\.)[ \t]")
_FENCE = re.compile(r" {0,3}(?:`{3,}|~{3,})")
_PAIRS = {"]": "[", ")": "("}
Why = Literal["brackets", "marks", "tags", "nesting"]


@dataclass(frozen=True)
class Blanked:
    """Text left out of rendering: lines `first`..`last` (1-based, inclusive), found costly
    because of `why`; `line`/`column` is where the cost is made (the costliest bracket, the
    first open tag left out)."""

    why: Why
    first: int
    last: int
    line: int
    column: int
    count: int = 0  # open tags left out


@dataclass(frozen=True)
class Budgeted:
    text: str  # the page, blanked where it had to be
    blanked: tuple[Blanked, ...]


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """[first, last) line ranges of the runs of non-blank lines."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate([*lines, ""]):
        if _BLANK.match(line):
            if start is not None:
                found.append((start, number))
            start = None
        elif start is None:
            start = number
    return found


@cache
def _parser() -> BlockParser:
    parser: BlockParser = markdown.Markdown().parser  # read by processors, never changed
    return parser


def _is_table(text: str) -> bool:
    """Python-Markdown's own test (a processor keeps state, so one per call)."""
    return bool(TableProcessor(_parser(), {"use_align_attribute": False}).test(Element("p"),
                                                                               text))


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """[first, last) line ranges that Python-Markdown renders apart: paragraphs; each row of a
    table, each ATX heading, and each item of a paragraph that starts as a list (a list item
    cannot interrupt a paragraph in Python-Markdown, so only then does a marker start one).
    Where unsure, lines stay together: that only overestimates the cost."""
    blocks: list[tuple[int, int]] = []
    for first, last in _paragraphs(lines):
        if last - first > 1 and _is_table("\n".join(lines[first:last])):
            blocks += [(number, number + 1) for number in range(first, last)]
            continue
        in_list = _ITEM.match(lines[first]) is not None
        cuts = [number for number in range(first + 1, last)
                if _HEADING.match(lines[number]) or _HEADING.match(lines[number - 1])
                or (in_list and _ITEM.match(lines[number]))]
        edges = [first, *cuts, last]
        blocks += list(pairwise(edges))
    return blocks


def _bracket_charges(text: str) -> tuple[int, list[tuple[int, int]]]:
    """The weighted length of one block and (offset, scan distance) of each opening bracket."""
    weight = last = 0
    open_at: dict[str, list[int]] = {"[": [], "(": [], "<": []}
    offsets: dict[int, int] = {}  # weighted offset -> offset in the text, of openers
    charges: list[tuple[int, int]] = []
    for match in _SPECIAL.finditer(text):
        weight += match.start() - last
        last = match.end()
        char = match.group()
        if len(char) == 2:  # a backslash escape
            weight += ESCAPE_WEIGHT
            continue
        if char in open_at:
            open_at[char].append(weight)
            offsets[weight] = match.start()
        elif char == ">":  # the inline HTML and autolink patterns end at the first ">"
            charges += [(offsets[at], weight - at) for at in open_at["<"]]
            open_at["<"].clear()
        elif char in _PAIRS and open_at[_PAIRS[char]]:
            at = open_at[_PAIRS[char]].pop()
            charges.append((offsets[at], weight - at))
        weight += 1
    weight += len(text) - last
    charges += [(offsets[at], weight - at) for stack in open_at.values() for at in stack]
    return weight, charges


def _costly_block(text: str) -> tuple[Why, int] | None:
    """Why the block `text` would take more than about linear time, and the offset in it
    to point at; None when it would not."""
    weight, charges = _bracket_charges(text)
    if sum(c for _, c in charges) > SCANS_FLOOR + SCANS_PER_CHARACTER * weight:
        return "brackets", max(charges, key=lambda item: item[1])[0]
    marks = list(_MARKS.finditer(text))
    if len(marks) * weight > REBUILDS:
        return "marks", marks[0].start()
    for run in _RUN.finditer(text):
        start = text.rfind("\n", 0, run.start()) + 1
        end = text.find("\n", run.end())
        if not _RULE_LINE.fullmatch(text, start, len(text) if end < 0 else end):
            return "marks", run.start()
    return None


def _depth(line: str) -> int:
    """How many lists and quotes a line is inside, at least: its markers, and its indent in
    steps of four."""
    prefix = _NESTING.match(line)
    lead = prefix.group() if prefix else ""
    return len(_NESTS.findall(lead)) + (lead.count(" ") + 4 * lead.count("\t")) // 4


def _blank_deep(page: _Page) -> list[Blanked]:
    """Lines nested more than MAX_NESTING deep, blanked, by runs of consecutive lines."""
    found: list[Blanked] = []
    for number, line in enumerate(page.lines):
        if _depth(line) <= MAX_NESTING:
            continue
        page.lines[number] = _blank(line)
        if found and found[-1].last == number:
            found[-1] = Blanked("nesting", found[-1].first, number + 1, found[-1].line, 1)
        else:
            found.append(Blanked("nesting", number + 1, number + 1, number + 1, 1))
    return found


def _open_tags(text: str) -> list[int]:
    """Offsets of the `<` of open tags to make spaces, costliest first, until the scans for
    their `>` fit the page's budget."""
    charges: list[tuple[int, int]] = []
    waiting: list[int] = []
    for match in _OPEN_TAG.finditer(text):
        if match.group() == ">":
            charges += [(match.start() - at, at) for at in waiting]
            waiting.clear()
        else:
            waiting.append(match.start())
    charges += [(len(text) - at, at) for at in waiting]
    total = sum(c for c, _ in charges)
    budget = SCANS_FLOOR + SCANS_PER_CHARACTER * len(text)
    dropped: list[int] = []
    for charge, at in sorted(charges, reverse=True):
        if total <= budget:
            break
        total -= charge
        dropped.append(at)
    return sorted(dropped)


def _blank(line: str) -> str:
    """`line` as spaces of the same length; a code fence's marker is kept, so that fences
    stay paired and the page's code blocks stay code."""
    keep = _FENCE.match(line)
    kept = keep.group() if keep else ""
    return kept + " " * (len(line) - len(kept))


@dataclass
class _Page:
    lines: list[str]
    starts: list[int]  # offset of each line, and one past the end

    @classmethod
    def of(cls, text: str) -> _Page:
        lines = text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        return cls(lines, starts)

    def place(self, offset: int) -> tuple[int, int]:
        """0-based line and 1-based column of an offset."""
        line = bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line] + 1


def _blank_tags(page: _Page, text: str) -> Blanked | None:
    dropped = _open_tags(text)
    if not dropped:
        return None
    for offset in dropped:
        number, column = page.place(offset)
        line = page.lines[number]
        page.lines[number] = f"{line[:column - 1]} {line[column:]}"
    first, column = page.place(dropped[0])
    last, _ = page.place(dropped[-1])
    return Blanked("tags", first + 1, last + 1, first + 1, column, len(dropped))


def budget(text: str) -> Budgeted:
    """`text` with what would take Python-Markdown more than about linear time left out."""
    page = _Page.of(text)
    blanked = _blank_deep(page)
    current = "\n".join(page.lines) if blanked else text
    if not _MARKS.search(current) and "(" not in current:
        return Budgeted(current, tuple(blanked))
    for first, last in _blocks(page.lines):
        begin = page.starts[first]
        found = _costly_block(current[begin:page.starts[last] - 1])
        if found is None:
            continue
        why, offset = found
        line, column = page.place(begin + offset)
        blanked.append(Blanked(why, first + 1, last, line + 1, column))
        for number in range(first, last):
            page.lines[number] = _blank(page.lines[number])
    tags = _blank_tags(page, "\n".join(page.lines))
    blanked += [tags] if tags else []
    if not blanked:
        return Budgeted(text, ())
    return Budgeted("\n".join(page.lines), tuple(blanked))


SHOWN = 10  # blanked blocks reported one by one on a page; the last one counts the rest
_WHY = {
    "brackets": "too many unclosed brackets ([, ( or <) to check its links in bounded time",
    "marks": "too many emphasis, code and link marks to check its links in bounded time",
    "nesting": f"lists or quotes nested more than {MAX_NESTING} deep to check its links",
}
_HINT = ("links here were not checked: close the brackets, split the paragraph, or put the text "
         "in a code block")


def findings(path: str, blanked: tuple[Blanked, ...]) -> list[Diagnostic]:
    """OBS973 for each part of a page left out of rendering (the first SHOWN of them)."""
    found = []
    for nth, part in enumerate(blanked[:SHOWN], start=1):
        if part.why == "tags":
            what = (f"{part.count:,} HTML tags are left open (a `<` and a letter with no `>` "
                    "for a long way); they were read as text")
        else:
            where = "this line has" if part.first == part.last else (
                f"lines {part.first}-{part.last} have" if part.why == "nesting" else
                f"the paragraph of lines {part.first}-{part.last} has")
            what = f"{where} {_WHY[part.why]}; it was left out"
        if nth == SHOWN and len(blanked) > SHOWN:
            what += f" (and {len(blanked) - SHOWN:,} more parts of this page)"
        found.append(Diagnostic.of("OBS973", what, Location(path, part.line, part.column),
                                   _HINT))
    return found
