"""Checks across the files of one `obsgen lint` run, which are one estate (check/estate.py):
every `job` a rule or dashboard query names is scraped by a config of the run (OBS906), every
recording-rule series it reads is recorded by a rule file of the run (OBS907), every dashboard
link names a dashboard of the run (OBS649), every runbook annotation names a page and heading
of the run (check/runbooks/alertlinks.py). Each check runs only when the run holds the files
that make its answer known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from obsgen.check.dashboards.jsonpos import JsonPath
from obsgen.check.dashboards.schema import iter_panels
from obsgen.check.dashboards.targets import Query, dashboard_queries
from obsgen.check.estate import Estate, dashboard_model, estate_of
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.promql.analysis import Analysis, analyse
from obsgen.check.promql.records import LabelMatcher, Selector
from obsgen.check.promql.references import locate
from obsgen.check.rules.rulefile import read_rule_file
from obsgen.diagnostics import Diagnostic, Location

Place = Callable[[Analysis, int], Location]  # where a position of a query stands in its file
_DASHBOARD_URL = re.compile(r"(?:^|/)d/([A-Za-z0-9_-]+)(?:[/?#]|$)")


def _selects_no_job(matcher: LabelMatcher, jobs: frozenset[str]) -> bool:
    if matcher.op == "=":
        return matcher.value not in jobs
    if matcher.op != "=~":
        return False
    try:
        pattern = re.compile(matcher.value)
    except re.error:
        return False  # RE2 syntax Python does not read: say nothing
    return not any(pattern.fullmatch(job) for job in jobs)


class _QueryChecker:
    def __init__(self, estate: Estate, catalog_jobs: bool) -> None:
        self.estate = estate
        self.jobs = None if catalog_jobs else estate.jobs  # a catalog's jobs are checked there

    def findings(self, text: str, place: Place, owner: str) -> Iterator[Diagnostic]:
        analysis = analyse(text)
        if not analysis.ok:
            return  # the query's own linter reports that it does not parse
        for selector in analysis.selectors:
            for code, message, hint in (*self.job(selector), *self.recorded(selector)):
                # Placed only when found: a dashboard's positions cost a scan of its JSON.
                yield Diagnostic.of(code, f"{owner}: {message}",
                                    place(analysis, selector.position), hint)

    def job(self, selector: Selector) -> Iterator[tuple[str, str, str]]:
        matcher = selector.matcher("job")
        if self.jobs is None or matcher is None or matcher.templated or not _selects_no_job(
                matcher, self.jobs):
            return
        jobs = ", ".join(sorted(self.jobs)) or "none"
        yield ("OBS906", f"{selector.name or ''}{{job{matcher.op}\"{matcher.value}\"}} selects "
               "no job scraped by the configs of this run",
               f"jobs scraped by {', '.join(self.estate.configs)}: {jobs}")

    def recorded(self, selector: Selector) -> Iterator[tuple[str, str, str]]:
        name = selector.name
        if self.estate.recorded is None or name is None or ":" not in name or (
                name in self.estate.recorded or selector.templated):
            return
        yield ("OBS907", f"{name} looks like a recording rule's series, but no rule file of "
               "this run records it", "add the recording rule to the run (or lint the file "
               "that has it with this one), or fix the name")


def _rule_findings(file: ForeignFile, checker: _QueryChecker) -> Iterator[Diagnostic]:
    read = read_rule_file(file.path, file.text)
    if read.dialect is not None:
        return  # vmalert's MetricsQL: not parsed as PromQL (its notice says so)
    for group in read.groups:
        for entry in group.rules:
            yield from checker.findings(entry.expr, partial(locate, entry.expr_at),
                                        f"{entry.kind} {entry.name}")


def _dashboard_findings(file: ForeignFile, checker: _QueryChecker) -> Iterator[Diagnostic]:
    queries = dashboard_queries(file.text).queries
    model = dashboard_model(file.text) if queries else None
    if model is None:
        return
    for query in queries:
        if not query.certain:
            continue  # maybe no Prometheus at all (a PMM dashboard's default datasource)

        def place(_analysis: Analysis, position: int, query: Query = query) -> Location:
            # A JSON string is one line of the file whatever newlines the query holds; the
            # positions are computed only for a dashboard with a finding.
            assert model is not None
            at = model.positions.in_string(query.path, query.offset + position)
            return Location(file.path, at.line, at.column)

        yield from checker.findings(query.text, place, "query")


def _links(data: dict[str, Any]) -> Iterator[tuple[JsonPath, Any]]:
    """(path, link) of the dashboard's links, panel links and data links."""
    for index, link in enumerate(_list(data.get("links"))):
        yield ("links", index), link
    for path, panel in iter_panels(data):
        for index, link in enumerate(_list(panel.get("links"))):
            yield (*path, "links", index), link
        defaults = _dict(_dict(panel.get("fieldConfig")).get("defaults"))
        for index, link in enumerate(_list(defaults.get("links"))):
            yield (*path, "fieldConfig", "defaults", "links", index), link


def _list(value: Any) -> list[Any]:
    """A part of someone's dashboard that should be a list; of another type, the schema
    check reports it and the links in it are none."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def linked_uid(url: str) -> str | None:
    """The uid a link inside the same Grafana names (`/d/<uid>/...`); None for a link
    elsewhere, or one whose uid is a variable."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or "$" in parts.path:
        return None
    match = _DASHBOARD_URL.search(parts.path)
    return match.group(1) if match else None


def _link_findings(file: ForeignFile, estate: Estate) -> Iterator[Diagnostic]:
    model = dashboard_model(file.text)
    if model is None or estate.dashboards < 2:
        return  # one dashboard alone: its links lead out of the run
    for path, link in _links(model.data):
        url = link.get("url") if isinstance(link, dict) else None
        uid = linked_uid(url) if isinstance(url, str) else None
        if uid is None or uid in estate.uids:
            continue
        at = model.positions.of_value((*model.prefix, *path, "url"))
        yield Diagnostic.of("OBS649", f"link {url!r} names dashboard uid {uid!r}, which no "
                            "dashboard of this run has", Location(file.path, at.line, at.column),
                            f"uids in this run: {', '.join(sorted(estate.uids)) or 'none'}; "
                            "fix the uid, or lint the linked dashboard with this one")


def estate_findings(context: LintContext) -> list[Diagnostic]:
    """Every check across the files of the run, each file's findings at that file."""
    estate = estate_of(context)
    catalog_jobs = bool(context.catalog and context.catalog.jobs)
    checker = _QueryChecker(estate, catalog_jobs)
    queries = checker.jobs is not None or estate.recorded is not None
    found: list[Diagnostic] = []
    for file in context.of_kind("rules") if queries else ():
        found += _rule_findings(file, checker)
    for file in context.of_kind("dashboard"):
        found += _dashboard_findings(file, checker) if queries else []
        found += _link_findings(file, estate)
    return found
