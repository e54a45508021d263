"""Runbook annotations of rule files against the Markdown pages of the same `obsgen lint` run.

An alert's `runbook_url`, or a `runbook` annotation in free text ("See RUNBOOK.md#disk-full"),
names a page and a heading. A reference is checked only when it resolves to a page of the run:
a URL whose last path segment is the page (a site's `app/` or `app.md`, a repository's
`blob/main/RUNBOOK.md`, whose path in the repository must end the page's path; among pages so
named, the one checked out in a folder named for the repository), or a relative path to a
`.md` file. An anchor counts as present when either renderer that publishes runbooks makes
it: mkdocs (Python-Markdown's toc) or GitHub, where a RUNBOOK.md in a repository is read.
A relative `.md` path that is neither a page of the run nor a file on disk is a missing page;
a URL never is (it may be served from anywhere).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from obsgen.check import yamlguard
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.reading import stat_error
from obsgen.check.runbooks import mdlinks
from obsgen.check.yamlnodes import value_of
from obsgen.diagnostics import Diagnostic, Location
from obsgen.resultcache import NO_CACHE, ResultCache

_PAGE_SUFFIXES = (".md", ".html", ".htm")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
_URL_KEYS = ("runbook_url", "runbook")
# A URL, or a path to a Markdown file, inside free text; trailing punctuation is the sentence's.
_REFERENCE = re.compile(r"https?://[^\s<>\"'()]+|[\w./-]*\w\.md(?:#[^\s<>\"'(),;]*)?")
_GITHUB_DROP = re.compile(r"[^\w\- ]")
# A file in a repository: /OWNER/REPO/blob/REF/PATH (GitHub, Gitea: also tree, raw, src),
# /GROUP/.../REPO/-/blob/REF/PATH (GitLab).
_REPOSITORY_FILE = re.compile(
    r"^/(?:[^/]+/)+?(?P<repo>[^/]+)/(?:-/)?(?:blob|tree|raw|edit|src)/[^/]+/(?P<path>.+)$")


def normalised(path: str) -> str:
    return posixpath.normpath(Path(path).as_posix())


@dataclass(frozen=True)
class UrlAnnotation:
    alert: str
    key: str
    url: str
    line: int
    column: int


def _annotation_nodes(node: yaml.Node) -> Iterator[tuple[str, str, yaml.Node]]:
    """(alert, key, value node) of each runbook_url/runbook annotation in a rule file (plain
    or a PrometheusRule's spec), with the node for its line."""
    if not isinstance(node, yaml.MappingNode):
        return
    fields = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if "spec" in fields:
        yield from _annotation_nodes(fields["spec"])
    groups = fields.get("groups")
    for group in groups.value if isinstance(groups, yaml.SequenceNode) else ():
        rules = value_of(group, "rules")
        for rule in rules.value if isinstance(rules, yaml.SequenceNode) else ():
            alert = value_of(rule, "alert")
            annotations = value_of(rule, "annotations")
            if not isinstance(alert, yaml.ScalarNode) or not isinstance(annotations,
                                                                       yaml.MappingNode):
                continue
            for key, value in annotations.value:
                if key.value in _URL_KEYS and isinstance(value, yaml.ScalarNode):
                    yield str(alert.value), str(key.value), value


def _composed(text: str) -> tuple[UrlAnnotation, ...]:
    try:
        root = yamlguard.compose(text, _LOADER)
    except yaml.YAMLError:
        return ()  # the rule-file linter reports it
    if root is None:
        return ()
    return tuple(UrlAnnotation(alert, key, str(node.value), node.start_mark.line + 1,
                               node.start_mark.column + 1)
                 for alert, key, node in _annotation_nodes(root))


def _dump(found: tuple[UrlAnnotation, ...]) -> object:
    return [[a.alert, a.key, a.url, a.line, a.column] for a in found]


def _load(data: object) -> tuple[UrlAnnotation, ...]:
    if not isinstance(data, list):
        raise TypeError("a list of annotations")
    return tuple(UrlAnnotation(str(alert), str(key), str(url), int(line), int(column))
                 for alert, key, url, line, column in data)


# Every page of a run is checked against every rule file, so each rule file is composed once;
# composing is most of this check's cost, so it is also kept in `memo` by the file's text.
@lru_cache(maxsize=1024)
def url_annotations(text: str, memo: ResultCache = NO_CACHE) -> tuple[UrlAnnotation, ...]:
    return memo.remember("runbook-annotations", (text,), partial(_composed, text), _dump, _load)


def references(value: str) -> tuple[str, ...]:
    """The URLs and Markdown paths an annotation names; none when it is templated."""
    if "{{" in value:
        return ()
    return tuple(m.group().rstrip(".,:;!?") for m in _REFERENCE.finditer(value))


def github_ids(headings: tuple[mdlinks.Heading, ...]) -> frozenset[str]:
    """The anchors GitHub gives headings: lower case, punctuation dropped, spaces to
    hyphens, a repeated anchor numbered -1, -2, ..."""
    seen: dict[str, int] = {}
    ids = set()
    for heading in headings:
        slug = _GITHUB_DROP.sub("", html.unescape(heading.name).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(ids)


@lru_cache(maxsize=1024)
def page_ids(text: str, memo: ResultCache = NO_CACHE) -> frozenset[str]:
    rendered = mdlinks.rendered(text, memo)
    return rendered.ids | github_ids(rendered.headings)


def _stem(path: str) -> str:
    file = Path(path)
    return file.parent.name if file.stem.lower() in ("index", "readme") else file.stem


def _url_stem(url: str) -> str:
    """The page a URL names: its last path segment, without a trailing slash or a .md/.html
    suffix, to be matched with a file's stem (for index.md/README.md, its folder's name)."""
    segment = urlsplit(url).path.rstrip("/").rpartition("/")[2]
    for suffix in _PAGE_SUFFIXES:
        segment = segment.removesuffix(suffix)
    return unquote(segment)


@lru_cache(maxsize=8)
def _pages_by_stem(pages: tuple[ForeignFile, ...]) -> dict[str, tuple[ForeignFile, ...]]:
    """The run's pages by stem, made once a run: looking each URL up instead of matching it
    against every page keeps the check linear (it was pages x annotations x pages)."""
    index: dict[str, tuple[ForeignFile, ...]] = {}
    for page in pages:
        index[_stem(page.path)] = (*index.get(_stem(page.path), ()), page)
    return index


def _suffix_of(reference: str, path: str) -> bool:
    wanted = [p for p in reference.split("/") if p not in ("", ".")]
    have = normalised(path).split("/")
    return ".." not in wanted and bool(wanted) and have[-len(wanted):] == wanted


def _repository_root(path: str, inside: str) -> str:
    """The name of the folder a page's repository is checked out in, given the page's path
    inside the repository (for an index.md/README.md, inside may name its folder)."""
    file = Path(posixpath.abspath(normalised(path)))
    start = file.parent if _suffix_of(inside, str(file.parent)) else file
    parents = start.parents
    return parents[min(len(inside.split("/")), len(parents)) - 1].name.lower()


@lru_cache(maxsize=1 << 16)  # each page's check asks again for every annotation of the run
def _pages_at_url(url: str, pages: tuple[ForeignFile, ...]) -> tuple[ForeignFile, ...]:
    """The pages a URL names. A repository's file URL names a page whose path ends with the
    file's path in the repository, and when several do (every mixin has a runbook.md), the
    one checked out in a folder named for the repository; else none, as the URL is then about
    a repository that is not in the run."""
    stem = _url_stem(url)
    named = _pages_by_stem(pages).get(stem, ()) if stem else ()
    file = _REPOSITORY_FILE.match(urlsplit(url).path)
    if file is None:
        return named
    inside = unquote(file["path"]).strip("/")
    named = tuple(p for p in named if _suffix_of(inside, p.path)
                  or _suffix_of(inside, str(Path(p.path).parent)))
    checkouts = tuple(p for p in named if _repository_root(p.path, inside) == file["repo"].lower())
    return checkouts or (named if len(named) == 1 else ())


def _pages_named(reference: str, rules: ForeignFile, pages: tuple[ForeignFile, ...]
                 ) -> tuple[ForeignFile, ...] | None:
    """The pages of the run a reference names (several when it is ambiguous); None for a
    relative .md path that names nothing, in the run or on disk."""
    target = urlsplit(reference).path
    if urlsplit(reference).scheme:
        return _pages_at_url(reference, pages)
    if target.startswith("/") or not target.endswith(".md"):
        return ()
    here = posixpath.dirname(normalised(rules.path))
    resolved = posixpath.normpath(posixpath.join(here, unquote(target)))
    exact = tuple(p for p in pages if normalised(p.path) == resolved)
    named = exact or tuple(p for p in pages if _suffix_of(unquote(target), p.path))
    if named or _on_disk(rules.path, unquote(target)):
        return named
    return None


def _on_disk(rules_path: str, target: str) -> bool:
    """The path exists next to the rule file or under one of its parent folders (free text
    often names a file from the repository's root)."""
    folder = Path(rules_path).resolve().parent
    return any(stat_error(base / target) is None for base in (folder, *folder.parents))


def _annotations(context: LintContext) -> Iterator[tuple[ForeignFile, UrlAnnotation, str]]:
    for rules in context.of_kind("rules"):
        for found in url_annotations(rules.text, context.memo):
            for reference in references(found.url):
                yield rules, found, reference


@dataclass(frozen=True)
class _Aimed:
    """An annotation with an anchor, and the pages of the run it may name."""
    rules: ForeignFile
    found: UrlAnnotation
    fragment: str
    named: tuple[ForeignFile, ...]


@lru_cache(maxsize=8)
def _aimed_at(rule_files: tuple[ForeignFile, ...], pages: tuple[ForeignFile, ...],
              memo: ResultCache) -> dict[str, tuple[_Aimed, ...]]:
    """Every anchored annotation of the run by the page it is said at (the first it names),
    made once a run: each page's check reads its own entry instead of going over every
    annotation of the run (which made the check pages x annotations)."""
    index: dict[str, list[_Aimed]] = {}
    for rules in rule_files:
        for found in url_annotations(rules.text, memo):
            for reference in references(found.url):
                fragment = unquote(urlsplit(reference).fragment)
                named = _pages_named(reference, rules, pages) if fragment else ()
                if named:
                    index.setdefault(named[0].path, []).append(
                        _Aimed(rules, found, fragment, named))
    return {path: tuple(aimed) for path, aimed in index.items()}


def page_findings(file: ForeignFile, context: LintContext) -> Iterator[Diagnostic]:
    """OBS713 for each annotation of the run's rule files naming a heading this page lacks
    (said once, at the first of the pages it may name)."""
    pages = context.of_kind("markdown") or (file,)
    for aimed in _aimed_at(context.of_kind("rules"), pages, context.memo).get(file.path, ()):
        if any(aimed.fragment in page_ids(page.text, context.memo) for page in aimed.named):
            continue
        found = aimed.found
        yield Diagnostic.of("OBS713", f"{found.key} of alert {found.alert} points at "
                            f"#{aimed.fragment}, which is not a heading of {file.path}",
                            Location(aimed.rules.path, found.line, found.column),
                            mdlinks.anchor_hint(aimed.fragment,
                                                page_ids(file.text, context.memo)))


def missing_page_findings(context: LintContext) -> list[Diagnostic]:
    """OBS715 for each annotation naming a relative .md path that is not there; only in a run
    that holds Markdown pages (without any, the runbooks were simply not linted)."""
    pages = context.of_kind("markdown")
    if not pages:
        return []
    return [Diagnostic.of("OBS715", f"{found.key} of alert {found.alert} names "
                          f"{urlsplit(reference).path}, which is no page of this run nor a "
                          "file on disk", Location(rules.path, found.line, found.column),
                          f"pages in this run: {', '.join(sorted(p.path for p in pages))}")
            for rules, found, reference in _annotations(context)
            if _pages_named(reference, rules, pages) is None]
