"""Where each catalog metric is read: by which alert, recording rule, dashboard panel and
runbook step, found by analysing every query (the same analysis the cross-checks use). The
metrics reference page lists these; a metric nothing reads is dead instrumentation (OBS118)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from obsgen.check.promql.analysis import analyse
from obsgen.diagnostics import Diagnostic
from obsgen.model.catalog import Catalog
from obsgen.model.dashboards import Dashboard, target_text
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup


@dataclass(frozen=True)
class Use:
    """One reader of a metric. `kind`: alert, recording rule, panel or runbook step."""

    kind: str
    name: str  # the alert or recorded series, the panel's title, the step's alert
    group: RuleGroup | None = None  # the rule group (of the step's alert, for a step)
    alert: AlertRule | None = None  # what to link to: the alert, or the step's alert
    dashboard: Dashboard | None = None
    step: int = 0  # the step's number in its runbook

    def sort_key(self) -> tuple[int, str, str, int]:
        order = ("alert", "recording rule", "panel", "runbook step")
        board = self.dashboard.title if self.dashboard else ""
        return order.index(self.kind), board, self.name, self.step


def _panel_title(panel: object) -> str:
    title = getattr(panel, "title", "")
    return title if isinstance(title, str) and title else "untitled panel"


def readers(project: Project) -> Iterator[tuple[Use, str]]:
    """Every query of the project with who reads it."""
    for group in project.groups:
        for rule in group.rules:
            if isinstance(rule, AlertRule):
                yield Use("alert", rule.name, group, rule), rule.query.text
            elif isinstance(rule, RecordingRule):
                yield Use("recording rule", rule.name, group), rule.query.text
    for dashboard in project.dashboards:
        for panel, _where in dashboard.panels():
            for target in getattr(panel, "targets", None) or ():
                text = target_text(target)
                if text is not None:
                    yield Use("panel", _panel_title(panel), dashboard=dashboard), text
    for runbook in project.runbooks:
        for number, step in enumerate(runbook.investigation, start=1):
            if step.promql is not None:
                yield Use("runbook step", runbook.alert.name, project.group_of(runbook.alert),
                          runbook.alert, step=number), step.promql.text


def metrics_read(text: str, catalog: Catalog) -> set[str]:
    """The catalog metrics `text` selects (a histogram through its _bucket, _sum, _count)."""
    analysis = analyse(text)
    found = set()
    for selector in analysis.selectors:
        info = catalog.series.get(selector.name or "")
        if info is not None and info.metric is not None:
            found.add(info.metric.name)
    return found


def uses(project: Project) -> dict[str, list[Use]]:
    """Each catalog metric's readers, in a stable order (a metric nothing reads: [])."""
    catalog = Catalog(project.metrics, project.jobs)
    table: dict[str, list[Use]] = {m.name: [] for m in project.metrics}
    for use, text in readers(project):
        for name in metrics_read(text, catalog):
            if use not in table[name]:
                table[name].append(use)
    return {name: sorted(found, key=Use.sort_key) for name, found in table.items()}


def dead_metrics(project: Project, read: dict[str, list[Use]] | None = None
                 ) -> list[Diagnostic]:
    """OBS118 for each catalog metric that no alert, rule, panel or runbook step reads
    (`read`: `uses(project)`, if already worked out)."""
    read = uses(project) if read is None else read
    seen: set[str] = set()
    found = []
    for metric in project.metrics:
        if read[metric.name] or metric.name in seen:
            continue
        seen.add(metric.name)
        found.append(Diagnostic.of(
            "OBS118", f"{metric.kind} {metric.name} is read by no alert, recording rule, "
            "dashboard panel or runbook step: dead instrumentation", metric.source,
            "query it where it matters (an alert, a panel), or drop it from the catalog and "
            "from the code that emits it"))
    return found
