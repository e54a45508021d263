"""The generated instrumentation module as items: each metric it registers (type, help, label
names, buckets...) and each closed label-value set it types."""

from __future__ import annotations

import ast

from obsgen.diff.model import Item

METRIC_TYPES = ("Counter", "Gauge", "Histogram", "Summary", "Info", "Enum")


def is_module(path: str) -> bool:
    return path.startswith("python/") and path.endswith(".py")


def items(path: str, text: str) -> list[Item]:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ValueError(str(exc)) from None
    found = [_metric(path, node) for node in ast.walk(tree) if _is_metric(node)]
    found += [_values(path, node) for node in tree.body if _is_literal_alias(node)]
    return found


def _is_metric(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in METRIC_TYPES and bool(node.args)
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def _metric(path: str, call: ast.AST) -> Item:
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    name = str(ast.literal_eval(call.args[0]))
    fields = {"type": call.func.id}
    if len(call.args) > 1:
        fields["help"] = _text(call.args[1])
    for keyword in call.keywords:
        if keyword.arg and keyword.arg != "registry":
            fields[keyword.arg] = _text(keyword.value)
    return Item("instrumentation", "metric", f"metric:{name}", name, path, fields, show_all=True)


def _text(node: ast.expr) -> str:
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)
    return value if isinstance(value, str) else repr(value)


def _is_literal_alias(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name) and node.value.value.id == "Literal")


def _values(path: str, node: ast.stmt) -> Item:
    assert isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    assert isinstance(node.value, ast.Subscript)
    name = node.targets[0].id
    return Item("instrumentation", "label values", f"literal:{name}", name, path,
                {"values": ast.unparse(node.value.slice)}, show_all=True)
