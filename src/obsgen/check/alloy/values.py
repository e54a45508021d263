"""Checks of one Alloy value as written: its literal type, duration or closed value, and lint."""

from __future__ import annotations

import re
from collections.abc import Iterator

from obsgen.alloy import ast
from obsgen.alloy.component_types import ValueType
from obsgen.alloy.components import CLOSED_VALUES, SECRET_NAMES
from obsgen.alloy.exprs import KIND_NAMES, describe, literal_kind
from obsgen.diagnostics import Diagnostic, Location
from obsgen.redact import token_spans

GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$")
ANY_INTERFACE = re.compile(r"^(0\.0\.0\.0|\[::\]|::)?:\d+$|^(0\.0\.0\.0|\[::\]):\d+$")
LISTENER_NAMES = re.compile(r"^(endpoint|listen_address|\w+_listen_address)$")


def at(path: str, position: ast.Position) -> Location:
    return Location(path, position.line, position.column)


def start(expr: ast.Expr | ast.ObjectField) -> ast.Position:
    """Where an expression starts (a Binary's `pos` is already its left operand's start)."""
    return expr.pos


def type_findings(path: str, expr: ast.Expr, expected: ValueType, go_type: str
                  ) -> Iterator[Diagnostic]:
    """A literal of the wrong type for the argument, element by element; a malformed duration
    or a value outside a closed set."""
    got = literal_kind(expr)
    if got is None or expected.kind == "any" or isinstance(expr, ast.NullLiteral):
        return
    want = KIND_NAMES[expected.kind]
    if want != got and not (want == "string" and expected.kind == "secret" and got == "string"):
        yield Diagnostic.of("OBS823", f"expected {want}, got {got}", at(path, start(expr)),
                            f"this argument takes a {describe(expected)}")
        return
    if isinstance(expr, ast.Array) and expected.element is not None:
        for element in expr.elements:
            yield from type_findings(path, element, expected.element, "")
    elif isinstance(expr, ast.Object) and expected.element is not None:
        for item in expr.fields:
            yield from type_findings(path, item.value, expected.element, "")
    elif isinstance(expr, ast.StringLiteral):
        yield from _string_findings(path, expr, expected, go_type)


def _string_findings(path: str, expr: ast.StringLiteral, expected: ValueType, go_type: str
                     ) -> Iterator[Diagnostic]:
    if expected.form == "duration" and not GO_DURATION.match(expr.value):
        yield Diagnostic.of("OBS832", f"{expr.value!r} is not a valid duration",
                            at(path, expr.pos), "a number and a unit: 500ms, 15s, 5m, 1h30m")
    allowed = CLOSED_VALUES.get(go_type)
    if allowed and expr.value not in allowed:
        yield Diagnostic.of("OBS832", f"unknown action {expr.value}", at(path, expr.pos),
                            f"one of: {', '.join(allowed)}")


def value_findings(path: str, name: str, value: ast.Expr) -> Iterator[Diagnostic]:
    """obsgen's own lint of a string argument: a credential or token written as a literal, a
    listener on every interface."""
    if not isinstance(value, ast.StringLiteral) or not value.value:
        return
    if _is_secret_name(name):
        yield Diagnostic.of("OBS828", f'"{name}" is given as a string literal',
                            at(path, value.pos),
                            f'read it from the environment: {name} = sys.env("NAME")')
    elif token_spans(value.value):  # a token under any name (a URL, a header value)
        yield Diagnostic.of("OBS828", f'"{name}" holds a token as a string literal',
                            at(path, value.pos), 'read the token from the environment: '
                            'sys.env("NAME"), or a concatenation with it')
    elif LISTENER_NAMES.match(name) and ANY_INTERFACE.match(value.value):
        yield Diagnostic.of("OBS829", f'"{name}" = "{value.value}" listens on every interface',
                            at(path, value.pos),
                            "bind to 127.0.0.1 unless other hosts must reach this listener; if "
                            "they must, restrict it with a firewall")


def _is_secret_name(name: str) -> bool:
    if name.endswith("_file") or name.endswith("_path"):
        return False
    return name in SECRET_NAMES or name.endswith(("_password", "_token", "_secret", "_api_key"))
