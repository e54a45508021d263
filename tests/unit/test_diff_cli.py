"""`obsgen diff` through the real CLI on a small project committed to a throw-away git
repository: golden outputs (markdown and json) for a rule change, a panel change and a runbook
change, checked by hand against the edit that made each; --exit-code; --against DIR; and that
build/ is never touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import RunObsgen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}

# Each edit: (definitions file, text before, text after).
EDITS = {
    "rule-change": [
        ("alerts.py", "    > 0.05,", "    > 0.02,"),
        ("alerts.py", 'for_="10m"', 'for_="15m"'),
        ("alerts.py", '    severity="warning",\n    category="availability",\n'
                      '    summary="Route',
         '    severity="critical",\n    category="availability",\n    summary="Route'),
    ],
    "panel-change": [
        ("dashboards.py", 'rate(REQUESTS.where(route=ROUTE)).sum(by="status"),\n'
                          '                    legendFormat="{{status}}")],\n    unit="reqps",',
         'rate(REQUESTS.where(route=ROUTE)).sum(by=("route", "status")),\n'
         '                    legendFormat="{{route}} {{status}}")],\n    unit="ops",'),
    ],
    "runbook-change": [
        ("runbooks.py", 'quick_fix="Restart the application and watch `up` return to 1.",',
         'quick_fix="Restart the application with `systemctl restart my-app` and watch `up` "\n'
         '              "return to 1.",'),
        ("runbooks.py", 'command="curl -sS localhost:8080/metrics | head"),\n',
         'command="curl -sS localhost:8080/metrics | head"),\n'
         '        Step("Is the service running?", command="systemctl status my-app"),\n'),
    ],
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV},
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def committed(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "project", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def edit(root: Path, name: str) -> None:
    for file, old, new in EDITS[name]:
        path = root / "definitions" / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} not once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("fmt,suffix", [("markdown", "md"), ("json", "json")])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_golden(committed: Path, obsgen: RunObsgen, name: str, fmt: str, suffix: str) -> None:
    edit(committed, name)
    result = obsgen("diff", "--output-format", fmt, cwd=committed)
    assert result.exit_code == 0, result.describe()
    shown = result.stdout.replace(git(committed, "rev-parse", "--short=7", "HEAD"), "COMMIT")
    expected = (FIXTURES / "golden" / f"{name}.{suffix}").read_text(encoding="utf-8")
    assert shown == expected
    if fmt == "json":
        assert json.loads(shown)["changed"] is True


def test_no_change_and_exit_code(committed: Path, obsgen: RunObsgen) -> None:
    same = obsgen("diff", "--exit-code", cwd=committed)
    assert (same.exit_code, same.stdout.splitlines()[-1]) == (0, "No change to the artifacts.")
    edit(committed, "panel-change")
    assert obsgen("diff", cwd=committed).exit_code == 0
    assert obsgen("diff", "--exit-code", cwd=committed).exit_code == 1


def test_against_an_older_commit_and_a_folder(committed: Path, obsgen: RunObsgen,
                                              tmp_path: Path) -> None:
    built = obsgen("build", cwd=committed, env={"OBSGEN_NO_CACHE": "1"})
    assert built.exit_code == 0, built.describe()
    shutil.copytree(committed / "build", tmp_path / "old" / "build")
    edit(committed, "rule-change")
    git(committed, "commit", "-q", "-am", "stricter")
    # HEAD has the change: nothing differs from it, everything from the commit before.
    assert obsgen("diff", "--exit-code", cwd=committed).exit_code == 0
    for against in ("HEAD~1", str(tmp_path / "old"), str(tmp_path / "old" / "build")):
        result = obsgen("diff", "--against", against, "--output-format", "json", cwd=committed)
        changes = json.loads(result.stdout)["changes"]
        assert [(c["kind"], c["name"]) for c in changes if c["area"] == "rules"] == [
            ("alert", "HighErrorRate")], result.describe()


def test_build_folder_untouched(committed: Path, obsgen: RunObsgen) -> None:
    edit(committed, "rule-change")
    assert obsgen("diff", cwd=committed).exit_code == 0
    assert not (committed / "build").exists()


def test_unknown_ref_is_a_usage_error(committed: Path, obsgen: RunObsgen) -> None:
    result = obsgen("diff", "--against", "no-such-branch", cwd=committed)
    assert result.exit_code == 2
    assert "no such folder or git commit" in result.output


def test_definitions_that_do_not_build_at_the_ref_fall_back_to_its_build(
        committed: Path, obsgen: RunObsgen) -> None:
    assert obsgen("build", cwd=committed, env={"OBSGEN_NO_CACHE": "1"}).exit_code == 0
    alerts = committed / "definitions" / "alerts.py"
    good = alerts.read_text(encoding="utf-8")
    alerts.write_text(good + "\nBROKEN = (\n", encoding="utf-8")
    git(committed, "add", "-A")
    git(committed, "commit", "-q", "-m", "broken, with a build")
    alerts.write_text(good, encoding="utf-8")
    edit(committed, "rule-change")
    result = obsgen("diff", "--output-format", "json", cwd=committed)
    document = json.loads(result.stdout)
    assert any("do not build" in note for note in document["notes"]), result.describe()
    assert ("rules", "HighErrorRate") in [(c["area"], c["name"]) for c in document["changes"]]
