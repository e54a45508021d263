"""The project identity a deploy marks its objects with, and the warning when that identity
is only the folder's name (renaming or cloning the folder would then orphan what it
deployed)."""

from __future__ import annotations

from dataclasses import replace

from obsgen.config import Config
from obsgen.deploy.plan import Report
from obsgen.diagnostics import Diagnostic, Location


def identity_notes(config: Config) -> tuple[Diagnostic, ...]:
    if config.project_from != "folder":
        return ()
    where = "[tool.obsgen] of pyproject.toml" if config.file.name == "pyproject.toml" \
        else config.file.name
    return (Diagnostic.of(
        "OBS006", f"the project identity {config.project!r} is the folder's name; everything "
        "this deploy writes is marked with it", Location(str(config.file)),
        f'set project = "{config.project}" in {where}: a renamed or cloned folder would '
        "otherwise no longer recognise what it deployed"),)


def with_identity(report: Report, config: Config) -> Report:
    """The report, with the identity warning first when there is one."""
    notes = identity_notes(config)
    return replace(report, diagnostics=(*notes, *report.diagnostics)) if notes else report
