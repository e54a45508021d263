"""Runbook checks on the model, before anything is written: every alert has exactly one
runbook, every runbook and related alert is an alert that is evaluated, every query parses and
reads only what the catalog declares, every alert's heading gets the anchor its runbook_url
names, and every link and anchor in the Markdown resolves.
"""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser

from obsgen.check import mdlinks
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit import runbooks as emit
from obsgen.model.catalog import Catalog
from obsgen.model.links import anchor, runbook_page
from obsgen.model.project import Project
from obsgen.model.rules import RecordingRule
from obsgen.model.runbooks import Runbook, RunbookGuide

# The parser's enums are not hashable; their str() is "MatchOp.<Name>".
_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~",
        "MatchOp.NotRe": "!~"}
_CHILDREN = ("lhs", "rhs", "expr", "param", "vector_selector")
ADD_RUNBOOK = ("add Runbook({name}, description=..., investigation=[...]) to the definitions "
               "(e.g. definitions/runbooks.py); on-call follows the alert's runbook_url there")


def _coverage(project: Project) -> Iterator[Diagnostic]:
    seen: dict[int, Runbook] = {}
    for runbook in project.runbooks:
        alert = runbook.alert
        if id(alert) in seen:
            first = seen[id(alert)].source
            yield Diagnostic.of("OBS705", f"{alert.name} already has a runbook, at "
                                f"{first.path}:{first.line}", runbook.source,
                                "merge the two into one Runbook")
            continue
        seen[id(alert)] = runbook
        if project.group_of(alert) is None:
            yield Diagnostic.of("OBS703", f"runbook for {alert.name}, which is in no rule group",
                                runbook.source, f"add {alert.name} to a RuleGroup, or delete "
                                "this runbook")
        for other in runbook.related:
            if project.group_of(other) is None:
                yield Diagnostic.of("OBS704", f"runbook of {alert.name} names related alert "
                                    f"{other.name}, which is in no rule group", runbook.source,
                                    "list only alerts that are evaluated (in a RuleGroup)")
        if not runbook.investigation:
            yield Diagnostic.of("OBS710", f"runbook of {alert.name} has no investigation step",
                                runbook.source, "add investigation=[Step(...)]: what to look "
                                "at first, with the query to run")
    for group in project.groups:
        for alert in group.alerts:
            if id(alert) not in seen:
                yield Diagnostic.of("OBS702", f"alert {alert.name} has no runbook",
                                    alert.source, ADD_RUNBOOK.format(name=alert.name))
    for extra in project.guides[1:]:
        first = project.guides[0].source
        yield Diagnostic.of("OBS705", f"a second RunbookGuide (the first is at {first.path}:"
                            f"{first.line})", extra.source, "keep one RunbookGuide per project")


def selectors(node: object) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """Every vector selector of a parsed expression: its metric name and matchers."""
    if isinstance(node, promql_parser.VectorSelector):
        matchers = [(m.name, _OPS[str(m.op)], m.value) for m in node.matchers.matchers]
        name = node.name or next((v for n, o, v in matchers if n == "__name__" and o == "="), "")
        yield name, matchers
        return
    for attr in _CHILDREN:
        child = getattr(node, attr, None)
        if child is not None and not isinstance(child, str | int | float):
            yield from selectors(child)
    for arg in getattr(node, "args", None) or ():
        yield from selectors(arg)


def check_query(text: str, owner: str, where: Location, catalog: Catalog,
                recorded: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """A runbook query: it parses, and reads only catalog metrics, labels and values (or the
    series of the project's recording rules, named in `recorded`)."""
    try:
        tree = promql_parser.parse(text)
    except ValueError as exc:
        return [Diagnostic.of("OBS706", f"{owner}: query does not parse: {exc}", where,
                              f"the query is: {text}" + (
                                  "; runbook queries run in Prometheus, where Grafana's "
                                  "$__rate_interval does not exist: give a window like '5m'"
                                  if "$__" in text else ""))]
    found = []
    for name, matchers in selectors(tree):
        if not name or name in recorded:
            continue
        for code, message, hint in catalog.check_selector(name, matchers):
            found.append(Diagnostic.of(code, f"{owner}: {message}", where, hint))
    return found


def _queries(project: Project) -> Iterator[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    recorded = frozenset(r.name for g in project.groups for r in g.rules
                         if isinstance(r, RecordingRule))
    for runbook in project.runbooks:
        for number, step in enumerate(runbook.investigation, start=1):
            if step.promql is not None:
                owner = f"runbook of {runbook.alert.name}, step {number}"
                yield from check_query(step.promql.text, owner, step.source, catalog, recorded)


def _anchors(project: Project, pages: dict[str, mdlinks.Rendered]) -> Iterator[Diagnostic]:
    for group in emit.alert_groups(project):
        headings = [h for h in pages[runbook_page(group)].headings if h.level == 2]
        for alert, heading in zip(group.alerts, headings, strict=False):
            wanted = anchor(alert)
            if heading.id == wanted:
                continue
            holder = next((h.name for h in pages[runbook_page(group)].headings
                           if h.id == wanted), "another heading")
            yield Diagnostic.of(
                "OBS707", f"the heading of {alert.name} on {runbook_page(group)} cannot get the "
                f"anchor #{wanted}: {holder!r} already has it", alert.source,
                "anchors are the lower-cased heading text; rename one of the alerts so that "
                "their runbook_url anchors differ")


def _fragments(project: Project) -> Iterator[tuple[str, str, Location]]:
    """Every piece of user Markdown: (page it lands on, text, where it was written)."""
    for alerts in emit.alert_groups(project):
        # Summaries are also on the index page, which sits in the same folder.
        yield from ((runbook_page(alerts), a.summary, a.source) for a in alerts.alerts)
    for runbook in project.runbooks:
        group = project.group_of(runbook.alert)
        if group is None:
            continue
        page = runbook_page(group)
        texts = [runbook.description, runbook.impact, runbook.quick_fix, runbook.long_term,
                 runbook.escalation, *runbook.prevention]
        yield from ((page, text, runbook.source) for text in texts if text)
        yield from ((page, step.text, step.source) for step in runbook.investigation)
        for cause in runbook.root_causes:
            yield from ((page, text, cause.source) for text in (cause.cause, cause.confirm,
                                                                 cause.fix))
    guide = project.guides[0] if project.guides else None
    if guide is not None:
        yield from _guide_fragments(guide)


def _guide_fragments(guide: RunbookGuide) -> Iterator[tuple[str, str, Location]]:
    page = emit.INDEX_PAGE
    for text in (guide.introduction, *guide.troubleshooting, *guide.escalation_path):
        if text:
            yield page, text, guide.source
    yield from ((page, c.purpose, c.source) for c in guide.commands)
    for issue in guide.common_issues:
        yield from ((page, t, issue.source) for t in (issue.symptom, issue.cause, issue.fix))


def _links(project: Project, pages: dict[str, mdlinks.Rendered]) -> Iterator[Diagnostic]:
    ids = {path: page.ids for path, page in pages.items()}
    for page, text, where in _fragments(project):
        for href in mdlinks.links(text):
            broken = mdlinks.resolve(href, page, ids)
            if broken is not None:
                yield Diagnostic.of(broken.code, f"runbook Markdown on {page}: {broken.message}",
                                    where, broken.hint)


def check_runbooks(project: Project) -> list[Diagnostic]:
    pages = {path: mdlinks.render(text) for path, text in emit.pages(project).items()}
    return [*_coverage(project), *_queries(project), *_anchors(project, pages),
            *_links(project, pages)]
