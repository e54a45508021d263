"""The Alloy printer: `ast.Body` -> the canonical text `alloy fmt` writes.

A rewrite of grafana/alloy `syntax/printer`: a walker sends tokens and whitespace *intents*
(blank, vertical tab, newline, formfeed, indent, unindent) to a writer (alloy/token_writer.py)
that places the file's comments by position, keeps one blank line where the source had one or
more, and writes cells that `tabwriter.align` lines up (the `=` of one-line attributes in a run)
before `tabwriter.trim` drops trailing blanks. Hand-built nodes (no positions) print on one line
each, blocks separated by a blank line, as Alloy prints them.
"""

from __future__ import annotations

from obsgen.alloy import ast
from obsgen.alloy.literals import quote
from obsgen.alloy.parser import parse
from obsgen.alloy.tabwriter import align, trim
from obsgen.alloy.token_writer import BLANK, FORMFEED, INDENT, NEWLINE, UNINDENT, VTAB, TokenWriter


def format_text(text: str, filename: str = "<input>") -> str:
    """`alloy fmt`: parse `text` (raising `AlloySyntaxError`) and print it canonically."""
    return format_body(parse(text, filename))


def format_body(body: ast.Body, *, expand_objects: bool = False) -> str:
    """The canonical text of a file body, ending in one newline (as `alloy fmt` writes it).

    With `expand_objects`, a hand-built object with fields is written over several lines, one
    field per line, as `alloy convert` writes them (`targets = [{\n\t__address__ = ...,\n}]`);
    the text is then formatted again until it is a fixed point of `alloy fmt`."""
    text = format_node(body, expand_objects=expand_objects) + "\n"
    if not expand_objects:
        return text
    for _ in range(_FIXED_POINT_ROUNDS):
        again = format_text(text)
        if again == text:
            return text
        text = again
    raise AssertionError(f"formatting did not settle:\n{text}")


_FIXED_POINT_ROUNDS = 4


def format_node(node: ast.Body | ast.Stmt | ast.Expr, *, expand_objects: bool = False) -> str:
    """The canonical text of a body, statement or expression, without a final newline."""
    printer = TokenWriter(node.comments if isinstance(node, ast.Body) else ())
    walker = _Walker(printer, expand_objects)
    if isinstance(node, ast.Body):
        walker.stmts(node.stmts)
    elif isinstance(node, ast.Attribute | ast.Block):
        walker.stmt(node)
    else:
        walker.expr(node)
    printer.finish()
    return trim(align("".join(printer.output)))


# --- the walker ---------------------------------------------------------------------------------


