"""Project-level rule checks: severities from the project's set, unique groups and files."""

from __future__ import annotations

from obsgen.check.catalog import duplicates
from obsgen.diagnostics import Diagnostic
from obsgen.model.project import Project


def check_rules(project: Project) -> list[Diagnostic]:
    allowed = project.config.severities
    found = [
        Diagnostic.of("OBS202", f"alert {alert.name} has severity {alert.severity!r}",
                      alert.source, f"use one of: {', '.join(allowed)} (set `severities` in the "
                      "project config to change the set)")
        for group in project.groups for alert in group.alerts if alert.severity not in allowed
    ]
    found += duplicates(((g.name, g) for g in project.groups), "OBS205", "rule group",
                        "group names must be unique across the project")
    found += duplicates(((g.file, g) for g in project.groups), "OBS205", "rule file",
                        "give one of the groups another file=")
    return found
