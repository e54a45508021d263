"""Output that cannot be abused (issue 12, items 7 and 10): GitHub annotations escaped as
@actions/core escapes them, terminal control sequences from input shown and never sent, a
bounded excerpt of a very long line, and stdout kept clean of what definitions print."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from obsgen.diagnostics import Diagnostic, Location
from obsgen.excerpt import WIDTH
from obsgen.report import render

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

RULES = "groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up == 0\n"
# Everything a hostile name or text can carry to a terminal: CSI colour, OSC 52 (clipboard),
# OSC 8 (hyperlink), BEL, a C1 CSI, a bidi override, backspace, carriage return, DEL.
CONTROLS = ("\x1b[31m", "\x1b]52;c;aGVsbG8=\x07", "\x1b]8;;https://evil.example\x1b\\",
            "\x9b", "\u202e", "\u2066", "\x08", "\r", "\x7f")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _unescape_property(value: str) -> str:
    """The inverse of @actions/core's escapeProperty (what the runner does)."""
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


# --- GitHub workflow commands ----------------------------------------------------------------


def test_a_crafted_file_name_cannot_inject_workflow_commands(obsgen: RunObsgen,
                                                              tmp_path: Path) -> None:
    name = "x\n::add-mask::x\n::warning file=a,line=1::pwn,line=1::%0A.yml"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / name).write_text(RULES, encoding="utf-8")
    expected = obsgen("lint", "rules", "--output-format", "json", cwd=tmp_path).diagnostics()
    result = obsgen("lint", "rules", "--output-format", "github", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert expected and len(lines) == len(expected), result.describe()
    for line, want in zip(lines, expected, strict=True):
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert match is not None, line  # one command per line, properties free of `::`
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        assert list(props) == ["file", "line", "title"], line
        assert props["line"] == "4" and props["title"] == want["code"]
        file = _unescape_property(props["file"])
        assert file == f"rules/{name}"  # the runner gets back exactly the file's name
    assert not any(line.startswith("::add-mask") for line in result.stdout.splitlines())


def test_message_and_hint_are_escaped_as_data(tmp_path: Path) -> None:
    diag = Diagnostic.of("OBS304", "50% failed\r\n::add-mask::secret",
                         Location(str(tmp_path / "t.yml"), 3, 2), "a, b: c")
    line = render([diag], "github", color=False)
    assert line.count("\n") == 1
    assert line.endswith("::50%25 failed\\x0d%0A::add-mask::secret (hint: a, b: c)\n")
    assert ",line=3,col=2,title=OBS304::" in line


# --- terminal control sequences in human formats --------------------------------------------


def _hostile_alloy(tmp_path: Path) -> Path:
    """An Alloy file whose name, literal and comment carry every control sequence, with a
    finding (OBS829) on the line that holds them."""
    tail = "".join(CONTROLS)
    path = tmp_path / f"conf{CONTROLS[0]}{CONTROLS[4]}.alloy"
    path.write_text('prometheus.exporter.unix "default" { }\n'
                    f'otelcol.receiver.otlp "in" {{\n  http {{ endpoint = "0.0.0.0:4318" }} '
                    f"// {tail}\n  output {{ }}\n}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_control_sequences_from_input_are_shown_never_sent(obsgen: RunObsgen, tmp_path: Path,
                                                           fmt: str) -> None:
    path = _hostile_alloy(tmp_path)
    result = obsgen("lint", path.name, "--output-format", fmt, cwd=tmp_path)
    assert "OBS829" in result.stdout, result.describe()
    assert RAW.search(result.stdout) is None, ascii(RAW.search(result.stdout))
    assert "conf\\x1b[31m\\u202e.alloy" in result.stdout  # visible, so the reader knows
    if fmt == "full":
        assert "\\x1b]52;c;aGVsbG8=\\x07" in result.stdout
        assert "\\u202e\\u2066\\x08\\x0d\\x7f" in result.stdout


def test_obsgen_keeps_its_own_colours(obsgen: RunObsgen, tmp_path: Path) -> None:
    path = _hostile_alloy(tmp_path)
    result = obsgen("lint", path.name, "--color", "always", cwd=tmp_path)
    escapes = re.findall(r"\x1b(.)", result.stdout)
    assert escapes and set(escapes) == {"["}, result.describe()  # SGR only: no OSC, no ESC \
    assert re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).count("\x1b") == 0


