"""The promtool wrapper: find the binary, run `check rules` and `test rules`, and turn what it
prints into findings. Callers map findings back to definitions."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from obsgen.diagnostics import Diagnostic, UsageError

TESTED_VERSION = (2, 42, 0)
TIMEOUT_ENV = "OBSGEN_PROMTOOL_TIMEOUT"
DEFAULT_TIMEOUT = 600.0  # seconds one promtool run may take
SETUP_HINT = "run `make setup` (installs Debian's prometheus package), or set $PROMTOOL"
# promtool 2.42 prints, per problem, "FILE: [LINE:COL: ][group "G", rule N, "NAME": ]MESSAGE",
# and continues a YAML error ("yaml: unmarshal errors:") on indented lines below it.
_CHECK_LINE = re.compile(
    r'^(?P<file>\S+?\.ya?ml): (?:(?P<line>\d+):(?P<col>\d+): )?'
    r'(?:group "(?P<group>.*?)", rule (?P<index>\d+), "(?P<rule>.*?)": )?(?P<message>.+)$')
_TEST_NAME = re.compile(r"^\s+name: (?P<name>.*),\s*$")
_VERSION = re.compile(r"version (\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Promtool:
    path: str
    version: tuple[int, int, int]


@dataclass(frozen=True)
class CheckFinding:
    """One problem promtool reported; group/rule are set when it names them (1-based index)."""

    file: str
    message: str
    line: int = 0
    column: int = 0
    group: str | None = None
    rule_index: int | None = None


@dataclass(frozen=True)
class RuleTestFailure:
    file: str
    test_name: str | None
    detail: str


def find_promtool(env: dict[str, str] | None = None) -> Promtool:
    """$PROMTOOL, else promtool on PATH; raises UsageError (exit 2) when there is none."""
    env = dict(os.environ) if env is None else env
    candidate = env.get("PROMTOOL") or shutil.which("promtool", path=env.get("PATH"))
    if not candidate or not Path(candidate).is_file():
        where = f"$PROMTOOL={env['PROMTOOL']!r} is not a file" if env.get("PROMTOOL") else (
            "promtool is not on PATH")
        raise UsageError(Diagnostic.of("OBS301", f"promtool not found: {where}", None,
                                       SETUP_HINT))
    return Promtool(candidate, _version(candidate))


def _version(path: str) -> tuple[int, int, int]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(Diagnostic.of("OBS301", f"cannot run {path}: {exc}", None,
                                       SETUP_HINT)) from None
    found = _VERSION.search(out.stdout + out.stderr)
    if not found or not (out.stdout + out.stderr).lstrip().startswith("promtool"):
        raise UsageError(Diagnostic.of("OBS301", f"{path} does not look like promtool", None,
                                       SETUP_HINT))
    major, minor, patch = (int(g) for g in found.groups())
    return (major, minor, patch)


def version_warning(tool: Promtool) -> Diagnostic | None:
    if tool.version >= TESTED_VERSION:
        return None
    have = ".".join(map(str, tool.version))
    return Diagnostic.of("OBS302", f"promtool {have} is older than the tested 2.42.0", None,
                         "its checks may differ; install Debian's prometheus package")


def time_limit(env: dict[str, str] | None = None) -> float:
    """Seconds one promtool run may take: $OBSGEN_PROMTOOL_TIMEOUT, else 600."""
    value = (os.environ if env is None else env).get(TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise UsageError(Diagnostic.of("OBS975", f"${TIMEOUT_ENV}={value!r} is not a number of "
                                       "seconds", None, f"e.g. {TIMEOUT_ENV}=120; unset, "
                                       f"promtool may run for {DEFAULT_TIMEOUT:g} s"))
    return seconds


class PromtoolTimeoutError(UsageError):
    """promtool ran past its time limit (OBS306). Where a caller can attribute it to a file it
    becomes that file's finding and the run goes on; elsewhere it ends the run (exit 2)."""


def _timed_out(args: Sequence[str], files: Sequence[str], seconds: float) -> PromtoolTimeoutError:
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return PromtoolTimeoutError(Diagnostic.of(
        "OBS306", f"promtool {' '.join(args[:2])} ran past its time limit of {seconds:g} s on "
        f"{shown} and was stopped", None,
        f"a rule or test that promtool cannot finish? raise the limit with ${TIMEOUT_ENV} "
        "(seconds) if the files are just large"))


def _run(tool: Promtool, args: Sequence[str], cwd: Path, files: Sequence[str]
         ) -> subprocess.CompletedProcess[str]:
    """Run promtool; past the time limit it is killed, with anything it started (it runs in
    a session of its own), and PromtoolTimeoutError (OBS306) names `files`."""
    seconds = time_limit()
    argv = [tool.path, *args]
    # promtool quotes input cut at a byte count, mid-character at times: decode leniently.
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8", errors="replace", cwd=cwd,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise _timed_out(args, files, seconds) from None
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def parse_check_output(text: str) -> list[CheckFinding]:
    findings: list[CheckFinding] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("Checking ", "SUCCESS", "FAILED")):
            continue
        if m := _CHECK_LINE.match(line):
            findings.append(CheckFinding(
                m["file"], m["message"], int(m["line"] or 0), int(m["col"] or 0), m["group"],
                int(m["index"]) if m["index"] else None))
        elif findings and raw.startswith((" ", "\t")):
            last = findings[-1]
            findings[-1] = CheckFinding(last.file, f"{last.message} {line}", last.line,
                                        last.column, last.group, last.rule_index)
    return findings


def check_rules(tool: Promtool, files: Sequence[str], cwd: Path) -> list[CheckFinding]:
    """`promtool check rules`; file names in findings are as given (relative to cwd)."""
    if not files:
        return []
    result = _run(tool, ["check", "rules", *files], cwd, files)
    findings = parse_check_output(result.stderr + result.stdout)
    if result.returncode != 0 and not findings:
        findings.append(CheckFinding(files[0], (result.stderr or result.stdout).strip()
                                     or f"promtool exited {result.returncode}"))
    return findings


def check_config(tool: Promtool, file: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`promtool check config --syntax-only`: the files the config names are not opened."""
    return _run(tool, ["check", "config", "--syntax-only", file], cwd, [file])


def parse_test_output(file: str, text: str) -> list[RuleTestFailure]:
    """Split `promtool test rules` output for one file into one failure per test case:
    promtool prints FAILED: once, then a `name: ...,` block per failing test."""
    failures: list[RuleTestFailure] = []
    for block in re.split(r"^\s*FAILED:\s*$", text, flags=re.MULTILINE)[1:]:
        current: tuple[str | None, list[str]] = (None, [])
        for raw in block.splitlines():
            if not raw.strip():
                continue
            if m := _TEST_NAME.match(raw):
                if current[1]:
                    failures.append(_failure(file, *current))
                current = (m["name"], [])
            current[1].append(raw.rstrip())
        if current[1]:
            failures.append(_failure(file, *current))
    return failures


def _failure(file: str, name: str | None, lines: list[str]) -> RuleTestFailure:
    return RuleTestFailure(file, name, "\n".join(lines))


def test_rules(tool: Promtool, file: str, cwd: Path) -> list[RuleTestFailure]:
    """`promtool test rules` on one file: one failure per failing test case."""
    result = _run(tool, ["test", "rules", file], cwd, [file])
    if result.returncode == 0:
        return []
    output = result.stdout + result.stderr
    return parse_test_output(file, output) or [RuleTestFailure(file, None, output.strip())]
