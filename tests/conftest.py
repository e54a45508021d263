"""Shared fixtures: a private copy of the example project, and a way to run the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI (.ci/run) replays the same examples every run, so a landing never hangs on a new random
# find; a developer's `make test` keeps exploring fresh examples, and finds go in @example.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DEFINITIONS = REPO / "definitions"
OBSGEN_TOML = """\
definitions = "definitions"
build = "build"
runbook_base_url = "https://runbooks.example.org/"
"""


def obsgen_command() -> list[str]:
    """The installed `obsgen` script of this interpreter's environment, else `python -m obsgen`."""
    script = Path(sys.executable).parent / "obsgen"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "obsgen"]


@dataclass(frozen=True)
class Result:
    """One finished `obsgen` run."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def diagnostics(self) -> list[dict[str, Any]]:
        """stdout parsed as `--output-format json`."""
        try:
            parsed = json.loads(self.stdout)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"stdout of {self.describe()} is not JSON: {exc}") from None
        assert isinstance(parsed, list), f"expected a JSON list from {self.describe()}"
        return parsed

    def describe(self) -> str:
        return (f"obsgen {' '.join(self.args)} (exit {self.exit_code})\n"
                f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}")


def run_obsgen(*args: str, cwd: Path, env: Mapping[str, str] | None = None,
               timeout: float = 300) -> Result:
    """Run the CLI in a subprocess in `cwd`; `env` entries are added to the environment."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    done = subprocess.run([*obsgen_command(), *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=timeout, check=False)
    return Result(tuple(args), done.returncode, done.stdout, done.stderr)


RunObsgen = Callable[..., Result]


@pytest.fixture
def obsgen() -> RunObsgen:
    """`obsgen(*args, cwd=..., env=...)` → Result."""
    return run_obsgen


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A copy of the example project in tmp_path: obsgen.toml plus the definitions/ folder."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "obsgen.toml").write_text(OBSGEN_TOML, encoding="utf-8")
    shutil.copytree(EXAMPLE_DEFINITIONS, root / "definitions",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root
