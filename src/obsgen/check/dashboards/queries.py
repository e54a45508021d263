"""Every panel query against the catalog before anything is emitted. Helper-built queries were
checked as they were written; this catches raw PromQL strings and metrics defined outside the
catalog, at the panel's line, with the same reference checks as rules and runbooks (Grafana
macros and variables are understood by the analysis)."""

from __future__ import annotations

from obsgen.check.promql.references import check_query
from obsgen.diagnostics import Diagnostic
from obsgen.model.catalog import Catalog
from obsgen.model.project import Project
from obsgen.terminal import shortened


def _as_panel_finding(found: Diagnostic, text: str) -> Diagnostic:
    if found.code != "OBS213":
        return found
    message = found.message.replace("expression does not parse", "panel query does not parse")
    return Diagnostic.of("OBS610", message, found.location, f"the query is: {shortened(text)}")


def check_dashboard_queries(project: Project) -> list[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    return [_as_panel_finding(found, text)
            for dashboard in project.dashboards for text, where in dashboard.queries()
            for found in check_query(text, where, catalog, recorded=project.recorded_series)]
