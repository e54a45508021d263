"""The Alloy parser: text -> `ast.Body`, one method per grammar rule (as in grafana/alloy
`syntax/parser`, whose EBNF each docstring quotes).

The parser keeps going after an error to report as many as it can, with Alloy's messages and
recovery (one error per line from the grammar, every lexical error); any error makes `parse`
raise `AlloySyntaxError` carrying all of them in source order.
"""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.expression_parser import ExpressionParser
from obsgen.alloy.literals import quote
from obsgen.alloy.token_stream import SyntaxIssue, TooDeepError
from obsgen.alloy.tokens import Tok, is_identifier


class AlloySyntaxError(ValueError):
    """A file is not valid Alloy syntax. `line`, `column`, `message` describe the first error;
    `errors` lists all of them in source order; `filename` is the name given to `parse`."""

    def __init__(self, filename: str, errors: list[SyntaxIssue]) -> None:
        first = errors[0]
        super().__init__(f"{filename}:{first}")
        self.filename = filename
        self.errors = tuple(errors)
        self.line = first.line
        self.column = first.column
        self.message = first.message


def parse(text: str, filename: str = "<input>") -> ast.Body:
    """Parse a whole Alloy file; the returned Body carries the file's comments."""
    parser = _Parser(text)
    body = parser.parse_file()
    if parser.errors:
        raise AlloySyntaxError(filename, sorted(parser.errors, key=lambda e: (e.line, e.column)))
    return body


def parse_errors(text: str) -> list[SyntaxIssue]:
    """Every syntax error of `text`, in the order the parser met them (empty if valid)."""
    parser = _Parser(text)
    parser.parse_file()
    return parser.errors


def parse_expression(text: str) -> ast.Expr:
    """Parse a single expression (`sys.env("X")`, `[1, 2]`)."""
    parser = _Parser(text)
    try:
        expr = parser.parse_expression()
        parser.expect(Tok.TERMINATOR)
    except TooDeepError:
        expr = ast.NullLiteral()
    if parser.errors:
        raise AlloySyntaxError("<expression>", parser.errors)
    return expr


@dataclass(frozen=True)
class _BlockName:
    parts: tuple[str, ...]
    start: ast.Position
    label: str | None
    label_pos: ast.Position

    @property
    def valid_attribute(self) -> bool:
        return len(self.parts) == 1 and not self.label


class _Parser(ExpressionParser):
    """The statement grammar: file, body, attribute, block; expressions are ExpressionParser's."""

    # --- file and statements ----------------------------------------------------------------

    def parse_file(self) -> ast.Body:
        """File = Body"""
        try:
            stmts = self._parse_body(Tok.EOF)
        except TooDeepError:
            stmts = ()
        return ast.Body(stmts, tuple(self._groups))

    def _parse_body(self, until: Tok) -> tuple[ast.Stmt, ...]:
        """Body = [ Statement { terminator Statement } ]"""
        stmts: list[ast.Stmt] = []
        while self._kind() is not until and self._kind() is not Tok.EOF:
            stmt = self._parse_statement()
            if stmt is not None:
                stmts.append(stmt)
            if self._kind() is until:
                break
            if self._kind() is not Tok.TERMINATOR:
                self._error(f"expected TERMINATOR, got {self._kind().value}")
                self._consume_statement()
            self._next()
        return tuple(stmts)

    def _parse_statement(self) -> ast.Stmt | None:
        """Statement = Attribute | Block
        Attribute = identifier "=" Expression
        Block     = BlockName "{" Body "}" """
        name = self._parse_block_name()
        if name is None:
            self._advance(Tok.IDENT)
            return None
        if self._kind() is Tok.ASSIGN:
            return self._parse_attribute(name)
        if self._kind() is Tok.LCURLY:
            return self._parse_block(name)
        if name.valid_attribute:
            self._error(f"expected attribute assignment or block body, got {self._kind().value}")
        else:
            self._error(f"expected block body, got {self._kind().value}")
        self._advance(Tok.IDENT)
        return None

    def _parse_attribute(self, name: _BlockName) -> ast.Attribute:
        self._next()  # "="
        if len(name.parts) != 1:
            self._add(name.start, 'attribute names may only consist of a single identifier '
                                  'with no "."')
        elif name.label is not None:
            self._add(name.label_pos, "attribute names may not have labels")
        return ast.Attribute(name.parts[0], self.parse_expression(), name.start)

    def _parse_block(self, name: _BlockName) -> ast.Block:
        lcurly = self.expect(Tok.LCURLY).pos
        self._enter()
        try:
            stmts = self._parse_body(Tok.RCURLY)
        finally:
            self._depth -= 1
        rcurly = self.expect(Tok.RCURLY).pos
        return ast.Block(name.parts, name.label or None, ast.Body(stmts), name.start,
                         name.label_pos, lcurly, rcurly)

    def _parse_block_name(self) -> _BlockName | None:
        """BlockName = identifier { "." identifier } [ string ]"""
        if self._kind() is not Tok.IDENT:
            self._error(f"expected identifier, got {self._kind().value}")
            return None
        parts, start = [self._tok.text], self.pos
        self._next()
        while self._kind() is Tok.DOT:
            self._next()
            if self._kind() is not Tok.IDENT:
                self._error(f"expected identifier, got {self._kind().value}")
            parts.append(self._tok.text)
            self._next()
        label, label_pos = None, ast.NO_POS
        if self._kind() is not Tok.ASSIGN and self._kind() is not Tok.LCURLY:
            label, label_pos = self._parse_block_label()
            self._next()
        return _BlockName(tuple(parts), start, label, label_pos)

    def _parse_block_label(self) -> tuple[str | None, ast.Position]:
        if self._kind() is not Tok.STRING:
            self._error(f"expected block label, got {self._kind().value}")
            return None, ast.NO_POS
        text = self._tok.text
        if not text.startswith('"'):
            self._error(f"expected block label to be a double quoted string, but got {quote(text)}")
        label = text[1:-1]
        if label and not is_identifier(label):
            self._error(f"expected block label to be a valid identifier, but got {quote(label)}")
        return label, self.pos
