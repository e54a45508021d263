"""A Grafana v2 dashboard written as YAML (Grafana's Git Sync and the v2 API take YAML too),
seen as the JSON every dashboard check reads. The JSON holds one value per line, so each of its
lines stands for one place in the YAML: a finding in the JSON is moved back to the YAML's line
and column (inside a query, exactly for plain, quoted and `|` scalars on their own lines)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from obsgen.check import yamlguard
from obsgen.check.dashboards.targets_v2 import is_v2_dashboard
from obsgen.diagnostics import Location


@dataclass(frozen=True)
class _Place:
    """What one line of the JSON holds: a value, maybe under a key, with both positions."""

    node: yaml.Node
    value_column: int  # where the value starts on the JSON line (1-based)
    key: yaml.Node | None = None
    key_column: int = 0


@dataclass(frozen=True)
class YamlView:
    source: str  # the YAML as written
    json: str  # the same document as JSON, one value per line
    places: tuple[_Place | None, ...]  # by JSON line - 1; None: a closing bracket

    def relocate(self, location: Location) -> Location:
        """`location` in the JSON, moved to the YAML (a line of its own path kept)."""
        if not location.line:
            return location
        place = self.places[location.line - 1] if location.line <= len(self.places) else None
        if place is None:  # no finding points at a closing bracket; the file, then
            return Location(location.path, 1)
        if place.key is not None and location.column < place.value_column:
            return _at(location.path, place.key)
        line = self.json.splitlines()[location.line - 1]
        index = _string_index(line, place.value_column, location.column)
        return _inside(location.path, place.node, self.source, index)


def _at(path: str, node: yaml.Node, column_offset: int = 0) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1 + column_offset)


def _string_index(line: str, start: int, column: int) -> int:
    """Which character of the JSON string starting at `start` stands at `column`."""
    if column <= start or not line[start - 1:].startswith('"'):
        return 0
    try:
        return len(json.loads(line[start - 1:column - 1] + '"'))
    except ValueError:
        return 0


def _inside(path: str, node: yaml.Node, source: str, index: int) -> Location:
    """Character `index` of a scalar's value, where the YAML shows it."""
    start, end, style = node.start_mark, node.end_mark, getattr(node, "style", None)
    if not isinstance(node, yaml.ScalarNode) or index == 0:
        return _at(path, node)
    if style is None and start.line == end.line:
        return _at(path, node, index)
    raw = source[start.index + 1:end.index - 1]
    if style in ('"', "'") and start.line == end.line and "\\" not in raw and "''" not in raw:
        return _at(path, node, 1 + index)
    if style == "|":
        return _in_block(path, node, source, index)
    return _at(path, node)


def _in_block(path: str, node: yaml.ScalarNode, source: str, index: int) -> Location:
    lines = source.splitlines()
    first = node.start_mark.line + 1
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines):
        return _at(path, node)
    indent = len(lines[first]) - len(lines[first].lstrip(" "))
    before = str(node.value)[:index].split("\n")
    return Location(path, first + len(before), indent + 1 + len(before[-1]))


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[_Place | None] = []
        self.loader = yaml.SafeLoader("")

    def scalar(self, node: yaml.ScalarNode) -> str:
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # JSON has no NaN or Infinity
        return json.dumps(value, ensure_ascii=False, default=str)

    def value(self, node: yaml.Node, indent: str, key: yaml.Node | None) -> None:
        # A key that is no scalar (`? [a, b]`) has no JSON spelling; its place is kept.
        name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
        lead = f"{indent}{json.dumps(name, ensure_ascii=False)}: " if key is not None else indent
        place = _Place(node, len(lead) + 1, key, len(indent) + 1 if key is not None else 0)
        if isinstance(node, yaml.ScalarNode):
            self._line(lead + self.scalar(node), place)
            return
        keyed = isinstance(node, yaml.MappingNode)
        items = node.value if isinstance(node.value, list) else []
        brackets = "{}" if keyed else "[]"
        if not items:
            self._line(lead + brackets, place)
            return
        self._line(lead + brackets[0], place)
        for number, item in enumerate(items):
            if number:
                self.lines[-1] += ","
            if keyed:
                self.value(item[1], indent + "  ", item[0])
            else:
                self.value(item, indent + "  ", None)
        self._line(indent + brackets[1], None)

    def _line(self, text: str, place: _Place | None) -> None:
        self.lines.append(text)
        self.places.append(place)


@lru_cache(maxsize=64)
def yaml_view(source: str) -> YamlView | None:
    """The JSON view of a YAML text that is one v2 dashboard; None for any other YAML (or
    none at all), so rule files and configs are left to their own readers."""
    try:
        documents = [d for d in yamlguard.compose_all(source, yaml.SafeLoader) if d is not None]
        if len(documents) != 1 or not isinstance(documents[0], yaml.MappingNode):
            return None
        data: Any = yaml.SafeLoader("").construct_document(documents[0])
        if not is_v2_dashboard(data):
            return None
        writer = _Writer()
        writer.value(documents[0], "", None)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    return YamlView(source, "\n".join(writer.lines) + "\n", tuple(writer.places))
