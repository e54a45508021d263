"""Refuse a build folder obsgen may not replace, before anything is written.

Every build replaces the whole build folder, so a `build` setting that names the project
itself, a folder above it, the definitions, a sibling's folder or anyone's files would delete
them. The configured path is judged as written (lexically: it must lie strictly inside the
project), then as it resolves through symlinks (it must not be, or hold, the project, its
definitions or its config, nor lie inside the definitions), and an existing folder must be
obsgen's (see buildfolder.py). A symlinked build folder is followed: the build replaces the
folder it points to, and the symlink stays.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from obsgen.buildfolder import MARKER, is_obsgens
from obsgen.config import Config
from obsgen.diagnostics import Diagnostic, Location, UsageError

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_SETTING = re.compile(r"^(\s*)build\s*=")


def setting_location(file: Path) -> Location:
    """Where `build = ...` is set in obsgen.toml (top level) or pyproject.toml
    ([tool.obsgen]); the file alone when it is not set there."""
    wanted = "" if file.name == "obsgen.toml" else "tool.obsgen"
    table: str | None = ""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(str(file))
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("[["):
            table = None
            continue
        header = _TABLE.match(line)
        if header:
            table = re.sub(r"\s*\.\s*", ".", header[1]).replace('"', "").replace("'", "")
            continue
        setting = _SETTING.match(line)
        if setting and table == wanted:
            return Location(str(file), number, len(setting[1]) + 1)
    return Location(str(file))


def _refuse(config: Config, message: str, hint: str) -> UsageError:
    return UsageError(Diagnostic.of("OBS502", message, setting_location(config.file), hint))


def _hint(config: Config) -> str:
    return (f'set build = "build" in {config.file.name}: a folder inside the project that '
            "holds only what obsgen writes (obsgen replaces it on every build)")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_written(config: Config) -> None:
    written = Path(os.path.normpath(config.build))
    if written == config.root:
        raise _refuse(config, f"build folder {config.build} is the project folder itself: "
                      "obsgen replaces its build folder on every build and would delete the "
                      "project", _hint(config))
    if not _within(written, config.root):
        raise _refuse(config, f"build folder {written} is outside the project {config.root}: "
                      "obsgen replaces its build folder on every build, so it must lie inside "
                      "the project", _hint(config))


def _check_resolved(config: Config, real: Path) -> None:
    shown = str(config.build)
    if real != Path(os.path.normpath(config.build)):
        shown += f" (a symlink to {real})"
    protected = {"the project folder": config.root, "the definitions folder": config.definitions,
                 "the project configuration": config.file}
    for what, path in protected.items():
        if _within(path.resolve(), real):
            relation = f"is {what}" if path.resolve() == real else f"holds {what} {path}"
            raise _refuse(config, f"build folder {shown} {relation}: obsgen replaces its build "
                          "folder on every build and would delete it", _hint(config))
    if _within(real, config.definitions.resolve()):
        raise _refuse(config, f"build folder {shown} lies inside the definitions folder, which "
                      "must hold only definitions", _hint(config))


def _check_existing(config: Config, real: Path) -> None:
    if not os.path.lexists(real):
        return
    if not real.is_dir():
        raise _refuse(config, f"build folder {config.build} is not a folder", _hint(config))
    if not is_obsgens(real):
        raise _refuse(config, f"build folder {config.build} holds files obsgen did not write "
                      f"(it has no {MARKER} marker): obsgen replaces the whole folder on every "
                      "build, so it left it untouched",
                      "move those files elsewhere (or empty the folder), or point `build` in "
                      f"{config.file.name} at a folder that holds only what obsgen writes")


def writable_build(config: Config) -> Path:
    """The folder a build may replace (the build folder with symlinks resolved); raises
    UsageError (OBS502) when there is none."""
    _check_written(config)
    try:
        real = config.build.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise _refuse(config, f"build folder {config.build} cannot be resolved: {exc}",
                      _hint(config)) from None
    _check_resolved(config, real)
    _check_existing(config, real)
    return real
