"""Run the real `obsgen` CLI on hostile input under a time and a memory limit, so that a
regression fails its test instead of hanging the run or exhausting the machine's memory."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECONDS = 60
MEMORY = 2 * 1024 ** 3  # address space: far above a lint run's, far below the machine's


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (f"obsgen {' '.join(self.args)[:300]} (exit {self.exit_code})\n"
                f"--- stdout ---\n{self.stdout[:3000]}--- stderr ---\n{self.stderr[:3000]}")

    def diagnostics(self) -> list[dict[str, Any]]:
        parsed: list[dict[str, Any]] = json.loads(self.stdout)
        return parsed

    def found(self) -> set[tuple[str, str, int]]:
        """(code, path, line) of each diagnostic (the run was --output-format json)."""
        return {(d["code"], (d.get("location") or {}).get("path", ""),
                 (d.get("location") or {}).get("line", 0)) for d in self.diagnostics()}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _limit_memory_and_permissions() -> None:
    """Also drop the capabilities that let root read any file or folder, so that chmod 000
    denies reads even when the tests run as root."""
    _limit_memory()
    if os.geteuid() == 0:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def bounded_obsgen(*args: str, cwd: Path, env: Mapping[str, str] | None = None,
                   seconds: float = SECONDS, unprivileged: bool = False) -> Run:
    """`obsgen ARGS` in a subprocess that may use at most SECONDS and MEMORY (`unprivileged`:
    and that file permissions bind, root or not)."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    try:
        done = subprocess.run([sys.executable, "-m", "obsgen", *args], cwd=cwd,
                              env=environment, capture_output=True, text=True, timeout=seconds,
                              check=False, preexec_fn=_limit_memory_and_permissions
                              if unprivileged else _limit_memory)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"obsgen {' '.join(args)[:300]} ran past {seconds} s") from None
    return Run(tuple(args), done.returncode, done.stdout, done.stderr)
