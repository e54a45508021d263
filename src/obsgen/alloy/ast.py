"""The Alloy syntax tree: frozen nodes, each with the 1-based position of its first character.

Built by `obsgen.alloy.parser` from text, or by hand (the emitter); a hand-built node keeps the
default `NO_POS`, and the printer then chooses the canonical layout on its own. Literal nodes keep
the spelling they were parsed from (`text`) so that formatting never rewrites a value; a
hand-built literal leaves `text` as None and the printer spells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True, order=True)
class Position:
    """1-based line and column (in characters); 0 means "no position" (a hand-built node).
    `offset` is the 0-based character offset in the file (-1 when unknown); it orders comments
    against tokens when printing and takes no part in comparisons."""

    line: int = 0
    column: int = 0
    offset: int = field(default=-1, compare=False)

    @property
    def known(self) -> bool:
        return self.line > 0

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


NO_POS = Position()


# --- comments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """A `//` line comment (text without the newline) or a `/* */` block comment, as written."""

    text: str
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class CommentGroup:
    """Comments with no token between them and no blank line between them."""

    comments: tuple[Comment, ...]


# --- expressions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StringLiteral:
    """A string; `value` is decoded. `text` is the source spelling with its quotes (`"a\\n"` or a
    backtick raw string), None when built by hand."""

    value: str
    text: str | None = field(default=None, compare=False)
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class NumberLiteral:
    """An integer (NUMBER) or float (FLOAT) literal; `text` is the source spelling."""

    value: int | float
    text: str | None = field(default=None, compare=False)
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class BoolLiteral:
    value: bool
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class NullLiteral:
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Identifier:
    """A name that refers to a value: `foo`, or the first part of `prometheus.scrape.x.targets`."""

    name: str
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Access:
    """`value.name`: field access; `prometheus.scrape.default.receiver` is nested Access nodes
    around an Identifier. `pos` is where `value` starts; `name_pos` where `name` starts."""

    value: Expr
    name: str
    pos: Position = field(default=NO_POS, compare=False)
    name_pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Index:
    """`value[index]`; `end` is the position of `]`."""

    value: Expr
    index: Expr
    pos: Position = field(default=NO_POS, compare=False)
    lbrack: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Call:
    """`func(args...)`, e.g. `sys.env("X")` (func is Access(Identifier("sys"), "env")).
    `lparen`/`end` are the positions of `(` and `)`."""

    func: Expr
    args: tuple[Expr, ...] = ()
    pos: Position = field(default=NO_POS, compare=False)
    lparen: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Array:
    """`[a, b]`; `pos` is `[`, `end` is `]`."""

    elements: tuple[Expr, ...] = ()
    pos: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class ObjectField:
    """One `key = value` of an object; `quoted` when the key is written as a string. A quoted
    key is the text between its quotes as written: Alloy does not unescape object keys."""

    key: str
    value: Expr
    quoted: bool = False
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Object:
    """`{ key = value, ... }`; `pos` is `{`, `end` is `}`."""

    fields: tuple[ObjectField, ...] = ()
    pos: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Unary:
    """`op operand` with op `!` or `-`; `pos` is the operator."""

    op: str
    operand: Expr
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Binary:
    """`left op right`; op is one of `|| && == != < <= > >= + - * / % ^`.
    `pos` is where `left` starts, `op_pos` the operator."""

    op: str
    left: Expr
    right: Expr
    pos: Position = field(default=NO_POS, compare=False)
    op_pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Paren:
    """`(inner)`, kept so that formatting does not drop the user's parentheses."""

    inner: Expr
    pos: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)


Expr: TypeAlias = (
    StringLiteral | NumberLiteral | BoolLiteral | NullLiteral | Identifier | Access | Index
    | Call | Array | Object | Unary | Binary | Paren
)
Literal: TypeAlias = StringLiteral | NumberLiteral | BoolLiteral | NullLiteral


# --- statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """`name = value` in a body; `pos` is where `name` starts."""

    name: str
    value: Expr
    pos: Position = field(default=NO_POS, compare=False)


@dataclass(frozen=True)
class Body:
    """A sequence of statements: a whole file, or the inside of a block.

    `comments` holds every comment of the file in groups, in source order, on the file's Body
    only (the printer places them by position, as `alloy fmt` does); nested bodies leave it
    empty."""

    stmts: tuple[Stmt, ...] = ()
    comments: tuple[CommentGroup, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Block:
    """`a.b.c "label" { body }`: `name` is the dotted name split into parts, `label` the decoded
    label or None. `pos` is the name, `label_pos` the label, `lcurly`/`end` the braces."""

    name: tuple[str, ...]
    label: str | None = None
    body: Body = Body()
    pos: Position = field(default=NO_POS, compare=False)
    label_pos: Position = field(default=NO_POS, compare=False)
    lcurly: Position = field(default=NO_POS, compare=False)
    end: Position = field(default=NO_POS, compare=False)

    @property
    def full_name(self) -> str:
        """The dotted name, `prometheus.scrape`."""
        return ".".join(self.name)


Stmt: TypeAlias = Attribute | Block
Node: TypeAlias = Expr | Stmt | Body | ObjectField | Comment | CommentGroup
