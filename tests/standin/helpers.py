"""What the deploy tests share: a clock that only moves when slept on, a project folder
around a build/ the test wrote itself, and reading a deploy's JSON report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FakeClock:
    """Time that passes only when the code under test sleeps: retries cost no wall time, and
    the waits it asked for are recorded."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_project(build: Path, identity: str | None = None) -> Path:
    """A project whose build/ is `build`, with empty definitions (a deploy reads build/);
    `identity`: its obsgen.toml `project` (else the folder's name is the identity)."""
    project = build.parent
    (project / "definitions").mkdir(exist_ok=True)
    (project / "definitions" / "__init__.py").write_text("", encoding="utf-8")
    setting = f'project = "{identity}"\n' if identity else ""
    (project / "obsgen.toml").write_text(
        f'definitions = "definitions"\nbuild = "build"\n{setting}', encoding="utf-8")
    return project


def json_report(result: Any) -> dict[str, Any]:
    """A finished `obsgen deploy ... --output-format json` (exit 0 or 1): its parsed report,
    with the exit code under "exit_code"."""
    assert result.exit_code in (0, 1), result.describe()
    report: dict[str, Any] = json.loads(result.stdout)
    report["exit_code"] = result.exit_code
    return report


def planned(report: dict[str, Any], kind: str) -> dict[str, str]:
    """What the report did or would do to each object of `kind`, by key."""
    return {a["key"]: a["action"] for a in report["actions"] if a["kind"] == kind}


def findings(report: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in report["diagnostics"] if d["code"] == code]
