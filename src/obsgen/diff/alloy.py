"""The Alloy config as items: one per component (`prometheus.scrape "app"`), its arguments and
nested blocks flattened to `block.argument` → canonical expression text."""

from __future__ import annotations

from obsgen.alloy import ast
from obsgen.alloy.parser import parse
from obsgen.alloy.printer import format_node
from obsgen.diff.model import Item


def is_config(path: str) -> bool:
    return path.startswith("alloy/") and path.endswith(".alloy")


def items(path: str, text: str) -> list[Item]:
    found = []
    for stmt in parse(text, path).stmts:
        if isinstance(stmt, ast.Block):
            name = stmt.full_name + (f' "{stmt.label}"' if stmt.label is not None else "")
            found.append(Item("alloy", "component", f"component:{path}:{name}", name, path,
                              arguments(stmt.body), show_all=True))
        else:
            found.append(Item("alloy", "setting", f"setting:{path}:{stmt.name}", stmt.name,
                              path, {"value": format_node(stmt.value)}, show_all=True))
    return found


def arguments(body: ast.Body, prefix: str = "") -> dict[str, str]:
    """Arguments by dotted path; a block that repeats (`rule { }` twice) is numbered."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for stmt in body.stmts:
        if isinstance(stmt, ast.Attribute):
            out[prefix + stmt.name] = format_node(stmt.value)
            continue
        name = stmt.full_name + (f' "{stmt.label}"' if stmt.label is not None else "")
        seen[name] = seen.get(name, 0) + 1
        shown = name if seen[name] == 1 else f"{name}[{seen[name]}]"
        out.update(arguments(stmt.body, f"{prefix}{shown}."))
        if not stmt.body.stmts:
            out[prefix + shown] = "{}"
    return out
