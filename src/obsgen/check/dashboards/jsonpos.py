"""Where each value of a JSON document starts in its text.

The json module keeps no positions, so findings about a dashboard (a JSON path such as
`panels/3/targets/0/expr`) would have no line to point at. This scan walks text that
`json.loads` has already accepted and records the 1-based line and column of every value and
of every object key, by path. It trusts its input: call it only on valid JSON.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A JSON string body: anything but a quote or backslash, or any escape.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


@dataclass(frozen=True)
class Position:
    line: int
    column: int


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.values: dict[JsonPath, int] = {}
        self.keys: dict[JsonPath, int] = {}

    def skip(self) -> None:
        match = _WHITESPACE.match(self.text, self.at)
        self.at = match.end() if match else self.at

    def string(self) -> str:
        match = _STRING.match(self.text, self.at)
        if match is None:
            raise ValueError(f"expected a string at offset {self.at}")
        self.at = match.end()
        body = match.group()[1:-1]
        # Keys are compared with the decoded document's keys, so escapes must be decoded.
        return body if "\\" not in body else str(_decode(match.group()))

    def value(self, path: JsonPath) -> None:
        self.skip()
        self.values[path] = self.at
        char = self.text[self.at: self.at + 1]
        if char == "{":
            self.container(path, "}", keyed=True)
        elif char == "[":
            self.container(path, "]", keyed=False)
        elif char == '"':
            self.string()
        else:
            match = _SCALAR.match(self.text, self.at)
            if match is None:
                raise ValueError(f"unexpected {char!r} at offset {self.at}")
            self.at = match.end()

    def container(self, path: JsonPath, close: str, *, keyed: bool) -> None:
        self.at += 1
        index = 0
        self.skip()
        if self.text.startswith(close, self.at):
            self.at += 1
            return
        while True:
            self.skip()
            if keyed:
                key_at = self.at
                key = self.string()
                self.keys[(*path, key)] = key_at
                self.skip()
                self.at += 1  # the colon
                self.value((*path, key))
            else:
                self.value((*path, index))
            index += 1
            self.skip()
            separator = self.text[self.at]
            self.at += 1
            if separator == close:
                return


def _decode(literal: str) -> object:
    import json

    return json.loads(literal)


class JsonPositions:
    """Line and column of the values (and keys) of one valid JSON text, by path."""

    def __init__(self, text: str) -> None:
        scanner = _Scanner(text)
        scanner.value(())
        self._text = text
        self._values = scanner.values
        self._keys = scanner.keys
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def _position(self, offset: int) -> Position:
        line = bisect_right(self._line_starts, offset)
        return Position(line, offset - self._line_starts[line - 1] + 1)

    def of_value(self, path: JsonPath) -> Position:
        """Where the value at `path` starts; for a path that does not exist (a missing
        property), the nearest existing ancestor."""
        for depth in range(len(path), -1, -1):
            offset = self._values.get(tuple(path[:depth]))
            if offset is not None:
                return self._position(offset)
        return Position(1, 1)

    def in_string(self, path: JsonPath, index: int) -> Position:
        """Where character `index` of the string value at `path` stands in the text, escapes
        counted (a finding inside a query points at the offending part, not the quote)."""
        start = self._values.get(tuple(path))
        if start is None or not self._text.startswith('"', start):
            return self.of_value(path)
        at, seen = start + 1, 0
        while seen < index and at < len(self._text) and self._text[at] != '"':
            if self._text[at] == "\\":
                at += 6 if self._text.startswith("u", at + 1) else 2
            else:
                at += 1
            seen += 1
        return self._position(at)

    def of_key(self, path: JsonPath) -> Position:
        """Where the key naming `path` starts (an unexpected property is best shown at its
        name); falls back to the value's position."""
        offset = self._keys.get(tuple(path))
        return self._position(offset) if offset is not None else self.of_value(path)


def format_path(path: JsonPath) -> str:
    """A JSON path as people read it in a dashboard: `panels[3].targets[0].expr`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(dashboard)"
