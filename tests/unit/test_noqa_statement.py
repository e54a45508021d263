"""`# obsgen: noqa` on the first line of a statement or call in Python definitions covers every
line of it: a finding inside a multi-line raw PromQL string points at the string's inner line
(the metric's own), and the marker on the `AlertRule(` line silences it there. Runs the real
CLI on a small project; the noqa module itself on files that do not parse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.diagnostics import Diagnostic, Location
from obsgen.noqa import without_noqa

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

TOML = ('definitions = "definitions"\nbuild = "build"\n'
        'runbook_base_url = "https://runbooks.example.org/"\n')
METRICS = '''from obsgen import Counter

REQUESTS = Counter("app_requests_total", "Requests served.", labels=["code"])
'''
RUNBOOKS = '''from obsgen import Runbook, Step

from .rules import UNKNOWN

UNKNOWN_RUNBOOK = Runbook(UNKNOWN, description="d", investigation=[Step("Look.")])
'''
TRIPLE = '''from obsgen import AlertRule, RuleGroup

UNKNOWN = AlertRule({marker}
    "UnknownMetric",
    expr="""
  sum(rate(unknown_metric[5m])) > 1
""",
    for_="5m", severity="warning", summary="s", description="d",
)
GROUP = RuleGroup("app", rules=[UNKNOWN])
'''
CONCATENATED = '''from obsgen import AlertRule, RuleGroup

UNKNOWN = AlertRule({marker}
    "UnknownMetric",
    expr=("sum(rate("
          "unknown_metric[5m]))"
          " > 1"),
    for_="5m", severity="warning", summary="s", description="d",
)
GROUP = RuleGroup("app", rules=[UNKNOWN])
'''
# The alert written inside its group: the marker goes on its own call's first line.
NESTED = '''from obsgen import AlertRule, RuleGroup

GROUP = RuleGroup("app", rules=[
    AlertRule({marker}
        "UnknownMetric",
        expr="""
  sum(rate(unknown_metric[5m])) > 1
""",
        for_="5m", severity="warning", summary="s", description="d",
    ),
])
UNKNOWN = GROUP.rules[0]
'''
INNER_LINE = {"triple": 6, "concatenated": 6, "nested": 7}
SOURCES = {"triple": TRIPLE, "concatenated": CONCATENATED, "nested": NESTED}


def _build(obsgen: RunObsgen, root: Path, rules: str) -> tuple[int, str]:
    definitions = root / "definitions"
    definitions.mkdir(parents=True)
    (root / "obsgen.toml").write_text(TOML, encoding="utf-8")
    for name, text in {"__init__": "", "metrics": METRICS, "runbooks": RUNBOOKS,
                       "rules": rules}.items():
        (definitions / f"{name}.py").write_text(text, encoding="utf-8")
    done = obsgen("build", cwd=root)
    return done.exit_code, done.stdout + done.stderr


@pytest.mark.parametrize("layout", sorted(SOURCES))
def test_without_a_marker_the_finding_is_on_the_strings_inner_line(
        obsgen: RunObsgen, tmp_path: Path, layout: str) -> None:
    code, output = _build(obsgen, tmp_path, SOURCES[layout].format(marker=""))
    assert code == 1, output
    assert f"definitions/rules.py:{INNER_LINE[layout]}:" in output
    assert "OBS116" in output and "unknown_metric" in output


@pytest.mark.parametrize("layout", sorted(SOURCES))
def test_a_marker_on_the_calls_first_line_silences_its_inner_lines(
        obsgen: RunObsgen, tmp_path: Path, layout: str) -> None:
    code, output = _build(obsgen, tmp_path, SOURCES[layout].format(marker="  # obsgen: noqa"))
    assert code == 0, output
    assert "OBS116" not in output and "unknown_metric" not in output


def test_a_marker_with_codes_silences_only_those(obsgen: RunObsgen, tmp_path: Path) -> None:
    other = TRIPLE.format(marker="  # obsgen: noqa OBS110, OBS921")
    code, output = _build(obsgen, tmp_path / "other", other)
    assert code == 1 and "definitions/rules.py:6:12: OBS116" in output, output
    named = TRIPLE.format(marker="  # obsgen: noqa OBS110, OBS116")
    code, output = _build(obsgen, tmp_path / "named", named)
    assert code == 0 and "OBS116" not in output, output


def _finding(path: Path, line: int, code: str = "OBS116") -> Diagnostic:
    return Diagnostic.of(code, "x", Location(str(path), line))


def test_a_file_that_does_not_parse_is_silenced_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text('X = f(  # obsgen: noqa\n    "a",\n    (\n', encoding="utf-8")
    kept = without_noqa([_finding(path, 1), _finding(path, 2)])
    assert [d.location.line for d in kept if d.location] == [2]


def test_a_marker_on_a_block_statement_does_not_cover_its_block(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text("def make():  # obsgen: noqa\n    return f(\n        'x',\n    )\n"
                    "Y = g(  # obsgen: noqa OBS116\n    'y',\n); Z = h(\n    'z',\n)\n",
                    encoding="utf-8")
    found = [_finding(path, 3), _finding(path, 6), _finding(path, 6, "OBS110"),
             _finding(path, 8)]
    kept = [(d.location.line, d.code) for d in without_noqa(found) if d.location]
    # The def's block is not its statement's; `Z = h(` shares Y's last line, not its marker.
    assert kept == [(3, "OBS116"), (6, "OBS110"), (8, "OBS116")]
