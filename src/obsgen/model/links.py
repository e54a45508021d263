"""Where an alert's runbook lives. One page per rule group (`<group.file>.md`), one heading per
alert; the anchor comes from Python-Markdown's toc slugify, the function mkdocs itself uses, so
an alert's link and its heading cannot disagree."""

from __future__ import annotations

from markdown.extensions.toc import slugify

from obsgen.model.rules import AlertRule, RuleGroup


def anchor(alert: AlertRule) -> str:
    return slugify(alert.name, "-")


def runbook_page(group: RuleGroup) -> str:
    return f"{group.file}.md"


def runbook_url(base_url: str, group: RuleGroup, alert: AlertRule) -> str:
    """The published URL (mkdocs directory URLs) of the alert's runbook heading; "" if no base."""
    if not base_url:
        return ""
    return f"{base_url}{group.file}/#{anchor(alert)}"
