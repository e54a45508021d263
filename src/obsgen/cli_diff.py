"""`obsgen diff`: the semantic difference between this build and another one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from obsgen.build import compile_project
from obsgen.cli_output import Output, finish, guard
from obsgen.config import load_config
from obsgen.diff import render_json, render_markdown, render_text
from obsgen.diff.compare import compare
from obsgen.diff.model import Side
from obsgen.diff.sources import against as other_side

RENDERERS = {"full": render_text.render, "json": render_json.render,
             "markdown": render_markdown.render}


@click.command("diff", context_settings={"help_option_names": ["-h", "--help"],
                                         "max_content_width": 100})
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(), show_default=True,
              help="Project folder (holds obsgen.toml or [tool.obsgen] in pyproject.toml).")
@click.option("--against", "spec", default="HEAD", show_default=True, metavar="GIT_REF|DIR",
              help="Compare with the definitions at this git ref (built in a temporary folder), "
                   "or with a build folder (or a folder holding build/).")
@click.option("--output-format", "fmt", type=click.Choice(sorted(RENDERERS)), default="full",
              show_default=True, help="full: for a terminal; json: for scripts; markdown: for a "
                                      "pull-request comment or $GITHUB_STEP_SUMMARY.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when anything changed (0 otherwise); without it, 0 either way.")
def diff(project_dir: Path, spec: str, fmt: str, exit_code: bool) -> None:
    """What this change does to the artifacts, semantically: rules added, removed or changed
    (with the PromQL diff and changed for/labels/annotations), dashboards and panels (by title,
    with changed queries and settings), runbook sections, Alloy components and arguments, the
    instrumentation module's metrics, SLO objectives, and rule-test cases.

    The current definitions are built in memory (build/ is not touched) and compared with
    --against: a git ref (default HEAD: your uncommitted changes), whose definitions are
    built by this obsgen from `git archive` in a temporary folder, or a build folder. Works
    offline.

    \b
    Examples:
      obsgen diff                                   what the uncommitted changes do
      obsgen diff --against origin/main --output-format markdown >> "$GITHUB_STEP_SUMMARY"
      obsgen diff --against ../old-checkout --exit-code

    Exit status: 0 (1 with --exit-code when anything changed), 1 when the current definitions
    do not build, 2 on a usage problem (no such ref or folder).
    """

    def run(out: Output) -> None:
        config = load_config(project_dir)
        compiled = compile_project(config, out.keep)
        if not compiled.ok:
            out.status("The current definitions do not build; nothing to compare.")
            finish(out, compiled.diagnostics)
        old, notes = other_side(config, spec, out.keep)
        result = compare(old, Side("working tree", compiled.artifacts), notes)
        click.echo(RENDERERS[fmt](result), nl=False)
        sys.exit(1 if exit_code and result.changed else 0)

    guard(run, "json" if fmt == "json" else "full", "auto")
