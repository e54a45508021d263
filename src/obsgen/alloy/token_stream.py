"""The token stream under the Alloy parser: lookahead, comment groups, errors and nesting depth."""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.lexer import Lexer
from obsgen.alloy.tokens import Tok, Token

# Deeper nesting is refused rather than risk Python's recursion limit (real configs nest < 10).
MAX_NESTING = 50


@dataclass(frozen=True)
class SyntaxIssue:
    """One syntax error: where (1-based) and Alloy's message."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


class TooDeepError(Exception):
    """Aborts a parse whose nesting exceeds MAX_NESTING (the error is already recorded)."""


class TokenStream:
    """The current token and the moves over it that every grammar rule makes."""

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

    def _enter(self) -> None:
        """One level deeper (block, bracket or unary operator)."""
        self._depth += 1
        if self._depth > MAX_NESTING:
            self._add(self.pos, f"nested more than {MAX_NESTING} levels deep")
            raise TooDeepError

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
