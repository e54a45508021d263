"""Where each character of a raw PromQL string written in a Python definition stands in its
file, so that a finding inside the query points at the metric, matcher or range as the user
typed it: in a multi-line or triple-quoted literal, in implicitly concatenated literals, past
escapes such as `\\"`.

A definition records only the line of its call; the string is found as the literal inside
that call whose value is the query's text (else the one literal of the file with that value).
A query built by helpers, an f-string or a computed string has no such literal: no places."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from obsgen.diagnostics import Location

Place = tuple[int, int]  # 1-based line, 0-based column in characters


@dataclass(frozen=True)
class _Literal:
    value: str
    start: Place  # the first token of the literal (its prefix)
    end: Place  # just past its last token


@dataclass(frozen=True)
class _Call:
    first: int
    last: int
    literals: tuple[_Literal, ...]


@dataclass(frozen=True)
class _Source:
    calls: tuple[_Call, ...]
    literals: tuple[_Literal, ...]
    strings: tuple[tokenize.TokenInfo, ...]  # every STRING token, in order


def placer(text: str, where: Location) -> Callable[[int], Location] | None:
    """Where each offset of `text` stands, when `where` is the line of a Python definition
    whose call holds `text` as a string literal; None when it holds no such literal."""
    if where.column or not where.line or not where.path.endswith(".py"):
        return None
    try:
        stamp = Path(where.path).stat().st_mtime_ns
    except OSError:
        return None
    places = _places(where.path, stamp, where.line, text)
    if places is None:
        return None
    path = where.path

    def place(position: int) -> Location:
        line, column = places[min(max(position, 0), len(places) - 1)]
        return Location(path, line, column + 1)
    return place


@lru_cache(maxsize=256)
def _places(path: str, stamp: int, line: int, text: str) -> tuple[Place, ...] | None:
    source = _source(path, stamp)
    literal = _literal(source, line, text) if source is not None else None
    if source is None or literal is None:
        return None
    tokens = [t for t in source.strings if literal.start <= t.start and t.end <= literal.end]
    places = [place for token in tokens for place in _token_places(token)]
    return tuple(places) if len(places) == len(text) and places else None


def _literal(source: _Source, line: int, text: str) -> _Literal | None:
    """The literal holding `text` in the innermost call written across `line`, else the one
    literal of the file holding it."""
    calls = sorted((c for c in source.calls if c.first <= line <= c.last),
                   key=lambda c: c.last - c.first)
    for call in calls:
        found = next((lit for lit in call.literals if lit.value == text), None)
        if found is not None:
            return found
    matches = [lit for lit in source.literals if lit.value == text]
    return matches[0] if len(matches) == 1 else None


# One parse per definitions file and version (the stamp), however many findings it has.
@lru_cache(maxsize=64)
def _source(path: str, stamp: int) -> _Source | None:
    try:
        data = Path(path).read_bytes()
        tree = ast.parse(data)
        text = data.decode("utf-8")
        strings = tuple(t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                        if t.type == tokenize.STRING)
    except (OSError, SyntaxError, ValueError, tokenize.TokenError):
        return None
    lines = text.splitlines()
    calls = tuple(_Call(node.lineno, node.end_lineno or node.lineno, _literals_in(node, lines))
                  for node in ast.walk(tree) if isinstance(node, ast.Call))
    return _Source(calls, _literals_in(tree, lines), strings)


def _literals_in(node: ast.AST, lines: list[str]) -> tuple[_Literal, ...]:
    return tuple(
        _Literal(sub.value, (sub.lineno, _chars(lines, sub.lineno, sub.col_offset)),
                 (sub.end_lineno or sub.lineno,
                  _chars(lines, sub.end_lineno or sub.lineno, sub.end_col_offset or 0)))
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str))


def _chars(lines: list[str], line: int, offset: int) -> int:
    """ast counts columns in UTF-8 bytes, tokenize in characters."""
    return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def _token_places(token: tokenize.TokenInfo) -> list[Place]:
    """The place of each character of the token's value: the source character (or the
    escape sequence) that produces it."""
    raw = token.string
    prefix = len(raw) - len(raw.lstrip("rRbBuUfF"))
    quote = raw[prefix] * (3 if raw[prefix:prefix + 3] in ('"""', "'''") else 1)
    is_raw = "r" in raw[:prefix].lower()
    body = raw[prefix + len(quote):len(raw) - len(quote)]
    line, column = token.start
    column += prefix + len(quote)
    places: list[Place] = []
    index = 0
    while index < len(body):
        size = 1 if is_raw or body[index] != "\\" else _escape_size(body, index)
        snippet = body[index:index + size]
        produced = 1 if size == 1 else len(ast.literal_eval(f'"{snippet}"'))
        places += [(line, column)] * produced
        for char in snippet:
            line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
        index += size
    return places


_FIXED = {"x": 4, "u": 6, "U": 10}
_SIMPLE = frozenset("\n\\'\"abfnrtv")


def _escape_size(body: str, index: int) -> int:
    """Length of the escape sequence starting with the backslash at `index`."""
    kind = body[index + 1] if index + 1 < len(body) else ""
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "N":
        return body.index("}", index) - index + 1
    if kind in "01234567" and kind:
        digits = 1
        while digits < 3 and body[index + 1 + digits: index + 2 + digits] in tuple("01234567"):
            digits += 1
        return 1 + digits
    # An unknown escape such as `\\d` keeps its backslash: an ordinary character.
    return 2 if kind and kind in _SIMPLE else 1
