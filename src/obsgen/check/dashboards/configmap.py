"""Grafana dashboards shipped inside Kubernetes ConfigMaps (Grafana's dashboard sidecar reads
them; kube-prometheus writes its `grafana-dashboardDefinitions.yaml` as a `ConfigMapList`):
each `data` value that is a dashboard's JSON, with where it stands in the YAML.

A value written as a `|` block scalar holds the JSON line for line, each line indented: a
finding in the JSON is moved to the same line and column of the YAML. Any other scalar style
(`>`, quoted, plain) joins or escapes lines, so its findings are placed at the value's start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import yaml

from obsgen.check import yamlguard
from obsgen.diagnostics import Location

# A cheap look before any YAML is composed: most YAML files linted are rule files.
_KIND = re.compile(r"^\s*[\"']?kind[\"']?\s*:\s*[\"']?(ConfigMap|ConfigMapList|List)[\"']?\s*$",
                   re.MULTILINE)
_LISTS = frozenset({"ConfigMapList", "List"})
# The keys `obsgen lint` takes a .json file for a dashboard by (check/lint.py); a value that
# has one but is broken JSON is still a dashboard, for the linter to report where it breaks.
_DASHBOARD = re.compile(r"\"(panels|rows|dashboard|schemaVersion|templating)\"\s*:")
_V2_DASHBOARD = re.compile(r"\"apiVersion\"\s*:\s*\"dashboard\.grafana\.app/v2")


@dataclass(frozen=True)
class Embedded:
    """One dashboard of a ConfigMap: its data key, its JSON, and where that JSON is written."""

    key: str
    json: str
    line: int  # 1-based YAML line of the value (a block scalar: its first content line)
    column: int  # 1-based YAML column of the value (a block scalar: its indent + 1)
    line_for_line: bool  # a `|` block: JSON line n is YAML line `line + n - 1`

    def relocate(self, path: str, location: Location) -> Location:
        """A place in the JSON (any path), moved to the YAML file at `path`."""
        if not self.line_for_line or not location.line:
            return Location(path, self.line, self.column)
        column = self.column - 1 + location.column if location.column else 0
        return Location(path, self.line + location.line - 1, column)


def _is_dashboard(text: str) -> bool:
    return text.lstrip().startswith("{") and (
        _DASHBOARD.search(text) is not None or _V2_DASHBOARD.search(text) is not None)


def _block_start(node: yaml.ScalarNode, lines: list[str]) -> tuple[int, int]:
    """The 1-based line and column where a block scalar's first content line starts."""
    first = node.start_mark.line + 1  # 0-based: the line after the `|` indicator
    probe = first
    while probe < len(lines) and not lines[probe].strip():
        probe += 1
    indent = len(lines[probe]) - len(lines[probe].lstrip(" ")) if probe < len(lines) else 0
    return first + 1, indent + 1


def _embedded(key: str, node: yaml.ScalarNode, lines: list[str]) -> Embedded:
    if node.style == "|":
        line, column = _block_start(node, lines)
        return Embedded(key, str(node.value), line, column, True)
    start = node.start_mark
    return Embedded(key, str(node.value), start.line + 1, start.column + 1, False)


def _mapping_items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield str(key.value), value


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    return next((v for k, v in _mapping_items(node) if k == key), None)


def _kind(node: yaml.Node | None) -> str:
    kind = _value(node, "kind")
    return str(kind.value) if isinstance(kind, yaml.ScalarNode) else ""


def _config_maps(node: yaml.Node | None) -> Iterator[yaml.Node]:
    kind = _kind(node)
    if kind == "ConfigMap":
        yield node  # type: ignore[misc]  # a kind was read, so node is a mapping
    elif kind in _LISTS:
        items = _value(node, "items")
        if isinstance(items, yaml.SequenceNode):
            yield from (item for item in items.value if _kind(item) == "ConfigMap")


def _dashboards(documents: list[yaml.Node | None], lines: list[str]) -> Iterator[Embedded]:
    for document in documents:
        for config_map in _config_maps(document):
            for key, value in _mapping_items(_value(config_map, "data")):
                if isinstance(value, yaml.ScalarNode) and _is_dashboard(str(value.value)):
                    yield _embedded(key, value, lines)


@lru_cache(maxsize=16)
def configmap_dashboards(text: str) -> tuple[Embedded, ...]:
    """The dashboards in the `data` of the ConfigMaps of a YAML text (a ConfigMap, a
    ConfigMapList or a `kind: List` of them, in one or more documents); () for anything else,
    a ConfigMap of other data included."""
    if _KIND.search(text) is None:
        return ()
    try:
        documents = yamlguard.compose_all(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return ()
    return tuple(_dashboards(documents, text.splitlines()))


# The dashboards of one ConfigMap file are linted as files of their own, each under the file's
# path and its number: a NUL never stands in a real path, so no file of the run can collide.
_MEMBER = "\x00"


def member_path(path: str, index: int) -> str:
    return f"{path}{_MEMBER}{index}"


def written_path(path: str) -> str:
    """The file a dashboard of a ConfigMap was read from (any other path as it is)."""
    return path.split(_MEMBER, 1)[0]


def relocate_member(location: Location, written: str) -> Location:
    """A finding in the JSON of the ConfigMap dashboard at `location.path`, moved to the YAML
    file it was read from (`written`, that file's text)."""
    path, _, index = location.path.partition(_MEMBER)
    members = configmap_dashboards(written)
    if not index.isdigit() or int(index) >= len(members):
        return Location(path, location.line, location.column)
    return members[int(index)].relocate(path, location)
