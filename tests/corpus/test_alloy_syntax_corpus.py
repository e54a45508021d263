"""Alloy syntax against grafana/alloy's own test data (../shared/corpus/alloy, v1.18):

- parser/valid: every file parses;
- parser/invalid: the `/* ERROR "rx" */` harness of syntax/parser/error_test.go: every error we
  report sits at a marker (the token just before it, or just after that token with `HERE`) and
  matches its regex, and every marker is reported;
- printer: `.in` formats to `.expect` as syntax/printer/printer_test.go compares them (the
  expected file with trailing whitespace trimmed; `alloy fmt` then adds one newline), and a
  `.error` case fails to parse with that message;
- configs: the 154 canonical configs written by `alloy convert` parse and are fixed points.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from obsgen.alloy.lexer import Lexer
from obsgen.alloy.parser import AlloySyntaxError, parse, parse_errors
from obsgen.alloy.printer import format_node, format_text
from obsgen.alloy.tokens import LITERAL_KINDS, Tok

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "alloy"
VALID = sorted((CORPUS / "parser" / "valid").glob("*.alloy"))
INVALID = sorted((CORPUS / "parser" / "invalid").glob("*.alloy"))
PRINTER_IN = sorted((CORPUS / "printer").glob("*.in"))
CONFIGS = sorted((CORPUS / "configs").glob("*.alloy"))
MARKER = re.compile(r'^/\* *ERROR *(HERE)? *"([^"]*)" *\*/$')


def test_corpus_is_complete() -> None:
    assert (len(VALID), len(INVALID), len(PRINTER_IN), len(CONFIGS)) == (5, 6, 10, 154)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_parses(path: Path) -> None:
    assert parse_errors(path.read_text()) == []


def expected_errors(text: str) -> dict[tuple[int, int], str]:
    """Marker position -> regex, found as Alloy's harness finds them: a marker applies to the
    last token before it (not a terminator), or with HERE to the position right after it."""
    lexer = Lexer(text)
    expected: dict[tuple[int, int], str] = {}
    prev = here = None
    while (token := lexer.scan()).kind is not Tok.EOF:
        if token.kind is Tok.COMMENT:
            match = MARKER.match(token.text)
            if match and prev is not None and here is not None:
                at = here if match.group(1) else prev
                expected[(at.line, at.column)] = match.group(2)
        elif token.kind is not Tok.TERMINATOR:
            prev = token.pos
            length = len(token.text) if token.kind in LITERAL_KINDS else len(token.kind.value)
            here = lexer.position(prev.offset + length)
    return expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_reports_each_marked_error(path: Path) -> None:
    text = path.read_text()
    expected = expected_errors(text)
    assert expected, "the file has no ERROR markers"
    for error in parse_errors(text):
        where = (error.line, error.column)
        assert where in expected, f"unexpected error {error}"
        assert re.search(expected.pop(where), error.message), f"{error} does not match"
    assert expected == {}, f"errors not reported: {expected}"


@pytest.mark.parametrize("path", PRINTER_IN, ids=lambda p: p.stem)
def test_printer_golden_pair(path: Path) -> None:
    text = path.read_text()
    error_file = path.with_suffix(".error")
    if error_file.exists():
        with pytest.raises(AlloySyntaxError) as info:
            parse(text)
        wanted = error_file.read_text().replace("\r\n", "\n")
        assert any(wanted in e.message for e in info.value.errors), info.value.errors
        return
    expected = path.with_suffix(".expect").read_text().rstrip()
    assert format_node(parse(text)) == expected
    assert format_text(text) == expected + "\n"


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_config_is_a_fixed_point(path: Path) -> None:
    text = path.read_text()
    assert format_text(text, str(path)) == text


@pytest.mark.parametrize("path", VALID + PRINTER_IN, ids=lambda p: p.name)
def test_formatting_is_idempotent(path: Path) -> None:
    try:
        once = format_text(path.read_text())
    except AlloySyntaxError:
        assert path.with_suffix(".error").exists()
        return
    assert format_text(once) == once
