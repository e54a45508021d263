"""Rule-test coverage: which alerts have a test where they fire and one where they stay
silent, and which recording rules a samples test (ExpectSamples) reads.

A recording rule that no samples test reads but that an alert with a firing test reads is
exercised by that test: it is counted apart and not reported. The recording rules an SLO
compiles into are counted apart too: obsgen writes the tests of the SLO's burn-rate alerts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from obsgen.check.promql.analysis import analyse
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule, RecordingRule
from obsgen.model.ruletests import ExpectAlert, ExpectSamples

SETTING = "rule_test_coverage"
LEVELS = {"warning": Severity.WARNING, "error": Severity.ERROR, "off": None}


@dataclass(frozen=True)
class Requirement:
    """One thing coverage asks of the tests (`TokenBudgetExceeded fires in a test`), and the
    finding when no test meets it."""

    name: str
    gap: Diagnostic | None = None


@dataclass(frozen=True)
class Coverage:
    cases: int = 0
    alerts: int = 0
    alerts_covered: int = 0
    records: int = 0
    records_sampled: int = 0
    records_through_alerts: int = 0
    records_of_slos: int = 0
    requirements: tuple[Requirement, ...] = field(default=())

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [r.gap for r in self.requirements if r.gap is not None]

    def line(self) -> str:
        """`rule tests: 18 cases; alerts 7/7 fire and stay silent; recording rules 1/1`."""
        text = (f"rule tests: {self.cases} cases; alerts {self.alerts_covered}/{self.alerts} "
                f"fire and stay silent; recording rules {self.records_sampled}/{self.records}")
        more = [f"{self.records_through_alerts} more read by tested alerts"
                if self.records_through_alerts else "",
                f"{self.records_of_slos} of SLOs, tested through their alerts"
                if self.records_of_slos else ""]
        if any(more):
            text += f" ({'; '.join(m for m in more if m)})"
        return text


def _reads(text: str) -> set[str]:
    return {s.name for s in analyse(text).selectors if s.name}


def _closure(start: Iterable[str], records: dict[str, set[str]]) -> set[str]:
    """Recording rules read from `start`, and the ones those read, and so on."""
    seen: set[str] = set()
    todo = [n for n in start if n in records]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [n for n in records[name] if n in records and n not in seen]
    return seen


def rule_test_coverage(project: Project, level: str = "warning") -> Coverage:
    """Coverage of the project's rules by its tests; `level` is the rule_test_coverage
    setting ("off": figures only, no findings)."""
    alerts = [r for g in project.groups for r in g.rules if isinstance(r, AlertRule)]
    every = [r for g in project.groups for r in g.rules if isinstance(r, RecordingRule)]
    records = {r.name: _reads(str(r.query)) for r in every}
    # The recording rules an SLO compiles into carry the SLO's line; obsgen writes tests for
    # its burn-rate alerts, which read them all.
    of_slos = {s.source for s in project.slos}
    recordings = [r for r in every if r.source not in of_slos]
    cases = [t for t in project.tests if project.group_of_test(t) is not None]
    expects = [e for t in cases for e in t.expect]
    fires = {id(e.alert) for e in expects if isinstance(e, ExpectAlert) and e.firing}
    silent = {id(e.alert) for e in expects if isinstance(e, ExpectAlert) and not e.firing}
    sampled = _closure((n for e in expects if isinstance(e, ExpectSamples)
                        for n in _reads(str(e.query))), records)
    through = _closure((n for a in alerts if id(a) in fires for n in _reads(str(a.query))),
                       records)
    severity = LEVELS.get(level)
    needs = [*(r for a in alerts for r in _alert_needs(a, fires, silent, severity)),
             *(_record_need(r, r.name in sampled or r.name in through, severity)
               for r in recordings)]
    return Coverage(len(cases), len(alerts),
                    sum(1 for a in alerts if id(a) in fires and id(a) in silent),
                    len(recordings), sum(1 for r in recordings if r.name in sampled),
                    sum(1 for r in recordings if r.name not in sampled and r.name in through),
                    len(every) - len(recordings), tuple(needs))


def _alert_needs(alert: AlertRule, fires: set[int], silent: set[int],
                 severity: Severity | None) -> list[Requirement]:
    fire_gap = silent_gap = None
    if severity is not None and id(alert) not in fires:
        fire_gap = Diagnostic.of(
            "OBS220", f"alert {alert.name} has no rule test where it fires", alert.source,
            f"add RuleTest(..., expect=[ExpectAlert({alert.name}, at=..., firing=[...])])",
            severity)
    if severity is not None and id(alert) not in silent:
        silent_gap = Diagnostic.of(
            "OBS221", f"alert {alert.name} has no rule test where it stays silent",
            alert.source, "add a RuleTest of series just inside the threshold expecting "
            f"ExpectAlert({alert.name}, at=...) with no firing", severity)
    return [Requirement(f"alert {alert.name} fires in a test", fire_gap),
            Requirement(f"alert {alert.name} stays silent in a test", silent_gap)]


def _record_need(rule: RecordingRule, tested: bool, severity: Severity | None) -> Requirement:
    gap = None if tested or severity is None else Diagnostic.of(
        "OBS222", f"recording rule {rule.name} has no samples test", rule.source,
        "add RuleTest(..., expect=[ExpectSamples(<the rule object>, at=..., samples=[...])], "
        "group=<its group>)", severity)
    return Requirement(f"recording rule {rule.name} has a samples test", gap)
