"""Project-level rule checks: severities from the project's set, unique groups and files,
and every expression valid PromQL before anything is written."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser

from obsgen.check.catalog import duplicates
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.project import Project
from obsgen.model.ruletests import ExpectSamples


def _expressions(project: Project) -> Iterator[tuple[str, str, Location]]:
    for group in project.groups:
        for rule in group.rules:
            yield rule.name, rule.query.text, rule.source
    for test in project.tests:
        for item in test.expect:
            if isinstance(item, ExpectSamples):
                yield f"test {test.name!r}", item.query.text, item.source


def check_promql(project: Project) -> list[Diagnostic]:
    found = []
    for owner, text, source in _expressions(project):
        try:
            promql_parser.parse(text)
        except ValueError as exc:
            found.append(Diagnostic.of("OBS213", f"{owner}: expression does not parse: {exc}",
                                       source, f"the expression is: {text}"))
    return found


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
    return found + check_promql(project)
