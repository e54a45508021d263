"""The types the Alloy component tables are written in, apart from the tables that use them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

Kind = Literal["string", "number", "bool", "list", "map", "capsule", "secret", "any"]


@dataclass(frozen=True)
class ValueType:
    """What an attribute accepts. `capsule` names the Go value passed by reference between
    components (an Appendable, a LogsReceiver, an OTLP consumer); `form` is a string syntax
    checked on literals (`duration`, `bytes`)."""

    kind: Kind
    element: ValueType | None = None
    capsule: str = ""
    form: str = ""


@dataclass(frozen=True)
class Attr:
    name: str
    go_type: str
    required: bool = False
    deprecated: str = ""  # what to write instead, when the attribute is deprecated


@dataclass(frozen=True)
class Block:
    """A block argument. `enum` blocks are written `name.member { ... }` (loki.process's
    `stage.json`), one member per block, repeatable and ordered. A `recursive` block takes the
    members of the nearest enclosing block of the same name (a `stage.match` nests stages)."""

    name: str
    go_type: str
    members: Members
    required: bool = False
    enum: bool = False
    recursive: bool = False
    unchecked: bool = False  # a body whose members are not modelled (or checked elsewhere)

    @property
    def repeatable(self) -> bool:
        return self.enum or self.go_type.startswith("[]")


Member = Union[Attr, Block]  # noqa: UP007 - a runtime alias, used before Block is complete
Members = tuple[Member, ...]


@dataclass(frozen=True)
class Component:
    name: str
    go_file: str  # where the arguments struct lives in grafana/alloy
    arguments: Members
    exports: tuple[Attr, ...] = ()
