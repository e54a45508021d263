"""How every project command reports: the output options it takes, the findings it prints,
its status lines, and its exit status (0 clean, 1 errors, 2 usage or environment problem)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from obsgen.diagnostics import Diagnostic, UsageError, has_errors, sorted_unique
from obsgen.noqa import without_noqa
from obsgen.report import FORMATS, render, summary, use_color
from obsgen.selection import Selection, parse_selection
from obsgen.terminal import printable

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Output:
    fmt: str
    color: bool
    selection: Selection = field(default_factory=Selection)

    def keep(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """What `# obsgen: noqa` comments and --select/--ignore leave to report."""
        return self.selection.apply(without_noqa(diagnostics))

    def emit(self, diagnostics: Sequence[Diagnostic]) -> None:
        text = render(diagnostics, self.fmt, self.color)
        if text:
            click.echo(text, nl=False, color=self.color)

    def status(self, message: str) -> None:
        # Status lines quote paths from the config and file names from the command line.
        if self.fmt in ("full", "concise"):
            click.echo(printable(message, newlines=True), err=True, color=self.color)


def output_options(func: F) -> F:
    """How diagnostics are shown and which are: every command that reports takes these."""
    func = click.option("--ignore", multiple=True, metavar="CODES",
                        help="Leave out these codes or prefixes (comma list, repeatable): "
                             "--ignore OBS960,OBS1.")(func)
    func = click.option("--select", multiple=True, metavar="CODES",
                        help="Report only these codes or prefixes (comma list, repeatable); "
                             "the most specific of --select/--ignore wins.")(func)
    func = click.option("--color", type=click.Choice(["auto", "always", "never"]),
                        default="auto", show_default=True,
                        help="Colour the output; `auto` colours a terminal unless NO_COLOR is "
                             "set.")(func)
    return click.option("--output-format", "fmt", type=click.Choice(FORMATS), default="full",
                        show_default=True,
                        help="full: with source line and hint; concise: one line each; json: "
                             "machine-readable; github: workflow annotations; sarif: SARIF "
                             "2.1.0 for code scanning.")(func)


def common(func: F) -> F:
    """Options every project command takes."""
    func = output_options(func)
    return click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False,
                        path_type=Path), default=Path(), show_default=True,
                        help="Project folder (holds obsgen.toml or [tool.obsgen] in "
                             "pyproject.toml); parents are searched too.")(func)


def finish(out: Output, diagnostics: Sequence[Diagnostic]) -> None:
    ordered = out.keep(sorted_unique(diagnostics))
    out.emit(ordered)
    if ordered:
        out.status(summary(ordered))
    sys.exit(1 if has_errors(ordered) else 0)


def guard(run: Callable[[Output], None], fmt: str, color: str,
           select: Sequence[str] = (), ignore: Sequence[str] = ()) -> None:
    out = Output(fmt, use_color(color))
    try:
        out = Output(fmt, out.color, parse_selection(select, ignore))
        run(out)
    except UsageError as exc:
        out.emit([exc.diagnostic])
        sys.exit(2)
