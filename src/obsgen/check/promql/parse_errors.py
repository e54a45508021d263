"""Where a PromQL syntax error lies, when the parser does not say: promql-parser reports
"unclosed left parenthesis" or "unexpected right brace" without a position, so the unmatched
bracket is found here and the finding points at it rather than at the start of the query."""

from __future__ import annotations

import re

_OPENING = {"(": ")", "{": "}", "[": "]"}
_CLOSING = {close: open_ for open_, close in _OPENING.items()}
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?|`[^`]*`?|#[^\n]*|[()\[\]{}]')
_BRACKET_ERRORS = ("unclosed left", "unexpected right", "inside braces", "inside brackets",
                   "unterminated quoted string")


def error_position(text: str, message: str) -> int:
    """The offset of the bracket (or quote) a bracket error is about; 0 for other errors."""
    if not any(words in message for words in _BRACKET_ERRORS):
        return 0
    opened: list[tuple[str, int]] = []
    for token in _TOKEN.finditer(text):
        char = token.group()[0]
        if char in "\"'`" and (len(token.group()) == 1 or token.group()[-1] != char):
            return token.start()  # a string that never ends
        if char in _OPENING:
            opened.append((char, token.start()))
        elif char in _CLOSING:
            if not opened or opened[-1][0] != _CLOSING[char]:
                return token.start()
            opened.pop()
    return opened[-1][1] if opened else 0
