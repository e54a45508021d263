"""Render diagnostics for people (full, concise), for tools (json) and for CI (github, and
SARIF 2.1.0 for code-scanning services)."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from obsgen.codes import Severity, lookup
from obsgen.diagnostics import Diagnostic, Location
from obsgen.excerpt import Sources
from obsgen.sarif import sarif_log
from obsgen.terminal import TEXT_LIMIT, printable, shortened

FORMATS = ("full", "concise", "json", "github", "sarif")
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
# Undecodable bytes of a file name: JSON can carry them only as \u escapes.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
    return printable(str(Location(display_path(location.path), location.line, location.column)))


def _concise(d: Diagnostic, color: bool) -> str:
    where = _where(d.location)
    code = click.style(d.code, fg=_COLOURS[d.severity], bold=True) if color else d.code
    where = click.style(where, bold=True) if color else where
    message = printable(shortened(d.message, TEXT_LIMIT), newlines=True)
    return f"{where}: {code} [{d.severity.value}] {message}"


def _full(d: Diagnostic, color: bool, sources: Sources, secret_lines: set[Location]) -> str:
    lines = [_concise(d, color)]
    loc = d.location
    shown = None if loc is None or loc.line < 1 else sources.excerpt(
        loc.path, loc.line, loc.column, Location(loc.path, loc.line) in secret_lines)
    if shown is not None and loc is not None:
        lines.append(f"  {loc.line:>4} | {shown.text}")
        if shown.caret is not None:
            lines.append("       | " + shown.caret + "^")
    if d.hint:
        label = click.style("hint", fg="cyan", bold=True) if color else "hint"
        lines.append(f"  {label}: {printable(shortened(d.hint, TEXT_LIMIT), newlines=True)}")
    return "\n".join(lines) + "\n"


def github_property(value: str) -> str:
    """A workflow-command property value, escaped as @actions/core's escapeProperty does."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def github_data(value: str) -> str:
    """A workflow-command message, escaped as @actions/core's escapeData does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github(d: Diagnostic) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
    props = []
    if d.location is not None:
        props.append(("file", display_path(d.location.path)))
        if d.location.line:
            props.append(("line", str(d.location.line)))
        if d.location.column:
            props.append(("col", str(d.location.column)))
    props.append(("title", d.code))
    # Properties stay faithful (the runner unescapes them to find the file); a byte that was
    # not UTF-8 cannot be written, so it is shown as its escape.
    listed = ",".join(f"{key}={github_property(_LONE_SURROGATE.sub(_shown, value))}"
                      for key, value in props)
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{level} {listed}::{github_data(printable(message, newlines=True))}"


def _shown(match: re.Match[str]) -> str:
    return printable(match.group(0))


def as_dict(d: Diagnostic) -> dict[str, object]:
    loc = d.location
    return {"code": d.code, "severity": d.severity.value, "message": d.message, "hint": d.hint,
            "location": None if loc is None else {"path": display_path(loc.path),
                                                  "line": loc.line, "column": loc.column}}


def render(diagnostics: Sequence[Diagnostic], fmt: str, color: bool) -> str:
    if fmt == "json":
        return json.dumps([as_dict(d) for d in diagnostics], indent=2, sort_keys=True) + "\n"
    if fmt == "sarif":
        log = json.dumps(sarif_log(diagnostics, display_path), indent=2, sort_keys=True,
                         ensure_ascii=False)
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", log) + "\n"
    if fmt == "github":
        return "".join(_github(d) + "\n" for d in diagnostics)
    if fmt == "concise":
        return "".join(_concise(d, color) + "\n" for d in diagnostics)
    sources = Sources()
    secret_lines = {Location(d.location.path, d.location.line) for d in diagnostics
                    if d.location is not None and lookup(d.code).secret_line}
    return "".join(_full(d, color, sources, secret_lines) + "\n" for d in diagnostics)


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
