"""The Alloy reference checks that need every scope known first: targets, exports, cycles."""

from __future__ import annotations

from collections.abc import Sequence

from obsgen.alloy import ast
from obsgen.alloy.component_types import ValueType
from obsgen.alloy.components import DEPRECATED_FUNCTIONS, GO_TYPES, STDLIB
from obsgen.alloy.exprs import children, traversal
from obsgen.check.alloy.graph import strongly_connected
from obsgen.check.alloy.scope import Node, Scope
from obsgen.check.alloy.values import at, start
from obsgen.diagnostics import Diagnostic, Location

# An expression to resolve: its file, itself, its scope, the component it is an argument of
# (None outside one), and the value type the argument expects (None when not modelled).
Collected = tuple[str, ast.Expr, Scope, Node | None, ValueType | None]


def reference_findings(exprs: Sequence[Collected], nodes: Sequence[Node]) -> list[Diagnostic]:
    """References to components or exports that do not exist, capsules of the wrong kind,
    deprecated functions, stdlib names shadowed, and components that feed themselves."""
    check = _References()
    for path, expr, scope, node, expected in exprs:
        check.walk(path, expr, scope, node, expected)
    check.cycles(nodes)
    return check.found


class _References:
    def __init__(self) -> None:
        self.found: list[Diagnostic] = []

    def add(self, code: str, message: str, where: Location, hint: str | None = None) -> None:
        self.found.append(Diagnostic.of(code, message, where, hint))

    def walk(self, path: str, expr: ast.Expr, scope: Scope, node: Node | None,
             expected: ValueType | None) -> None:
        parts = traversal(expr)
        if parts is not None:
            self._reference(path, expr, parts, scope, node, expected)
            return
        if isinstance(expr, ast.Call):
            self._call(path, expr, scope, node)
            return
        if isinstance(expr, ast.Array):
            element = expected.element if expected and expected.kind == "list" else None
            for e in expr.elements:
                self.walk(path, e, scope, node, element)
            return
        for child in children(expr):
            self.walk(path, child, scope, node, None)

    def _call(self, path: str, call: ast.Call, scope: Scope, node: Node | None) -> None:
        if isinstance(call.func, ast.Identifier) and call.func.name in DEPRECATED_FUNCTIONS:
            name = call.func.name
            self.add("OBS827", f"{name}() is deprecated", at(path, call.func.pos),
                     f"use {DEPRECATED_FUNCTIONS[name]}() instead")
        elif traversal(call.func) is None:
            self.walk(path, call.func, scope, node, None)
        for arg in call.args:
            self.walk(path, arg, scope, node, None)

    def _reference(self, path: str, expr: ast.Expr, parts: list[str], scope: Scope,
                   node: Node | None, expected: ValueType | None) -> None:
        root = parts[0]
        if len(parts) < 2 or scope.is_local(root):
            return
        found = scope.lookup(parts)
        if root in STDLIB:
            if found is None:
                return
            self.add("OBS835", "a component is shadowing an existing stdlib name",
                     at(path, start(expr)), f"rename the component; `{root}` is also the "
                     "standard library's")
        dotted = ".".join(parts)
        if found is None:
            self.add("OBS824", f'component "{dotted}" does not exist or is out of scope',
                     at(path, start(expr)), "define the component, or fix the reference")
            return
        target, size = found
        if node is not None and target.scope is node.scope:
            node.refs.append(target)
        if target.component is None or size == len(parts) or target.ident.startswith("argument."):
            return
        exports = {e.name: e for e in target.component.exports}
        export = exports.get(parts[size])
        if export is None:
            names = ", ".join(exports) or "nothing"
            self.add("OBS824", f'component "{target.ident}" has no export "{parts[size]}"',
                     at(path, start(expr)), f"{target.component.name} exports {names}")
        elif expected is not None and size + 1 == len(parts):
            self._capsule(path, expr, GO_TYPES.get(export.go_type.lstrip("*")), expected)

    def _capsule(self, path: str, expr: ast.Expr, got: ValueType | None, expected: ValueType
                 ) -> None:
        if got is None or expected.kind == "any":
            return
        if expected.kind == "capsule" and got.kind == "capsule" and got != expected:
            self.add("OBS823", f"expected {expected.capsule}, got {got.capsule}",
                     at(path, start(expr)), "forward to a component that accepts this data")
        elif expected.kind == "list" and got.kind == "capsule":
            self.add("OBS823", "expected array, got capsule", at(path, start(expr)),
                     "wrap the reference in a list: [ ... ]")

    def cycles(self, nodes: Sequence[Node]) -> None:
        index = {id(n): n for n in nodes}
        edges = {key: {id(t) for t in n.refs} for key, n in index.items()}
        for key, node in index.items():
            if key in edges[key]:
                self.add("OBS826", "cannot reference self", at(node.path, node.block.pos),
                         "a component cannot consume its own exports")
        for group in strongly_connected(edges):
            if len(group) < 2:
                continue
            members = ", ".join(sorted(index[key].ident for key in group))
            for key in group:
                node = index[key]
                self.add("OBS826", f"cycle detected: {members}", at(node.path, node.block.pos),
                         "break the loop: one of these components must not feed the others")
