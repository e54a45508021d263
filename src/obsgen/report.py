"""Render diagnostics for people (full, concise), for tools (json) and for CI (github, and
SARIF 2.1.0 for code-scanning services)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location
from obsgen.sarif import sarif_log

FORMATS = ("full", "concise", "json", "github", "sarif")
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def display_path(path: str) -> str:
    """A path relative to the working directory where it lies below it. A symlink keeps the
    name it was given; only when that is not below the working directory is it resolved."""
    try:
        return Path(os.path.normpath(Path.cwd() / path)).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        pass
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _where(location: Location | None) -> str:
    if location is None:
        return "obsgen"
    return str(Location(display_path(location.path), location.line, location.column))


def _source_line(location: Location | None) -> str | None:
    if location is None or location.line < 1:
        return None
    try:
        lines = Path(location.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[location.line - 1] if location.line <= len(lines) else None


def _concise(d: Diagnostic, color: bool) -> str:
    code = click.style(d.code, fg=_COLOURS[d.severity], bold=True) if color else d.code
    where = click.style(_where(d.location), bold=True) if color else _where(d.location)
    return f"{where}: {code} [{d.severity.value}] {d.message}"


def _full(d: Diagnostic, color: bool) -> str:
    lines = [_concise(d, color)]
    source = _source_line(d.location)
    if source is not None and d.location is not None:
        lines.append(f"  {d.location.line:>4} | {source}")
        if d.location.column:
            lines.append("       | " + " " * (d.location.column - 1) + "^")
    if d.hint:
        label = click.style("hint", fg="cyan", bold=True) if color else "hint"
        lines.append(f"  {label}: {d.hint}")
    return "\n".join(lines) + "\n"


def _github(d: Diagnostic, color: bool) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
    props = [f"title={d.code}"]
    if d.location is not None:
        props.insert(0, f"file={display_path(d.location.path)}")
        if d.location.line:
            props.insert(1, f"line={d.location.line}")
        if d.location.column:
            props.insert(2, f"col={d.location.column}")
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {','.join(props)}::{message}"


def as_dict(d: Diagnostic) -> dict[str, object]:
    loc = d.location
    return {"code": d.code, "severity": d.severity.value, "message": d.message, "hint": d.hint,
            "location": None if loc is None else {"path": display_path(loc.path),
                                                  "line": loc.line, "column": loc.column}}


def render(diagnostics: Sequence[Diagnostic], fmt: str, color: bool) -> str:
    if fmt == "json":
        return json.dumps([as_dict(d) for d in diagnostics], indent=2, sort_keys=True) + "\n"
    if fmt == "sarif":
        log = sarif_log(diagnostics, display_path)
        return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    one: Callable[[Diagnostic, bool], str] = {
        "full": _full, "concise": _concise, "github": _github}[fmt]
    return "".join(one(d, color) + "\n" for d in diagnostics)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return "Found " + ", ".join(parts) + "." if parts else "No problems found."


def use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(sys.stderr.isatty())
