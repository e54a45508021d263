"""`obsgen check` on a built project: schemas, promtool check rules, promtool test rules, each
finding mapped back to the definition that produced it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from obsgen.check.dashboards.lint import lint_emitted_dashboard
from obsgen.check.rules import promtool, promtool_runs
from obsgen.check.runbooks.checks import check_emitted as check_emitted_runbooks
from obsgen.check.schemas import RULES_SCHEMA, TESTS_SCHEMA, validate_yaml
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit.grafana import dashboard_path
from obsgen.emit.prometheus import rules_path, tests_path
from obsgen.model.project import Project
from obsgen.report import display_path
from obsgen.resultcache import NO_CACHE, ResultCache, dump_diagnostics, load_diagnostics


@dataclass(frozen=True)
class CheckStats:
    rule_files: int = 0
    rules: int = 0
    test_files: int = 0
    test_cases: int = 0
    failed_cases: int = 0
    # promtool's failures, for the JUnit report (a file's failure without a test name, or a
    # timeout, counts against every case of that file).
    failures: tuple[promtool.RuleTestFailure, ...] = ()
    promtool_runs: int = 0  # promtool processes started (files with kept answers need none)


def _schema_findings(shown_as: Path, rel: str, text: str) -> list[Diagnostic]:
    schema, code = (TESTS_SCHEMA, "OBS402") if rel.endswith(".test.yml") else (RULES_SCHEMA,
                                                                              "OBS401")
    return [Diagnostic.of(code, f.message, Location(str(shown_as / rel), f.line, f.column),
                          "obsgen emitted this; please report it as a bug")
            for f in validate_yaml(text, schema)]


def check_schemas(shown_as: Path, artifacts: dict[str, str], memo: ResultCache = NO_CACHE
                  ) -> list[Diagnostic]:
    """Every rule and test file against its JSON Schema (each answer kept by the file's
    text)."""
    return [d for rel, text in artifacts.items() if rel.endswith((".test.yml", ".rules.yml"))
            for d in memo.remember("rule-schema", (str(shown_as / rel), text),
                                   partial(_schema_findings, shown_as, rel, text),
                                   dump_diagnostics, load_diagnostics)]


def check_dashboards(shown_as: Path, artifacts: dict[str, str],
                     verbatim: frozenset[str] = frozenset(), memo: ResultCache = NO_CACHE
                     ) -> list[Diagnostic]:
    """Every emitted dashboard (grafana/**.json) strictly against obsgen's schema, then linted;
    any finding is an error, since obsgen wrote the file. A dashboard in `verbatim` holds JSON
    its definition gave as is (`extra=`, `RawPanel`): its schema check is `obsgen lint`'s.
    Each dashboard's answer is kept by its text."""
    found: list[Diagnostic] = []
    for rel, text in artifacts.items():
        if not (rel.startswith("grafana/") and rel.endswith(".json")):
            continue
        path, as_is = str(shown_as / rel), rel in verbatim
        found += memo.remember("dashboard-lint", (path, str(as_is), text),
                               partial(lint_emitted_dashboard, path, text, as_is),
                               dump_diagnostics, load_diagnostics)
    return found


def _rule_location(project: Project, finding: promtool.CheckFinding) -> Location | None:
    """The definition behind a finding: the rule promtool names, else the file's group."""
    for group in project.groups:
        if rules_path(group) != finding.file:
            continue
        index = finding.rule_index
        if finding.group == group.name and index and index <= len(group.rules):
            return group.rules[index - 1].source
        return group.source
    return None


def _check_rules(project: Project, checked: promtool_runs.Checked, files: list[str],
                 shown_as: Path) -> list[Diagnostic]:
    if isinstance(checked, promtool.PromtoolTimeoutError):
        return [_timed_out(checked, shown_as / files[0])]
    found = []
    for f in (f for rel in files for f in checked.get(rel, ())):
        emitted = Location(display_path(str(shown_as / f.file)), f.line, f.column)
        source = _rule_location(project, f)
        code = "OBS303" if source else "OBS305"
        found.append(Diagnostic.of(code, f"promtool check rules: {f.message}", source or emitted,
                                   f"emitted at {emitted}"))
    return found


def _timed_out(stopped: promtool.PromtoolTimeoutError, file: Path) -> Diagnostic:
    said = stopped.diagnostic
    return Diagnostic.of(said.code, said.message, Location(display_path(str(file))), said.hint)


def _test_location(project: Project, name: str | None) -> Location | None:
    return next((t.source for t in project.tests if t.name == name), None)


def _test_rules(project: Project, tested: dict[str, promtool_runs.TestResult], shown_as: Path
                ) -> tuple[list[Diagnostic], int, list[promtool.RuleTestFailure]]:
    found, failed, every = [], 0, []
    for group in project.groups:
        rel = tests_path(group)
        failures = tested.get(rel)
        if failures is None:
            continue
        if isinstance(failures, promtool.PromtoolTimeoutError):  # the other files still ran
            found.append(_timed_out(failures, shown_as / rel))
            failed += sum(1 for t in project.tests if project.group_of_test(t) is group)
            every.append(promtool.RuleTestFailure(rel, None, failures.diagnostic.message))
            continue
        every += failures
        for failure in failures:
            failed += 1
            where = _test_location(project, failure.test_name)
            title = f"rule test {failure.test_name!r} failed" if failure.test_name else (
                f"promtool test rules failed on {rel}")
            found.append(Diagnostic.of("OBS304" if where else "OBS305", title,
                                       where or Location(str(shown_as / rel)),
                                       "promtool says:\n    " + failure.detail.replace(
                                           "\n", "\n    ")))
    return found, failed, every


def check_project(project: Project, build_dir: Path, artifacts: dict[str, str],
                  tool: promtool.Promtool, shown_as: Path | None = None,
                  memo: ResultCache = NO_CACHE) -> tuple[list[Diagnostic], CheckStats]:
    """Check the artifacts written in `build_dir`; diagnostics name them under `shown_as`
    (the real build folder when `build_dir` is a staging copy). promtool starts first and
    works while the other checks run; every answer already in `memo` is taken from there."""
    shown_as = shown_as or build_dir
    rule_files = [rules_path(g) for g in project.groups]
    test_files = [tests_path(g) for g in project.groups if tests_path(g) in artifacts]
    pending = promtool_runs.start(tool, rule_files, test_files, artifacts, build_dir, memo)
    try:
        diagnostics = check_schemas(shown_as, artifacts, memo)
        diagnostics += check_dashboards(shown_as, artifacts, frozenset(
            dashboard_path(d) for d in project.dashboards if d.holds_verbatim), memo)
        diagnostics += check_emitted_runbooks(shown_as, artifacts, memo)
    finally:
        answers = pending.answers()
    warning = promtool.version_warning(tool)
    diagnostics += [warning] if warning else []
    checked = _check_rules(project, answers.checked, rule_files, shown_as)
    diagnostics += checked
    # Tests load the same rule files: where `check rules` could not finish, neither would they.
    stopped = any(d.code == "OBS306" for d in checked)
    test_diags, failed, every = ([], 0, []) if stopped else _test_rules(project, answers.tested,
                                                                       shown_as)
    diagnostics += test_diags
    stats = CheckStats(
        rule_files=sum(1 for p in artifacts if p.endswith(".rules.yml")),
        rules=sum(len(g.rules) for g in project.groups),
        test_files=sum(1 for p in artifacts if p.endswith(".test.yml")),
        test_cases=sum(1 for t in project.tests if project.group_of_test(t) is not None),
        failed_cases=failed, failures=tuple(every), promtool_runs=answers.runs)
    return diagnostics, stats
