"""The imported project on disk: `obsgen.toml` and the `definitions/` package, staged beside
the output folder, formatted there, and only then put in place.

The definitions folder goes in with one atomic exchange (swap.replace, as build/ does), so it
is either the old one or the whole new one, never half; obsgen.toml follows with an atomic
rename. An output folder that does not exist yet is staged whole and renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from obsgen import swap
from obsgen.config import slug
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.contract import Module
from obsgen.importers.pysource import format_tree

DEFINITIONS = "definitions"
CONFIG = "obsgen.toml"


def existing_definitions(folder: Path) -> Diagnostic | None:
    """OBS984 when `folder` already holds a project's definitions or config."""
    held = [name for name in (CONFIG, DEFINITIONS) if os.path.lexists(folder / name)]
    if not held:
        return None
    return Diagnostic.of("OBS984", f"{folder} already holds {' and '.join(held)}; nothing was "
                         "imported", Location(str(folder / held[0])),
                         "import into a new folder with -o DIR, or pass --force to replace them")


def config_text(folder: Path, severities: Iterable[str], runbook_base_url: str = "") -> str:
    project = slug(folder.resolve().name) or "imported"
    listed = ", ".join(json.dumps(s) for s in severities)
    base = (f"# Where the imported runbooks were published.\nrunbook_base_url = "
            f"{json.dumps(runbook_base_url)}\n" if runbook_base_url else "")
    return (f'# Written by `obsgen import`; see obsgen.toml in the README for every setting.\n'
            f'project = "{project}"\ndefinitions = "{DEFINITIONS}"\nbuild = "build"\n'
            f"# The severities the imported alerts use.\nseverities = [{listed}]\n{base}")


def _stage(parent: Path, name: str, modules: Iterable[Module], config: str) -> swap.Held:
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{name}.tmp-", dir=parent))
    held = swap.hold(staging)
    try:
        (staging / CONFIG).write_text(config, encoding="utf-8")
        for module in modules:
            path = staging / DEFINITIONS / module.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(module.source, encoding="utf-8")
        format_tree(staging / DEFINITIONS)
        staging.chmod(0o755)
    except BaseException:
        swap.remove(staging)
        swap.release(held)
        raise
    return held


def write_project(folder: Path, modules: Iterable[Module], config: str) -> None:
    """Put the formatted project at `folder`; on any failure what was there stays."""
    target = folder.absolute()
    # Beside a new folder; inside an existing one (hidden), which is surely writable and on
    # the same file system.
    inside = target.is_dir()
    staged = _stage(target if inside else target.parent,
                    ".obsgen-import" if inside else target.name, modules, config)
    try:
        if not os.path.lexists(target):
            staged.path.rename(target)
            return
        swap.replace(staged.path / DEFINITIONS, target / DEFINITIONS)
        (staged.path / CONFIG).replace(target / CONFIG)
    finally:
        swap.remove(staged.path)
        swap.release(staged)
