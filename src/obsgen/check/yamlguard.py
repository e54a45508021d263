"""YAML written by anyone, composed only once it is known to be safe to walk.

Composing YAML is linear, but an alias is a second reference to a node, not a copy: a file of
under 1 KB can nest aliases of aliases into a billion nodes ("billion laughs"), and anything
that walks the composed graph as a tree (constructing it, a schema check, our own walks)
expands it. Before any composer runs, one pass over the parser's events counts aliases and the
number of nodes the document would have with every alias expanded (each anchor's expanded size
is kept, so counting is linear) and the nesting depth (deep nesting overflows the recursive
composer and validator). Every YAML read of foreign input goes through `compose_all`,
`compose` or `load` here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

ALIAS_BUDGET = 1_000  # far above what hand-written rule files use (anchors for shared labels)
EXPANSION_FLOOR = 100_000  # nodes a file may expand to whatever its size...
EXPANSION_RATIO = 10  # ...or this many times the nodes written in it, if that is more
MAX_DEPTH = 100  # rule files nest 7 levels; the pure-Python composer fails near 300
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when the wheel has it
_HINT = ("write the repeated parts out, or use fewer anchors: obsgen refuses YAML whose aliases "
         "would expand a small file into a huge one")
Loader = type[Any]  # a safe loader class: yaml.SafeLoader or yaml.CSafeLoader


class Refused(yaml.YAMLError):
    """The text is not composed: `code` (OBS971 aliases, OBS974 depth) at `line`, `column`."""

    def __init__(self, code: str, message: str, hint: str, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.line = int(mark.line) + 1 if mark is not None else 1
        self.column = int(mark.column) + 1 if mark is not None else 0
        self.problem_mark = mark  # where handlers of any YAMLError look for the place


@dataclass
class _Tally:
    """Counts over the whole file (a budget per document would let a file of many small
    documents multiply it)."""

    aliases: int = 0
    written: int = 0  # nodes as composed
    expanded: int = 0  # nodes with every alias expanded
    sizes: dict[str, int | None] = field(default_factory=dict)  # anchor -> expanded size
    open: list[list[Any]] = field(default_factory=list)  # [anchor, size] of open collections

    def add(self, size: int) -> None:
        if self.open:
            self.open[-1][1] += size

    def alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        anchor = str(event.anchor)
        if self.aliases > ALIAS_BUDGET:
            raise Refused("OBS971", f"more than {ALIAS_BUDGET:,} aliases (*{anchor} is one "
                          "too many); the file was not read further", _HINT, event.start_mark)
        if anchor not in self.sizes:
            return  # an undefined alias: the composer reports it
        size = self.sizes[anchor]
        if size is None:
            raise Refused("OBS971", f"alias *{anchor} refers to a node it is inside (recursive "
                          "YAML); the file was not read further", _HINT, event.start_mark)
        self.expanded += size
        bound = max(EXPANSION_FLOOR, EXPANSION_RATIO * self.written)
        if self.expanded > bound:
            raise Refused("OBS971", f"alias *{anchor} expands the file past {bound:,} nodes "
                          f"({self.written:,} are written in it); the file was not read "
                          "further", _HINT, event.start_mark)
        self.add(size)

    def node(self, event: yaml.NodeEvent) -> None:
        self.written += 1
        self.expanded += 1
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                self.sizes[str(event.anchor)] = 1
            self.add(1)
            return
        if len(self.open) >= MAX_DEPTH:
            raise _too_deep(event.start_mark)
        if event.anchor is not None:
            self.sizes[str(event.anchor)] = None  # open: an alias to it now is recursive
        self.open.append([event.anchor, 1])

    def close(self) -> None:
        anchor, size = self.open.pop()
        if anchor is not None:
            self.sizes[str(anchor)] = size
        self.add(size)


def _too_deep(mark: Any) -> Refused:
    return Refused("OBS974", f"nested more than {MAX_DEPTH} levels deep; the file was not read "
                   "further", "flatten the document: rule files, dashboards and manifests nest "
                   "a few levels, not hundreds", mark)


def _scan(events: Iterable[yaml.Event]) -> None:
    tally = _Tally()
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            tally.sizes = {}  # anchors are scoped to their document
        elif isinstance(event, yaml.AliasEvent):
            tally.alias(event)
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            tally.node(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            tally.close()


def check(text: str) -> None:
    """Raise Refused when `text` must not be composed; a syntax error is left to the
    composer, which reports it in its own words."""
    for loader in dict.fromkeys((_FAST, yaml.SafeLoader)):
        try:
            _scan(yaml.parse(text, Loader=loader))
        except Refused:
            raise
        except yaml.YAMLError as exc:
            if "maximum nesting depth" in str(exc):  # libyaml's own bound (1,000) is past ours
                raise _too_deep(getattr(exc, "problem_mark", None)) from None
            continue  # libyaml refuses a few things the pure parser takes: scan with that
        return


def compose_all(text: str, loader: Loader = _FAST) -> list[yaml.Node | None]:
    """The composed documents of `text`; raises Refused, or yaml.YAMLError."""
    check(text)
    return list(yaml.compose_all(text, Loader=loader))


def compose(text: str, loader: Loader = _FAST) -> yaml.Node | None:
    """The one composed document of `text`; raises Refused, or yaml.YAMLError."""
    check(text)
    node: yaml.Node | None = yaml.compose(text, Loader=loader)
    return node


def load(text: str, loader: Loader = _FAST) -> Any:
    """The one document of `text` as Python data; raises Refused, or yaml.YAMLError."""
    check(text)
    return yaml.load(text, Loader=loader)  # only safe loaders are passed
