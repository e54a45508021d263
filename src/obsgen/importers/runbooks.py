"""`obsgen import` of runbook Markdown: the inverse of `obsgen.emit.runbooks`.

A heading that names one of the run's alerts (by name, in a code span, or by its anchor)
starts that alert's `Runbook`; its sections land on the fields their headings name, code blocks
of an investigation step become the step's query (promql) and command (shell). The page's
title, introduction and project-wide sections become a `RunbookGuide`: one for the whole run,
made from every page's (see runbook_guide). Whatever no field takes is kept, as written, in
the runbook's or the guide's `notes` and reported (OBS986), so no text of the page is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.contract import Code, Import, Imported, ImportEnv, Module, Survey
from obsgen.importers.markdown_blocks import Block
from obsgen.importers.pysource import Names, SourceModule, constant_name, text
from obsgen.importers.runbook_fields import PROMQL, StepSpec, parses
from obsgen.importers.runbook_guide import PageGuide, merged
from obsgen.importers.runbook_page import (
    AlertNames,
    GuideSpec,
    Left,
    Page,
    RunbookSpec,
    alert_like,
    read_guide,
    read_runbook,
    split,
)


def survey(file: ForeignFile) -> Survey:
    """The alerts its headings seem to name, and the PromQL of its promql code blocks."""
    page = Page(file.text)
    names: list[str] = []
    for block in page.blocks:
        if block.kind == "heading":
            names += [n for n in alert_like(block.content) if n not in names]
    names += [n for n in alert_like(PurePath(file.path).stem) if n not in names]
    fences = [(b.info, b.content) for b in page.blocks if b.kind == "fence"]
    fences += [fence for b in page.blocks for item in b.items for fence in item.fences]
    queries = [code.strip() for info, code in fences if info in PROMQL]
    return Survey(queries=tuple(q for q in dict.fromkeys(queries) if q and parses(q)),
                  runbook_alerts=tuple(names))


@dataclass(frozen=True)
class _Read:
    """A page read: its runbooks, its page-level text as a guide, and what was reported."""

    runbooks: tuple[RunbookSpec, ...]
    guide: GuideSpec | None
    guide_line: int  # 1-based line where its page-level text starts
    diagnostics: tuple[Diagnostic, ...]


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    read = _read(file, env)
    return _imported(file, env, module, read, read.guide, read.diagnostics)


def write_all(pages: Sequence[tuple[ForeignFile, str]], env: ImportEnv) -> list[Imported]:
    """Each page's modules (pages: each file with its module's name). A project has one
    RunbookGuide, so the page-level text of every page joins one, written with the runbooks
    of the first such page by path."""
    reads = [_read(file, env) for file, _ in pages]
    having = sorted((n for n, r in enumerate(reads) if r.guide is not None),
                    key=lambda n: pages[n][0].path)
    if len(having) < 2:
        return [_imported(f, env, m, r, r.guide, r.diagnostics)
                for (f, m), r in zip(pages, reads, strict=True)]
    owner = having[0]
    guide, notices = merged([PageGuide(pages[n][0].path, reads[n].guide_line, g)
                             for n in having if (g := reads[n].guide) is not None],
                            pages[owner][1])
    out = []
    for n, ((file, module), read) in enumerate(zip(pages, reads, strict=True)):
        mine = [d for d in notices if d.location and d.location.path == file.path]
        found = sorted((*read.diagnostics, *mine),
                       key=lambda d: d.location.line if d.location else 0)
        out.append(_imported(file, env, module, read, guide if n == owner else None, found))
    return out


def _read(file: ForeignFile, env: ImportEnv) -> _Read:
    page = Page(file.text)
    names = AlertNames(sorted(env.alerts))
    outside, sections = split(page, names.in_heading)
    if not sections:
        outside, sections = _named_by_file(file, page, names, outside)
    runbooks: list[RunbookSpec] = []
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for alert, rest, heading, body in sections:
        if alert in seen:  # a second runbook for one alert: its section joins the guide's text
            outside += [heading, *body]
            found.append(Diagnostic.of(
                "OBS986", f"a second section for alert {alert}; it was kept as written in the "
                "guide's notes", Location(file.path, heading.start + 1),
                "merge it into the alert's first section, where it maps onto runbook fields"))
            continue
        seen.add(alert)
        spec, left = read_runbook(page, names, alert, rest, heading, body)
        found += [_kept(file, item, f"in the runbook of {alert}") for item in left]
        if spec is not None:
            runbooks.append(spec)
    outside.sort(key=lambda b: b.start)
    guide, left = read_guide(page, outside)
    reported = {d.location.line for d in found if d.location}
    found += [_kept(file, item, "in the guide") for item in left if item.line not in reported]
    found.sort(key=lambda d: d.location.line if d.location else 0)
    return _Read(tuple(runbooks), guide, outside[0].start + 1 if outside else 1, tuple(found))


def _imported(file: ForeignFile, env: ImportEnv, module: str, read: _Read,
              guide: GuideSpec | None, found: Sequence[Diagnostic]) -> Imported:
    if not read.runbooks and guide is None:
        return Imported(diagnostics=tuple(found))
    source = _source(file, env, module, list(read.runbooks), guide)
    return Imported((Module(module, source, file.path),), tuple(found))


def _named_by_file(file: ForeignFile, page: Page, names: AlertNames, outside: list[Block]
                   ) -> tuple[list[Block], list[tuple[str, str, Block, list[Block]]]]:
    """A page of one alert's runbook, named after it (`HighErrorRate.md`) and naming it in no
    heading: the whole page is its section, a lone title heading the start of its text."""
    alert = names(PurePath(file.path).stem)
    if alert is None or not page.blocks:
        return outside, []
    titles = [b for b in page.blocks if b.kind == "heading" and b.level == 1]
    first = page.blocks[0]
    if len(titles) == 1 and titles[0] is first:
        return [], [(alert, first.content, first, page.blocks[1:])]
    return [], [(alert, "", Block("heading", 0, 0, "", 1, alert), page.blocks)]


def _kept(file: ForeignFile, left: Left, where: str) -> Diagnostic:
    if where == "in the guide" and alert_like(left.title):
        return Diagnostic.of("OBS986", f"heading {left.title!r} looks like an alert's name, but "
                             "no imported alert has it; its section was kept as written in the "
                             "guide's notes", Location(file.path, left.line),
                             "import the rule file that defines the alert with this page, or "
                             "rename the heading to the alert's name")
    return Diagnostic.of("OBS986", f"section {left.title!r} maps onto no runbook field; it was "
                         f"kept as written in the notes ({where})",
                         Location(file.path, left.line),
                         "move its text into a field of the Runbook (or RunbookGuide) if one "
                         "fits, or leave it in notes")


def _obsgen(name: str) -> Code:
    return Code(name, frozenset({Import("obsgen", name)}))


def _source(file: ForeignFile, env: ImportEnv, module: str, runbooks: list[RunbookSpec],
            guide: GuideSpec | None) -> str:
    out = SourceModule(module, f"Runbooks imported from {file.path}.")
    names = Names()
    for spec in runbooks:
        name = names.claim(constant_name(spec.alert) + "_RUNBOOK")
        args = [out.use(env.alerts[spec.alert].code())]
        args += [f"{key}={_value(out, env, key, value)}" for key, value in spec.fields]
        if spec.notes:
            args.append(f"notes={text(spec.notes)}")
        out.add(f"{name} = {out.use(_obsgen('Runbook'))}({', '.join(args)})")
    if guide is not None:
        args = [f"{key}={_value(out, env, key, value)}" for key, value in guide.fields]
        if guide.notes:
            args.append(f"notes={text(guide.notes)}")
        name = names.claim("GUIDE")
        out.add(f"{name} = {out.use(_obsgen('RunbookGuide'))}({', '.join(args)})")
    return out.render()


def _value(out: SourceModule, env: ImportEnv, key: str, value: object) -> str:
    if isinstance(value, str):
        return text(value)
    assert isinstance(value, tuple)
    if key == "investigation":
        return "[" + ", ".join(_step(out, env, s) for s in value) + "]"
    if key in ("root_causes", "common_issues", "commands"):
        cls = {"root_causes": "RootCause", "common_issues": "CommonIssue",
               "commands": "Command"}[key]
        made = out.use(_obsgen(cls))
        return "[" + ", ".join(f"{made}({', '.join(text(c) for c in row)})" for row in value) \
            + "]"
    if key == "related":
        return "[" + ", ".join(out.use(env.alerts[n].code()) for n in value) + "]"
    return "[" + ", ".join(text(v) for v in value) + "]"


def _step(out: SourceModule, env: ImportEnv, step: StepSpec) -> str:
    args = [text(step.text)]
    if step.query is not None:
        args.append(f"query={out.use(env.query(step.query))}")
    if step.command:
        args.append(f"command={text(step.command)}")
    return f"{out.use(_obsgen('Step'))}({', '.join(args)})"

