r"""Grafana macros and template variables (`$__rate_interval`, `$var`, `${var:csv}`, `[[var]]`)
replaced by stand-ins PromQL parses, with a map from every offset of the new text back to the
original, so findings point at what the user wrote. A raw string (`` `\d+` ``), which Prometheus
takes as written, is rewritten as the double-quoted string it stands for: promql-parser 0.12
rejects a backslash in it ("unknown escape sequence")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_MACRO_SCAN = re.compile(
    r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`|#[^\n]*'  # strings, comments: kept
    r"|\$\{[^}]*\}|\$\w+|\[\[[\w:.]+\]\]"  # $var, ${var...}, [[var]]
)
_NUMBER_MACROS = ("$__range_s", "$__range_ms", "$__interval_ms")
_STAND_IN_DURATION = "1m"
_GROUPING_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
# Words after which an operand, not an operator, follows.
_KEYWORDS = _GROUPING_WORDS | {"and", "or", "unless", "bool", "offset", "atan2"}
_STAND_IN_OPERATOR = "or"
_OFFSET = re.compile(r"\boffset\s*-?$")
_LOOK_AHEAD = 16
STAND_IN_NAME = "__obsgen_var__"
# How far back a macro's context is read: more than any label list, and it keeps substituting
# a long text with many macros linear.
_LOOK_BACK = 4096


def _start(span: tuple[int, int, int, int]) -> int:
    return span[0]


@dataclass(frozen=True, slots=True)
class Substituted:
    """Text with macros replaced, and where each replacement sits in both texts."""

    text: str
    spans: tuple[tuple[int, int, int, int], ...]  # (new start, new end, old start, old end)

    def original(self, position: int) -> int:
        if not self.spans:
            return position
        index = bisect_right(self.spans, position, key=_start) - 1
        if index < 0:
            return position
        _, new_end, old_start, old_end = self.spans[index]
        return old_start if position < new_end else position + old_end - new_end

    def original_end(self, position: int) -> int:
        """Map an exclusive end offset: a stand-in's end maps to its macro's end."""
        if not self.spans:
            return position
        index = bisect_left(self.spans, position, key=_start) - 1
        if index >= 0 and position <= self.spans[index][1]:
            return self.spans[index][3]
        return self.original(position)

    def touches(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a stand-in (spans are sorted and never overlap)."""
        index = bisect_left(self.spans, end, key=_start) - 1
        return index >= 0 and start < self.spans[index][1]


def _stand_in(text: str, start: int, end: int, macro: str) -> str:
    before = text[max(0, start - _LOOK_BACK):start].rstrip()
    after = text[end:end + 1]
    if (before.endswith(("[", ":")) and not before.endswith("[[")) or _OFFSET.search(
            before[-_LOOK_AHEAD:]):
        return _STAND_IN_DURATION
    if macro.startswith(_NUMBER_MACROS) or before.endswith("@"):
        return "1"
    word_before = bool(before) and start > 0 and (text[start - 1].isalnum() or
                                                  text[start - 1] in "_:")
    if word_before or (after[:1].isalnum() or after[:1] in "_{") or _in_grouping(before):
        return STAND_IN_NAME
    if _between_operands(before, text[end:end + _LOOK_AHEAD].lstrip()):
        return _STAND_IN_OPERATOR
    return "1"


def _between_operands(before: str, after: str) -> bool:
    """Whether a variable stands where a binary operator goes, `a $op b` (a custom variable
    whose values are `or` and `unless`, say)."""
    if not before or not after or not (after[0].isalnum() or after[0] in "_{($"):
        return False
    if before[-1] in ")}]":
        return True
    word = re.search(r"[\w:.]+$", before[-_LOOK_AHEAD:])
    return word is not None and word.group() not in _KEYWORDS


def _in_grouping(before: str) -> bool:
    """Whether the text ends inside `by (...)`, `on (...)` or a matcher's label-name slot."""
    depth = 0
    for index in range(len(before) - 1, -1, -1):
        char = before[index]
        if char in ")}":
            depth += 1
        elif char == "{" and depth == 0:
            return True
        elif char in "({":
            if depth == 0:
                word = re.search(r"(\w+)\s*$", before[:index])
                return word is not None and word.group(1) in _GROUPING_WORDS
            depth -= 1
    return False


def _quoted(raw: str) -> str:
    """A backtick string as the double-quoted string with the same value."""
    body = raw[1:-1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def substitute(text: str) -> Substituted:
    """Replace Grafana macros outside string literals with parseable stand-ins: a duration
    inside `[...]`, a name where a name is expected, else the number 1."""
    if "$" not in text and "[[" not in text and "`" not in text:
        return Substituted(text, ())
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    last = 0
    length = 0
    for match in _MACRO_SCAN.finditer(text):
        token = match.group()
        if token[0] in "\"'#" or (token[0] == "`" and "\\" not in token):
            continue
        start, end = match.span()
        parts.append(text[last:start])
        length += start - last
        stand_in = _quoted(token) if token[0] == "`" else _stand_in(text, start, end, token)
        spans.append((length, length + len(stand_in), start, end))
        parts.append(stand_in)
        length += len(stand_in)
        last = end
    parts.append(text[last:])
    return Substituted("".join(parts), tuple(spans))
