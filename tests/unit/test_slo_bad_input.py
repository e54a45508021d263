"""Bad SLO definitions: each is one error with its code at the user's line, with a hint, exit
1, and build/ left as the last good build wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.conftest import Result, RunObsgen

JSON = ("--output-format", "json")
MARK = "# <-- BAD"
HEAD = """
from obsgen import SLO, BurnRate, Events, Latency, Tier
from .metrics import QUALITY_GATE, STAGE_DURATION, TOKEN_BUDGET_REMAINING, TOKENS_USED
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(example_project: Path, obsgen: RunObsgen) -> tuple[Path, dict[str, bytes]]:
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    return example_project, snapshot(example_project / "build")


def _write(root: Path, body: str) -> int:
    path = root / "definitions" / "bad_slos.py"
    text = HEAD + body.strip("\n") + "\n"
    path.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), start=1) if MARK in line)


def _error(result: Result) -> dict[str, Any]:
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.output, result.describe()
    errors = [d for d in result.diagnostics() if d["severity"] == "error"]
    assert len(errors) == 1, result.describe()
    return errors[0]


CASES = {
    "objective-100": ("OBS214", """
X = SLO("gates", objective=100,  {mark}
        sli=Events(errors=QUALITY_GATE.where(result="failed"), total=QUALITY_GATE))
""", "outside (0, 100)"),
    "objective-0": ("OBS214", """
X = SLO("gates", objective=0, sli=Events(errors=QUALITY_GATE.where(result="failed"),  {mark}
        total=QUALITY_GATE))
""", "outside (0, 100)"),
    "window-shorter-than-alert-window": ("OBS215", """
X = SLO("gates", objective=99, window="2d",  {mark}
        sli=Events(errors=QUALITY_GATE.where(result="failed"), total=QUALITY_GATE),
        page=Tier(rates=[BurnRate(14.4, long="30m", short="5m")]),
        ticket=Tier(rates=[BurnRate(1, long="3d", short="6h")]))
""", "shorter than the alert window 3d"),
    "threshold-no-bucket": ("OBS216", """
X = SLO("latency", objective=99, sli=Latency(STAGE_DURATION, threshold=250))  {mark}
""", "nearest buckets: 120 and 300"),
    "counter-sli-on-gauge": ("OBS217", """
X = SLO("budget", objective=99,
        sli=Events(errors=TOKEN_BUDGET_REMAINING, total=TOKENS_USED))  {mark}
""", "gauge hypertool_persona_token_budget_remaining"),
    "error-label-absent-from-total": ("OBS218", """
X = SLO("gates", objective=99,
        sli=Events(errors=QUALITY_GATE.where(result="failed"), total=TOKENS_USED))  {mark}
""", "result"),
    "total-filter-missing-on-errors": ("OBS218", """
X = SLO("gates", objective=99, sli=Events(  {mark}
    errors=QUALITY_GATE.where(result="failed"), total=QUALITY_GATE.where(workflow="a")))
""", "workflow"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_slo(case: str, built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    root, before = built
    code, body, words = CASES[case]
    line = _write(root, body.replace("{mark}", MARK))
    found = _error(obsgen("build", *JSON, cwd=root))
    assert found["code"] == code, found
    assert found["location"]["line"] == line, found
    assert Path(found["location"]["path"]).name == "bad_slos.py", found
    assert words in found["message"] + found["hint"], found
    assert found["hint"].strip(), found
    assert snapshot(root / "build") == before


def test_two_slos_with_one_name(built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    root, before = built
    line = _write(root, f"""
A = SLO("gates", objective=99,
        sli=Events(errors=QUALITY_GATE.where(result="failed"), total=QUALITY_GATE))
B = SLO("gates", objective=95,  {MARK}
        sli=Events(good=QUALITY_GATE.where(result="passed"), total=QUALITY_GATE))
""")
    found = _error(obsgen("build", *JSON, cwd=root))
    assert found["code"] == "OBS219", found
    assert found["location"]["line"] == line, found
    assert f"bad_slos.py:{line - 2})" in found["message"], found
    assert snapshot(root / "build") == before
