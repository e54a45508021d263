"""Alloy's token kinds, operator precedence and character classes, shared by lexer and parser."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from obsgen.alloy.ast import Position

EOF_CHAR = ""  # what the lexer reads past the end of the text


class Tok(StrEnum):
    """Token kinds; the value is the spelling Alloy uses in its error messages."""

    ILLEGAL = "ILLEGAL"
    EOF = "EOF"
    COMMENT = "COMMENT"
    IDENT = "IDENT"
    NUMBER = "NUMBER"
    FLOAT = "FLOAT"
    STRING = "STRING"
    BOOL = "BOOL"
    NULL = "NULL"
    OR = "||"
    AND = "&&"
    NOT = "!"
    ASSIGN = "="
    EQ = "=="
    NEQ = "!="
    LT = "<"
    LTE = "<="
    GT = ">"
    GTE = ">="
    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    MOD = "%"
    POW = "^"
    LCURLY = "{"
    RCURLY = "}"
    LPAREN = "("
    RPAREN = ")"
    LBRACK = "["
    RBRACK = "]"
    COMMA = ","
    DOT = "."
    TERMINATOR = "TERMINATOR"


LITERAL_KINDS = frozenset({Tok.IDENT, Tok.NUMBER, Tok.FLOAT, Tok.STRING})

# Binary operator precedence, from syntax/token: higher binds tighter.
PRECEDENCE: dict[Tok, int] = {
    Tok.OR: 1, Tok.AND: 2,
    Tok.EQ: 3, Tok.NEQ: 3, Tok.LT: 3, Tok.LTE: 3, Tok.GT: 3, Tok.GTE: 3,
    Tok.ADD: 4, Tok.SUB: 4, Tok.MUL: 5, Tok.DIV: 5, Tok.MOD: 5, Tok.POW: 6,
}


@dataclass(frozen=True)
class Token:
    kind: Tok
    text: str
    pos: Position


def is_letter(ch: str) -> bool:
    return ch == "_" or ("a" <= ch.lower() <= "z" and ch.isascii()) or (
        not ch.isascii() and ch != EOF_CHAR and unicodedata.category(ch).startswith("L"))


def is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or (
        not ch.isascii() and ch != EOF_CHAR and unicodedata.category(ch) == "Nd")


def is_decimal(ch: str) -> bool:
    return ch != EOF_CHAR and "0" <= ch <= "9"


def is_identifier(text: str) -> bool:
    """True if `text` scans as exactly one identifier (a valid block label or object key)."""
    return bool(text) and is_letter(text[0]) and all(is_letter(c) or is_digit(c) for c in text) \
        and text not in ("true", "false", "null")
