"""Links and anchors of Markdown pages, resolved the way mkdocs resolves them.

Pages are rendered with Python-Markdown and the extensions of the generated mkdocs config (or,
for a foreign page, the ones mkdocs always enables), so the ids found here are the ids of the
published site: an anchor that resolves here resolves there.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from importlib.metadata import version
from typing import Any, cast, get_args
from urllib.parse import unquote, urlsplit

import markdown

from obsgen.check.runbooks.mdbudget import Blanked, Why, budget
from obsgen.emit.mkdocs import EXTENSIONS
from obsgen.resultcache import NO_CACHE, ResultCache


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    name: str


@dataclass(frozen=True)
class Rendered:
    ids: frozenset[str]
    links: tuple[str, ...]
    headings: tuple[Heading, ...]
    blanked: tuple[Blanked, ...] = ()  # blocks too bracket-heavy to render (mdbudget.py)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        if tag == "a" and values.get("href") is not None:
            self.links.append(str(values["href"]))


def _flatten(tokens: list[dict[str, Any]]) -> list[Heading]:
    out = []
    for token in tokens:
        out.append(Heading(int(token["level"]), str(token["id"]), str(token["name"])))
        out.extend(_flatten(token.get("children", [])))
    return out


# Rendering builds a Markdown converter with every extension, which dominates `obsgen check` on
# large projects; pages and fragments repeat across checks, so results are kept by text.
@lru_cache(maxsize=8192)
def render(text: str) -> Rendered:
    """The ids, link targets and headings (in page order) of one Markdown page; a block that
    would take Python-Markdown quadratic time is left out (and listed in `blanked`)."""
    # Code blocks carry no ids or links, so they are not syntax-highlighted here: Pygments
    # would be a third of the time and change nothing this module reads.
    md = markdown.Markdown(extensions=[*EXTENSIONS, "pymdownx.highlight"],
                           extension_configs={"pymdownx.highlight": {"use_pygments": False}})
    collector = _Collector()
    budgeted = budget(text)
    collector.feed(md.convert(budgeted.text))
    tokens = getattr(md, "toc_tokens", [])
    return Rendered(frozenset(collector.ids), tuple(collector.links), tuple(_flatten(tokens)),
                    budgeted.blanked)


def _dump(page: Rendered) -> object:
    return {"ids": sorted(page.ids), "links": list(page.links),
            "headings": [[h.level, h.id, h.name] for h in page.headings],
            "blanked": [[b.why, b.first, b.last, b.line, b.column, b.count]
                        for b in page.blanked]}


def _load(data: object) -> Rendered:
    if not isinstance(data, dict):
        raise TypeError("a rendered page")
    return Rendered(frozenset(map(str, data["ids"])), tuple(map(str, data["links"])),
                    tuple(Heading(int(level), str(id_), str(name))
                          for level, id_, name in data["headings"]),
                    tuple(Blanked(_why(why), int(first), int(last), int(line), int(column),
                                  int(n)) for why, first, last, line, column, n in data["blanked"]))


def _why(value: object) -> Why:
    for why in get_args(Why):
        if why == value:
            return cast(Why, why)
    raise ValueError(f"not a reason: {value!r}")


# What renders a page besides obsgen's own code (which the cache's salt covers).
_VERSIONS = f"markdown {version('markdown')}, pymdown-extensions {version('pymdown-extensions')}"


@lru_cache(maxsize=8192)
def rendered(text: str, memo: ResultCache = NO_CACHE) -> Rendered:
    """`render`, kept in `memo` by the page's text: rendering is most of what checking a large
    project's runbooks costs, and an edit changes one page."""
    if memo.folder is None:
        return render(text)
    return memo.remember("markdown", (_VERSIONS, text), lambda: render(text),
                         _dump, _load)


def links(text: str) -> tuple[str, ...]:
    """Link targets of a Markdown fragment. Text with neither `[` nor `<` cannot hold a link
    (inline, reference or raw HTML), so it is not rendered at all."""
    if "[" not in text and "<" not in text:
        return ()
    return render(text).links


@dataclass(frozen=True)
class Broken:
    code: str  # OBS708 (no such page) or OBS709 (no such anchor)
    message: str
    hint: str


def _external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme) or href.startswith("//")


def resolve(href: str, page: str, pages: Mapping[str, frozenset[str]], *,
            any_case: bool = False) -> Broken | None:
    """Check one link written on `page` (a path inside the docs folder) against `pages` (every
    page's path and its ids); None when it resolves, or is external. `any_case`: an anchor
    matches an id whatever its case, as on GitHub (a foreign page may be read there; our own
    site is mkdocs, where it must match exactly)."""
    if not href or _external(href):
        return None
    parts = urlsplit(href)
    if parts.path.startswith("/"):
        return Broken("OBS708", f"link {href!r} is absolute", "use a path relative to this "
                      "page (like other.md#anchor): the site may be published under a sub-path")
    target = page
    if parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if target not in pages:
            known = ", ".join(sorted(pages)) or "none"
            hint = (f"link to the Markdown file ({target.rstrip('/')}.md), not the URL"
                    if f"{target.rstrip('/')}.md" in pages else f"pages here: {known}")
            return Broken("OBS708", f"link {href!r} points at {target}, which is not a page",
                          hint)
    fragment = unquote(parts.fragment)
    if fragment and fragment not in pages[target] and not (
            any_case and fragment.lower() in pages[target]):
        return Broken("OBS709", f"link {href!r}: {target} has no anchor #{fragment}",
                      anchor_hint(fragment, pages[target]))
    return None


def anchor_hint(fragment: str, ids: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(fragment, sorted(ids), n=1)
    return f"did you mean #{close[0]}?" if close else "link to a heading that exists on that page"
