"""promtool over a build's rule and test files, started early and run only where needed.

Each file's answer is kept by its text: `check rules` by the rule file's, `test rules` by the
test file's and those of the rule files it loads. Only the files with no kept answer go to
promtool: every rule file to check in one process, the test files side by side on every core
(promtool has no parallel mode of its own). It runs in threads, so the caller's own checks
go on while it does.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from obsgen.check.rules import promtool
from obsgen.check.rules.promtool import CheckFinding, PromtoolTimeoutError, RuleTestFailure
from obsgen.resultcache import Json, ResultCache

T = TypeVar("T")

_RULE_FILES = re.compile(r"^rule_files:[ \t]*\n((?:[ \t]*-[ \t].*\n)+)", re.MULTILINE)

TestResult = list[RuleTestFailure] | PromtoolTimeoutError
Checked = dict[str, list[CheckFinding]] | PromtoolTimeoutError  # findings by rule file


@dataclass(frozen=True)
class Answers:
    checked: Checked
    tested: dict[str, TestResult]  # by test file
    runs: int  # promtool processes this run started (the other files had kept answers)


@dataclass(frozen=True)
class Pending:
    """promtool at work; `answers()` waits for it."""

    _pool: ThreadPoolExecutor
    _checked: Future[dict[str, list[CheckFinding]] | PromtoolTimeoutError]
    _tested: dict[str, Future[TestResult]]
    _kept: dict[str, list[CheckFinding]]  # kept answers of `check rules`
    runs: int

    def answers(self) -> Answers:
        try:
            checked = self._checked.result()
            tested = {rel: f.result() for rel, f in self._tested.items()}
        finally:
            self._pool.shutdown()
        if not isinstance(checked, PromtoolTimeoutError):
            checked = {**self._kept, **checked}
        return Answers(checked, tested, self.runs)


def loaded_rules(test_rel: str, text: str) -> tuple[str, ...] | None:
    """The rule files (paths like the test file's, inside the build) a test file loads; None
    when its `rule_files` cannot be read without a YAML parser (its answer is then not kept)."""
    found = _RULE_FILES.search(text)
    if found is None:
        return None
    here = posixpath.dirname(test_rel)
    entries = [line.strip()[1:].strip().strip("'\"") for line in found[1].splitlines()]
    return tuple(posixpath.normpath(posixpath.join(here, e)) for e in entries if e)


def _version(tool: promtool.Promtool) -> str:
    return ".".join(map(str, tool.version))


def _dump_findings(found: list[CheckFinding]) -> Json:
    return [[f.file, f.message, f.line, f.column, f.group, f.rule_index] for f in found]


def _load_findings(data: Json) -> list[CheckFinding]:
    if not isinstance(data, list):
        raise TypeError("a list of findings")
    return [CheckFinding(str(file), str(message), int(line), int(column),
                         None if group is None else str(group),
                         None if index is None else int(index))
            for file, message, line, column, group, index in data]


def _dump_failures(found: TestResult) -> Json:
    assert not isinstance(found, PromtoolTimeoutError)
    return [[f.file, f.test_name, f.detail] for f in found]


def _load_failures(data: Json) -> TestResult:
    if not isinstance(data, list):
        raise TypeError("a list of failures")
    return [RuleTestFailure(str(file), None if name is None else str(name), str(detail))
            for file, name, detail in data]


def _check_key(tool: promtool.Promtool, rel: str, texts: Mapping[str, str]) -> tuple[str, ...]:
    return ("check rules", _version(tool), rel, texts[rel])


def _kept_checks(tool: promtool.Promtool, files: Sequence[str], texts: Mapping[str, str],
                 memo: ResultCache) -> dict[str, list[CheckFinding]]:
    answers = {rel: memo.kept("promtool-check", _check_key(tool, rel, texts), _load_findings)
               for rel in files}
    return {rel: found for rel, found in answers.items() if found is not None}


def _check(tool: promtool.Promtool, missing: Sequence[str], texts: Mapping[str, str], cwd: Path,
           memo: ResultCache) -> dict[str, list[CheckFinding]] | PromtoolTimeoutError:
    try:
        findings = promtool.check_rules(tool, missing, cwd)
    except PromtoolTimeoutError as stopped:
        return stopped
    fresh: dict[str, list[CheckFinding]] = {rel: [] for rel in missing}
    for finding in findings:
        fresh.setdefault(finding.file, []).append(finding)
    if set(fresh) == set(missing):  # every finding is a file's own: each answer can be kept
        for rel in missing:
            memo.put("promtool-check", _dump_findings(fresh[rel]), *_check_key(tool, rel, texts))
    return fresh


def _test_key(tool: promtool.Promtool, rel: str, texts: Mapping[str, str]
              ) -> tuple[str, ...] | None:
    loads = loaded_rules(rel, texts[rel])
    if loads is None or any(r not in texts for r in loads):
        return None  # it reads something this key would not cover
    return ("test rules", _version(tool), rel, texts[rel], *(texts[r] for r in loads))


def _test(tool: promtool.Promtool, rel: str, cwd: Path, texts: Mapping[str, str],
          memo: ResultCache) -> Callable[[], TestResult] | TestResult:
    """A kept answer, or the work that finds (and keeps) one."""
    key = _test_key(tool, rel, texts)
    kept = memo.kept("promtool-test", key, _load_failures) if key else None
    if kept is not None:
        return kept

    def run() -> TestResult:
        try:
            failures: TestResult = promtool.test_rules(tool, rel, cwd)
        except PromtoolTimeoutError as stopped:
            return stopped
        if key:
            memo.put("promtool-test", _dump_failures(failures), *key)
        return failures
    return run


def start(tool: promtool.Promtool, rule_files: Sequence[str], test_files: Sequence[str],
          texts: Mapping[str, str], cwd: Path, memo: ResultCache) -> Pending:
    """Start promtool on the files of `texts` (paths relative to `cwd`, where they are
    written) that have no kept answer."""
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    kept = _kept_checks(tool, rule_files, texts, memo)
    missing = [rel for rel in rule_files if rel not in kept]
    checked: Future[dict[str, list[CheckFinding]] | PromtoolTimeoutError]
    checked = pool.submit(_check, tool, missing, texts, cwd, memo) if missing else _done(kept)
    tested: dict[str, Future[TestResult]] = {}
    runs = int(bool(missing))
    for rel in test_files:
        work = _test(tool, rel, cwd, texts, memo)
        runs += callable(work)
        tested[rel] = pool.submit(work) if callable(work) else _done(work)
    return Pending(pool, checked, tested, kept, runs)


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future
