"""The `obsgen` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from obsgen import build as building
from obsgen.check import promtool
from obsgen.check.project import check_project
from obsgen.codes import CODES
from obsgen.config import Config, load_config
from obsgen.diagnostics import Diagnostic, UsageError, has_errors, sorted_unique
from obsgen.report import FORMATS, display_path, render, summary, use_color

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass(frozen=True)
class Output:
    fmt: str
    color: bool

    def emit(self, diagnostics: Sequence[Diagnostic]) -> None:
        text = render(diagnostics, self.fmt, self.color)
        if text:
            click.echo(text, nl=False, color=self.color)

    def status(self, message: str) -> None:
        if self.fmt in ("full", "concise"):
            click.echo(message, err=True, color=self.color)


def common(func: F) -> F:
    """Options every command takes."""
    func = click.option("--color", type=click.Choice(["auto", "always", "never"]),
                        default="auto", show_default=True,
                        help="Colour the output; `auto` colours a terminal unless NO_COLOR is "
                             "set.")(func)
    func = click.option("--output-format", "fmt", type=click.Choice(FORMATS), default="full",
                        show_default=True,
                        help="full: with source line and hint; concise: one line each; json: "
                             "machine-readable; github: workflow annotations.")(func)
    return click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False,
                        path_type=Path), default=Path(), show_default=True,
                        help="Project folder (holds obsgen.toml or [tool.obsgen] in "
                             "pyproject.toml); parents are searched too.")(func)


def _finish(out: Output, diagnostics: Sequence[Diagnostic]) -> None:
    ordered = sorted_unique(diagnostics)
    out.emit(ordered)
    if ordered:
        out.status(summary(ordered))
    sys.exit(1 if has_errors(ordered) else 0)


def _config(project_dir: Path) -> Config:
    return load_config(project_dir)


def _compile_and_write(config: Config, out: Output) -> building.Compiled:
    compiled = building.compile_project(config)
    if not compiled.ok:
        out.status(f"Build failed; {display_path(str(config.build))}/ was left as it was.")
        _finish(out, compiled.diagnostics)
    changed = building.changed_paths(config.build, compiled.artifacts)
    written = building.write(config, compiled.artifacts)
    if written:
        _finish(out, [*compiled.diagnostics, *written])
    out.status(f"Built {len(compiled.artifacts)} files into {display_path(str(config.build))}/ "
               f"({len(changed)} changed).")
    return building.Compiled(compiled.project, compiled.artifacts,
                             [*compiled.diagnostics, *written])


def _guard(run: Callable[[Output], None], fmt: str, color: str) -> None:
    out = Output(fmt, use_color(color))
    try:
        run(out)
    except UsageError as exc:
        out.emit([exc.diagnostic])
        sys.exit(2)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="obsgen", message="obsgen %(version)s")
def main() -> None:
    """obsgen compiles Python observability definitions (metric catalog, Prometheus alerting and
    recording rules with unit tests) into checked artifacts under build/.

    \b
    Typical use:
      obsgen build            write build/ from definitions/
      obsgen check            build, then schema-check and promtool-check and -test it
      obsgen codes OBS102     explain a diagnostic code

    Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage or environment problem.
    """


@main.command(context_settings=CONTEXT)
@common
def build(project_dir: Path, fmt: str, color: str) -> None:
    """Load the definitions, validate them against the catalog, and write build/.

    Artifacts are written to a temporary folder and swapped in, so a failed build leaves the
    previous build/ untouched. Output is deterministic: the same definitions give byte-identical
    files.
    """

    def run(out: Output) -> None:
        compiled = _compile_and_write(_config(project_dir), out)
        _finish(out, compiled.diagnostics)

    _guard(run, fmt, color)


@main.command(context_settings=CONTEXT)
@common
def check(project_dir: Path, fmt: str, color: str) -> None:
    """Build, then check every artifact: JSON Schema, `promtool check rules`, and every rule
    unit test with `promtool test rules`.

    promtool comes from $PROMTOOL or PATH (Debian's `prometheus` package; `make setup`
    installs it). Findings point at the definition that produced the rule or test.
    """

    def run(out: Output) -> None:
        config = _config(project_dir)
        tool = promtool.find_promtool()
        compiled = _compile_and_write(config, out)
        assert compiled.project is not None
        found, stats = check_project(compiled.project, config.build, compiled.artifacts, tool)
        passed = stats.test_cases - stats.failed_cases
        out.status(f"promtool check rules: {stats.rules} rules in {stats.rule_files} files, "
                   f"{'clean' if not any(d.code == 'OBS303' for d in found) else 'FAILED'}; "
                   f"promtool test rules: {passed} of {stats.test_cases} cases passed.")
        _finish(out, [*compiled.diagnostics, *found])

    _guard(run, fmt, color)


@main.command(context_settings=CONTEXT)
@click.argument("code", required=False)
def codes(code: str | None) -> None:
    """List every diagnostic code with its severity and meaning, or explain one CODE."""
    selected = [CODES[code.upper()]] if code and code.upper() in CODES else list(CODES.values())
    if code and code.upper() not in CODES:
        raise click.BadParameter(f"unknown code {code!r}; run `obsgen codes` for the list",
                                 param_hint="CODE")
    for entry in selected:
        click.echo(f"{entry.code}  {entry.severity.value:<7}  {entry.summary}")
