"""Locating the nodes of a parsed PromQL expression in its text.

The parser does not report node positions, so each node is located by finding its keyword in
the text, in the order a pre-order walk meets them (which is the text order). Every search
runs forward from the last match, so locating all nodes of a long expression stays linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPAQUE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`|#[^\n]*')
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:")
_LOOK_BACK = 256  # characters searched back for the name before a `{`, before all of them


def _blank(match: re.Match[str]) -> str:
    token = match.group()
    return " " * len(token) if token[0] == "#" else token[0] + " " * (len(token) - 2) + token[0]


@dataclass(slots=True)
class Cursor:
    """The substituted text, searched forward in walk order: str.find is far cheaper than
    tokenising every query. A match inside a string literal does not count: with only double
    quotes in the text that is a parity count (kept as the cursor moves), otherwise strings
    and comments are blanked first (offsets unchanged)."""

    text: str
    quoted: bool  # double-quoted strings remain in `text`
    position: int = 0
    counted_to: int = 0  # the quotes before this offset...
    quotes: int = 0  # ...number this many

    @classmethod
    def over(cls, text: str) -> Cursor:
        if "'" in text or "`" in text or "#" in text or "\\" in text:
            return cls(_OPAQUE.sub(_blank, text), False)
        return cls(text, '"' in text)

    def _in_string(self, index: int) -> bool:
        """Whether `index` is inside a double-quoted string, counting the quotes from where
        the last count ended (a long text is searched forward, a little back and forth)."""
        if index < self.counted_to:
            self.quotes -= self.text.count('"', index, self.counted_to)
        else:
            self.quotes += self.text.count('"', self.counted_to, index)
        self.counted_to = index
        return self.quotes % 2 == 1

    def _counts(self, index: int, word: str) -> bool:
        text = self.text
        if self.quoted and (text.count('"', 0, index) % 2 if index < _LOOK_BACK else
                            self._in_string(index)):  # near the start, counting is cheapest
            return False
        if word in "[]":
            return True
        if word == "{":  # a nameless selector's: not right after a metric name
            before = text[max(0, index - _LOOK_BACK):index].rstrip()
            if not before and index > _LOOK_BACK:
                before = text[:index].rstrip()
            return before[-1:] not in _WORD_CHARS
        before = text[index - 1] if index else " "
        end = index + len(word)
        after = text[end] if end < len(text) else " "
        return before not in _WORD_CHARS and after not in _WORD_CHARS

    def _search(self, word: str, start: int) -> int:
        text = self.text
        index = text.find(word, start)
        while index >= 0 and not self._counts(index, word):
            index = text.find(word, index + 1)
        return index

    def find(self, word: str) -> int:
        """Offset of the next `word` (a whole word; "{" opening a nameless selector) at or
        after the cursor, then anywhere; 0 when it is not found."""
        index = self._search(word, self.position)
        if index >= 0:
            self.position = index + len(word)
            return index
        return max(self._search(word, 0), 0)

    def after(self, char: str, position: int) -> int | None:
        index = self._search(char, position) if self.quoted else self.text.find(char, position)
        return index if index >= 0 else None
