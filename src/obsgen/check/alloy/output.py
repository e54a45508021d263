"""`obsgen check` on the emitted Alloy configs: our validator (every finding is a bug in obsgen,
the output must be clean), the printer's fixed point, and — when an `alloy` binary is on PATH
(or named by $ALLOY) — `alloy fmt` and `alloy validate` on the staged files."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from obsgen.alloy.printer import format_text
from obsgen.check.alloy.validate import validate_text
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.project import Project

BUG_HINT = "obsgen emitted this; please report it as a bug"
TIMEOUT = 120


@dataclass(frozen=True)
class AlloyCheck:
    diagnostics: list[Diagnostic]
    summary: str  # one status line; empty when the project has no pipeline



def check_alloy_output(project: Project, build_dir: Path, artifacts: dict[str, str],
                       shown_as: Path, alloy: str | None = None) -> AlloyCheck:
    paths = [p.path for p in project.pipelines if p.path in artifacts]
    if not paths:
        return AlloyCheck([], "")
    found: list[Diagnostic] = []
    for rel in paths:
        found += _check_file(artifacts[rel], str(shown_as / rel))
        if alloy:
            found += _run_binary(alloy, build_dir / rel, artifacts[rel], str(shown_as / rel))
    files = f"{len(paths)} config{'s' if len(paths) > 1 else ''}"
    verdict = "FAILED" if found else "clean"
    how = (f"obsgen's validator, alloy fmt and alloy validate ({alloy})" if alloy else
           "obsgen's built-in validator (no alloy binary on PATH)")
    return AlloyCheck(found, f"Alloy: {files} checked by {how}, {verdict}.")


def _check_file(text: str, shown: str) -> list[Diagnostic]:
    found = [Diagnostic.of(d.code, f"emitted config: {d.message}", d.location, BUG_HINT)
             for d in validate_text(text, shown)]
    if not any(d.code == "OBS801" for d in found) and format_text(text, shown) != text:
        found.append(Diagnostic.of("OBS802", "emitted config is not in alloy fmt layout",
                                   Location(shown), BUG_HINT))
    return found


def _run_binary(alloy: str, path: Path, text: str, shown: str) -> list[Diagnostic]:
    found = []
    fmt = _run([alloy, "fmt", str(path)])
    if fmt.returncode != 0 or fmt.stdout != text:
        detail = fmt.stderr.strip() or "its layout differs from obsgen's printer"
        found.append(Diagnostic.of("OBS834", f"alloy fmt: {detail}", Location(shown), BUG_HINT))
    done = _run([alloy, "validate", str(path)])
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        found.append(Diagnostic.of("OBS834", f"alloy validate: {detail}", Location(shown),
                                   BUG_HINT))
    return found


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(argv, 1, "", f"could not run {argv[0]}: {exc}")
