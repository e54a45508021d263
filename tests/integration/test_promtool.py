"""obsgen.check.rules.promtool (and obsgen.check.project on top of it) against the real promtool
binary of Debian's prometheus 2.42 package; promtool's output is captured here, never pasted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from obsgen.build import Compiled, compile_project, write_atomically
from obsgen.check.project import check_project
from obsgen.check.rules import promtool as pt
from obsgen.check.rules.promtool import (
    Promtool,
    check_rules,
    find_promtool,
    parse_check_output,
    parse_test_output,
    version_warning,
)
from obsgen.config import load_config
from obsgen.diagnostics import UsageError
from obsgen.emit import prometheus as emit
from obsgen.model.project import Project

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEBIAN_PROMTOOL = "/usr/bin/promtool"

BAD_EXPR = "sum(rate(hypertool_persona_switches_total[5m]) by"
BROKEN_RULES = f"""\
groups:
- name: first-group
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
- name: second-group
  interval: 1m
  rules:
  - alert: FineAlert
    expr: up == 0
  - alert: BrokenAlert
    expr: {BAD_EXPR}
    for: 5m
"""


@pytest.fixture(scope="module")
def tool() -> Promtool:
    return find_promtool()


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Compiled, Path]:
    """The example project compiled with the Python API into a temp build folder."""
    compiled = compile_project(load_config(PROJECT_ROOT))
    assert compiled.ok, [str(d) for d in compiled.diagnostics]
    build_dir = tmp_path_factory.mktemp("seed") / "build"
    write_atomically(build_dir, compiled.artifacts)
    return compiled, build_dir


def _project(compiled: Compiled) -> Project:
    assert compiled.project is not None
    return compiled.project


def _run_promtool(tool: Promtool, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool.path, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=False)


def _copy_build(build_dir: Path, to: Path) -> Path:
    shutil.copytree(build_dir, to)
    return to


def _mutate_one_expected_label(test_file: Path) -> tuple[str, str]:
    """Change one expected label value of the first test case that expects a firing alert;
    returns (that test's name, the new value)."""
    data: dict[str, Any] = yaml.safe_load(test_file.read_text(encoding="utf-8"))
    for case in data["tests"]:
        for alert_test in case.get("alert_rule_test", []):
            for alert in alert_test.get("exp_alerts") or []:
                labels = alert.get("exp_labels") or {}
                if labels:
                    key = sorted(labels)[0]
                    labels[key] = f"{labels[key]}-mutated"
                    test_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
                    return case["name"], labels[key]
    raise AssertionError(f"{test_file} has no test case with an expected alert label")


def _mutable_group(project: Project, build_dir: Path) -> str:
    """The tests_path of the first group whose generated test file expects a labelled alert."""
    for group in project.groups:
        rel = emit.tests_path(group)
        path = build_dir / rel
        if path.is_file() and "exp_labels" in path.read_text(encoding="utf-8"):
            return rel
    raise AssertionError("no generated test file expects a labelled alert")


def _mutated_copy(seed: tuple[Compiled, Path], to: Path) -> tuple[Path, str, str, str]:
    """A copy of the seed build with one expected label changed in one test file:
    (copy, that file relative to it, the mutated test's name, the new label value)."""
    compiled, build_dir = seed
    copy = _copy_build(build_dir, to)
    rel = _mutable_group(_project(compiled), copy)
    name, value = _mutate_one_expected_label(copy / rel)
    return copy, rel, name, value


# --- find_promtool ----------------------------------------------------------------------------

def test_find_promtool_finds_debian_binary_and_version() -> None:
    tool = find_promtool({"PATH": str(Path(DEBIAN_PROMTOOL).parent)})
    assert tool.path == DEBIAN_PROMTOOL
    assert tool.version[:2] == (2, 42)
    assert version_warning(tool) is None


def test_find_promtool_with_the_process_environment(tool: Promtool) -> None:
    assert Path(tool.path).is_file()
    assert tool.version[:2] == (2, 42)
    assert len(tool.version) == 3
    assert all(isinstance(part, int) for part in tool.version)


def test_find_promtool_honours_promtool_variable() -> None:
    tool = find_promtool({"PROMTOOL": DEBIAN_PROMTOOL, "PATH": ""})
    assert tool.path == DEBIAN_PROMTOOL
    assert tool.version[:2] == (2, 42)


def test_find_promtool_missing_variable_target_is_obs301() -> None:
    with pytest.raises(UsageError) as caught:
        find_promtool({"PROMTOOL": "/nonexistent", "PATH": ""})
    assert caught.value.diagnostic.code == "OBS301"
    assert "/nonexistent" in caught.value.diagnostic.message


def test_find_promtool_not_on_path_is_obs301(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        find_promtool({"PATH": str(tmp_path)})
    assert caught.value.diagnostic.code == "OBS301"
    assert "PATH" in caught.value.diagnostic.message


def test_find_promtool_rejects_a_binary_that_is_not_promtool() -> None:
    # An existing executable whose --version output has no "version X.Y.Z".
    with pytest.raises(UsageError) as caught:
        find_promtool({"PROMTOOL": "/bin/true", "PATH": ""})
    assert caught.value.diagnostic.code == "OBS301"


# --- check rules ------------------------------------------------------------------------------

def test_check_rules_reports_group_rule_and_position_of_a_broken_expression(
        tool: Promtool, tmp_path: Path) -> None:
    (tmp_path / "broken.rules.yml").write_text(BROKEN_RULES, encoding="utf-8")
    lines = BROKEN_RULES.splitlines()
    bad_line = next(i for i, text in enumerate(lines, 1) if BAD_EXPR in text)
    bad_column = lines[bad_line - 1].index(BAD_EXPR) + 1

    findings = check_rules(tool, ["broken.rules.yml"], tmp_path)

    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.file == "broken.rules.yml"
    assert finding.group == "second-group"
    assert finding.rule_index == 2
    assert (finding.line, finding.column) == (bad_line, bad_column)
    assert "parse error" in finding.message
    # ... and line/column are exactly what promtool printed.
    raw = _run_promtool(tool, ["check", "rules", "broken.rules.yml"], tmp_path)
    assert raw.returncode != 0
    printed = raw.stdout + raw.stderr
    assert (f'broken.rules.yml: {finding.line}:{finding.column}: group "second-group", '
            f'rule 2, "BrokenAlert": {finding.message}') in printed


def test_parse_check_output_on_captured_output(tool: Promtool, tmp_path: Path) -> None:
    (tmp_path / "broken.rules.yml").write_text(BROKEN_RULES, encoding="utf-8")
    raw = _run_promtool(tool, ["check", "rules", "broken.rules.yml"], tmp_path)
    parsed = parse_check_output(raw.stderr + raw.stdout)
    assert parsed == check_rules(tool, ["broken.rules.yml"], tmp_path)
    assert [(f.group, f.rule_index) for f in parsed] == [("second-group", 2)]


def test_parse_check_output_on_captured_success_is_empty(
        tool: Promtool, seed: tuple[Compiled, Path]) -> None:
    compiled, build_dir = seed
    files = [emit.rules_path(g) for g in _project(compiled).groups]
    raw = _run_promtool(tool, ["check", "rules", *files], build_dir)
    assert raw.returncode == 0, raw.stdout + raw.stderr
    assert "SUCCESS" in raw.stdout + raw.stderr
    assert parse_check_output(raw.stderr + raw.stdout) == []


def test_check_rules_on_generated_seed_rules_is_clean(
        tool: Promtool, seed: tuple[Compiled, Path]) -> None:
    compiled, build_dir = seed
    files = [emit.rules_path(g) for g in _project(compiled).groups]
    assert files
    assert check_rules(tool, files, build_dir) == []


def test_check_rules_of_no_files_is_empty(tool: Promtool, tmp_path: Path) -> None:
    assert check_rules(tool, [], tmp_path) == []


# --- test rules -------------------------------------------------------------------------------

def test_test_rules_on_untouched_seed_tests_is_clean(
        tool: Promtool, seed: tuple[Compiled, Path]) -> None:
    compiled, build_dir = seed
    test_files = [emit.tests_path(g) for g in _project(compiled).groups
                  if (build_dir / emit.tests_path(g)).is_file()]
    assert test_files, "the seed project generated no promtool test files"
    for rel in test_files:
        assert pt.test_rules(tool, rel, build_dir) == [], rel


def test_test_rules_reports_the_one_mutated_test_case(
        tool: Promtool, seed: tuple[Compiled, Path], tmp_path: Path) -> None:
    copy, rel, name, value = _mutated_copy(seed, tmp_path / "build")

    failures = pt.test_rules(tool, rel, copy)

    assert len(failures) == 1, failures
    failure = failures[0]
    assert isinstance(failure, pt.RuleTestFailure)
    assert failure.file == rel
    assert failure.test_name == name
    assert value in failure.detail


def test_parse_test_output_on_captured_output(
        tool: Promtool, seed: tuple[Compiled, Path], tmp_path: Path) -> None:
    copy, rel, name, value = _mutated_copy(seed, tmp_path / "build")
    raw = _run_promtool(tool, ["test", "rules", rel], copy)
    assert raw.returncode != 0
    output = raw.stdout + raw.stderr
    assert "FAILED" in output

    parsed = parse_test_output(rel, output)

    assert [f.test_name for f in parsed] == [name]
    assert parsed[0].file == rel
    assert value in parsed[0].detail
    assert parsed == pt.test_rules(tool, rel, copy)


def test_parse_test_output_on_captured_success_is_empty(
        tool: Promtool, seed: tuple[Compiled, Path]) -> None:
    compiled, build_dir = seed
    rel = _mutable_group(_project(compiled), build_dir)
    raw = _run_promtool(tool, ["test", "rules", rel], build_dir)
    assert raw.returncode == 0, raw.stdout + raw.stderr
    assert parse_test_output(rel, raw.stdout + raw.stderr) == []


# --- check_project: the same, mapped back to the definitions ---------------------------------

def test_check_project_on_seed_build_is_clean(
        tool: Promtool, seed: tuple[Compiled, Path]) -> None:
    compiled, build_dir = seed
    project = _project(compiled)
    diagnostics, stats = check_project(project, build_dir, compiled.artifacts, tool)
    assert [str(d) for d in diagnostics] == []
    assert stats.rule_files == len(project.groups)
    assert stats.rules == sum(len(g.rules) for g in project.groups)
    assert stats.test_cases == len(project.tests)
    assert stats.failed_cases == 0


def test_check_project_maps_a_failing_test_to_its_definition(
        tool: Promtool, seed: tuple[Compiled, Path], tmp_path: Path) -> None:
    compiled, _ = seed
    project = _project(compiled)
    copy, rel, name, _ = _mutated_copy(seed, tmp_path / "build")
    artifacts = {**compiled.artifacts, rel: (copy / rel).read_text(encoding="utf-8")}

    diagnostics, stats = check_project(project, copy, artifacts, tool)

    assert stats.failed_cases == 1
    assert [d.code for d in diagnostics] == ["OBS304"], [str(d) for d in diagnostics]
    source = next(t.source for t in project.tests if t.name == name)
    assert diagnostics[0].location == source
    assert name in diagnostics[0].message



# --- output shapes beyond "FILE: LINE:COL: group, rule" ----------------------------------------

def test_every_failing_test_case_in_one_file_is_reported(
        tool: Promtool, seed: tuple[Compiled, Path], tmp_path: Path) -> None:
    compiled, build_dir = seed
    copy = _copy_build(build_dir, tmp_path / "build")
    rel = _mutable_group(_project(compiled), copy)
    data: dict[str, Any] = yaml.safe_load((copy / rel).read_text(encoding="utf-8"))
    broken = []
    for case in data["tests"]:
        for alert_test in case.get("alert_rule_test", []):
            for alert in alert_test.get("exp_alerts") or []:
                alert["exp_labels"]["severity"] = "mutated"
                broken.append(case["name"])
    assert len(set(broken)) >= 2, "the chosen file needs two tests that expect alerts"
    (copy / rel).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    failures = pt.test_rules(tool, rel, copy)

    assert sorted(f.test_name or "" for f in failures) == sorted(set(broken))


def test_check_rules_maps_template_errors_and_keeps_yaml_details(
        tool: Promtool, tmp_path: Path) -> None:
    (tmp_path / "template.yml").write_text(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations:\n"
        '      summary: "{{ .Broken"\n', encoding="utf-8")
    (tmp_path / "unknown.yml").write_text(
        "groups:\n- name: g\n  bogus_field: 1\n  rules: []\n", encoding="utf-8")

    template = check_rules(tool, ["template.yml"], tmp_path)
    unknown = check_rules(tool, ["unknown.yml"], tmp_path)

    assert [(f.group, f.rule_index) for f in template] == [("g", 1)]
    assert "template" in template[0].message
    assert len(unknown) == 1
    assert "bogus_field" in unknown[0].message, unknown


def test_prometheus_binary_is_not_taken_for_promtool() -> None:
    with pytest.raises(UsageError) as excinfo:
        find_promtool({"PROMTOOL": "/usr/bin/prometheus", "PATH": ""})
    assert excinfo.value.diagnostic.code == "OBS301"
