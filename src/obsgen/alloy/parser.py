"""The Alloy parser: text -> `ast.Body`, one method per grammar rule (as in grafana/alloy
`syntax/parser`, whose EBNF each docstring quotes).

The parser keeps going after an error to report as many as it can, with Alloy's messages and
recovery (one error per line from the grammar, every lexical error); any error makes `parse`
raise `AlloySyntaxError` carrying all of them in source order.
"""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.lexer import Lexer
from obsgen.alloy.literals import decode_number, decode_string, quote
from obsgen.alloy.tokens import LITERAL_KINDS, PRECEDENCE, Tok, Token, is_identifier

# Deeper nesting is refused rather than risk Python's recursion limit (real configs nest < 10).
MAX_NESTING = 50
_STATEMENT_END = frozenset({Tok.TERMINATOR, Tok.RPAREN, Tok.RCURLY, Tok.RBRACK, Tok.COMMA})
_UNARY = frozenset({Tok.NOT, Tok.SUB})


@dataclass(frozen=True)
class SyntaxIssue:
    """One syntax error: where (1-based) and Alloy's message."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


class _TooDeepError(Exception):
    """Aborts a parse whose nesting exceeds MAX_NESTING (the error is already recorded)."""


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
    except _TooDeepError:
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


class _Parser:
    def __init__(self, text: str) -> None:
        self.errors: list[SyntaxIssue] = []
        self._last_error_line = 0
        self._lexer = Lexer(text, self._lexical_error)
        self._groups: list[ast.CommentGroup] = []
        self._tok = Token(Tok.EOF, "", ast.NO_POS)
        self._depth = 0
        self._next()

    # --- token stream -----------------------------------------------------------------------

    def _kind(self) -> Tok:
        # A method, not a property: the current token changes under mypy's narrowing.
        return self._tok.kind

    @property
    def pos(self) -> ast.Position:
        return self._tok.pos

    def _next0(self) -> None:
        self._tok = self._lexer.scan()

    def _next(self) -> None:
        """Advance to the next token that is not a comment, collecting comment groups."""
        self._next0()
        while self._kind() is Tok.COMMENT:
            self._consume_comment_group()

    def _consume_comment_group(self) -> None:
        group: list[ast.Comment] = []
        end_line = self.pos.line
        while self._kind() is Tok.COMMENT and self.pos.line <= end_line + 1:
            text = self._tok.text
            end_line = self.pos.line + (text.count("\n") if text.startswith("/*") else 0)
            group.append(ast.Comment(text, self.pos))
            self._next0()
        self._groups.append(ast.CommentGroup(tuple(group)))

    def expect(self, kind: Tok) -> Token:
        """Consume the current token, reporting an error if it is not `kind`."""
        token = self._tok
        if token.kind is not kind:
            self._error(f"expected {kind.value}, got {token.kind.value}")
        self._next()
        return token

    def _advance(self, to: Tok) -> None:
        while self._kind() is not Tok.EOF and self._kind() is not to:
            self._next()

    def _advance_any(self, to: frozenset[Tok]) -> None:
        while self._kind() is not Tok.EOF and self._kind() not in to:
            self._next()

    # --- errors -----------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        """A grammar error at the current token; a second one on the same line is dropped."""
        if self.pos.line == self._last_error_line:
            return
        self._last_error_line = self.pos.line
        self._add(self.pos, message)

    def _add(self, pos: ast.Position, message: str) -> None:
        self.errors.append(SyntaxIssue(pos.line, pos.column, message))

    def _lexical_error(self, pos: ast.Position, message: str) -> None:
        self._add(pos, message)

    # --- file and statements ----------------------------------------------------------------

    def _enter(self) -> None:
        """One level deeper (block, bracket or unary operator)."""
        self._depth += 1
        if self._depth > MAX_NESTING:
            self._add(self.pos, f"nested more than {MAX_NESTING} levels deep")
            raise _TooDeepError

    def parse_file(self) -> ast.Body:
        """File = Body"""
        try:
            stmts = self._parse_body(Tok.EOF)
        except _TooDeepError:
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

    def _consume_statement(self) -> None:
        """Skip to the terminator that ends the statement, past any open brackets."""
        depth = {Tok.LCURLY: 0, Tok.LBRACK: 0, Tok.LPAREN: 0}
        closers = {Tok.RCURLY: Tok.LCURLY, Tok.RBRACK: Tok.LBRACK, Tok.RPAREN: Tok.LPAREN}
        while self._kind() is not Tok.EOF:
            if self._kind() in depth:
                depth[self._kind()] += 1
            elif self._kind() in closers:
                depth[closers[self._kind()]] -= 1
            if self._kind() is Tok.TERMINATOR and all(d <= 0 for d in depth.values()):
                return
            self._next()

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

    # --- expressions ------------------------------------------------------------------------

    def parse_expression(self) -> ast.Expr:
        """Expression = BinOpExpr"""
        self._enter()
        try:
            return self._parse_binary(1)
        finally:
            self._depth -= 1

    def _parse_binary(self, min_prec: int) -> ast.Expr:
        """OrExpr = AndExpr { "||" AndExpr }, ... down to MulExpr = PowExpr { mul_op PowExpr }:
        left-associative levels, precedence climbing from `min_prec`."""
        left = self._parse_pow()
        depth = self._depth
        try:
            while True:
                op = self._tok
                prec = PRECEDENCE.get(op.kind, 0)
                if prec < min_prec:
                    return left
                self._next()
                self._enter()  # each operator nests the left operand one level deeper
                right = self._parse_binary(prec + 1)
                left = ast.Binary(op.kind.value, left, right, _start(left), op.pos)
        finally:
            self._depth = depth

    def _parse_pow(self) -> ast.Expr:
        """PowExpr = UnaryExpr [ "^" PowExpr ] (right-associative)"""
        left = self._parse_unary()
        if self._kind() is not Tok.POW:
            return left
        op_pos = self.pos
        self._next()
        depth = self._depth
        self._enter()
        try:
            return ast.Binary("^", left, self._parse_pow(), _start(left), op_pos)
        finally:
            self._depth = depth

    def _parse_unary(self) -> ast.Expr:
        """UnaryExpr = OperExpr | unary_op UnaryExpr"""
        if self._kind() in _UNARY:
            op = self._tok
            self._next()
            depth = self._depth
            self._enter()
            try:
                return ast.Unary(op.kind.value, self._parse_unary(), op.pos)
            finally:
                self._depth = depth
        return self._parse_operand(self._parse_primary())

    def _parse_operand(self, primary: ast.Expr) -> ast.Expr:
        """OperExpr = PrimaryExpr { AccessExpr | IndexExpr | CallExpr }"""
        depth = self._depth
        try:
            while True:
                if self._kind() is Tok.DOT:
                    primary = self._parse_access(primary)
                elif self._kind() is Tok.LBRACK:
                    primary = self._parse_index(primary)
                elif self._kind() is Tok.LPAREN:
                    primary = self._parse_call(primary)
                elif self._kind() in (Tok.STRING, Tok.LCURLY):
                    if not self._parse_block_as_expression(primary):
                        return primary
                else:
                    return primary
                self._enter()  # a chain `a.b[0](x)` nests one level per step
        finally:
            self._depth = depth

    def _parse_access(self, value: ast.Expr) -> ast.Access:
        """AccessExpr = "." identifier"""
        self._next()
        name = self.expect(Tok.IDENT)
        return ast.Access(value, name.text, _start(value), name.pos)

    def _parse_index(self, value: ast.Expr) -> ast.Index:
        """IndexExpr = "[" Expression "]" """
        lbrack = self.expect(Tok.LBRACK).pos
        index = self.parse_expression()
        rbrack = self.expect(Tok.RBRACK).pos
        return ast.Index(value, index, _start(value), lbrack, rbrack)

    def _parse_call(self, func: ast.Expr) -> ast.Call:
        """CallExpr = "(" [ ExpressionList ] ")" """
        lparen = self.expect(Tok.LPAREN).pos
        args = self._parse_expression_list(Tok.RPAREN) if self._kind() is not Tok.RPAREN else ()
        rparen = self.expect(Tok.RPAREN).pos
        return ast.Call(func, args, _start(func), lparen, rparen)

    def _parse_block_as_expression(self, primary: ast.Expr) -> bool:
        """`x = a.b "label" { ... }`: parse the block to say that a block is no expression.
        Returns False when the rest did not even look like a block (statement skipped)."""
        if self._kind() is Tok.STRING:
            self._next()
        if self.expect(Tok.LCURLY).kind is not Tok.LCURLY:
            self._consume_statement()
            return False
        self._parse_body(Tok.RCURLY)
        if self.expect(Tok.RCURLY).kind is not Tok.RCURLY:
            self._consume_statement()
            return False
        self._add(_start(primary), "cannot use a block as an expression")
        return True

    def _parse_primary(self) -> ast.Expr:
        """PrimaryExpr = LiteralValue | ArrayExpr | ObjectExpr
        LiteralValue = identifier | string | number | float | bool | null | "(" Expression ")" """
        token = self._tok
        if token.kind is Tok.IDENT:
            self._next()
            return ast.Identifier(token.text, token.pos)
        if token.kind in LITERAL_KINDS or token.kind in (Tok.BOOL, Tok.NULL):
            self._next()
            return _literal(token)
        if token.kind is Tok.LPAREN:
            return self._parse_paren()
        if token.kind is Tok.LBRACK:
            return self._parse_array()
        if token.kind is Tok.LCURLY:
            return self._parse_object()
        self._error(f"expected expression, got {token.kind.value}")
        self._advance_any(_STATEMENT_END)
        return ast.NullLiteral(token.pos)

    def _parse_paren(self) -> ast.Paren:
        lparen = self.expect(Tok.LPAREN).pos
        inner = self.parse_expression()
        rparen = self.expect(Tok.RPAREN).pos
        return ast.Paren(inner, lparen, rparen)

    def _parse_array(self) -> ast.Array:
        """ArrayExpr = "[" [ ExpressionList ] "]" """
        lbrack = self.expect(Tok.LBRACK).pos
        elements = self._parse_expression_list(Tok.RBRACK) if self._kind() is not Tok.RBRACK else ()
        rbrack = self.expect(Tok.RBRACK).pos
        return ast.Array(elements, lbrack, rbrack)

    def _parse_object(self) -> ast.Object:
        """ObjectExpr = "{" [ FieldList ] "}" """
        lcurly = self.expect(Tok.LCURLY).pos
        fields = self._parse_field_list(Tok.RCURLY)
        rcurly = self.expect(Tok.RCURLY).pos
        return ast.Object(fields, lcurly, rcurly)

    def _parse_expression_list(self, until: Tok) -> tuple[ast.Expr, ...]:
        """ExpressionList = Expression { "," Expression } [ "," ]"""
        exprs: list[ast.Expr] = []
        while self._kind() is not until and self._kind() is not Tok.EOF:
            exprs.append(self.parse_expression())
            if self._kind() is until:
                break
            if self._kind() is not Tok.COMMA:
                self._error("missing ',' in expression list")
            self._next()
        return tuple(exprs)

    def _parse_field_list(self, until: Tok) -> tuple[ast.ObjectField, ...]:
        """FieldList = Field { "," Field } [ "," ]"""
        fields: list[ast.ObjectField] = []
        while self._kind() is not until and self._kind() is not Tok.EOF:
            fields.append(self._parse_field())
            if self._kind() is until:
                break
            if self._kind() is not Tok.COMMA:
                self._error("missing ',' in field list")
            self._next()
        return tuple(fields)

    def _parse_field(self) -> ast.ObjectField:
        """Field = ( string | identifier ) "=" Expression

        A quoted key keeps the text between its quotes, unescaped, as Alloy does."""
        token = self._tok
        key, quoted = token.text, False
        if token.kind is Tok.STRING:
            key, quoted = token.text[1:-1], True
            self._next()
        elif token.kind is Tok.IDENT:
            self._next()
        else:
            self._error(f"expected field name (string or identifier), got {token.kind.value}")
            self._advance(Tok.ASSIGN)
        self.expect(Tok.ASSIGN)
        return ast.ObjectField(key, self.parse_expression(), quoted, token.pos)


def _literal(token: Token) -> ast.Expr:
    if token.kind is Tok.STRING:
        return ast.StringLiteral(decode_string(token.text), token.text, token.pos)
    if token.kind in (Tok.NUMBER, Tok.FLOAT):
        return ast.NumberLiteral(decode_number(token.text, token.kind is Tok.FLOAT), token.text,
                                 token.pos)
    if token.kind is Tok.BOOL:
        return ast.BoolLiteral(token.text == "true", token.pos)
    return ast.NullLiteral(token.pos)


def _start(expr: ast.Expr) -> ast.Position:
    """Where an expression starts (its `pos`; for Binary, where its left operand starts)."""
    return expr.pos
