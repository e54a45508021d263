"""Where names live in an Alloy config: the root, `declare` modules and `foreach` templates,
the component instances each defines, and the schema of a `declare`d component."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from obsgen.alloy import ast
from obsgen.alloy.component_types import Attr, Component


@dataclass(eq=False)
class Node:
    """A component instance (or config block with a label) that expressions may reference."""

    ident: str
    path: str
    block: ast.Block
    component: Component | None
    scope: Scope
    refs: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class Scope:
    """A root config, a `declare` module, or a `foreach` template: the components it defines,
    the custom component names (`declare` labels, `import` namespaces) and local identifiers."""

    kind: str  # "root", "module" or "foreach"
    parent: Scope | None
    nodes: dict[str, Node] = field(default_factory=dict)
    custom: dict[str, ast.Block] = field(default_factory=dict)  # declare blocks by label
    namespaces: set[str] = field(default_factory=set)
    locals: set[str] = field(default_factory=set)
    pending: list[tuple[str, ast.Block]] = field(default_factory=list)

    def chain(self) -> Iterator[Scope]:
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def knows_component(self, name: str) -> bool:
        first = name.split(".")[0]
        return any(name in s.custom or first in s.namespaces for s in self.chain())

    def declared(self, name: str) -> ast.Block | None:
        return next((s.custom[name] for s in self.chain() if name in s.custom), None)

    def visible(self) -> Iterator[Scope]:
        """Scopes whose components a reference may name: a foreach template sees its parents;
        a module sees only itself."""
        for scope in self.chain():
            yield scope
            if scope.kind == "module":
                return

    def lookup(self, parts: list[str]) -> tuple[Node, int] | None:
        for scope in self.visible():
            for size in range(len(parts), 1, -1):
                node = scope.nodes.get(".".join(parts[:size]))
                if node is not None:
                    return node, size
        return None

    def is_local(self, name: str) -> bool:
        return any(name in s.locals for s in self.visible())


def declared_component(name: str, declare: ast.Block) -> Component:
    """The schema of a `declare`d component: its `argument` blocks (required unless
    `optional = true`) and its `export` blocks."""
    arguments, exports = [], []
    for stmt in declare.body.stmts:
        if not isinstance(stmt, ast.Block) or stmt.label is None:
            continue
        if stmt.full_name == "argument":
            optional = any(isinstance(a, ast.Attribute) and a.name == "optional"
                           and isinstance(a.value, ast.BoolLiteral) and a.value.value
                           for a in stmt.body.stmts)
            arguments.append(Attr(stmt.label, "any", required=not optional))
        elif stmt.full_name == "export":
            exports.append(Attr(stmt.label, "any"))
    return Component(name, "", tuple(arguments), tuple(exports))
