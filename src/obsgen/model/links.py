"""Where an alert's runbook lives. One page per rule group (`<group.file>.md`), one heading per
alert; the anchor comes from Python-Markdown's toc slugify, the function mkdocs itself uses, so
an alert's link and its heading cannot disagree."""

from __future__ import annotations

from markdown.extensions.toc import slugify

from obsgen.model.rules import AlertRule, RuleGroup

# Names a group page may not take. A group page `<file>.md` is published as the folder
# `<file>/` at the site's root, beside what the site itself puts there: obsgen's overview
# (index.md → index.html), mkdocs' sitemap (sitemap.xml, sitemap.xml.gz), mkdocs-material's 404
# page (404.html) and theme files (assets/), and the search plugin's index (search/). A name
# equal to one of those collides with it; the bare stems (404, sitemap) would give URLs that
# read as the site's own. "readme": mkdocs publishes README.md as its folder's index, and
# GitHub shows a readme.md (any case) as the front page of the committed build/runbooks/.
# Reserving these beats moving group pages into a sub-folder, which would change every
# published runbook_url. Group file names are lower case; compare lower-cased all the same.
RESERVED_PAGES = frozenset({"index", "index.html", "readme", "404", "404.html",
                            "assets", "search", "sitemap", "sitemap.xml", "sitemap.xml.gz"})


def is_reserved(group: RuleGroup) -> bool:
    return group.file.lower() in RESERVED_PAGES


def anchor(alert: AlertRule) -> str:
    return slugify(alert.name, "-")


def runbook_page(group: RuleGroup) -> str:
    return f"{group.file}.md"


def runbook_url(base_url: str, group: RuleGroup, alert: AlertRule) -> str:
    """The published URL (mkdocs directory URLs) of the alert's runbook heading; "" if no base."""
    if not base_url:
        return ""
    return f"{base_url}{group.file}/#{anchor(alert)}"
