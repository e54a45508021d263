"""PromQL parsing that no text can crash: a long or deep expression is measured before the
native parser sees it (check.promql.shape), then parsed in the way its size allows.

- short, or shallow by a few counts (most queries), or by the scan's bound: parsed whole,
  here, as always;
- a long chain of operators at the top (`a or b or ...`, `x + y + ...`, also as a helper
  builds it, `((a + b) + c) + d`): each operand is parsed on its own and each operator with
  stand-ins of its operands' types (so a type error still reads as the parser words it) —
  linear where the whole would be quadratic in time and memory;
- deeper, within MAX_DEPTH and MAX_COST: parsed and walked in a thread with a large stack and
  a raised recursion limit;
- beyond: not parsed; `TooDeepError` says why.

Measured on promql-parser 0.12 (x86-64, 8 MB main stack): the binding overflows the stack at
about 4,170 nested binary operators, 5,470 nested calls, 8,150 parentheses or signs (about
2 KB of stack per level); its time and memory grow with depth times size (depth 1,000 over
2,000 tokens: 0.3 s and 150 MB; depth 2,000 over 4,000: 1.2 s and 620 MB). Our own walk
needs up to three Python frames per level.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import promql_parser as pp

from obsgen.check.promql.shape import Chain, Shape, quick_depth, scan, split

T = TypeVar("T")

FAST_LENGTH = 400  # no text this short nests deeper than 400 levels: parse it unmeasured
MAIN_DEPTH = 128  # parsed and walked on the caller's stack (< 400 frames, < 0.5 MB native)
MAX_DEPTH = 2_000  # needs ~5 MB of native stack: a twelfth of DEEP_STACK
MAX_COST = 3_000_000  # depth x tokens; ~75 bytes and ~0.15 us each: < 250 MB, < 0.5 s
MAX_TOKENS = 1_000_000  # a longer text is not analysed at all
DEEP_STACK = 64 << 20
FRAMES_PER_LEVEL = 3  # node() -> call() -> its comprehension -> node()

_STAND_INS = {"scalar": "0", "vector": "v", "string": '""', "matrix": "v[1m]"}
_DEEP_LOCK = threading.Lock()  # one deep parse at a time: it raises the recursion limit


class TooDeepError(Exception):
    """The expression is too deep or too long to parse safely; the message says which."""


@dataclass(frozen=True, slots=True)
class ParsedChain:
    """A chain parsed in pieces: `operators[i]` joins everything before `operands[i + 1]`
    to it; each operator is a BinaryExpr over stand-ins, for its op and modifier only."""

    operands: tuple[pp.Expr | ParsedChain, ...]
    operators: tuple[pp.BinaryExpr, ...]
    type: str  # what the whole chain evaluates to: scalar or vector


Tree = pp.Expr | ParsedChain


@dataclass(frozen=True, slots=True)
class Plan:
    """How one long text is parsed: `chain` when it splits, on a deep stack when `deep`."""

    depth: int  # the deepest tree the native parser and our walk will meet
    chain: Chain | None = None
    deep: bool = False


def shallow(text: str) -> bool:
    """Whether `text` is parsed and walked as always, on the caller's stack: it is short, or
    a few counts show that it is shallow (most long queries)."""
    return len(text) <= FAST_LENGTH or quick_depth(text) <= MAIN_DEPTH


def plan(text: str) -> Plan:
    """Measure a text that is not `shallow` and choose how to parse it; raises TooDeepError."""
    shape = scan(text)
    if shape.tokens > MAX_TOKENS:
        raise TooDeepError(f"the expression has {shape.tokens:,} tokens; obsgen analyses at "
                           f"most {MAX_TOKENS:,}")
    if shape.depth <= MAIN_DEPTH:
        return Plan(shape.depth)
    chain = split(shape, MAIN_DEPTH)
    if chain is not None and chain.depth < shape.depth:
        _check(chain.depth, chain.cost)
        return Plan(chain.depth, chain, chain.depth > MAIN_DEPTH)
    _check(shape.depth, _cost(shape))
    return Plan(shape.depth, deep=True)


def _cost(shape: Shape) -> int:
    return shape.depth * shape.tokens


def _check(depth: int, cost: int) -> None:
    if depth > MAX_DEPTH:
        raise TooDeepError(f"the expression nests up to {depth:,} levels deep; obsgen analyses "
                           f"at most {MAX_DEPTH:,}")
    if cost > MAX_COST:
        raise TooDeepError(f"the expression nests up to {depth:,} levels deep and is too long "
                           "at that depth to analyse in bounded time and memory")


def parse(text: str, how: Plan) -> Tree:
    """Parse `text` as planned; a syntax error raises ValueError (or the parser's panic)."""
    if how.chain is None:
        return pp.parse(text)
    return _parse_chain(text, how.chain, {})


Operators = dict[tuple[str, str, str], pp.BinaryExpr]  # by (left type, text, right type)


def _parse_chain(text: str, chain: Chain, known: Operators) -> ParsedChain:
    operands = tuple(_parse_chain(text, o, known) if isinstance(o, Chain) else
                     pp.parse(text[o[0]:o[1]]) for o in chain.operands)
    operators = []
    left = value_type(operands[0])
    for (start, end), right in zip(chain.operators, operands[1:], strict=True):
        key = (left, text[start:end], value_type(right))
        if key not in known:  # a type error between operands reads as the parser words it
            known[key] = _operator(*key)
        operators.append(known[key])
        left = "scalar" if key[0] == key[2] == "scalar" else "vector"
    return ParsedChain(operands, tuple(operators), left)


def _operator(left: str, text: str, right: str) -> pp.BinaryExpr:
    joined = pp.parse(f"{_STAND_INS[left]} {text} {_STAND_INS[right]}")
    if not isinstance(joined, pp.BinaryExpr):
        raise ValueError(f"{text.strip()!r} is not a binary operator")
    return joined


def value_type(expr: pp.Expr | ParsedChain) -> str:
    """scalar, vector, string or matrix: what `expr` evaluates to (without recursing)."""
    if isinstance(expr, ParsedChain):
        return expr.type
    pending = [expr]
    found = "scalar"
    while pending:
        node = pending.pop()
        if isinstance(node, pp.ParenExpr | pp.UnaryExpr):
            pending.append(node.expr)
        elif isinstance(node, pp.BinaryExpr):
            pending += (node.lhs, node.rhs)
        elif isinstance(node, pp.StringLiteral):
            return "string"
        elif isinstance(node, pp.MatrixSelector | pp.SubqueryExpr):
            return "matrix"
        elif isinstance(node, pp.Call):
            returns = node.func.return_type
            if returns is pp.ValueType.String or returns is pp.ValueType.Matrix:
                return "string" if returns is pp.ValueType.String else "matrix"
            found = found if returns is pp.ValueType.Scalar else "vector"
        elif not isinstance(node, pp.NumberLiteral):
            found = "vector"
    return found


def run_deep(job: Callable[[], T], depth: int) -> T:
    """`job()` in a thread with a DEEP_STACK stack and room for `depth` levels of our walk;
    raises what it raises, and TooDeepError when no such thread can be had or it still overflows."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(job())
        except BaseException as exc:  # carried to the caller's thread and raised there
            failure.append(exc)

    with _DEEP_LOCK:
        before = sys.getrecursionlimit()
        needed = max(before, FRAMES_PER_LEVEL * depth + 200)
        sys.setrecursionlimit(needed)
        try:
            _start_and_join(target)
        finally:
            if sys.getrecursionlimit() == needed:
                sys.setrecursionlimit(before)
    if failure:
        if isinstance(failure[0], RecursionError | MemoryError):
            raise TooDeepError(f"analysing the expression ran out of {_what(failure[0])}")
        raise failure[0]
    return outcome[0]


def _start_and_join(target: Callable[[], None]) -> None:
    thread = threading.Thread(target=target, name="obsgen-deep-promql", daemon=True)
    try:
        size = threading.stack_size(DEEP_STACK)
        try:
            thread.start()
        finally:
            threading.stack_size(size)
    except (RuntimeError, ValueError, MemoryError) as exc:
        raise TooDeepError(f"no thread with a {DEEP_STACK >> 20} MB stack could be started "
                           f"({exc})") from None
    thread.join()


def _what(exc: BaseException) -> str:
    return "stack" if isinstance(exc, RecursionError) else "memory"


def parse_checked(text: str) -> Tree:
    """Parse `text` however its size allows (see the module doc), for callers that only need
    to know it parses or want its top node: a syntax error raises ValueError (or the parser's
    panic), an expression too deep to parse safely TooDeepError."""
    if shallow(text):
        return pp.parse(text)
    how = plan(text)
    if how.deep:
        return run_deep(lambda: parse(text, how), how.depth)
    return parse(text, how)
