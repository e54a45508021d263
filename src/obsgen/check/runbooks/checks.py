"""Runbook checks on the model, before anything is written: every alert has exactly one
runbook, every runbook and related alert is an alert that is evaluated, every query parses and
reads only what the catalog declares, every alert's heading gets the anchor its runbook_url
names, and every link and anchor in the Markdown resolves.

`lint_markdown` is the `obsgen lint` entry point for Markdown runbooks written by anyone.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from obsgen.check.foreign import ForeignFile, Kind, LintContext
from obsgen.check.promql import references
from obsgen.check.promql.parse import TooDeepError, parse_checked
from obsgen.check.reading import read_bytes, stat_error
from obsgen.check.runbooks import alertlinks, mdbudget, mdlinks
from obsgen.check.runbooks.mdplaces import LinkPlaces
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit import runbooks as emit
from obsgen.model.catalog import Catalog
from obsgen.model.links import RESERVED_PAGES, anchor, is_reserved, runbook_page
from obsgen.model.project import Project
from obsgen.model.runbooks import Runbook, RunbookGuide
from obsgen.resultcache import NO_CACHE, ResultCache
from obsgen.terminal import shortened

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


def check_query(text: str, owner: str, where: Location, catalog: Catalog,
                recorded: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """A runbook query: it parses as Prometheus will run it (no Grafana macros: on-call pastes
    it into Prometheus), then passes every catalog reference check of check.promql.references (the
    series of the project's recording rules, named in `recorded`, are known too)."""
    try:
        parse_checked(text)
    except TooDeepError as exc:
        return [references.too_deep(f"{owner}: query", str(exc), where)]
    except ValueError as exc:
        return [Diagnostic.of("OBS706", f"{owner}: query does not parse: {exc}", where,
                              f"the query is: {shortened(text)}" + (
                                  "; runbook queries run in Prometheus, where Grafana's "
                                  "$__rate_interval does not exist: give a window like '5m'"
                                  if "$__" in text else ""))]
    return references.check_query(text, where, catalog, recorded=recorded, owner=owner)


def _queries(project: Project) -> Iterator[Diagnostic]:
    catalog = Catalog(project.metrics, project.jobs)
    recorded = project.recorded_series
    for runbook in project.runbooks:
        for number, step in enumerate(runbook.investigation, start=1):
            if step.promql is not None:
                owner = f"runbook of {runbook.alert.name}, step {number}"
                yield from check_query(step.promql.text, owner, step.source, catalog, recorded)


def _reserved(project: Project) -> Iterator[Diagnostic]:
    for group in emit.alert_groups(project):
        if is_reserved(group):
            yield Diagnostic.of(
                "OBS205", f"rule group {group.name!r} would get the runbook page "
                f"{runbook_page(group)}, a name the runbook site uses itself", group.source,
                f'give the group another file name: file="{group.file}-alerts" (reserved: '
                f"{', '.join(sorted(RESERVED_PAGES))})")


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


def check_runbooks(project: Project, memo: ResultCache = NO_CACHE,
                   made: Callable[[], dict[str, str]] | None = None) -> list[Diagnostic]:
    """The runbooks' coverage, queries, anchors and links; `made` gives the pages
    (`emit.pages`) when the caller keeps them for the build as well."""
    reserved = list(_reserved(project))
    groups = emit.alert_groups(project)
    if reserved or len({runbook_page(g) for g in groups}) < len(groups):
        # Pages would overwrite one another (OBS205: here, or check.rules.checks for a shared file
        # name), so their headings and links say nothing yet.
        return [*reserved, *_coverage(project), *_queries(project)]
    texts = emit.pages(project) if made is None else made()
    pages = {path: mdlinks.rendered(text, memo) for path, text in texts.items()}
    return [*_coverage(project), *_queries(project), *_anchors(project, pages),
            *_links(project, pages)]


# `obsgen lint` on Markdown written by someone else -------------------------------------------

def _foreign_pages(file: ForeignFile, context: LintContext, hrefs: Iterable[str]
                   ) -> dict[str, frozenset[str]]:
    """Ids of every page the links may reach: the run's Markdown files, then files on disk
    (a link to an existing image or folder resolves; an existing .md is read for its ids).
    A foreign page may be published by mkdocs or read on GitHub: either's anchors count."""
    pages = {alertlinks.normalised(f.path): alertlinks.page_ids(f.text, context.memo)
             for f in (*context.of_kind("markdown"), file)}
    here = posixpath.dirname(alertlinks.normalised(file.path))
    for href in hrefs:
        target = urlsplit(href).path
        if not target or target.startswith("/") or urlsplit(href).scheme:
            continue
        resolved = posixpath.normpath(posixpath.join(here, unquote(target)))
        if resolved in pages or stat_error(resolved) is not None:
            continue  # missing, or not to be told (a name too long, a symlink loop): broken
        data = read_bytes(resolved) if resolved.endswith(".md") else b""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else ""
        except UnicodeDecodeError:
            text = ""
        pages[resolved] = alertlinks.page_ids(text, context.memo)
    return pages


def lint_markdown(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """`obsgen lint` on a Markdown runbook: every relative link and anchor resolves (against
    the run's other Markdown files, or files on disk), and every runbook_url/runbook
    annotation of the run's rule files that points at this page names one of its headings."""
    rendered = mdlinks.rendered(file.text, context.memo)
    pages = _foreign_pages(file, context, rendered.links)
    here = alertlinks.normalised(file.path)
    found = mdbudget.findings(file.path, rendered.blanked)
    places = LinkPlaces(file.text)
    seen: dict[str, int] = {}
    for href in rendered.links:
        nth = seen[href] = seen.get(href, -1) + 1
        if href.startswith("/") or "{{" in href:
            # A site-absolute link: where the site is mounted is not known here; a Hugo
            # shortcode (`{{< ref "x.md" >}}`): the site generator resolves it.
            continue
        broken = mdlinks.resolve(href, here, pages, any_case=True)
        if broken is not None:
            written = places.of(href)
            line, column = written[min(nth, len(written) - 1)]
            found.append(Diagnostic.of(broken.code, broken.message,
                                       Location(file.path, line, column), broken.hint))
    found.extend(alertlinks.page_findings(file, context))
    return found


def check_emitted(shown_as: Path, artifacts: dict[str, str], memo: ResultCache = NO_CACHE
                  ) -> list[Diagnostic]:
    """`obsgen check` on its own output: the emitted pages' links, and every emitted
    runbook_url against the emitted headings (a finding here is an obsgen bug)."""
    kinds: dict[str, Kind] = {".md": "markdown", ".rules.yml": "rules"}
    files = tuple(ForeignFile(str(shown_as / rel), text, kind)
                  for rel, text in artifacts.items()
                  for suffix, kind in kinds.items() if rel.endswith(suffix))
    context = LintContext(files, memo=memo)
    return [d for page in context.of_kind("markdown") for d in lint_markdown(page, context)]
