"""Every query of the project run on a live Prometheus: alerts, recording rules, dashboard panels
and runbook steps. A query that fails is OBS550. A query that returns nothing is fine (an alert
that is not firing returns nothing) unless one of its selectors matches no series at all: then
OBS557 says which one, and which matcher of it matched nothing ("the metric exists, but no
series has result="fail"").

Panel queries are run as Grafana would run them: `$__rate_interval` and the other interval
macros become a duration (four scrape intervals of the project's first job, as Grafana computes
the rate interval by default), `$__range` one hour, and a dashboard variable inside a label
matcher matches everything (`=~".*"`), as the "All" option does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from obsgen.check.promql.analysis import analyse
from obsgen.check.promql.grafana_macros import substitute
from obsgen.check.promql.records import Selector
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit.usage import Use, readers
from obsgen.model.project import Project
from obsgen.verify.client import Target

_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+|\[\[[\w:.]+\]\]")
_TEMPLATED_MATCHER = re.compile(r'(?<![=!~])=(\s*)"((?:[^"\\]|\\.)*\$(?:[^"\\]|\\.)*)"')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_DURATION = re.compile(r"\$\{?__(?:rate_interval|interval|range)(?:_ms|_s)?\}?")
QUERY_ERRORS = frozenset({400, 422, 503})


@dataclass(frozen=True)
class Query:
    owner: str  # "alert TokenBudgetExceeded", "panel 'Token budget' on Persona Overview"
    text: str
    where: Location


def _owner(use: Use) -> str:
    if use.kind == "panel":
        board = f" on {use.dashboard.title}" if use.dashboard else ""
        return f"panel {use.name!r}{board}"
    if use.kind == "runbook step":
        return f"runbook of {use.name}, step {use.step}"
    return f"{use.kind} {use.name}"


def _location(project: Project, use: Use) -> Location:
    if use.kind == "runbook step" and use.alert is not None:
        runbook = next((r for r in project.runbooks if r.alert is use.alert), None)
        if runbook is not None and len(runbook.investigation) >= use.step:
            return runbook.investigation[use.step - 1].source
    if use.kind in ("alert", "recording rule") and use.group is not None:
        rule = next((r for r in use.group.rules if r.name == use.name), None)
        if rule is not None:
            return rule.source
    if use.dashboard is not None:
        return use.dashboard.source
    return Location(str(project.config.file))


def project_queries(project: Project) -> list[Query]:
    """Every query, once per owner, in a stable order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for use, text in readers(project):
        owner = _owner(use)
        if (owner, text) not in seen:
            seen.add((owner, text))
            found.append(Query(owner, text, _location(project, use)))
    return found


def rate_interval(project: Project) -> str:
    job = project.jobs[0] if project.jobs else None
    seconds = _seconds(job.interval) if job is not None and job.interval else 60
    return f"{max(4 * seconds, 60)}s" if seconds else "1m"


def _seconds(text: str) -> int:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    total = 0.0
    for number, unit in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", text):
        total += int(number) * units[unit]
    return int(total)


def executable(text: str, interval: str) -> str:
    """`text` with Grafana's macros and variables replaced as Grafana would replace them."""
    text = _DURATION.sub(lambda m: "1h" if "range" in m.group() else interval, text)
    text = _TEMPLATED_MATCHER.sub(lambda m: f'=~{m.group(1)}"{m.group(2)}"', text)
    text = _STRING.sub(lambda m: _VARIABLE.sub(".*", m.group()), text)
    return substitute(text).text


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def selector_text(selector: Selector, matchers: bool = True) -> str:
    parts = [f"{m.label}{m.op}{_quoted(m.value)}" for m in selector.matchers
             if matchers and not m.templated]
    return f"{selector.name}{{{', '.join(parts)}}}"


def _has_series(prometheus: Target, match: str) -> bool:
    reply = prometheus.get("/api/v1/series", {"match[]": match}, allow=QUERY_ERRORS)
    data = reply.body.get("data") if isinstance(reply.body, dict) else None
    return bool(data)


# Series that exist only while an alert is pending or firing.
ALERT_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})


def _empty_selectors(prometheus: Target, text: str, recorded: frozenset[str]
                     ) -> Iterator[str]:
    """Why a query returned nothing: each selector that matches no series, and how. Alert
    series and the project's own recorded series are passed over: they are empty while no
    alert fires or before their group first runs (a slow group's, every 10m), and a recording
    rule's own query is checked in its place."""
    for selector in analyse(text).selectors:
        if selector.name is None or selector.templated:
            continue
        if selector.name in ALERT_SERIES or selector.name in recorded:
            continue
        if _has_series(prometheus, selector_text(selector)):
            continue
        if not _has_series(prometheus, selector_text(selector, matchers=False)):
            yield f"{selector.name} has no series"
            continue
        for matcher in selector.matchers:
            if matcher.templated:
                continue
            said = f"{matcher.label}{matcher.op}{_quoted(matcher.value)}"
            if not _has_series(prometheus, f"{selector.name}{{{said}}}"):
                yield f"{selector.name} exists, but no series has {said}"
                break
        else:
            yield f"no series of {selector_text(selector)} exists (its matchers together)"


def run_query(prometheus: Target, query: Query, interval: str, timeout: str,
              recorded: frozenset[str] = frozenset()) -> list[Diagnostic]:
    text = executable(query.text, interval)
    reply = prometheus.get("/api/v1/query", {"query": text, "timeout": timeout},
                           allow=QUERY_ERRORS)
    body = reply.body if isinstance(reply.body, dict) else {}
    if body.get("status") != "success":
        said = str(body.get("error") or reply.text.strip()[:200] or f"HTTP {reply.status}")
        kind = str(body.get("errorType") or "error")
        return [Diagnostic.of("OBS550", f"{query.owner}: the query failed ({kind}): {said}",
                              query.where, f"the query as run: {text}")]
    result = body.get("data", {}).get("result")
    if result:
        return []
    return [Diagnostic.of("OBS557", f"{query.owner} returns nothing: {why}", query.where,
                          "the code may not emit it yet, or emits other label values; see "
                          "the metrics reference and `obsgen verify --metrics`")
            for why in _empty_selectors(prometheus, query.text, recorded)]
