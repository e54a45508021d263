"""Text quoted from input, made safe to print to a terminal or a CI log.

A file name, a rule name or a line of a file can hold control characters: ESC starts colour,
cursor and OSC sequences (OSC 8 links, OSC 52 writes the clipboard), C1 controls do the same
in one byte, CR and backspace overwrite what was printed, and bidi overrides reorder what the
reader sees (Trojan Source). Each such character is shown as its escape (`\\x1b`, `\\u202e`),
so the reader sees that it is there and nothing acts on it. Tab stays; a newline stays only
where the caller says it is part of the structure (a multi-line message).
"""

from __future__ import annotations

import re

_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
           "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks and controls
           "\u2028\u2029"  # line and paragraph separators
           "\ud800-\udfff")  # lone surrogates: bytes that were not UTF-8
_INLINE = re.compile(f"[\n{_UNSAFE}]")
_BLOCK = re.compile(f"[{_UNSAFE}]")


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that could not be decoded
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, newlines: bool = False) -> str:
    """`text` with every control, bidi and undecodable character shown as its escape; a
    newline is kept only when `newlines`."""
    return (_BLOCK if newlines else _INLINE).sub(_shown, text)


QUOTE_LIMIT = 200  # characters of a query or expression a message quotes
TEXT_LIMIT = 2_000  # characters of one message or hint shown to a person


def shortened(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to `limit` characters with the count of what was left out: a finding on a
    234 KB expression must not print the expression, once per finding."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
