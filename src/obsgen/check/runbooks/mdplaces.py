"""Where a link target is written in a Markdown page's source, for the line and column of a
finding about it (the rendered HTML keeps no positions).

A page of 20,000 broken links is searched once per distinct target over the whole text (at
the speed of `str.find`), never line by line per target.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# The line breaks of str.splitlines(), which numbers the lines here as everywhere in runbooks.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
Place = tuple[int, int]  # 1-based line and column; (0, 0): not found


@dataclass
class LinkPlaces:
    text: str
    _starts: list[int] = field(default_factory=list)
    _found: dict[str, list[Place]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]

    def of(self, needle: str) -> list[Place]:
        """Each place `needle` is written as a link target: after `](`, else after `]: `,
        else as an href attribute, else anywhere; [(0, 0)] when nowhere."""
        if needle not in self._found:
            self._found[needle] = self._search(needle)
        return self._found[needle]

    def _search(self, needle: str) -> list[Place]:
        for marker in (f"]({needle}", f"]: {needle}", f'href="{needle}"', needle):
            if not marker or _LINE_BREAK.search(marker):
                continue  # written on one line, or not at all
            offset = len(marker) - len(needle)
            found = [self._place(at + offset) for at in self._finds(marker)]
            if found:
                return found
        return [(0, 0)]

    def _finds(self, marker: str) -> list[int]:
        found = []
        start = self.text.find(marker)
        while start >= 0:
            found.append(start)
            start = self.text.find(marker, start + 1)
        return found

    def _place(self, offset: int) -> Place:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
