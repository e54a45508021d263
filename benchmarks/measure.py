"""Timing one command as a user runs it: wall time, CPU time and peak RSS of the process and
the children it waited for (os.wait4), and which promtool runs it made.

Every child gets TMPDIR inside the benchmark's own temporary folder, so nothing it leaves
behind outlives the run, and PROMTOOL pointing at a wrapper that records each promtool
command line before it execs the real promtool (the figures then say how many rule and test
files obsgen handed to promtool, whatever obsgen prints).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

WRAPPER = """#!/bin/sh
printf '%s\\n' "$*" >> {log}
exec {promtool} "$@"
"""


class CommandFailedError(Exception):
    """A measured command exited non-zero; the message says which and shows its output."""


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float  # user + system of the process and the children it waited for
    peak_rss_mb: float  # the largest single process among them, not a sum
    output: str
    rule_files: int = 0  # handed to `promtool check rules` during the run
    test_files: int = 0  # handed to `promtool test rules` during the run

    def ratio(self, baseline: Timed) -> float:
        return self.cpu / max(baseline.cpu, 1e-6)


@dataclass(frozen=True)
class Runner:
    """Runs commands in `cwd` with the benchmark's environment."""

    promtool: str  # the real one
    scratch: Path  # the benchmark's temporary folder: TMPDIR, the wrapper and its log

    @property
    def log(self) -> Path:
        return self.scratch / "promtool-calls.log"

    @property
    def wrapper(self) -> Path:
        return self.scratch / "promtool"

    def prepare(self) -> None:
        (self.scratch / "tmp").mkdir(exist_ok=True)
        self.wrapper.write_text(WRAPPER.format(log=shlex.quote(str(self.log)),
                                               promtool=shlex.quote(self.promtool)))
        self.wrapper.chmod(0o755)

    def env(self) -> dict[str, str]:
        return {**os.environ, "NO_COLOR": "1", "TMPDIR": str(self.scratch / "tmp"),
                "PROMTOOL": str(self.wrapper)}

    def run(self, args: list[str], cwd: Path, what: str) -> Timed:
        """Run and measure; CommandFailedError if it exits non-zero (`what` names it there)."""
        self.log.write_text("")
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=self.env())
        try:
            assert process.stdout is not None
            output = process.stdout.read().decode(errors="replace")
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C or SIGTERM: the child must not outlive the cleanup
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise CommandFailedError(f"{what} failed (exit {code}): {shlex.join(args)}\n"
                                f"--- its output (the end) ---\n{output[-4000:]}")
        rules, tests = self._promtool_files()
        # ru_maxrss is in kilobytes on Linux
        return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output,
                     rules, tests)

    def _promtool_files(self) -> tuple[int, int]:
        rules = tests = 0
        for line in self.log.read_text().splitlines():
            words = line.split()
            files = sum(1 for w in words if w.endswith((".yml", ".yaml")))
            if words[:2] == ["check", "rules"]:
                rules += files
            elif words[:2] == ["test", "rules"]:
                tests += files
        return rules, tests


def obsgen_command() -> list[str]:
    script = Path(sys.executable).parent / "obsgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "obsgen"]
