"""Compile the project's SLOs into rule groups, rule tests, runbooks and dashboards, which the
loader adds to the project beside the user's own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from obsgen.compile.slo_dashboard import dashboard
from obsgen.compile.slo_rules import TIER_LABEL, groups
from obsgen.compile.slo_runbooks import runbook
from obsgen.compile.slo_tests import tests
from obsgen.diagnostics import DefinitionError, Diagnostic
from obsgen.model.dashboards import Dashboard
from obsgen.model.rules import RuleGroup
from obsgen.model.ruletests import RuleTest
from obsgen.model.runbooks import Runbook
from obsgen.model.slo import SLO, TIERS


@dataclass(frozen=True)
class CompiledSLOs:
    groups: tuple[RuleGroup, ...] = ()
    tests: tuple[RuleTest, ...] = ()
    runbooks: tuple[Runbook, ...] = ()
    dashboards: tuple[Dashboard, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def duplicates(slos: Iterable[SLO]) -> list[Diagnostic]:
    seen: dict[str, SLO] = {}
    found = []
    for slo in slos:
        first = seen.setdefault(slo.name, slo)
        if first is not slo:
            found.append(Diagnostic.of(
                "OBS219", f"two SLOs are named {slo.name!r} (first at {first.source.path}:"
                f"{first.source.line})", slo.source, "rename one: the name labels every series "
                "and alert of the SLO"))
    return found


def _one(slo: SLO, service: str) -> tuple[list[RuleGroup], list[RuleTest], list[Runbook]]:
    rules = groups(slo, service)
    by_tier = {a.labels[TIER_LABEL]: a for g in rules for a in g.alerts}
    books = [runbook(slo, tier, by_tier[tier]) for tier in TIERS if tier in by_tier]
    return rules, tests(slo, service, by_tier), books


def compile_slos(slos: Iterable[SLO], default_service: str) -> CompiledSLOs:
    """Everything the SLOs compile into; a definition error becomes a diagnostic at the
    SLO's line, and then nothing is compiled."""
    slos = list(slos)
    problems = duplicates(slos)
    made_groups: list[RuleGroup] = []
    made_tests: list[RuleTest] = []
    books: list[Runbook] = []
    by_service: dict[str, list[SLO]] = {}
    for slo in slos:
        service = slo.service_name(default_service)
        try:
            rules, cases, pages = _one(slo, service)
        except DefinitionError as exc:
            where = exc.location or slo.source
            problems.append(Diagnostic.of(exc.code, exc.message, where, exc.hint))
            continue
        made_groups += rules
        made_tests += cases
        books += pages
        by_service.setdefault(service, []).append(slo)
    if problems:
        return CompiledSLOs(diagnostics=tuple(problems))
    boards = tuple(dashboard(s, items) for s, items in sorted(by_service.items()))
    return CompiledSLOs(tuple(made_groups), tuple(made_tests), tuple(books), boards)
