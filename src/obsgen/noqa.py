"""`obsgen: noqa` comments: silence diagnostics at one line, or in a whole file.

The marker is found anywhere on a line, so it works in any comment syntax: `#` in Python
definitions and YAML, `//` in Alloy, `<!-- … -->` in Markdown.

- `# obsgen: noqa OBS110, OBS116` at the end of a line silences those codes at that line;
  `# obsgen: noqa` with no code silences every code at that line.
- `# obsgen: noqa-file OBS110` on any line silences OBS110 everywhere in that file;
  `# obsgen: noqa-file` with no code silences the whole file.
- In Python definitions a line's marker also covers every line of the statement or call that
  starts on it: findings inside a multi-line PromQL string point at the string's inner line (the
  metric's own), while the marker sits on the `AlertRule(` line, the only one it can go on.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from obsgen.check.reading import read_bytes
from obsgen.diagnostics import Diagnostic

_CODES = r":?(?P<codes>(?:[\s,]*OBS\d+)*)"
_LINE = re.compile(r"obsgen:\s*noqa(?!-)\b" + _CODES, re.IGNORECASE)
_FILE = re.compile(r"obsgen:\s*noqa-file\b" + _CODES, re.IGNORECASE)
_CODE = re.compile(r"OBS\d+", re.IGNORECASE)
ALL: frozenset[str] = frozenset()  # an empty set of codes: every code


def _codes(marker: re.Pattern[str], line: str) -> frozenset[str] | None:
    found = marker.search(line)
    if found is None:
        return None
    return frozenset(c.upper() for c in _CODE.findall(found.group("codes")))


def noqa_codes(line: str) -> frozenset[str] | None:
    """The codes a line silences at itself: None without a marker, ALL for a bare one."""
    return _codes(_LINE, line)


def file_codes(lines: Iterable[str]) -> frozenset[str] | None:
    """The codes a file silences everywhere in it: None without a marker, ALL for a bare
    one."""
    found = [codes for line in lines if (codes := _codes(_FILE, line)) is not None]
    if not found:
        return None
    return ALL if ALL in found else frozenset().union(*found)


@dataclass(frozen=True)
class _Source:
    lines: list[str]
    whole_file: frozenset[str] | None
    # Per line (index: line number), what a marker on the first line of a statement or call
    # that spans it silences there; empty where nothing spans a line.
    spanned: Sequence[frozenset[str] | None] = ()


def _matches(codes: frozenset[str] | None, code: str) -> bool:
    return codes is not None and (codes == ALL or code in codes)


def _union(a: frozenset[str] | None, b: frozenset[str]) -> frozenset[str]:
    return ALL if ALL in (a, b) else (a or frozenset()) | b


def _spanning(node: ast.AST) -> TypeGuard[ast.stmt | ast.expr]:
    """A call, or a statement without a body: a marker on a `def` or `if` line does not cover
    the block under it."""
    return isinstance(node, ast.Call) or (isinstance(node, ast.stmt)
                                          and not hasattr(node, "body"))


def _spans(text: str, marked: dict[int, frozenset[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """(first line, last line, codes) of the longest statement or call starting on each marked
    line. A file that does not parse has none: its findings are silenced line by line."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    ends: dict[int, int] = {}
    for node in ast.walk(tree):
        if _spanning(node) and node.lineno in marked:
            end = node.end_lineno or node.lineno
            ends[node.lineno] = max(end, ends.get(node.lineno, end))
    return sorted(((start, end, marked[start]) for start, end in ends.items() if end > start),
                  key=lambda s: (s[0], -s[1]))


def _spanned(text: str, lines: list[str]) -> list[frozenset[str] | None]:
    """For each line, the codes of the markers whose statement or call spans it, in one sweep:
    AST spans nest, so the spans open at a line are a stack."""
    marked = {n: codes for n, line in enumerate(lines, 1)
              if (codes := noqa_codes(line)) is not None}
    spans = _spans(text, marked) if marked else []
    if not spans:
        return []
    out: list[frozenset[str] | None] = [None] * (len(lines) + 1)
    stack: list[tuple[int, frozenset[str]]] = []  # (last line, codes of it and its enclosers)
    pending = iter(spans)
    upcoming = next(pending, None)
    for line in range(1, len(lines) + 1):
        while stack and stack[-1][0] < line:
            stack.pop()
        while upcoming is not None and upcoming[0] == line:
            _, end, codes = upcoming
            # Two statements may share a line (`f(...); g(...)`): g's span is not inside f's.
            around = next((c for e, c in reversed(stack) if e >= end), None)
            stack.append((end, _union(around, codes)))
            upcoming = next(pending, None)
        out[line] = stack[-1][1] if stack else None
    return out


def _lines(path: str, text: str) -> list[str]:
    """A file's lines; a Python file's as Python counts them (a form feed or U+2028 is part
    of a line to it), so they match the line numbers of its findings."""
    return re.split(r"\r\n|\r|\n", text.removesuffix("\n")) if path.endswith(".py") \
        else text.splitlines()


def _source(path: str, cache: dict[str, _Source]) -> _Source:
    if path not in cache:
        # Read like `obsgen lint` reads: a FIFO or /dev/zero a finding names is not opened.
        data = read_bytes(path)
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else ""
        except UnicodeDecodeError:
            text = ""
        lines = _lines(path, text)
        spanned = _spanned(text, lines) if path.endswith(".py") else []
        cache[path] = _Source(lines, file_codes(lines), spanned)
    return cache[path]


def silenced(diagnostic: Diagnostic, cache: dict[str, _Source]) -> bool:
    location = diagnostic.location
    if location is None:
        return False
    source = _source(location.path, cache)
    if _matches(source.whole_file, diagnostic.code):
        return True
    if not 1 <= location.line <= len(source.lines):
        return False
    if location.line < len(source.spanned) \
            and _matches(source.spanned[location.line], diagnostic.code):
        return True
    return _matches(noqa_codes(source.lines[location.line - 1]), diagnostic.code)


def without_noqa(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that no noqa comment silences."""
    cache: dict[str, _Source] = {}
    return [d for d in diagnostics if not silenced(d, cache)]
