"""Alloy syntax findings as obsgen diagnostics: OBS801 (syntax error, one per error Alloy's
parser would report, with a hint for the common mistakes) and OBS802 (parses, but is not in
`alloy fmt` layout; located at the first line that differs)."""

from __future__ import annotations

from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.alloy.printer import format_body
from obsgen.alloy.token_stream import SyntaxIssue
from obsgen.diagnostics import Diagnostic, Location

SYNTAX_ERROR = "OBS801"
NOT_FORMATTED = "OBS802"
SYNTAX_DOCS = "https://grafana.com/docs/alloy/latest/get-started/configuration-syntax/"

# message fragment -> hint, first match wins
_HINTS: tuple[tuple[str, str], ...] = (
    ("single-quoted string", 'strings take double quotes: "text" (or backticks for raw text)'),
    ("escape sequence", 'valid escapes: \\n \\t \\r \\" \\\\ \\a \\b \\f \\v \\xNN \\NNN \\uNNNN '
                        "\\UNNNNNNNN; \\' is not one"),
    ("string literal not terminated", 'close the string with " on the same line, or use a '
                                      "backtick string for text over several lines"),
    ("block comment not terminated", "close the comment with */"),
    ("illegal character U+0023", "Alloy comments start with // or are wrapped in /* */"),
    ("missing ','", "in a list, object or call every element needs a comma after it, the "
                    "last one too when the closing bracket is on its own line"),
    ("block label", 'a block label is a double-quoted identifier: name "label" { ... }'),
    ("attribute names", "an attribute is one identifier, no dots or label: name = value"),
    ("block as an expression", "a block cannot be assigned; declare it as its own statement "
                               "and refer to its exports (x = a.b.label.export)"),
    ("nested more than", "flatten the expression or split the block"),
)


def syntax_diagnostics(text: str, path: str, *, check_layout: bool = False) -> list[Diagnostic]:
    """OBS801 for each syntax error of `text`; with `check_layout`, OBS802 if it parses but is
    not a fixed point of the printer. Empty when all is well; never raises on bad input."""
    try:
        body = parse(text, path)
    except AlloySyntaxError as exc:
        return [syntax_error(path, issue) for issue in exc.errors]
    if not check_layout:
        return []
    formatted = format_body(body)
    if formatted == text:
        return []
    return [Diagnostic.of(NOT_FORMATTED, "file is not in `alloy fmt` layout",
                          Location(path, _first_difference(text, formatted), 1),
                          "run `alloy fmt -w` on it (obsgen's own output is already formatted)")]


def syntax_error(path: str, issue: SyntaxIssue) -> Diagnostic:
    """One OBS801 diagnostic at the error's line:column."""
    return Diagnostic.of(SYNTAX_ERROR, issue.message, Location(path, issue.line, issue.column),
                         hint_for(issue.message))


def hint_for(message: str) -> str:
    for fragment, hint in _HINTS:
        if fragment in message:
            return hint
    return f"see the Alloy syntax reference: {SYNTAX_DOCS}"


def _first_difference(text: str, formatted: str) -> int:
    """The 1-based line of `text` where it first differs from `formatted`."""
    for number, (mine, canonical) in enumerate(
            zip(text.splitlines(True), formatted.splitlines(True), strict=False), start=1):
        if mine != canonical:
            return number
    return min(len(text.splitlines(True)), len(formatted.splitlines(True))) + 1
