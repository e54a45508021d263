"""The example's SLOs through the real promtool: their generated rule tests pass, and they
notice a burn-rate threshold that is off (a factor a fifth too high lets the just-above
incident pass silently; a fifth too low fires on the just-below one)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

pytestmark = pytest.mark.integration

PROMTOOL = "/usr/bin/promtool"
QUALITY = "slo-quality-gate-pass"


@pytest.fixture
def built(example_project: Path, obsgen: RunObsgen) -> Path:
    done = obsgen("build", cwd=example_project)
    assert done.exit_code == 0, done.describe()
    return example_project / "build" / "prometheus"


def promtool_test(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PROMTOOL, "test", "rules", path.name], cwd=path.parent,
                          capture_output=True, text=True, timeout=600, check=False)


def failed_tests(output: str) -> set[str]:
    return {line.strip().removeprefix("name: ").rstrip(",") for line in output.splitlines()
            if line.strip().startswith("name: ")}


@pytest.mark.parametrize("group", [QUALITY, f"{QUALITY}-ticket", "slo-workflow-stage-latency",
                                   "slo-workflow-stage-latency-ticket"])
def test_generated_slo_tests_pass(built: Path, group: str) -> None:
    tests = built / "tests" / f"{group}.test.yml"
    text = tests.read_text(encoding="utf-8")
    assert text.count("burning just above") == 2 and text.count("burning just below") == 2
    done = promtool_test(tests)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


@pytest.mark.parametrize(("factor", "wrong", "fails"), [
    ("14.4", "17.28", "just above 14.4x fires"),
    ("14.4", "11.52", "just below 14.4x stays silent"),
])
def test_a_wrong_threshold_fails_the_generated_tests(built: Path, factor: str, wrong: str,
                                                     fails: str) -> None:
    rules = built / f"{QUALITY}.rules.yml"
    text = rules.read_text(encoding="utf-8")
    assert text.count(f"({factor} * 0.05)") == 2
    rules.write_text(text.replace(f"({factor} * 0.05)", f"({wrong} * 0.05)"), encoding="utf-8")
    done = promtool_test(built / "tests" / f"{QUALITY}.test.yml")
    assert done.returncode == 1, done.stdout + done.stderr
    failed = failed_tests(done.stdout + done.stderr)
    # Only the 14.4x condition's tests notice (a lower factor also fires before 90% of the
    # just-above incident's detection time, which that test checks as well).
    assert any(fails in name for name in failed), failed
    assert all(f"{factor}x" in name for name in failed), failed
