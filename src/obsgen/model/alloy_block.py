"""An Alloy block the pipeline model has no class for, kept as written.

`obsgen import` turns the components it can model into `Scrape`, `RemoteWrite`... and keeps
every other block (`discovery.kubernetes`, `prometheus.relabel`, `logging`) as an `AlloyBlock`,
so a config moves into obsgen whole. The text is emitted through the Alloy printer, so it lands
in canonical layout and is validated like the rest; like every other pipeline field it may not
hold a secret: a credential is `sys.env("NAME")`, never a string literal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from obsgen.alloy import ast
from obsgen.alloy.components import SECRET_NAMES
from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import check_arguments
from obsgen.model.source import caller_location
from obsgen.redact import token_spans


def is_secret_name(name: str) -> bool:
    """An argument that holds a credential (as the Alloy validator's OBS828 judges it)."""
    name = name.lower()
    if name.endswith(("_file", "_path")):
        return False
    return name in SECRET_NAMES or name.endswith(("_password", "_token", "_secret", "_api_key"))


def literal_secrets(body: ast.Body) -> Iterator[tuple[str, ast.StringLiteral]]:
    """Every non-empty string literal under a credential's name, or shaped like a token, with
    the name it is given to (an attribute's or an object key's)."""
    for stmt in body.stmts:
        if isinstance(stmt, ast.Block):
            yield from literal_secrets(stmt.body)
        else:
            yield from _secrets_in(stmt.name, stmt.value)


def _secrets_in(name: str, value: ast.Expr) -> Iterator[tuple[str, ast.StringLiteral]]:
    if isinstance(value, ast.StringLiteral):
        if value.value and (is_secret_name(name) or token_spans(value.value)):
            yield name, value
    elif isinstance(value, ast.Object):
        for item in value.fields:
            yield from _secrets_in(item.key, item.value)
    elif isinstance(value, ast.Array):
        for element in value.elements:
            yield from _secrets_in(name, element)


@dataclass(frozen=True, eq=False)
class AlloyBlock:
    """One top-level Alloy block, as Alloy text: `AlloyBlock('discovery.kubernetes "pods" {
    role = "pod" }')`. It takes part in the pipeline like any component: others may refer to
    its exports by name (`discovery.kubernetes.pods.targets`).

    Example:

    ```python
    PODS = AlloyBlock('discovery.kubernetes "pods" { role = "pod" }')
    ```
    """

    text: str
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        block = self.block
        for name, _ in literal_secrets(ast.Body((block,))):
            raise DefinitionError(
                "OBS841", f"AlloyBlock {block.full_name} gives {name!r} as a string literal",
                hint=f'write {name} = sys.env("NAME") and export NAME where Alloy runs; a secret '
                     "never belongs in definitions or build/")

    @cached_property
    def body(self) -> ast.Body:
        """The parsed text, its comments included."""
        try:
            body = parse(self.text, "AlloyBlock")
        except AlloySyntaxError as exc:
            raise DefinitionError("OBS004", f"AlloyBlock text is not valid Alloy: line "
                                  f"{exc.line}:{exc.column}: {exc.message}",
                                  hint="write one Alloy block, as in a config file") from None
        if len(body.stmts) != 1 or not isinstance(body.stmts[0], ast.Block):
            raise DefinitionError("OBS004", f"AlloyBlock holds {len(body.stmts)} statements, "
                                  "not one block",
                                  hint="one AlloyBlock per block: name \"label\" { ... }")
        return body

    @property
    def block(self) -> ast.Block:
        stmt = self.body.stmts[0]
        assert isinstance(stmt, ast.Block)
        return stmt

    @property
    def name(self) -> str:
        """The block's dotted name, `discovery.kubernetes`."""
        return self.block.full_name

    @property
    def label(self) -> str:
        return self.block.label or ""
