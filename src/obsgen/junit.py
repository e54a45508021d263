"""The JUnit XML report of `obsgen check --junit FILE`: one test suite per promtool test file
with one case per rule test, and a suite for rule-test coverage, for CI test reports.

The layout is the common one (Ant's junitreport, Jenkins' junit-10.xsd, GitLab, GitHub
actions that publish test results): <testsuites> of <testsuite name tests failures errors
skipped> of <testcase name classname> holding at most one <failure>, <error> or <skipped>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from obsgen.check.rules.coverage import Coverage
from obsgen.check.rules.promtool import RuleTestFailure
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit.prometheus import tests_path
from obsgen.model.project import Project
from obsgen.report import display_path


@dataclass(frozen=True)
class Case:
    name: str
    classname: str
    outcome: str = ""  # "", "failure", "error" or "skipped"
    message: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Suite:
    name: str
    cases: tuple[Case, ...] = field(default=())


def rule_test_suites(project: Project, failures: Sequence[RuleTestFailure],
                     ran: bool = True) -> list[Suite]:
    """A suite per test file; a case fails with promtool's words for it, errs when promtool
    failed on its file without naming a case (or timed out), and is skipped when promtool did
    not run the tests (`ran` False: `promtool check rules` could not finish)."""
    suites = []
    for group in project.groups:
        rel = tests_path(group)
        tests = [t for t in project.tests if project.group_of_test(t) is group]
        if not tests:
            continue
        classname = rel.removesuffix(".test.yml").replace("/", ".")
        named = {f.test_name: f for f in failures if f.file == rel and f.test_name}
        whole = next((f for f in failures if f.file == rel and not f.test_name), None)
        cases = []
        for test in tests:
            failed = named.get(test.name)
            if not ran:
                case = Case(test.name, classname, "skipped", "promtool did not run the tests")
            elif failed is not None:
                case = Case(test.name, classname, "failure", "rule test failed", failed.detail)
            elif whole is not None:
                case = Case(test.name, classname, "error", f"promtool test rules failed on {rel}",
                            whole.detail)
            else:
                case = Case(test.name, classname)
            cases.append(case)
        suites.append(Suite(rel, tuple(cases)))
    return suites


def coverage_suite(coverage: Coverage) -> Suite:
    """A case per requirement; a gap is a failure when it is an error (rule_test_coverage =
    "error"), else skipped, with the finding's message."""
    cases = []
    for need in coverage.requirements:
        gap = need.gap
        if gap is None:
            cases.append(Case(need.name, "rule-test-coverage"))
            continue
        outcome = "failure" if gap.severity is Severity.ERROR else "skipped"
        cases.append(Case(need.name, "rule-test-coverage", outcome,
                          f"{gap.code} {gap.message}", gap.hint or ""))
    return Suite("rule test coverage", tuple(cases))


def render(suites: Sequence[Suite]) -> str:
    root = ET.Element("testsuites", {"name": "obsgen check", **_counts(
        [c for s in suites for c in s.cases], with_skipped=False)})
    for suite in suites:
        element = ET.SubElement(root, "testsuite", {"name": suite.name, **_counts(suite.cases)})
        for case in suite.cases:
            _case(element, case)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _counts(cases: Sequence[Case], with_skipped: bool = True) -> dict[str, str]:
    counts = {"tests": str(len(cases)),
              "failures": str(sum(1 for c in cases if c.outcome == "failure")),
              "errors": str(sum(1 for c in cases if c.outcome == "error"))}
    if with_skipped:
        counts["skipped"] = str(sum(1 for c in cases if c.outcome == "skipped"))
    return counts


def _case(parent: ET.Element, case: Case) -> None:
    element = ET.SubElement(parent, "testcase", name=case.name, classname=case.classname)
    if case.outcome:
        outcome = ET.SubElement(element, case.outcome, message=case.message)
        if case.outcome != "skipped":
            outcome.set("type", "promtool" if case.classname != "rule-test-coverage"
                        else "coverage")
        outcome.text = case.detail or None


def write_failed_build(path: Path, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The report of a build that stopped before any test ran: one erring case per error."""
    cases = tuple(Case(f"{d.code} at {_shown(d.location)}", "obsgen-build", "error",
                       d.message, d.hint or "")
                  for d in diagnostics if d.severity is Severity.ERROR)
    return _write(path, [Suite("obsgen build", cases)])


def _shown(where: Location | None) -> str:
    return str(replace(where, path=display_path(where.path))) if where else "the project"


def write_junit(path: Path, project: Project, failures: Sequence[RuleTestFailure],
                coverage: Coverage, ran: bool = True) -> list[Diagnostic]:
    """Write the report; a file that cannot be written is a finding (OBS223), not a crash."""
    return _write(path, [*rule_test_suites(project, failures, ran), coverage_suite(coverage)])


def _write(path: Path, suites: Sequence[Suite]) -> list[Diagnostic]:
    try:
        path.write_text(render(suites), encoding="utf-8")
    except OSError as exc:
        return [Diagnostic.of("OBS223", f"cannot write the JUnit report: {exc.strerror or exc}",
                              Location(str(path)), "pass --junit a file in a writable folder")]
    return []
