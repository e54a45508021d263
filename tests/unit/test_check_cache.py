"""`obsgen check` and `obsgen build` with `.obsgen-cache/` give what they give without it.

Per-artifact results (resultcache.py), kept bytecode (bytecode.py) and the whole-run records
(cache.py) may only ever save work: after any sequence of edits, a cached run's artifacts and
findings are the cold run's (OBSGEN_NO_CACHE=1), file by file.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.build import compile_project
from obsgen.check.project import check_project
from obsgen.check.rules import promtool
from obsgen.config import load_config
from obsgen.resultcache import ResultCache

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

COLD = {"OBSGEN_NO_CACHE": "1"}
DASHBOARD = "definitions/dashboards/persona_overview.py"

SMALL = '''\
import os

from obsgen import AlertRule, Counter, ExpectAlert, Label, RecordingRule, RuleGroup, RuleTest
from obsgen import Runbook, Series, rate

REQUESTS = Counter("app_requests_total", help="Requests served.",
                   labels=[Label("code", values=("ok", "error"))])
RATE = RecordingRule("app:requests:rate5m", expr=rate(REQUESTS, "5m").sum(),
                     labels={"team": os.environ.get("OBSGEN_TEST_TEAM", "core")})
ERRORS = AlertRule("AppErrors", expr=rate(REQUESTS.where(code="error"), "5m").sum() > THRESHOLD,
                   for_="5m", severity="warning", summary="Errors", description="Errors.")
GROUP = RuleGroup("app", interval="1m", rules=[RATE, ERRORS])
BOOK = Runbook(ERRORS, description="Errors are served.")
FIRES = RuleTest("errors fire", series=[Series(REQUESTS.where(code="error"), "0+600x20")],
                 expect=[ExpectAlert(ERRORS, at="10m", firing=[{}])])
'''


def small_project(root: Path, threshold: str = "1") -> Path:
    (root / "definitions").mkdir(parents=True)
    (root / "obsgen.toml").write_text('definitions = "definitions"\nbuild = "build"\n'
                                      'runbook_base_url = "https://runbooks.example.org/"\n'
                                      'rule_test_coverage = "off"\n')
    (root / "definitions" / "app.py").write_text(SMALL.replace("THRESHOLD", threshold))
    return root


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def findings(result: Result) -> list[object]:
    return sorted(json.dumps(d, sort_keys=True) for d in json.loads(result.stdout))


def both(obsgen: RunObsgen, project: Path, twin: Path, *args: str) -> tuple[Result, Result]:
    """The same command on `project` (cache on) and on its copy `twin` (cache off)."""
    cached = obsgen(*args, "--output-format", "json", cwd=project)
    cold = obsgen(*args, "--output-format", "json", cwd=twin, env=COLD)
    return cached, cold


def same(cached: Result, cold: Result, project: Path, twin: Path) -> None:
    assert cached.exit_code == cold.exit_code, (cached.describe(), cold.describe())
    assert findings(cached) == findings(cold)
    assert files(project / "build") == files(twin / "build")


def edit(project: Path, twin: Path, rel: str, old: str, new: str) -> None:
    for root in (project, twin):
        path = root / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))


def test_cached_checks_equal_cold_ones_through_edits_of_the_example(
        obsgen: RunObsgen, example_project: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin" / example_project.name  # a project's identity is its folder's name
    shutil.copytree(example_project, twin)
    steps = [("definitions/alerts.py", 'for_="1m"', 'for_="2m"'),  # one rule
             (DASHBOARD, 'title="', 'title="Edited '),  # one panel
             ("definitions/runbooks.py", 'quick_fix=(\n', 'quick_fix=(\n        "Edited. "\n')]
    same(*both(obsgen, example_project, twin, "check"), example_project, twin)
    for rel, old, new in steps:
        edit(example_project, twin, rel, old, new)
        same(*both(obsgen, example_project, twin, "check"), example_project, twin)
    again = obsgen("check", cwd=example_project)  # nothing changed: the record answers
    assert "nothing checked again" in again.output, again.describe()


def test_cached_checks_equal_cold_ones_on_a_failing_and_fixed_project(
        obsgen: RunObsgen, tmp_path: Path) -> None:
    project, twin = small_project(tmp_path / "a" / "p"), small_project(tmp_path / "b" / "p")
    same(*both(obsgen, project, twin, "check"), project, twin)
    # The test no longer holds (the alert cannot fire at 1e9): a promtool failure, kept or not.
    edit(project, twin, "definitions/app.py", "> 1,", "> 1e9,")
    cached, cold = both(obsgen, project, twin, "check")
    assert cached.exit_code == 1 and "OBS304" in cached.stdout, cached.describe()
    same(cached, cold, project, twin)
    cached, cold = both(obsgen, project, twin, "check")  # a failed check is not recorded
    assert "nothing checked again" not in cached.output
    same(cached, cold, project, twin)
    edit(project, twin, "definitions/app.py", "> 1e9,", "> 1,")
    same(*both(obsgen, project, twin, "check"), project, twin)


def test_an_environment_variable_a_definition_read_is_part_of_the_record(
        obsgen: RunObsgen, tmp_path: Path) -> None:
    project = small_project(tmp_path / "p")
    rules = project / "build" / "prometheus" / "app.rules.yml"
    assert obsgen("build", cwd=project, env={"OBSGEN_TEST_TEAM": "red"}).exit_code == 0
    assert "team: red" in rules.read_text()
    same_env = obsgen("build", cwd=project, env={"OBSGEN_TEST_TEAM": "red"})
    assert "nothing rebuilt" in same_env.output, same_env.describe()
    changed = obsgen("build", cwd=project, env={"OBSGEN_TEST_TEAM": "blue"})
    assert "nothing rebuilt" not in changed.output, changed.describe()
    assert "team: blue" in rules.read_text()


def test_a_file_a_definition_read_is_part_of_the_record(obsgen: RunObsgen,
                                                        tmp_path: Path) -> None:
    project = small_project(tmp_path / "p")
    team = tmp_path / "team.txt"
    team.write_text("red")
    app = project / "definitions" / "app.py"
    app.write_text(app.read_text().replace(
        'os.environ.get("OBSGEN_TEST_TEAM", "core")', f"open({str(team)!r}).read()"))
    rules = project / "build" / "prometheus" / "app.rules.yml"
    assert obsgen("build", cwd=project).exit_code == 0 and "team: red" in rules.read_text()
    team.write_text("blue")
    changed = obsgen("build", cwd=project)
    assert "nothing rebuilt" not in changed.output, changed.describe()
    assert "team: blue" in rules.read_text()


def test_kept_bytecode_is_never_used_for_another_source(obsgen: RunObsgen,
                                                         tmp_path: Path) -> None:
    """An edit that keeps the file's size and modification time (what timestamp-based .pyc
    files check) still takes effect."""
    project = small_project(tmp_path / "p", threshold="3")
    app = project / "definitions" / "app.py"
    stamp = app.stat()
    assert obsgen("build", cwd=project).exit_code == 0
    assert list((project / ".obsgen-cache" / "bytecode").glob("*.pyc"))
    app.write_text(app.read_text().replace("> 3,", "> 4,"))
    os.utime(app, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert obsgen("build", cwd=project).exit_code == 0
    assert "> 4" in (project / "build" / "prometheus" / "app.rules.yml").read_text()
    assert not list((project / "definitions").rglob("__pycache__"))


@pytest.fixture
def tool() -> promtool.Promtool:
    return promtool.find_promtool()


def test_one_rule_edit_runs_promtool_on_that_rule_file_and_its_tests_only(
        tmp_path: Path, tool: promtool.Promtool) -> None:
    project = small_project(tmp_path / "p")
    other = (project / "definitions" / "app.py").read_text().replace("app_requests_total",
                                                                     "app_jobs_total")
    for old, new in (('"AppErrors"', '"JobErrors"'), ('"app:requests', '"app:jobs'),
                     ('"errors fire"', '"job errors fire"'), ('RuleGroup("app"',
                                                              'RuleGroup("jobs"')):
        other = other.replace(old, new)
    (project / "definitions" / "jobs.py").write_text(other)
    config = load_config(project)
    memo = ResultCache(tmp_path / "cache", "salt")

    def check() -> int:
        compiled = compile_project(config, memo=memo)
        assert compiled.ok and compiled.project is not None, compiled.diagnostics
        staged = tmp_path / "staged"
        shutil.rmtree(staged, ignore_errors=True)
        for rel, text in compiled.artifacts.items():
            (staged / rel).parent.mkdir(parents=True, exist_ok=True)
            (staged / rel).write_text(text)
        found, stats = check_project(compiled.project, staged, compiled.artifacts, tool,
                                     memo=memo)
        assert stats.test_cases == 2 and stats.failed_cases == 0, found
        return stats.promtool_runs

    assert check() == 3  # check rules (both files at once), then each test file
    assert check() == 0  # every answer kept
    app = project / "definitions" / "app.py"
    app.write_text(app.read_text().replace("> 1,", "> 2,"))
    assert check() == 2  # check rules on app.rules.yml, and app's test file


def test_damaged_kept_results_are_worked_out_again(obsgen: RunObsgen, tmp_path: Path) -> None:
    """Every kept entry overwritten with junk (truncated JSON, a wrong shape): the next check
    finds what a cold one finds, and keeps sound entries again."""
    project, twin = small_project(tmp_path / "a" / "p"), small_project(tmp_path / "b" / "p")
    assert obsgen("check", cwd=project).exit_code == 0
    kept = sorted((project / ".obsgen-cache" / "results").rglob("*.json"))
    assert {p.parent.name for p in kept} >= {"markdown", "promtool-check", "promtool-test",
                                             "rule-schema", "runbook-annotations"}
    for number, path in enumerate(kept):
        path.write_text('{"v": [[1, 2]]}' if number % 2 else '{"v": ')
    (project / ".obsgen-cache" / "check.json").unlink()  # or the record answers at once
    cached, cold = both(obsgen, project, twin, "check")  # the same inputs: every entry is read
    assert cached.exit_code == 0, cached.describe()
    same(cached, cold, project, twin)
    assert all(json.loads(p.read_text()) for p in (project / ".obsgen-cache" / "results")
               .rglob("*.json"))


def test_a_check_record_is_not_used_once_an_alloy_binary_appears(obsgen: RunObsgen,
                                                                  tmp_path: Path) -> None:
    """`obsgen check` runs `alloy fmt`/`alloy validate` when it finds a binary: finding one
    since the last check is a change of what a check does."""
    project = small_project(tmp_path / "p")
    assert obsgen("check", cwd=project).exit_code == 0
    again = obsgen("check", cwd=project)
    assert "nothing checked again" in again.output, again.describe()
    binary = shutil.which("true")
    assert binary is not None
    with_alloy = obsgen("check", cwd=project, env={"ALLOY": binary})
    assert "nothing checked again" not in with_alloy.output, with_alloy.describe()
