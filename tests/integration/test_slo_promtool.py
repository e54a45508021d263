"""The example's SLOs through the real promtool: their generated rule tests pass, and they
notice a burn-rate threshold that is off (a factor a fifth too high lets the just-above
incident pass silently; a fifth too low fires on the just-below one)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.check.foreign import ForeignFile
from obsgen.importers import openslo, sloth
from obsgen.importers.contract import ImportEnv

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

pytestmark = pytest.mark.integration

PROMTOOL = "/usr/bin/promtool"
QUALITY = "slo-quality-gate-pass"
SPECS = Path(__file__).resolve().parents[1] / "fixtures" / "slo"
CHECKOUT_METRICS = """\
from obsgen import Counter, Histogram, Label

REQUESTS = Counter("checkout_requests_total", help="Checkout requests, by status code.",
                   labels=[Label("code")])
PAYMENT = Histogram("checkout_payment_duration_seconds", help="Payment call duration.",
                    unit="seconds", buckets=[0.1, 0.25, 0.5, 1, 2.5])
"""


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "definitions").mkdir(parents=True)
    (root / "obsgen.toml").write_text('definitions = "definitions"\nbuild = "build"\n')
    (root / "definitions" / "metrics.py").write_text(CHECKOUT_METRICS)
    for module, path, name in ((sloth, SPECS / "sloth" / "checkout.yml", "slos_sloth"),
                               (openslo, SPECS / "openslo" / "checkout.yaml", "slos_open")):
        spec = ForeignFile(str(path), path.read_text(encoding="utf-8"), "rules")
        text = module.write(spec, ImportEnv(), name).modules[0].source
        (root / "definitions" / f"{name}.py").write_text(text)
    return root


def test_imported_specs_check_clean_of_errors(imported: Path, obsgen: RunObsgen) -> None:
    done = obsgen("check", cwd=imported)
    assert done.exit_code == 0, done.describe()
    assert "promtool test rules: 24 of 24 cases passed" in done.output, done.output


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
