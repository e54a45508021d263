"""Small pieces of Python source for the generated instrumentation module: literals that fit
a line, identifiers made from catalog names, and signatures laid out as `ruff format` would.

Every literal is ASCII (non-ASCII characters are escaped), so no character of a help text or a
label value can end a line or a string early in the module it lands in.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from collections.abc import Iterable

LINE = 88  # ruff's default; the module passes `ruff check` under any project's line length
_CHUNK = re.compile(r"\S+\s*|\s+")


def string(text: str) -> str:
    """A double-quoted Python string literal of `text`, ASCII only."""
    return json.dumps(text, ensure_ascii=True)


def string_lines(text: str, width: int) -> list[str]:
    """`text` as one or more literals (implicit concatenation), each at most `width` wide."""
    pieces: list[str] = []
    current = ""
    for chunk in _CHUNK.findall(text) or [""]:
        for char in chunk if len(string(chunk)) > width else (chunk,):
            if current and len(string(current + char)) > width:
                pieces.append(current)
                current = ""
            current += char
    pieces.append(current)
    return [string(p) for p in pieces]


def number(value: float) -> str:
    """A float literal; infinities and NaN as float("...") calls."""
    if math.isnan(value):
        return 'float("nan")'
    if math.isinf(value):
        return 'float("inf")' if value > 0 else 'float("-inf")'
    return repr(float(value))


def cap_words(snake: str) -> str:
    """`from_persona` → `FromPersona`; always an identifier that starts with a letter."""
    name = "".join(part[:1].upper() + part[1:] for part in snake.split("_"))
    return name if name[:1].isalpha() else f"L{name}"


def upper_snake(capwords: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", capwords).upper()


def parameter(label: str) -> str:
    """A label's name as a keyword parameter (`class` → `class_`, as PEP 8 suggests)."""
    return f"{label}_" if keyword.iskeyword(label) or label == "self" else label


class Namer:
    """Unique module-level names, taken in a fixed order (so the module is deterministic)."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self._taken = set(reserved)

    def take(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self._taken or keyword.iskeyword(name):
            name, n = f"{wanted}{n}", n + 1
        self._taken.add(name)
        return name


def signature(name: str, params: list[str], returns: str, indent: str = "    ") -> list[str]:
    """`def name(params) -> returns:` on one line, or one parameter a line if too long."""
    flat = f"{indent}def {name}({', '.join(params)}) -> {returns}:"
    if len(flat) <= LINE:
        return [flat]
    return [f"{indent}def {name}(", *(f"{indent}    {p}," for p in params),
            f"{indent}) -> {returns}:"]


def call(head: str, args: list[str], indent: str) -> list[str]:
    """`head(args)` on one line, or one argument a line (trailing comma) if too long."""
    flat = f"{indent}{head}({', '.join(args)})"
    if len(flat) <= LINE:
        return [flat]
    return [f"{indent}{head}(", *(f"{indent}    {a}," for a in args), f"{indent})"]
