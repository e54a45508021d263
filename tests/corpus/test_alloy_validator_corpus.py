"""The Alloy validator against real data from grafana/alloy (../shared/corpus/alloy):

- validator/*.txtar -> .diags: what `alloy validate` reports. For the checks we implement we
  must report the same findings (same file:line:col, same meaning), and nothing else that Alloy
  would not report (our own lint, OBS828/OBS829, aside). The findings we do not reproduce are
  listed in SKIPPED, each with why.
- configs/: 154 configs written by `alloy convert`. None may get an error-level finding (they
  are valid Alloy); those that use only components we model are validated in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from obsgen.alloy import ast
from obsgen.alloy.components import BY_NAME
from obsgen.alloy.parser import parse
from obsgen.check.alloy.validate import AlloyFile, lint_alloy, validate
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "alloy"
VALIDATOR = CORPUS / "validator"
CONFIGS = CORPUS / "configs"
OURS_ONLY = {"OBS828", "OBS829"}  # obsgen's own lint: secret literals, 0.0.0.0 listeners

_NOT_MODELLED = "the component's arguments are not in our table ({})"
SKIPPED: dict[tuple[str, str, int, int], str] = {
    ("invalid_declare", "main.alloy", 38, 2): _NOT_MODELLED.format("remote.http"),
    ("invalid_declare", "main.alloy", 42, 3): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_foreach", "main.alloy", 20, 3): _NOT_MODELLED.format("remote.http"),
    ("invalid_foreach", "main.alloy", 24, 4): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_foreach", "main.alloy", 76, 5): _NOT_MODELLED.format("remote.http"),
    ("invalid_foreach", "main.alloy", 80, 6): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_properties", "main.alloy", 2, 1): _NOT_MODELLED.format("remote.http"),
    ("invalid_properties", "main.alloy", 4, 1): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_properties", "main.alloy", 5, 2): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_types", "main.alloy", 2, 15): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_types", "main.alloy", 3, 13): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_types", "main.alloy", 4, 13): _NOT_MODELLED.format("loki.source.file"),
    ("invalid_types", "main.alloy", 10, 12): _NOT_MODELLED.format("otelcol.auth.headers"),
}
# Syntax errors are the parser's (tested by the Alloy syntax tests); here only the first error
# of each file is required, at its position, through lint_alloy.
SYNTAX_CASE = "syntax_errors"
# Alloy's message for the deprecated-stdlib warning is generic; ours names the function.
SAME_MEANING = {
    "this stdlib function is deprecated; please refer to the documentation for updated usage "
    "and alternatives": re.compile(r"^\w+\(\) is deprecated$"),
}


@dataclass(frozen=True)
class Expected:
    severity: str
    file: str
    line: int
    column: int
    message: str


def read_txtar(path: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    current = None
    for line in path.read_text("utf-8").splitlines(keepends=True):
        header = re.match(r"^-- (.+) --$", line.rstrip("\n"))
        if header:
            current = header.group(1)
            files[current] = ""
        elif current is not None:
            files[current] += line
    return files


def read_diags(path: Path) -> list[Expected]:
    found = []
    for line in path.read_text("utf-8").splitlines():
        m = re.match(r"^(Error|Warning): (.+?):(\d+):(\d+): (.*)$", line)
        if m:
            found.append(Expected(m.group(1).lower(), m.group(2), int(m.group(3)),
                                  int(m.group(4)), m.group(5)))
    return found


def matches(ours: Diagnostic, want: Expected) -> bool:
    loc = ours.location
    assert loc is not None
    if (loc.path, loc.line, loc.column) != (want.file, want.line, want.column):
        return False
    severity = "warning" if ours.severity is Severity.WARNING else "error"
    pattern = SAME_MEANING.get(want.message)
    same = pattern.match(ours.message) if pattern else ours.message == want.message
    return bool(same) and severity == want.severity


CASES = sorted(p.stem for p in VALIDATOR.glob("*.txtar") if p.stem != SYNTAX_CASE)


@pytest.mark.parametrize("case", CASES)
def test_validator_reports_what_alloy_validate_reports(case: str) -> None:
    files = read_txtar(VALIDATOR / f"{case}.txtar")
    ours = validate([AlloyFile(name, parse(text, name)) for name, text in files.items()])
    expected = read_diags(VALIDATOR / f"{case}.diags")
    wanted = [e for e in expected if (case, e.file, e.line, e.column) not in SKIPPED]
    missing = [e for e in wanted if not any(matches(d, e) for d in ours)]
    extra = [d for d in ours if d.code not in OURS_ONLY
             and not any(matches(d, e) for e in expected)]
    assert missing == [], f"findings of alloy validate we did not report: {missing}"
    assert extra == [], f"findings alloy validate does not report: {extra}"


def test_every_skip_names_a_real_expected_finding() -> None:
    """A skip that no longer matches a .diags line (or that we now reproduce) must go."""
    for case, file, line, column in SKIPPED:
        expected = read_diags(VALIDATOR / f"{case}.diags")
        assert any((e.file, e.line, e.column) == (file, line, column) for e in expected), (
            case, file, line, column)


def test_syntax_errors_reach_lint_as_diagnostics_at_their_position() -> None:
    expected = read_diags(VALIDATOR / f"{SYNTAX_CASE}.diags")
    for name, text in read_txtar(VALIDATOR / f"{SYNTAX_CASE}.txtar").items():
        found = lint_alloy(ForeignFile(name, text, "alloy"), LintContext(()))
        first = next(e for e in expected if e.file == name)
        assert found, name
        assert all(d.code == "OBS801" for d in found)
        loc = found[0].location
        assert loc is not None and (loc.line, loc.column) == (first.line, first.column)
        assert found[0].message == first.message


CONFIG_FILES = sorted(CONFIGS.glob("*.alloy"))


def _only_modelled(body: ast.Body) -> bool:
    names = {s.full_name for s in body.stmts if isinstance(s, ast.Block)}
    return names <= set(BY_NAME)


def test_the_configs_corpus_is_all_there() -> None:
    assert len(CONFIG_FILES) == 154


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.stem)
def test_converted_configs_have_no_error(path: Path) -> None:
    found = validate([AlloyFile(path.name, parse(path.read_text("utf-8"), path.name))])
    errors = [d for d in found if d.severity is Severity.ERROR]
    assert errors == []
    # Their only findings are obsgen's lint: deprecations, literal secrets, 0.0.0.0.
    assert {d.code for d in found} <= {"OBS827", "OBS828", "OBS829"}


def test_enough_configs_use_only_modelled_components() -> None:
    """The full-depth check covers a real share of the corpus (29 at the time of writing)."""
    modelled = [p for p in CONFIG_FILES if _only_modelled(parse(p.read_text("utf-8"), p.name))]
    assert len(modelled) >= 29
