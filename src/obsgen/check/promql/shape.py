"""The bracket and operator structure of a PromQL text, from a light token scan made before the
native parser sees it: an upper bound on how deep its tree is, and where a long chain of
operators at its top splits into operands.

Why it exists: promql-parser's Python binding builds its Python tree recursively and keeps, in
every node, a copy of that node's whole subtree. Its stack need therefore grows with the tree's
depth (a 4,200-term `a + a + ...` overflows an 8 MB stack: the process dies of SIGSEGV) and its
time and memory with depth times size (a 1,000-term `or` chain of selectors takes seconds and
over a gigabyte). The scan is linear and never recurses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`'
_TOKEN = re.compile(
    r"\{(?:[^{}()\[\]\"'`]|" + _STRING + r")*\}"  # a selector's matchers, whole
    r"|\[[^\[\](){}\"'`]*\]"  # a range or subquery's [5m:1m], whole
    r"|" + _STRING +
    r"|#[^\n]*"  # comments
    r"|(?:\d[\d.]*|\.\d)(?:[eE][-+]?\d+)?\w*"  # numbers, hex, durations
    r"|[^\W\d][\w:]*|:[\w:]*"  # names and keywords
    r"|==|!=|>=|<=|=~|!~|[-+*/%^<>=@,]|[()\[\]{}]")

# Binary operators by precedence, lowest first (Prometheus' grammar); all left-associative but
# `^`, which a chain is never split at (and which binds tighter than a unary minus).
LEVELS = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, ">": 3, "<": 3, ">=": 3, "<=": 3,
          "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "atan2": 5, "^": 6}
_RIGHT_ASSOCIATIVE = 6
_COUNTED = (*"([+-*/%^<>=!", "and", "or", "unless", "atan2")
_SYMBOLS = frozenset("+-*/%^<>=!")
_MODIFIERS = frozenset({"bool", "on", "ignoring", "group_left", "group_right"})
_LISTED = frozenset({"on", "ignoring", "group_left", "group_right"})  # take a ( label list )
# After these an operand follows, so a `+` or `-` there is a sign, not an operator.
_EXPECTING = frozenset({"offset", "by", "without", "@", ","})

# Item kinds: one entry per token at a frame's top level (a nested frame is one item).
WORD, OP, ATOM, PAREN, BRACKET = range(5)
# kind, start, end, value (a lower-case word or operator; PAREN: the frame's index), tokens
Item = tuple[int, int, int, str, int]


@dataclass(frozen=True, slots=True)
class Shape:
    """What the scan found. `depth` bounds the parse tree's depth from above (every operator,
    bracket and sign may add a level); `tokens` counts the tokens, a proxy for its node count."""

    depth: int
    tokens: int
    frames: tuple[tuple[Item, ...], ...]  # frame 0 is the whole text; PAREN items index here
    depths: tuple[int, ...]  # per frame: the depth of the node it forms, itself included


@dataclass(slots=True)
class _Frame:
    kind: str  # "(" (or the whole text), "[" or "{"
    start: int
    first_token: int
    items: list[Item]
    ops: int = 0
    deepest: int = 0  # the deepest node among the frames nested in it


def quick_depth(text: str) -> int:
    """A cheaper, looser bound on the depth than `scan`'s: each level of the tree needs a
    bracket or an operator of its own, so counting their characters (in strings too, and
    `or` in `error`) bounds it from above."""
    return 1 + sum(map(text.lower().count, _COUNTED))


def scan(text: str) -> Shape:
    """One pass over `text`, strings and comments skipped."""
    frames = [_Frame("(", 0, 0, [])]
    depths = [0]
    open_frames = [0]
    tokens = 0
    frame = frames[0]
    for match in _TOKEN.finditer(text):
        tokens += 1
        token = match.group()
        first = token[0]
        if first in "([{" and len(token) == 1:
            open_frames.append(len(frames))
            frames.append(_Frame(first, match.start(), tokens, []))
            depths.append(0)
        elif first in ")]}":
            if len(open_frames) > 1:
                _close(frames, depths, open_frames, match.end(), tokens)
        elif frame.kind != "(" or first == "#":
            continue  # braces and ranges hold no node of their own
        elif first in "[{":
            tokens += _block(frame, token, match.start(), match.end())
        else:
            _add(frame, token, match.start(), match.end())
        frame = frames[open_frames[-1]]
    while len(open_frames) > 1:
        _close(frames, depths, open_frames, len(text), tokens)
    root = frames[0]
    depths[0] = root.ops + max(1, root.deepest)
    return Shape(depths[0], tokens, tuple(tuple(f.items) for f in frames), tuple(depths))


def _block(frame: _Frame, token: str, start: int, end: int) -> int:
    """Add a `{matchers}` or `[range]` scanned whole; returns its tokens beyond the first."""
    if token[0] == "[":
        frame.ops += 1  # a range or subquery wraps what stands before it
        inside = 2 + 2 * token.count(":")
    else:
        inside = 1 + 4 * (token.count(",") + 1)
    frame.items.append((BRACKET, start, end, token[0], inside + 1))
    return inside


def _add(frame: _Frame, token: str, start: int, end: int) -> None:
    first = token[0]
    word = token.lower() if first.isalpha() else token
    if word in LEVELS:
        frame.ops += 1
        frame.items.append((OP, start, end, word, 1))
    elif first.isalpha() or first in "_:":
        frame.items.append((WORD, start, end, word, 1))
    else:
        frame.ops += first in _SYMBOLS  # a stray `=` or `=~`: the parser will say more
        frame.items.append((ATOM, start, end, token, 1))


def _close(frames: list[_Frame], depths: list[int], open_frames: list[int], end: int,
           tokens: int) -> None:
    index = open_frames.pop()
    frame, parent = frames[index], frames[open_frames[-1]]
    inside = tokens - frame.first_token + 1
    if frame.kind == "(":
        depth = 1 + frame.ops + max(1, frame.deepest)  # a paren, call or aggregation node
        item: Item = (PAREN, frame.start, end, str(index), inside)
    else:
        depth = frame.deepest
        item = (BRACKET, frame.start, end, frame.kind, inside)
        if frame.kind == "[":
            parent.ops += 1  # a range or subquery wraps what stands before it
    if parent.kind == "(":
        parent.items.append(item)
    depths[index] = depth
    parent.deepest = max(parent.deepest, depth)


# --- splitting a chain ------------------------------------------------------------------------

MAX_NESTING = 32  # chains split inside the operands of chains, at most this deep


@dataclass(frozen=True, slots=True)
class Chain:
    """`operand op operand op ...`, all ops of one precedence and left-associative. Operands
    are text ranges, or chains themselves (of operators that bind tighter, or inside
    parentheses); `operators` are the ranges of each operator with its `bool`, `on(...)`,
    `group_left(...)` modifiers. `depth` bounds the deepest tree the parser will meet among the
    operands, and `cost` its work for all of them (depth times tokens, summed)."""

    operands: tuple[tuple[int, int] | Chain, ...]
    operators: tuple[tuple[int, int], ...]
    depth: int
    cost: int


def split(shape: Shape, worth: int) -> Chain | None:
    """The chain at the top of the expression (inside any parentheses wrapping all of it), or
    None when there is none (one operand, or only `^`). An operand deeper than `worth` is split
    in turn where it can be; parenthesised chains of the same operators on the left are
    flattened into theirs: `((a + b) + c) + d` is `a + b + c + d`."""
    return _split(shape, _unwrapped(shape, shape.frames[0]), worth, 0)


def _split(shape: Shape, items: tuple[Item, ...], worth: int, nesting: int) -> Chain | None:
    parts = _parts(items)
    if parts is None:
        return None
    level, pieces, operators = parts
    while len(pieces[0]) == 1 and pieces[0][0][0] == PAREN:
        inner = _parts(_unwrapped(shape, shape.frames[int(pieces[0][0][3])]))
        if inner is None or inner[0] != level:
            break
        pieces = inner[1] + pieces[1:]
        operators = inner[2] + operators
    operands: list[tuple[int, int] | Chain] = []
    depth = cost = 0
    for piece in pieces:
        piece_depth = _depth(shape, piece)
        nested = None
        if piece_depth > worth and nesting < MAX_NESTING:
            nested = _split(shape, _unwrapped(shape, tuple(piece)), worth, nesting + 1)
        if nested is not None:
            operands.append(nested)
            depth, cost = max(depth, nested.depth), cost + nested.cost
        else:
            operands.append((piece[0][1], piece[-1][2]))
            depth = max(depth, piece_depth)
            cost += piece_depth * sum(item[4] for item in piece)
    return Chain(tuple(operands), tuple(operators), depth, cost)


def _unwrapped(shape: Shape, items: tuple[Item, ...]) -> tuple[Item, ...]:
    while len(items) == 1 and items[0][0] == PAREN:
        items = shape.frames[int(items[0][3])]
    return items


def _depth(shape: Shape, items: list[Item]) -> int:
    ops = sum(1 for item in items if item[0] == OP or (item[0] == BRACKET and item[3] == "["))
    nested = [shape.depths[int(item[3])] for item in items if item[0] == PAREN]
    return ops + max(1, *nested) if nested else ops + 1


Parts = tuple[int, list[list[Item]], list[tuple[int, int]]]


def _parts(items: tuple[Item, ...]) -> Parts | None:
    """The items split at the binary operators of the lowest precedence among them."""
    binary = _binary_operators(items)
    level = min((LEVELS[items[i][3]] for i, _ in binary), default=_RIGHT_ASSOCIATIVE)
    if level >= _RIGHT_ASSOCIATIVE:
        return None
    operands: list[list[Item]] = []
    operators: list[tuple[int, int]] = []
    start = 0
    for index, end in binary:
        if LEVELS[items[index][3]] != level:
            continue
        operands.append(list(items[start:index]))
        operators.append((items[index][1], items[end - 1][2]))
        start = end
    operands.append(list(items[start:]))
    if not all(operands):
        return None
    return level, operands, operators


def _binary_operators(items: tuple[Item, ...]) -> list[tuple[int, int]]:
    """(index, index after its modifiers) of each binary operator: an operator where an operand
    has ended; a `+` or `-` where one is expected is a sign."""
    found = []
    expecting = True
    index = 0
    while index < len(items):
        kind, _, _, value, _ = items[index]
        index += 1
        if kind == OP and not (expecting and value in "+-"):
            start = index - 1
            index = _after_modifiers(items, index)
            found.append((start, index))
            expecting = True
        else:
            expecting = kind == OP or value in _EXPECTING
    return found


def _after_modifiers(items: tuple[Item, ...], index: int) -> int:
    while index < len(items) and items[index][0] == WORD and items[index][3] in _MODIFIERS:
        listed = items[index][3] in _LISTED
        index += 1
        if listed and index < len(items) and items[index][0] == PAREN:
            index += 1
    return index
