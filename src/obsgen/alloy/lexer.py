"""The Alloy lexer: text -> tokens, with newline terminators inserted as Alloy's scanner does.

Follows `syntax/scanner` of grafana/alloy: identifiers (unicode letters and digits), NUMBER and
FLOAT, double-quoted strings with Go escapes (but no `\\'`), backtick raw strings (multi-line,
no escapes), `//` and `/* */` comments (no `#`), and a TERMINATOR token inserted at a newline (or
end of file) that follows an identifier, literal, `)`, `]` or `}`. Lexical errors go to a
callback with their position; the lexer always makes progress.
"""

from __future__ import annotations

from collections.abc import Callable

from obsgen.alloy.ast import Position
from obsgen.alloy.tokens import EOF_CHAR, Tok, Token, is_decimal, is_digit, is_letter

_SINGLE: dict[str, Tok] = {
    "+": Tok.ADD, "-": Tok.SUB, "*": Tok.MUL, "%": Tok.MOD, "^": Tok.POW,
    "{": Tok.LCURLY, "}": Tok.RCURLY, "(": Tok.LPAREN, ")": Tok.RPAREN,
    "[": Tok.LBRACK, "]": Tok.RBRACK, ",": Tok.COMMA, ".": Tok.DOT,
}
# A one-character operator that becomes another when followed by "=".
_WITH_EQUALS: dict[str, tuple[Tok, Tok]] = {
    "!": (Tok.NOT, Tok.NEQ), "=": (Tok.ASSIGN, Tok.EQ),
    "<": (Tok.LT, Tok.LTE), ">": (Tok.GT, Tok.GTE),
}
# Tokens after which a newline ends the statement.
_ENDS_STATEMENT = frozenset({Tok.IDENT, Tok.BOOL, Tok.NULL, Tok.NUMBER, Tok.FLOAT, Tok.STRING,
                             Tok.RCURLY, Tok.RPAREN, Tok.RBRACK})
_SIMPLE_ESCAPES = "abfnrtv\\\""
_EOF = EOF_CHAR
BOM = "\ufeff"

ErrorHandler = Callable[[Position, str], None]


