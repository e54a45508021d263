"""Small questions about Alloy expressions: what kind of literal, which name chain, which
sub-expressions, and how a value type is named in messages."""

from __future__ import annotations

from obsgen.alloy import ast
from obsgen.alloy.component_types import ValueType

KIND_NAMES = {"string": "string", "secret": "string", "number": "number", "bool": "bool",
              "list": "array", "map": "object", "capsule": "capsule", "any": "any"}


def describe(expected: ValueType) -> str:
    if expected.kind == "capsule":
        return expected.capsule
    if expected.element is not None:
        return f"{KIND_NAMES[expected.kind]} of {describe(expected.element)}"
    return expected.form or KIND_NAMES[expected.kind]


def literal_kind(expr: ast.Expr) -> str | None:
    if isinstance(expr, ast.StringLiteral):
        return "string"
    if isinstance(expr, ast.NumberLiteral):
        return "number"
    if isinstance(expr, ast.BoolLiteral):
        return "bool"
    if isinstance(expr, ast.Array):
        return "array"
    if isinstance(expr, ast.Object):
        return "object"
    return None


def traversal(expr: ast.Expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything that is not a plain name chain."""
    if isinstance(expr, ast.Identifier):
        return [expr.name]
    if isinstance(expr, ast.Access):
        inner = traversal(expr.value)
        return None if inner is None else [*inner, expr.name]
    return None


def children(expr: ast.Expr) -> tuple[ast.Expr, ...]:
    if isinstance(expr, ast.Access):
        return (expr.value,)
    if isinstance(expr, ast.Index):
        return (expr.value, expr.index)
    if isinstance(expr, ast.Object):
        return tuple(f.value for f in expr.fields)
    if isinstance(expr, ast.Unary):
        return (expr.operand,)
    if isinstance(expr, ast.Binary):
        return (expr.left, expr.right)
    if isinstance(expr, ast.Paren):
        return (expr.inner,)
    return ()
