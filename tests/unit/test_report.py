"""Diagnostic rendering in every output format."""

import json
from pathlib import Path

from obsgen.codes import CODES
from obsgen.diagnostics import Diagnostic, Location
from obsgen.report import render, summary


def sample(tmp_path: Path) -> Diagnostic:
    source = tmp_path / "alerts.py"
    source.write_text("first\nAlertRule('X', for_='5 minutes')\n", encoding="utf-8")
    return Diagnostic.of("OBS201", "for of alert X '5 minutes' is not a duration",
                         Location(str(source), 2, 5), "write 5m")


def test_concise_is_ruff_like(tmp_path: Path) -> None:
    text = render([sample(tmp_path)], "concise", color=False)
    assert text.endswith(":2:5: OBS201 [error] for of alert X '5 minutes' is not a duration\n")


def test_full_shows_source_caret_and_hint(tmp_path: Path) -> None:
    lines = render([sample(tmp_path)], "full", color=False).splitlines()
    assert lines[1].endswith("| AlertRule('X', for_='5 minutes')")
    assert lines[2].endswith("|     ^")
    assert lines[3] == "  hint: write 5m"


def test_json_round_trips(tmp_path: Path) -> None:
    data = json.loads(render([sample(tmp_path)], "json", color=False))
    assert data[0]["code"] == "OBS201"
    assert data[0]["severity"] == "error"
    assert data[0]["location"]["line"] == 2
    assert data[0]["hint"] == "write 5m"


def test_github_annotation_escapes_newlines(tmp_path: Path) -> None:
    diag = Diagnostic.of("OBS304", "test failed\ndetail", Location(str(tmp_path / "t.py"), 3))
    line = render([diag], "github", color=False).strip()
    assert line.startswith("::error file=")
    assert ",line=3,title=OBS304::test failed%0Adetail" in line


def test_colour_only_when_asked(tmp_path: Path) -> None:
    assert "\x1b[" not in render([sample(tmp_path)], "full", color=False)
    assert "\x1b[" in render([sample(tmp_path)], "full", color=True)


def test_summary_counts() -> None:
    warn = Diagnostic.of("OBS005", "orphan")
    err = Diagnostic.of("OBS201", "bad")
    assert summary([warn, err, err]) == "Found 2 errors, 1 warning."
    assert summary([]) == "No problems found."


def test_every_code_is_documented_and_numbered() -> None:
    for code, entry in CODES.items():
        assert code.startswith("OBS") and len(code) == 6 and code[3:].isdigit()
        assert entry.summary.endswith(".")
