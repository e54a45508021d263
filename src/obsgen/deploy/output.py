"""How a deploy shows itself: progress and retries on stderr (rich), the plan or result on
stdout — lines and diffs for people, one JSON object for tools. What people read quotes
titles, diffs and server messages: control characters in them are shown, never acted on."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import click
from rich.console import Console
from rich.markup import escape

from obsgen.deploy.plan import Action, Report, describe
from obsgen.diagnostics import has_errors, sorted_unique
from obsgen.report import render, summary
from obsgen.terminal import printable

PEOPLE = ("full", "concise")  # formats read by a person; the others are parsed
_STYLE = {"create": "green", "update": "yellow", "prune": "red", "drift": "magenta",
          "foreign": "magenta", "unchanged": "dim"}


@dataclass
class Progress:
    """Live lines on stderr while a deploy runs: one per finished object, one per retry."""

    fmt: str
    color: bool
    console: Console = field(init=False)

    def __post_init__(self) -> None:
        self.console = Console(stderr=True, no_color=not self.color, highlight=False,
                               soft_wrap=True, force_terminal=self.color or None)

    @property
    def quiet(self) -> bool:
        return self.fmt not in PEOPLE

    def action(self, action: Action) -> None:
        # Only a terminal gets live lines: elsewhere the final list on stdout says it all.
        if self.quiet or action.outcome == "planned" or not self.console.is_terminal:
            return
        style = _STYLE.get(action.action, "")
        line = escape(printable(describe(action)))
        self.console.print(f"[{style}]{line}[/{style}]" if style else line)

    def note(self, message: str) -> None:
        if not self.quiet:
            self.console.print(f"[dim]{escape(printable(message))}[/dim]")


def show(report: Report, fmt: str, color: bool) -> int:
    """Print the report on stdout; the exit status: 1 when an error was found, else 0."""
    diagnostics = sorted_unique(report.diagnostics)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, sort_keys=True))
        return 1 if has_errors(diagnostics) else 0
    if fmt in PEOPLE:
        for action in report.actions:
            if report.dry_run or action.outcome != "planned":
                click.echo(printable(describe(action)))
            if report.dry_run and action.diff and action.action != "unchanged":
                click.echo(printable(action.diff, newlines=True), nl=False)
    text = render(diagnostics, fmt, color)
    if text:
        click.echo(text, nl=False, color=color)
    if fmt in PEOPLE:
        click.echo(printable(report.summary()), err=True)
        if diagnostics:
            click.echo(summary(diagnostics), err=True)
    return 1 if has_errors(diagnostics) else 0
