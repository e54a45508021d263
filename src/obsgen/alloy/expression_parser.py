"""The expression grammar of Alloy's parser, apart from its statements (alloy/parser.py)."""

from __future__ import annotations

from obsgen.alloy import ast
from obsgen.alloy.literals import decode_number, decode_string
from obsgen.alloy.token_stream import TokenStream
from obsgen.alloy.tokens import LITERAL_KINDS, PRECEDENCE, Tok, Token

_STATEMENT_END = frozenset({Tok.TERMINATOR, Tok.RPAREN, Tok.RCURLY, Tok.RBRACK, Tok.COMMA})
_UNARY = frozenset({Tok.NOT, Tok.SUB})


class ExpressionParser(TokenStream):
    """Expression = BinOpExpr, down to literals; a block met where a value was expected is
    parsed with the statement grammar, to report it."""

    def _parse_body(self, until: Tok) -> tuple[ast.Stmt, ...]:
        """Body = [ Statement { terminator Statement } ]: the statement grammar's, in the
        subclass."""
        raise NotImplementedError

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
