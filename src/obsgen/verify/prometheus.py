"""The project against a live Prometheus, read-only: its rule groups are loaded and healthy
(OBS558), its scrape jobs have targets and they are up (OBS559), every query runs (OBS550) and
where one returns nothing, the selector that matched no series is named (OBS557), and the label
values Prometheus holds stay inside the catalog's closed sets (OBS555)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from obsgen.diagnostics import Diagnostic
from obsgen.model.metrics import series_names
from obsgen.model.project import Project
from obsgen.verify.client import Target, usage
from obsgen.verify.queries import QUERY_ERRORS, project_queries, rate_interval, run_query


@dataclass(frozen=True)
class PrometheusReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    groups: int = 0
    jobs: int = 0
    queries: int = 0
    labels: int = 0


def api(prometheus: Target, path: str, params: dict[str, str] | None = None) -> Any:
    """The `data` of a Prometheus API reply; anything else is not a Prometheus (OBS553)."""
    reply = prometheus.get(path, params)
    body = reply.body
    if not isinstance(body, dict) or body.get("status") != "success" or "data" not in body:
        raise usage("OBS553", f"{prometheus.url}{path} did not answer as the Prometheus HTTP "
                    "API does (a JSON object with status \"success\" and data)",
                    "pass the Prometheus base URL (Grafana Cloud: the URL ending in /api/prom)")
    return body["data"]


def _rule_findings(project: Project, prometheus: Target) -> list[Diagnostic]:
    data = api(prometheus, "/api/v1/rules")
    loaded = {g.get("name"): g for g in data.get("groups", []) if isinstance(g, dict)}
    found = []
    for group in project.groups:
        live = loaded.get(group.name)
        if live is None:
            found.append(Diagnostic.of("OBS558", f"rule group {group.name!r} is not loaded in "
                                       "Prometheus", group.source,
                                       "deploy the rules: obsgen deploy rules"))
            continue
        for rule in live.get("rules", []):
            error = rule.get("lastError") or ""
            if rule.get("health") not in ("ok", "unknown") or error:
                found.append(Diagnostic.of(
                    "OBS558", f"rule {rule.get('name')!r} of group {group.name!r} is "
                    f"{rule.get('health')}: {error or 'no error given'}", group.source,
                    "run its query in Prometheus; obsgen verify also runs every query"))
    return found


def _target_findings(project: Project, prometheus: Target) -> list[Diagnostic]:
    data = api(prometheus, "/api/v1/targets", {"state": "active"})
    targets = [t for t in data.get("activeTargets", []) if isinstance(t, dict)]
    found = []
    for job in project.jobs:
        mine = [t for t in targets if t.get("labels", {}).get("job") == job.name
                or t.get("scrapePool") == job.name]
        if not mine:
            found.append(Diagnostic.of("OBS559", f"scrape job {job.name!r} has no targets in "
                                       "Prometheus", job.source,
                                       "add the job to Prometheus' scrape configs (the built "
                                       "Alloy pipeline scrapes it)"))
        for live in mine:
            if live.get("health") != "up":
                found.append(Diagnostic.of(
                    "OBS559", f"target {live.get('scrapeUrl')} of job {job.name!r} is "
                    f"{live.get('health')}: {live.get('lastError') or 'no error given'}",
                    job.source, "is the app running and listening where the job scrapes?"))
    return found


def _label_findings(project: Project, prometheus: Target) -> tuple[list[Diagnostic], int]:
    found, asked = [], 0
    for metric in project.metrics:
        series = "|".join(series_names(metric))
        for lab in metric.labels:
            if lab.values is None:
                continue
            asked += 1
            reply = prometheus.get(f"/api/v1/label/{lab.name}/values",
                                   {"match[]": f'{{__name__=~"{series}"}}'}, allow=QUERY_ERRORS)
            body = reply.body if isinstance(reply.body, dict) else {}
            values = body.get("data") or []
            stray = sorted(str(v) for v in values if str(v) not in lab.values)
            if stray:
                found.append(Diagnostic.of(
                    "OBS555", f"Prometheus holds {metric.name}{{{lab.name}=...}} with "
                    f"undeclared value(s) {', '.join(repr(v) for v in stray)}", metric.source,
                    f"declared values: {', '.join(lab.values)}; fix the code that emits them, "
                    "or declare them"))
    return found, asked


def verify_prometheus(project: Project, prometheus: Target, timeout: float
                      ) -> PrometheusReport:
    found = _rule_findings(project, prometheus)
    found += _target_findings(project, prometheus)
    queries = project_queries(project)
    interval = rate_interval(project)
    for query in queries:
        found += run_query(prometheus, query, interval, f"{timeout:g}s",
                           project.recorded_series)
    labels, asked = _label_findings(project, prometheus)
    return PrometheusReport([*found, *labels], len(project.groups), len(project.jobs),
                            len(queries), asked)
