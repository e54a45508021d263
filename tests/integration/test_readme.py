"""Every code block of README.md is run here, so its code and the output it shows cannot drift
from what obsgen does. `test_every_block_is_run` fails on a block no test claims."""

from __future__ import annotations

import ast
import json
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from conftest import REPO, RunObsgen
from readme_blocks import blocks, in_section, without_gutter_numbers

TOUR = ("1. Add a metric", "2. Add an alert", "3. Write its runbook", "4. Test it",
        "5. Build and check")


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")


def _python(section: str) -> str:
    (block,) = (b for b in in_section(section) if b.lang == "python")
    return block.text


def _plain(section: str) -> list[str]:
    return [b.text for b in in_section(section) if b.lang == ""]


def _tour_project(project: Path) -> None:
    """The example project with the tour's metric, alert, test and runbook added where the
    README says they go."""
    definitions = project / "definitions"
    _append(definitions / "metrics.py", _python(TOUR[0]))
    alert = _python(TOUR[1]).replace("from obsgen import", "from .metrics import CACHE_LOOKUPS\n"
                                     "from obsgen import", 1)
    _append(definitions / "alerts.py", alert)
    names = "from .alerts import CACHE_MISSING\nfrom .metrics import CACHE_LOOKUPS\n"
    _append(definitions / "runbooks.py", names + _python(TOUR[2]))
    _append(definitions / "alert_tests.py", names + _python(TOUR[3]))


