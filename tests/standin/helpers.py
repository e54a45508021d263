"""What the deploy tests share: a clock that only moves when slept on, and a project folder
around a build/ the test wrote itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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


def make_project(build: Path) -> Path:
    """A project whose build/ is `build`, with empty definitions (a deploy reads build/)."""
    project = build.parent
    (project / "definitions").mkdir(exist_ok=True)
    (project / "definitions" / "__init__.py").write_text("", encoding="utf-8")
    (project / "obsgen.toml").write_text('definitions = "definitions"\nbuild = "build"\n',
                                         encoding="utf-8")
    return project