def test_json_and_sarif_stay_faithful_and_parse(obsgen: RunObsgen, tmp_path: Path) -> None:
    path = _hostile_alloy(tmp_path)
    data = obsgen("lint", path.name, "--output-format", "json", cwd=tmp_path).diagnostics()
    assert data and data[0]["location"]["path"] == path.name  # the real name, escaped by JSON
    sarif = obsgen("lint", path.name, "--output-format", "sarif", cwd=tmp_path)
    assert json.loads(sarif.stdout)["runs"][0]["results"], sarif.describe()


def test_a_file_name_that_is_not_utf8_does_not_break_sarif(obsgen: RunObsgen,
                                                           tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules").joinpath(b"bad\xff.yml".decode("utf-8", "surrogateescape")) \
        .write_text(RULES, encoding="utf-8")
    sarif = obsgen("lint", "rules", "--output-format", "sarif", cwd=tmp_path)
    assert "Traceback" not in sarif.stderr, sarif.describe()
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"rules/bad%FF.yml"}
    full = obsgen("lint", "rules", cwd=tmp_path)
    assert "rules/bad\\xff.yml:4: OBS920" in full.stdout, full.describe()


# --- a bounded excerpt of a very long line ---------------------------------------------------


def _long_line(tmp_path: Path, size: int) -> tuple[Path, str]:
    unit = '{"expr":"sum(rate(http_requests_total[5m]))","title":"panel"},'
    line = "[" + unit * (size // len(unit)) + "{}]"
    path = tmp_path / "minified.json"
    path.write_text(line + "\n", encoding="utf-8")
    return path, line


@pytest.mark.parametrize("size", [55_000, 234_000])
def test_a_finding_on_a_long_line_prints_a_window_with_the_caret_in_place(
        tmp_path: Path, size: int) -> None:
    path, line = _long_line(tmp_path, size)
    for column in (1, 2, len(line) // 2, len(line) - 3, len(line)):
        diag = Diagnostic.of("OBS645", "x", Location(str(path), 1, column))
        _, source, caret, _ = render([diag], "full", color=False).split("\n", 3)
        shown = source.split(" | ", 1)[1]
        assert len(shown) <= WIDTH + 2  # the window and its two … marks
        at = caret.split(" | ", 1)[1].index("^")
        assert shown[at] == line[column - 1], (column, shown, caret)
        assert shown.startswith("…") == (column > WIDTH // 2 + 1)
        assert shown.endswith("…") == (column < len(line) - WIDTH // 2)


def test_a_thousand_findings_on_a_234_kb_line_stay_small_and_fast(tmp_path: Path) -> None:
    path, line = _long_line(tmp_path, 234_000)
    step = len(line) // 1000
    diagnostics = [Diagnostic.of("OBS645", "panel has no title", Location(str(path), 1, c))
                   for c in range(1, len(line), step)][:1000]
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    text = render(diagnostics, "full", color=False)
    elapsed = time.process_time() - started
    # Before: the whole line each time (234 MB for 1,000 findings, several seconds).
    assert len(text.encode("utf-8")) < 1000 * 400, len(text)
    assert elapsed < 2.0, elapsed


def test_rendering_reads_each_file_once(tmp_path: Path) -> None:
    path, line = _long_line(tmp_path, 234_000)
    diagnostics = [Diagnostic.of("OBS645", "t", Location(str(path), 1, c))
                   for c in range(1, len(line), len(line) // 1000)]
    with _opened() as opened:
        render(diagnostics, "full", color=False)
    assert len(diagnostics) >= 1000 and opened.count(str(path)) == 1


_OPENS: list[list[str]] = []  # the recorders of the tests running now (none, mostly)


def _record_open(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _OPENS:
        _OPENS[-1].append(str(args[0]))


sys.addaudithook(_record_open)  # audit hooks cannot be removed: this one records only on demand


@contextmanager
def _opened() -> Iterator[list[str]]:
    """The paths opened (os.open, open) while the block runs, from Python's audit events."""
    _OPENS.append([])
    try:
        yield _OPENS[-1]
    finally:
        _OPENS.pop()


def test_a_fifo_named_by_a_finding_is_never_opened_for_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    text = render([Diagnostic.of("OBS960", "not a file", Location(str(fifo), 1, 1))],
                  "full", color=False)
    assert time.perf_counter() - started < 5 and " | " not in text


# --- stdout of definitions -------------------------------------------------------------------

NOISY = """\
import ctypes
import os
import sys

print("print() from a definition")
sys.__stdout__.write("sys.__stdout__ from a definition\\n")
os.write(1, b"fd 1 from a definition\\n")
ctypes.CDLL(None).printf(b"libc printf from a definition\\n")
"""


def _noisy(project: Path) -> None:
    (project / "definitions" / "noisy.py").write_text(NOISY, encoding="utf-8")


def test_prints_in_definitions_go_to_stderr_not_into_json(obsgen: RunObsgen,
                                                          example_project: Path) -> None:
    _noisy(example_project)
    result = obsgen("build", "--output-format", "json", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    assert result.diagnostics() == []  # stdout parses
    for said in ("print()", "sys.__stdout__", "fd 1", "libc printf"):
        assert f"{said} from a definition" in result.stderr


def test_prints_in_definitions_go_to_stderr_not_into_sarif(obsgen: RunObsgen,
                                                           example_project: Path) -> None:
    _noisy(example_project)
    (example_project / "rules.yml").write_text(RULES, encoding="utf-8")
    result = obsgen("lint", "--catalog", ".", "rules.yml", "--output-format", "sarif",
                    cwd=example_project)
    assert json.loads(result.stdout)["runs"][0]["results"], result.describe()
    assert "libc printf from a definition" in result.stderr


def test_prints_in_definitions_under_click_runner(example_project: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (example_project / "definitions" / "noisy.py").write_text(
        'print("print() from a definition")\n', encoding="utf-8")
    monkeypatch.chdir(example_project)
    result = CliRunner().invoke(main, ["build", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert "print() from a definition" in result.stderr


def test_status_lines_show_control_sequences_from_the_config_as_escapes(
        obsgen: RunObsgen, example_project: Path) -> None:
    """`Built N files into <build>/`: the build setting is the user's text, like a file name."""
    config = example_project / "obsgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'build = "build"', 'build = "out\\u001b]52;c;aGk=\\u0007red"'), encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "out\\x1b]52;c;aGk=\\x07red/" in result.stderr


def test_a_long_broken_query_is_quoted_shortened_not_whole(obsgen: RunObsgen,
                                                           tmp_path: Path) -> None:
    """OBS213's hint quotes the expression: on a 234 KB expression that was the whole line
    again, once per finding, in every format."""
    matchers = ", ".join(f'l{i}="v"' for i in range(20_000))
    expr = f"up{{{matchers}}} +"  # about 200 KB on one line, shallow, broken at the very end
    (tmp_path / "long.yml").write_text(
        f"groups:\n- name: g\n  rules:\n  - record: job:up:long\n    expr: {expr}\n",
        encoding="utf-8")
    for fmt in ("json", "full"):
        result = obsgen("lint", "long.yml", "--output-format", fmt, cwd=tmp_path, timeout=120)
        assert result.exit_code == 1, result.describe()[-2000:]
        assert "OBS213" in result.stdout
        assert len(result.stdout) < 10_000, len(result.stdout)
        assert "more characters)" in result.stdout


def test_a_huge_message_is_cut_for_people() -> None:
    found = Diagnostic("OBS213", "m" * 50_000, Location("x.yml", 1, 1), "h" * 50_000)
    text = render([found], "full", color=False)
    assert len(text) < 5_000
    assert "(48,000 more characters)" in text