class _Walker:
    """Sends the tokens of each node, with Alloy's layout decisions, to the printer."""

    def __init__(self, printer: TokenWriter, expand_objects: bool = False) -> None:
        self.p = printer
        self._expand = expand_objects

    def stmts(self, stmts: tuple[ast.Stmt, ...]) -> None:
        for i, stmt in enumerate(stmts):
            if i > 0 and (isinstance(stmt, ast.Block)
                          or start_line(stmt) - end_line(stmts[i - 1]) > 1):
                self.p.space(FORMFEED)  # a blank line before a block, or where there was one
            self.stmt(stmt)
            # A statement over several lines ends the run of aligned `=`.
            self.p.space(FORMFEED if node_lines(stmt) > 1 else NEWLINE)

    def stmt(self, stmt: ast.Stmt) -> None:
        if isinstance(stmt, ast.Attribute):
            self.p.at(stmt.pos)
            self.p.word(stmt.name, "IDENT")
            self.p.space(VTAB)
            self.p.token("=")
            self.p.space(BLANK)
            self.expr(stmt.value)
        else:
            self.block(stmt)

    def block(self, block: ast.Block) -> None:
        self.p.hoist_comments(block.pos, block.label_pos if block.label else block.lcurly)
        self.p.at(block.pos)
        self.p.word(block.full_name, "IDENT")
        if block.label:
            self.p.space(BLANK)
            self.p.at(block.label_pos)
            self.p.word(quote(block.label), "STRING")
        self.p.space(BLANK)
        self.p.at(block.lcurly)
        self.p.token("{")
        self.p.space(INDENT)
        if block.body.stmts:
            self.p.space(FORMFEED)
            self.stmts(block.body.stmts)
        else:
            self.p.space(BLANK)
        self.p.space(UNINDENT)
        self.p.at(block.end)
        self.p.token("}")

    def expr(self, expr: ast.Expr) -> None:
        if isinstance(expr, ast.Identifier):
            self.p.at(expr.pos)
            self.p.word(expr.name, "IDENT")
        elif isinstance(expr, ast.StringLiteral | ast.NumberLiteral | ast.BoolLiteral
                        | ast.NullLiteral):
            self.p.at(expr.pos)
            self.p.word(*spell_literal(expr))
        elif isinstance(expr, ast.Array):
            self.array(expr)
        elif isinstance(expr, ast.Object):
            self.object(expr)
        elif isinstance(expr, ast.Call):
            self.call(expr)
        else:
            self.operation(expr)

    def operation(self, expr: ast.Access | ast.Index | ast.Unary | ast.Binary | ast.Paren) -> None:
        p = self.p
        if isinstance(expr, ast.Access):
            self.expr(expr.value)
            p.token(".")
            p.word(expr.name, "IDENT")
        elif isinstance(expr, ast.Index):
            self.expr(expr.value)
            p.at(expr.lbrack)
            p.token("[")
            self.expr(expr.index)
            p.at(expr.end)
            p.token("]")
        elif isinstance(expr, ast.Unary):
            p.at(expr.pos)
            p.token(expr.op)
            self.expr(expr.operand)
        elif isinstance(expr, ast.Binary):
            self.expr(expr.left)
            p.space(BLANK)
            p.at(expr.op_pos)
            p.token(expr.op)
            p.space(BLANK)
            self.expr(expr.right)
        else:
            p.token("(")
            self.expr(expr.inner)
            p.token(")")

    def array(self, array: ast.Array) -> None:
        p = self.p
        p.at(array.pos)
        p.token("[")
        previous = array.pos.line
        for i, element in enumerate(array.elements):
            on_new_line = previous != start_line(element)
            if on_new_line:
                p.space(INDENT, FORMFEED)  # indent first, so comments before it are indented
            elif i > 0:
                p.space(BLANK)
            previous = end_line(element)
            self.expr(element)
            if i + 1 < len(array.elements):
                p.token(",")
            if on_new_line:
                p.space(UNINDENT)
        if array.elements and previous != array.end.line:
            p.token(",")
            p.space(INDENT, FORMFEED, UNINDENT)
        p.at(array.end)
        p.token("]")

    def object(self, obj: ast.Object) -> None:
        p = self.p
        p.at(obj.pos)
        p.token("{")
        p.space(INDENT)
        previous = obj.pos.line
        expand = self._expand and not obj.pos.known
        for i, item in enumerate(obj.fields):
            if expand or previous != item.pos.line:
                # `=` stays aligned with the previous field if that one fit on one line.
                one_line = i > 0 and node_lines(obj.fields[i - 1].value) == 1
                p.space(NEWLINE if one_line else FORMFEED)
            elif i > 0:
                p.space(BLANK)
            previous = item.pos.line
            p.at(item.pos)
            p.word(quote(item.key) if item.quoted else item.key,
                   "STRING" if item.quoted else "IDENT")
            p.space(VTAB)
            p.token("=")
            p.space(BLANK)
            self.expr(item.value)
            if i + 1 < len(obj.fields):
                p.token(",")
        if obj.fields and (expand or previous != obj.end.line):
            p.token(",")
            p.space(FORMFEED)
        p.space(UNINDENT)
        p.at(obj.end)
        p.token("}")

    def call(self, call: ast.Call) -> None:
        p = self.p
        self.expr(call.func)
        p.token("(")
        previous = call.lparen.line
        for i, arg in enumerate(call.args):
            on_new_line = previous != start_line(arg)
            if on_new_line:
                p.space(FORMFEED, INDENT)
            self.expr(arg)
            previous = end_line(arg)
            if i + 1 < len(call.args):
                p.token(",")
                p.space(BLANK)
            if on_new_line:
                p.space(UNINDENT)
        if previous != call.end.line:
            p.token(",")
            p.space(FORMFEED)
        p.token(")")


# --- literal spelling and node extents ----------------------------------------------------------


def spell_literal(lit: ast.Literal) -> tuple[str, str]:
    """(source text, token kind) of a literal: its own spelling if parsed, else Alloy's."""
    if isinstance(lit, ast.StringLiteral):
        return (lit.text if lit.text is not None else quote(lit.value)), "STRING"
    if isinstance(lit, ast.NumberLiteral):
        if lit.text is not None:
            is_float = any(c in lit.text for c in ".eE")
            return lit.text, "FLOAT" if is_float else "NUMBER"
        if isinstance(lit.value, bool) or not isinstance(lit.value, int | float):
            raise TypeError(f"not a number: {lit.value!r}")
        text = repr(lit.value)
        return text, "FLOAT" if isinstance(lit.value, float) else "NUMBER"
    if isinstance(lit, ast.BoolLiteral):
        return ("true" if lit.value else "false"), "BOOL"
    return "null", "NULL"


def start_line(node: ast.Stmt | ast.Expr) -> int:
    """The line where a node starts (0 for a hand-built node)."""
    if isinstance(node, ast.Access | ast.Index | ast.Binary):
        inner = node.left if isinstance(node, ast.Binary) else node.value
        return start_line(inner) if not node.pos.known else node.pos.line
    if isinstance(node, ast.Call):
        return start_line(node.func) if not node.pos.known else node.pos.line
    return node.pos.line


def end_line(node: ast.Stmt | ast.Expr) -> int:
    """The line of a node's last character (0 for a hand-built node)."""
    if isinstance(node, ast.Attribute):
        return end_line(node.value)
    if isinstance(node, ast.Block | ast.Array | ast.Object | ast.Index | ast.Call | ast.Paren):
        return node.end.line
    if isinstance(node, ast.StringLiteral):
        return node.pos.line + (node.text or "").count("\n") if node.pos.known else 0
    if isinstance(node, ast.Access):
        return node.name_pos.line
    if isinstance(node, ast.Unary):
        return end_line(node.operand)
    if isinstance(node, ast.Binary):
        return end_line(node.right)
    return node.pos.line


def node_lines(node: ast.Stmt | ast.Expr) -> int:
    return end_line(node) - start_line(node) + 1
