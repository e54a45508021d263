"""OBS801/OBS802: Alloy syntax findings as diagnostics, with positions and hints."""

from __future__ import annotations

from obsgen.alloy.diagnose import syntax_diagnostics
from obsgen.codes import Severity
from obsgen.diagnostics import Location


def test_each_syntax_error_is_an_obs801_at_its_position_with_a_hint() -> None:
    found = syntax_diagnostics("a = 'x'\nb = [1,\n2\n]\n", "cfg.alloy")
    assert [(d.code, d.location, d.message) for d in found] == [
        ("OBS801", Location("cfg.alloy", 1, 5), "illegal single-quoted string; use double quotes"),
        ("OBS801", Location("cfg.alloy", 1, 5), "expected expression, got ILLEGAL"),
        ("OBS801", Location("cfg.alloy", 3, 2), "missing ',' in expression list"),
    ]
    assert found[0].severity is Severity.ERROR
    assert found[0].hint is not None and "double quotes" in found[0].hint
    assert found[2].hint is not None and "comma" in found[2].hint


def test_invalid_escape_hint_names_the_valid_ones() -> None:
    (found,) = syntax_diagnostics('a = "it\\\'s"\n', "x.alloy")
    assert (found.code, found.location) == ("OBS801", Location("x.alloy", 1, 9))
    assert found.hint is not None and "\\' is not one" in found.hint


def test_hash_comment_gets_a_comment_hint() -> None:
    found = syntax_diagnostics("# old style\n", "x.alloy")[0]
    assert (found.message, found.location) == ("illegal character U+0023 '#'",
                                               Location("x.alloy", 1, 1))
    assert found.hint is not None and "//" in found.hint


def test_valid_file_has_no_findings_and_layout_is_checked_on_request() -> None:
    canonical = 'a  = 1\nbb = "x"\n'
    assert syntax_diagnostics(canonical, "x.alloy", check_layout=True) == []
    sloppy = 'a  = 1\nbb="x"\n'
    assert syntax_diagnostics(sloppy, "x.alloy") == []
    (found,) = syntax_diagnostics(sloppy, "x.alloy", check_layout=True)
    assert (found.code, found.location, found.severity) == (
        "OBS802", Location("x.alloy", 2, 1), Severity.WARNING)
