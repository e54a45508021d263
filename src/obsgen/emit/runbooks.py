"""Runbook Markdown: `runbooks/index.md` (overview and the project-wide guide) and one page per
rule group with one heading per alert, rendered through the Jinja2 templates in templates/.

The output is a fixed point of `mdformat` (with mdformat-tables): tables are padded the way it
pads them, ordered lists number every item `1.`, and blocks are separated by one blank line.

Runbook fields are Markdown and land as written. Everything else is plain text or code: alert
summaries, names, severities, categories and components go through `mdtext.text` (shown
literally, HTML included), commands and queries through `mdtext.fence`.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
from wcwidth import wcswidth

from obsgen.emit import mdtext
from obsgen.model.links import anchor, runbook_page
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule, RuleGroup
from obsgen.model.runbooks import Runbook, RunbookGuide

RUNBOOKS_DIR = "runbooks"
INDEX_PAGE = "index.md"


def cell(text: str) -> str:
    """Text fit for one table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _width(text: str) -> int:
    """Display width, as mdformat-tables measures it (a wide emoji counts 2)."""
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table padded as mdformat-tables pads it (columns at least 3 wide)."""
    cells = [[cell(c) for c in row] for row in [headers, *rows]]
    widths = [max(3, *(_width(row[i]) for row in cells)) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - _width(c))
                                 for c, w in zip(row, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def link(alert: AlertRule, group: RuleGroup, here: RuleGroup | None) -> str:
    """A relative link to the alert's heading, from `here` (None: from the index page)."""
    page = "" if here is not None and here is group else runbook_page(group)
    return f"[{alert.name}]({page}#{anchor(alert)})"


def _causes(runbook: Runbook) -> list[list[str]]:
    return [[c.cause, c.confirm, c.fix] for c in runbook.root_causes]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("obsgen.emit", "templates"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True, autoescape=False,
    )
    env.globals.update(table=table, link=link, causes=_causes, text=mdtext.text,
                       fence=mdtext.fence, code_span=mdtext.code_span)
    return env


_FENCE = re.compile(r"^ *(`{3,}|~{3,})")


def _closes(line: str, fence: str) -> bool:
    marker = line.strip()
    return bool(marker) and set(marker) == {fence[0]} and len(marker) >= len(fence)


def _render(template: str, **context: object) -> str:
    text = _environment().get_template(template).render(**context)
    # Templates may leave runs of blank lines and trailing blanks where optional sections are
    # absent; inside a code block every line is kept as written.
    lines: list[str] = []
    fence = ""
    for line in text.rstrip().split("\n"):
        if fence:
            fence = "" if _closes(line, fence) else fence
            lines.append(line if fence else line.rstrip())
            continue
        opening = _FENCE.match(line)
        fence = opening.group(1) if opening else ""
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines) + "\n"


def alert_groups(project: Project) -> list[RuleGroup]:
    """The groups that get a page: those holding at least one alert."""
    return [g for g in project.groups if g.alerts]


def runbook_of(project: Project) -> dict[int, Runbook]:
    """Each alert's runbook by alert identity (the first one wins; OBS705 reports the rest)."""
    found: dict[int, Runbook] = {}
    for runbook in project.runbooks:
        found.setdefault(id(runbook.alert), runbook)
    return found


def guide(project: Project) -> RunbookGuide:
    return project.guides[0] if project.guides else RunbookGuide()


def group_page(project: Project, group: RuleGroup) -> str:
    runbooks = runbook_of(project)
    entries = [(alert, runbooks.get(id(alert))) for alert in group.alerts]
    return _render("group.md.j2", group=group, entries=entries, project=project,
                   group_of=project.group_of)


def index_page(project: Project) -> str:
    overview = [[link(alert, group, None), mdtext.text(alert.severity),
                 mdtext.text(alert.category or "-"), mdtext.text(alert.summary),
                 f"[{mdtext.text(group.name)}]({runbook_page(group)})"]
                for group in alert_groups(project) for alert in group.alerts]
    commons = [[i.symptom, i.cause, i.fix] for i in guide(project).common_issues]
    return _render("index.md.j2", guide=guide(project), overview=overview, commons=commons)


def pages(project: Project) -> dict[str, str]:
    """Every runbook page by its path inside the runbooks folder."""
    out = {INDEX_PAGE: index_page(project)}
    out.update({runbook_page(g): group_page(project, g) for g in alert_groups(project)})
    return out


def artifacts(project: Project, made: dict[str, str] | None = None) -> dict[str, str]:
    """The runbook pages by path relative to the build folder (`made`: `pages(project)`, if
    already made)."""
    made = pages(project) if made is None else made
    return {f"{RUNBOOKS_DIR}/{name}": text for name, text in made.items()}
