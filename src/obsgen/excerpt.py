"""The source excerpt under a diagnostic: the line, cut to a window around the column, with
secrets masked and control characters made visible, and the caret under the column.

Each file is read once per rendering (a thousand findings in one file read it once), only if
it is a regular file of bounded size (a FIFO or /dev/zero named by a finding is never opened
for reading), and a finding on a 234 KB minified line prints at most WIDTH characters of it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from obsgen.check.reading import read_bytes
from obsgen.redact import MASK, token_spans
from obsgen.terminal import printable

WIDTH = 120  # characters of the line shown around the column
ELLIPSIS = "…"
MAX_SOURCE_BYTES = 32 * 1024 * 1024  # a larger file is shown without excerpts
# Lines end at LF (CRLF included): what the parsers of every kind count, so that a lone CR
# or a form feed inside a line neither shifts the line numbers nor moves the cursor.
_LINE_BREAK = re.compile(r"\r?\n")
# String literals of Python, Alloy, YAML and JSON: "...", '...' and Alloy's raw `...`;
# one left open runs to the end of the line.
_LITERAL = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|$)|\'(?:[^\'\\]++|\\.)*+(?:\'|$)|`[^`]*+(?:`|$)')
Span = tuple[int, int]


@dataclass(frozen=True)
class Excerpt:
    text: str  # the line as shown
    caret: str | None  # what precedes the caret (spaces, and tabs under tabs); None: no column


@dataclass
class Sources:
    """The lines of the files diagnostics point at, read once, for one rendering."""

    limit: int = MAX_SOURCE_BYTES
    _files: dict[str, list[str] | None] = field(default_factory=dict)
    _masks: dict[tuple[str, int, bool], list[Span]] = field(default_factory=dict)

    def line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            self._files[path] = _read_lines(path, self.limit)
        lines = self._files[path]
        if lines is None or not 0 < number <= len(lines):
            return None
        return lines[number - 1]

    def excerpt(self, path: str, number: int, column: int, secret: bool) -> Excerpt | None:
        """The excerpt of line `number`; `secret`: the line holds a credential, so the content
        of every string literal on it is masked."""
        line = self.line(path, number)
        if line is None:
            return None
        key = (path, number, secret)
        if key not in self._masks:
            self._masks[key] = masked_spans(line, secret)
        return cut(line, column, self._masks[key])


def _read_lines(path: str, limit: int) -> list[str] | None:
    data = read_bytes(path, limit)  # stat'ed before it is opened: never a FIFO or a device
    if not isinstance(data, bytes):
        return None
    try:
        return _LINE_BREAK.split(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def masked_spans(line: str, literals: bool) -> list[Span]:
    """The parts of `line` shown as ****: token-shaped words, and with `literals` the content
    of every string literal; sorted and merged."""
    spans = token_spans(line)
    if literals:
        for match in _LITERAL.finditer(line):
            start, end = match.span()
            closed = end - start > 1 and line[end - 1] == line[start]
            if end - (1 if closed else 0) > start + 1:
                spans.append((start + 1, end - (1 if closed else 0)))
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def window(length: int, column: int, width: int = WIDTH) -> Span:
    """The [start, end) of at most `width` characters of a line, around `column` (1-based)."""
    if length <= width:
        return 0, length
    centre = min(max(column - 1, 0), length)
    start = max(0, min(centre - width // 2, length - width))
    return start, start + width


def cut(line: str, column: int, masks: list[Span], width: int = WIDTH) -> Excerpt:
    """The window of `line` around `column`, masks applied, controls made visible."""
    lo, hi = window(len(line), column, width)
    target = column - 1
    shown = [ELLIPSIS] if lo else []
    at: int | None = None

    def plain(start: int, end: int) -> None:
        nonlocal at
        if start <= target < end:
            at = sum(map(len, shown)) + len(printable(line[start:target]))
        shown.append(printable(line[start:end]))

    pos = lo
    first = max(0, bisect.bisect_left(masks, (lo, lo)) - 1)
    for start, end in masks[first:]:
        if start >= hi:
            break
        if end <= lo:
            continue
        start, end = max(start, lo), min(end, hi)
        plain(pos, start)
        if start <= target < end:
            at = sum(map(len, shown))
        shown.append(MASK)
        pos = end
    plain(pos, hi)
    before = "".join(shown)
    if at is None:  # the column is past the end of the line: point just after it
        at = len(before)
    text = before + (ELLIPSIS if hi < len(line) else "")
    if column <= 0:
        return Excerpt(text, None)
    return Excerpt(text, "".join("\t" if c == "\t" else " " for c in text[:at]))