class Lexer:
    """Scans one source text; `scan()` returns the next token (EOF forever at the end)."""

    def __init__(self, text: str, on_error: ErrorHandler | None = None,
                 insert_terminators: bool = True) -> None:
        self._src = text
        self._on_error = on_error
        self._insert_terms = insert_terminators
        self._i = 1 if text.startswith(BOM) else 0
        self._line_starts = [0]
        self._line_scanned = 0  # offset up to which line starts are recorded
        self._insert_term = False
        self.error_count = 0
        if "\x00" in text:
            self._report_nuls()

    # --- positions --------------------------------------------------------------------------

    def position(self, offset: int) -> Position:
        """Line and column of a character offset (lines are recorded as the scan moves on)."""
        self._record_lines(offset)
        line = self._line_index(offset)
        return Position(line + 1, offset - self._line_starts[line] + 1, offset)

    def _record_lines(self, upto: int) -> None:
        src = self._src
        i = self._line_scanned
        while True:
            j = src.find("\n", i, upto)
            if j < 0:
                break
            self._line_starts.append(j + 1)
            i = j + 1
        self._line_scanned = max(self._line_scanned, upto)

    def _line_index(self, offset: int) -> int:
        starts = self._line_starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _error(self, offset: int, message: str) -> None:
        self.error_count += 1
        if self._on_error is not None:
            self._on_error(self.position(offset), message)

    def _report_nuls(self) -> None:
        for i, ch in enumerate(self._src):
            if ch == "\x00":
                self._error(i, "illegal character NUL")
            elif ch == BOM and i > 0:
                self._error(i, "illegal byte order mark")

    # --- characters -------------------------------------------------------------------------

    def _ch(self, k: int = 0) -> str:
        i = self._i + k
        return self._src[i] if i < len(self._src) else _EOF

    # --- tokens -----------------------------------------------------------------------------

    def scan(self) -> Token:
        self._skip_whitespace()
        token, ends_statement = self._scan_at(self._i)
        if self._insert_terms and ends_statement is not None:
            self._insert_term = ends_statement
        return token

    def _skip_whitespace(self) -> None:
        src, i = self._src, self._i
        while i < len(src) and (src[i] in " \t\r" or (src[i] == "\n" and not self._insert_term)):
            i += 1
        self._i = i

    def _scan_at(self, start: int) -> tuple[Token, bool | None]:
        """One token at `start`, and whether a newline after it ends a statement (None: leave
        the current setting alone)."""
        ch = self._ch()
        pos = self.position(start)
        if is_letter(ch):
            text = self._scan_identifier()
            kind = {"true": Tok.BOOL, "false": Tok.BOOL, "null": Tok.NULL}.get(text, Tok.IDENT)
            return Token(kind, text, pos), True
        if is_decimal(ch) or (ch == "." and is_decimal(self._ch(1))):
            kind, text = self._scan_number()
            return Token(kind, text, pos), True
        self._i += 1
        if ch == _EOF:
            return self._scan_end(pos)
        if ch == "\n":
            self._insert_term = False
            return Token(Tok.TERMINATOR, "\n", pos), None
        if ch in "\"`'":
            return self._scan_quoted(ch, start, pos), True
        if ch == "/" and self._ch() in ("/", "*"):
            return self._scan_slash_comment(start, pos)
        operator = self._scan_operator(ch)
        if operator is not None:
            return Token(operator, self._src[start:self._i], pos), operator in _ENDS_STATEMENT
        if ch != BOM:
            self._error(start, f"illegal character {_go_unicode(ch)}")
        return Token(Tok.ILLEGAL, ch, pos), self._insert_term

    def _scan_end(self, pos: Position) -> tuple[Token, bool | None]:
        self._i = len(self._src)
        if self._insert_term:
            self._insert_term = False
            return Token(Tok.TERMINATOR, "\n", pos), None
        return Token(Tok.EOF, "", pos), False

    def _scan_quoted(self, quote: str, start: int, pos: Position) -> Token:
        if quote == "'":
            self._error(start, "illegal single-quoted string; use double quotes")
            return Token(Tok.ILLEGAL, self._scan_string(start, "'", escapes=True,
                                                         multiline=False), pos)
        raw = quote == "`"
        return Token(Tok.STRING, self._scan_string(start, quote, escapes=not raw,
                                                   multiline=raw), pos)

    def _scan_operator(self, ch: str) -> Tok | None:
        if ch in _SINGLE:
            return _SINGLE[ch]
        if ch in _WITH_EQUALS:
            one, two = _WITH_EQUALS[ch]
            if self._ch() == "=":
                self._i += 1
                return two
            return one
        if ch in "|&":
            if self._ch() == ch:
                self._i += 1
            else:
                self._error(self._i, f"missing second {ch} in {ch}{ch}")
            return Tok.OR if ch == "|" else Tok.AND
        if ch == "/":
            return Tok.DIV
        return None

    def _scan_slash_comment(self, start: int, pos: Position) -> tuple[Token, bool | None]:
        # A comment that runs to the end of the line after a statement-ending token: the
        # terminator comes first, and the comment is scanned again on the next call.
        if self._insert_term and self._comment_reaches_line_end(start):
            self._i = start
            self._insert_term = False
            return Token(Tok.TERMINATOR, "\n", pos), None
        text = self._scan_comment(start)
        self._insert_term = False
        return Token(Tok.COMMENT, text, pos), None

    def _comment_reaches_line_end(self, start: int) -> bool:
        """Whether the comment(s) starting at `start` run to a newline or the end of file."""
        src, i = self._src, start
        while src.startswith("/", i) and i + 1 < len(src) and src[i + 1] in "/*":
            if src[i + 1] == "/":
                return True
            end = src.find("*/", i + 2)
            newline = src.find("\n", i + 2)
            if end < 0 or (0 <= newline < end):
                return True
            i = end + 2
            while i < len(src) and src[i] in " \t\r":
                i += 1
            if i >= len(src) or src[i] == "\n":
                return True
        return False

    def _scan_comment(self, start: int) -> str:
        src = self._src
        if src[self._i] == "/":
            end = src.find("\n", self._i)
            end = len(src) if end < 0 else end
            self._i = end
            text = src[start:end]
            return text.removesuffix("\r").replace("\r", "") if "\r" in text else text
        end = src.find("*/", self._i + 1)
        if end < 0:
            self._i = len(src)
            self._error(start, "block comment not terminated")
        else:
            self._i = end + 2
        return _strip_cr_block(src[start:self._i])

    def _scan_identifier(self) -> str:
        start = self._i
        self._i += 1
        while is_letter(self._ch()) or is_digit(self._ch()):
            self._i += 1
        return self._src[start:self._i]

    def _digits(self) -> int:
        count = 0
        while is_decimal(self._ch()):
            self._i += 1
            count += 1
        return count

    def _scan_number(self) -> tuple[Tok, str]:
        start, kind = self._i, Tok.NUMBER
        if self._ch() != ".":
            self._digits()
        if self._ch() == ".":
            kind = Tok.FLOAT
            self._i += 1
            self._digits()
        if self._ch() in ("e", "E"):
            kind = Tok.FLOAT
            self._i += 1
            if self._ch() in ("+", "-"):
                self._i += 1
            if self._digits() == 0:
                self._error(start, "exponent has no digits")
        return kind, self._src[start:self._i]

    def _scan_string(self, start: int, quote: str, escapes: bool, multiline: bool) -> str:
        while True:
            ch = self._ch()
            if ch == _EOF or (ch == "\n" and not multiline):
                self._error(start, "string literal not terminated")
                break
            self._i += 1
            if ch == quote:
                break
            if escapes and ch == "\\":
                self._scan_escape()
        return self._src[start:self._i]

    def _scan_escape(self) -> None:
        start, ch = self._i, self._ch()
        if ch != _EOF and ch in _SIMPLE_ESCAPES:
            self._i += 1
            return
        shape = _ESCAPE_SHAPES.get(ch)
        if shape is None:
            self._error(start, "escape sequence not terminated" if ch == _EOF
                        else "unknown escape sequence")
            return
        digits, base, maximum = shape
        if ch in "xuU":
            self._i += 1
        value = 0
        for _ in range(digits):
            d = _digit_value(self._ch())
            if d >= base:
                self._error(start, "escape sequence not terminated" if self._ch() == _EOF
                            else f"illegal character {_go_unicode(self._ch())} in escape sequence")
                return
            value = value * base + d
            self._i += 1
        if value > maximum or 0xD800 <= value < 0xE000:
            self._error(start, "escape sequence is invalid Unicode code point")


# escape letter -> (number of digits, base, largest value)
_ESCAPE_SHAPES: dict[str, tuple[int, int, int]] = {
    **dict.fromkeys("01234567", (3, 8, 255)),
    "x": (2, 16, 255), "u": (4, 16, 0x10FFFF), "U": (8, 16, 0x10FFFF),
}


def _digit_value(ch: str) -> int:
    if ch != _EOF and ch in "0123456789abcdefABCDEF":
        return int(ch, 16)
    return 16


def _strip_cr_block(text: str) -> str:
    """Drop carriage returns from a block comment (as Alloy's scanner does)."""
    if "\r" not in text:
        return text
    if text.endswith("\r"):
        text = text[:-1]
    return text.replace("\r", "")


def _go_unicode(ch: str) -> str:
    """Go's `%#U`: `U+0023 '#'`."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch.isprintable() else code


def tokenize(text: str, on_error: ErrorHandler | None = None) -> list[Token]:
    """All tokens of `text`, comments included, up to and including EOF."""
    lexer = Lexer(text, on_error)
    tokens = [lexer.scan()]
    while tokens[-1].kind is not Tok.EOF:
        tokens.append(lexer.scan())
    return tokens