def test_tour_builds_and_checks_with_the_output_it_shows(example_project: Path,
                                                         obsgen: RunObsgen) -> None:
    _tour_project(example_project)
    result = obsgen("check", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    (shown,) = _plain(TOUR[4])
    # A fresh copy has no build/ yet, so every file is new; the README shows a rebuild.
    assert re.sub(r"\(\d+ changed\)", "", result.output) == re.sub(r"\(\d+ changed\)", "", shown)


def test_tour_typo_stops_the_build_as_shown(example_project: Path, obsgen: RunObsgen) -> None:
    _tour_project(example_project)
    alerts = example_project / "definitions" / "alerts.py"
    text = alerts.read_text(encoding="utf-8")
    alerts.write_text(text.replace('outcome="miss"', 'outcome="missed"'), encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 1, result.describe()
    (shown,) = _plain(TOUR[1])
    assert without_gutter_numbers(result.output) == without_gutter_numbers(shown)


# Sections whose every block a test above runs (each test unpacks the blocks it expects, so a
# block added to one of these sections fails that test until it is run too).
RUN = {*TOUR, "Write a dashboard", "Runbooks and the docs site", "Project configuration",
       "Lint your existing dashboards and rules", "The CLI", "Instrument your app from the catalog",
       "Adopt an existing setup", "Service level objectives"}


def test_every_block_is_run() -> None:
    claimed = {b.key for b in blocks() if b.section in RUN or b.lang == "sh"}
    unclaimed = [f"README.md:{b.line} under {b.section!r}" for b in blocks()
                 if b.key not in claimed]
    assert not unclaimed, "README code blocks no test runs:\n" + "\n".join(unclaimed)



# --- Write a dashboard ---------------------------------------------------------------------

DASHBOARD = "Write a dashboard"


def _dashboard_project(project: Path) -> Path:
    (block,) = (b for b in in_section(DASHBOARD) if b.lang == "python")
    first, _, _ = block.text.partition("\n")
    target = project / first.removeprefix("# ").strip()
    target.write_text(block.text, encoding="utf-8")
    return target


def test_dashboard_example_builds_where_it_says(example_project: Path,
                                                obsgen: RunObsgen) -> None:
    _dashboard_project(example_project)
    result = obsgen("check", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    written = example_project / "build/grafana/hypertool/hypertool-quality-gates.json"
    dashboard = json.loads(written.read_text(encoding="utf-8"))
    assert dashboard["schemaVersion"] == 42
    assert "datasource" in [v["name"] for v in dashboard["templating"]["list"]]


def test_dashboard_typo_stops_the_build_as_shown(example_project: Path,
                                                 obsgen: RunObsgen) -> None:
    target = _dashboard_project(example_project)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('result="failed")', 'result="fail")'), encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 1, result.describe()
    (shown,) = _plain(DASHBOARD)
    assert result.stdout == shown + "\n", result.describe()


# --- Runbooks ------------------------------------------------------------------------------

def _without_assignment(source: str, predicate: Callable[[ast.Assign], bool]) -> str:
    lines = source.splitlines(keepends=True)
    (node,) = (n for n in ast.parse(source).body if isinstance(n, ast.Assign) and predicate(n))
    assert node.end_lineno is not None
    return "".join(lines[:node.lineno - 1] + lines[node.end_lineno:])


def _runbook_of(alert: str) -> Callable[[ast.Assign], bool]:
    def matches(node: ast.Assign) -> bool:
        call = node.value
        return (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "Runbook" and bool(call.args)
                and isinstance(call.args[0], ast.Name) and call.args[0].id == alert)
    return matches


def test_runbook_example_replaces_the_example_projects_own(example_project: Path,
                                                           obsgen: RunObsgen) -> None:
    (block,) = (b for b in in_section("Runbooks and the docs site") if b.lang == "python")
    runbooks = example_project / "definitions" / "runbooks.py"
    source = _without_assignment(runbooks.read_text(encoding="utf-8"),
                                 _runbook_of("TOKEN_BUDGET_EXCEEDED"))
    runbooks.write_text(source + "\n\n" + block.text, encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    page = (example_project / "build/runbooks/persona.md").read_text(encoding="utf-8")
    assert "A runaway agent loop" in page and "journalctl -u hypertool" in page


# --- Project configuration and pre-commit ---------------------------------------------------

def test_configuration_example_is_a_working_pyproject(example_project: Path,
                                                      obsgen: RunObsgen) -> None:
    (block,) = in_section("Project configuration")
    assert block.lang == "toml"
    settings = tomllib.loads(block.text)["tool"]["obsgen"]
    (example_project / "obsgen.toml").unlink()
    (example_project / "pyproject.toml").write_text(block.text, encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    rules = (example_project / settings["build"] / "prometheus/persona.rules.yml").read_text()
    assert settings["runbook_base_url"] + "persona/#" in rules
    assert f"for project {settings['project']} " in rules


def test_pre_commit_example_names_the_repositorys_hooks() -> None:
    (block,) = (b for b in in_section("Lint your existing dashboards and rules")
                if b.lang == "yaml")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (entry,) = yaml.safe_load(block.text)
    assert {h["id"] for h in entry["hooks"]} <= {h["id"] for h in hooks}


# --- Shell commands --------------------------------------------------------------------------

# Commands of other tools the README shows for context: they need a server, a cloud account or
# an Alloy binary, so the test checks the files and targets they name instead of running them.
OTHER_TOOLS = ("export", "alloy", "curl", "rsync", "aws", "npx", "OBSGEN_TEST_GRAFANA_URL",
               "OBSGEN_TEST_GRAFANA_VIEWER_TOKEN", ".venv/bin/pytest")


def _commands(text: str) -> Iterator[str]:
    joined = re.sub(r"\\\n\s*", " ", text)
    for line in joined.splitlines():
        command = line.split(" #")[0].strip()
        if command and not command.startswith("#"):
            yield command


def _make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))


def _check_obsgen_command(words: list[str], obsgen: RunObsgen, cwd: Path) -> None:
    """The subcommand exists and takes every option the README gives it."""
    subcommand = [w for w in words if not w.startswith("-")][:2]
    group = obsgen(subcommand[0], "--help", cwd=cwd)
    assert group.exit_code == 0, group.describe()
    result = obsgen(*subcommand, "--help", cwd=cwd) if subcommand[0] == "deploy" else group
    assert result.exit_code == 0, result.describe()
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in result.stdout, (words, word, result.stdout)


def test_every_shell_command_names_a_real_target_command_or_file(example_project: Path,
                                                                 obsgen: RunObsgen) -> None:
    targets = _make_targets()
    for block in (b for b in blocks() if b.lang == "sh"):
        for command in _commands(block.text):
            words = command.split()
            first = words[0]
            if first == "make":
                assert {w for w in words[1:] if "=" not in w} <= targets, command
            elif first in ("obsgen", ".venv/bin/obsgen"):
                _check_obsgen_command(words[1:], obsgen, example_project)
            else:
                assert first.split("=")[0] in OTHER_TOOLS, (block.line, command)
                for word in words[1:]:
                    if word.startswith(("tests/", "build/alloy")):
                        assert (REPO / word).exists(), (block.line, word)


def test_the_cli_summary_lists_real_commands_and_options(example_project: Path,
                                                         obsgen: RunObsgen) -> None:
    (block,) = (b for b in in_section("The CLI") if b.lang == "")
    for line in block.text.splitlines():
        command, options = line.split()[1], re.findall(r"--[a-z-]+", line)
        result = obsgen(command, "--help", cwd=example_project)
        assert result.exit_code == 0, (line, result.describe())
        for option in options:
            assert option in result.stdout, (line, option)


# --- Lint --------------------------------------------------------------------------------------

LINT = "Lint your existing dashboards and rules"
LINT_FIXTURE = REPO / "tests/fixtures/readme/lint"  # the files the README's lint run reads


def test_lint_example_prints_what_the_readme_shows(tmp_path: Path, obsgen: RunObsgen) -> None:
    shutil.copytree(LINT_FIXTURE, tmp_path / "app")
    (commands,) = (b for b in in_section(LINT) if b.lang == "sh")
    (command,) = (c for c in _commands(commands.text) if c.startswith("obsgen lint"))
    result = obsgen(*command.split()[1:], cwd=tmp_path / "app")
    (shown,) = _plain(LINT)
    assert result.stdout == shown + "\n", result.describe()
    assert result.exit_code == 1


# --- Instrumentation ---------------------------------------------------------------------------

INSTRUMENT = "Instrument your app from the catalog"


def test_instrumentation_example_serves_its_sample(example_project: Path, obsgen: RunObsgen,
                                                   tmp_path: Path) -> None:
    config = example_project / "obsgen.toml"  # the module is named after the project
    config.write_text('project = "hypertool"\n' + config.read_text(encoding="utf-8"))
    built = obsgen("build", cwd=example_project)
    assert built.exit_code == 0, built.describe()
    (block,) = in_section(INSTRUMENT)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    program = block.text.replace("start_http_server(9464)",
                                 f"start_http_server({port}, addr='127.0.0.1')")
    assert program != block.text
    program += ("import urllib.request\n"
                f"print(urllib.request.urlopen('http://127.0.0.1:{port}/metrics').read()"
                ".decode())\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          cwd=example_project / "build/python", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert ('hypertool_workflow_quality_gate_total{result="passed",stage="review",'
            'workflow="feature-delivery"} 1.0') in done.stdout


# --- Import --------------------------------------------------------------------------------

ADOPT = "Adopt an existing setup"


def test_adoption_example_imports_builds_and_writes_what_the_readme_shows(
        tmp_path: Path, obsgen: RunObsgen) -> None:
    shutil.copytree(LINT_FIXTURE, tmp_path / "app")
    (commands,) = (b for b in in_section(ADOPT) if b.lang == "sh")
    imported_shown, built_shown = _plain(ADOPT)
    (written,) = (b.text for b in in_section(ADOPT) if b.lang == "python")
    importing, building = (c.split()[1:] for c in _commands(commands.text))
    imported = obsgen(*importing, cwd=tmp_path / "app")
    assert imported.exit_code == 0, imported.describe()
    assert imported.output == imported_shown
    built = obsgen(*building, cwd=tmp_path / "app")
    assert built.exit_code == 1
    assert built.stdout == built_shown + "\n", built.describe()
    rules = tmp_path / "app/platform/definitions/rules/app.py"
    assert rules.read_text(encoding="utf-8") == written


# --- SLOs ----------------------------------------------------------------------------------

SLOS = "Service level objectives"


def test_slo_example_is_the_example_projects_own(example_project: Path) -> None:
    (block,) = (b for b in in_section(SLOS) if b.lang == "python")
    own = (example_project / "definitions/slos.py").read_text(encoding="utf-8")
    assert block.text in own


def test_slo_rules_shown_are_the_ones_built(example_project: Path, obsgen: RunObsgen) -> None:
    built = obsgen("build", cwd=example_project)
    assert built.exit_code == 0, built.describe()
    (block,) = (b for b in in_section(SLOS) if b.lang == "yaml")
    written = yaml.safe_load((example_project / "build/prometheus/"
                              "slo-workflow-stage-latency.rules.yml").read_text(encoding="utf-8"))
    rules = {r.get("record", r.get("alert")): r for r in written["groups"][0]["rules"]}
    for shown in yaml.safe_load(block.text):
        rule = rules[shown.get("record", shown.get("alert"))]
        assert {k: rule[k] for k in shown} == shown
