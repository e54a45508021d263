"""The `obsgen` command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from obsgen.check.reading import DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_ENV, describe_size, parse_size
from obsgen.cli_output import Output, finish, guard, output_options
from obsgen.report import display_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# Commands whose modules load only when they run (or `obsgen --help` lists them): a run that
# has nothing to do must not pay for importing the whole compiler.
_LAZY = {"build": "obsgen.cli_build:build", "check": "obsgen.cli_build:check",
         "docs": "obsgen.cli_build:docs", "deploy": "obsgen.deploy.commands:deploy",
         "diff": "obsgen.cli_diff:diff", "import": "obsgen.cli_import:import_command",
         "verify": "obsgen.cli_verify:verify"}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY:
            module, name = _LAZY[cmd_name].split(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="obsgen", message="obsgen %(version)s")
def main() -> None:
    """obsgen compiles Python observability definitions (metric catalog, Prometheus rules and
    their unit tests, Grafana dashboards, runbooks, the Alloy pipeline) into checked artifacts
    under build/, every query cross-checked against the catalog.

    \b
    Typical use:
      obsgen init             scaffold obsgen.toml and definitions/ here
      obsgen build            write build/ from definitions/
      obsgen check            build, then check every artifact (schemas, promtool, lint)
      obsgen diff             what the uncommitted changes do to the artifacts
      obsgen docs --serve     build and serve the runbook site
      obsgen lint rules/      lint rule files, dashboards, .alloy, Markdown from anywhere
      obsgen import rules/ -o new   turn existing rule files, dashboards... into definitions
      obsgen deploy grafana   upsert the built dashboards (token from GRAFANA_TOKEN)
      obsgen rule OBS102      explain a diagnostic code

    Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage or environment problem.
    """


@main.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path())
def init(directory: Path) -> None:
    """Scaffold a project in DIRECTORY (default: here): obsgen.toml and a definitions/ folder
    with a small catalog, two alerts with their tests and runbooks, a dashboard and an Alloy
    pipeline, all of which check clean; a .gitignore and a GitHub Actions workflow that runs
    `obsgen check` (.github/workflows/obsgen.yml).

    Nothing is overwritten: if any of those files exists, init stops and changes nothing (an
    existing .gitignore gets the lines it lacks).
    """
    from obsgen import scaffold

    try:
        written = scaffold.create(directory)
    except FileExistsError as exc:
        click.echo(f"Error: {exc.filename} already exists; init changed nothing.", err=True)
        sys.exit(2)
    for verb, path in written:
        click.echo(f"{verb} {display_path(str(path))}")
    click.echo("Next: obsgen build, then obsgen check (needs promtool: make setup).")


@main.command(context_settings=CONTEXT)
@click.argument("code", required=False)
def codes(code: str | None) -> None:
    """List every diagnostic code with its severity and meaning, or explain one CODE.

    The same as `obsgen rules` and `obsgen rule CODE`.
    """
    from obsgen import ruledocs

    click.echo(_explained(code) if code else ruledocs.listing(), nl=False)


def _explained(code: str) -> str:
    from obsgen import ruledocs
    from obsgen.codes import CODES

    if code.upper() not in CODES:
        raise click.BadParameter(f"unknown code {code!r}; run `obsgen rules` for the list",
                                 param_hint="CODE")
    return ruledocs.explain(code)


@main.command("rule", context_settings=CONTEXT)
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule: its code, severity, area, meaning, and how to silence it.

    \b
    Example:
      obsgen rule OBS110
    """
    click.echo(_explained(code), nl=False)


@main.command("rules", context_settings=CONTEXT)
@click.argument("prefix", required=False, default="")
def rules_command(prefix: str) -> None:
    """List every rule (diagnostic code) with its severity and meaning, by area; PREFIX keeps
    the codes that start with it.

    \b
    Examples:
      obsgen rules            every rule
      obsgen rules OBS9       cross-checks, rule lint and `obsgen lint` inputs
    """
    from obsgen import ruledocs

    text = ruledocs.listing(prefix)
    if not text:
        raise click.BadParameter(f"no code starts with {prefix!r}", param_hint="PREFIX")
    click.echo(text, nl=False)


def _file_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--catalog", type=click.Path(path_type=Path), metavar="FILE|DIR",
              help="Check every query against this catalog: a Prometheus exposition-format "
                   "scrape saved to a file, or an obsgen project folder. Without it, only "
                   "catalog-free checks run.")
@click.option("--skip-other-files", is_flag=True,
              help="Skip a named file that is not a rule file, dashboard, Alloy config or "
                   "Markdown silently, as inside folders (for pre-commit, which names every "
                   "changed file).")
@click.option("--max-file-size", default=describe_size(DEFAULT_MAX_FILE_SIZE), metavar="SIZE",
              envvar=MAX_FILE_SIZE_ENV, show_envvar=True, show_default=True,
              callback=_file_size,
              help="A larger file is a finding (OBS970) and is not read: bytes, or with K, M or "
                   "G (powers of 1024), e.g. 512K or 64M.")
@output_options
def lint(paths: tuple[Path, ...], catalog: Path | None, skip_other_files: bool,
         max_file_size: int, fmt: str, color: str, select: tuple[str, ...],
         ignore: tuple[str, ...]) -> None:
    """Lint artifacts written by anyone: Prometheus rule files (plain, JSON or a
    PrometheusRule's spec.groups), Grafana dashboard JSON (every Prometheus query of every
    panel and variable), Alloy configs, prometheus.yml and Markdown runbooks.

    PATHS are files or folders; folders are searched recursively for *.yml, *.yaml, *.json,
    *.alloy and *.md (hidden folders, .git and virtual environments are skipped, and so is a
    YAML or JSON file in a folder that is of no linted kind). The files of one run are checked
    as one estate: jobs queried against the jobs the run's Alloy configs and prometheus.yml
    scrape, recorded series against the run's recording rules, runbook_url anchors against its
    Markdown headings, dashboard links against its dashboards' uids.

    \b
    Examples:
      obsgen lint rules/ dashboards/                  catalog-free checks only
      curl -s http://my-app:9464/metrics > metrics.txt
      obsgen lint --catalog metrics.txt rules/ dashboards/
                                                      every query against what the app exports
      obsgen lint --catalog ../platform alerts.yml    against an obsgen project's catalog
      obsgen lint --ignore OBS960 --output-format sarif . > obsgen.sarif

    \b
    Silence one finding with a comment on its line: `# obsgen: noqa OBS110` (YAML, Python),
    `// obsgen: noqa OBS110` (Alloy), `<!-- obsgen: noqa OBS110 -->` (Markdown);
    `obsgen: noqa-file OBS110` on any line silences it in the whole file.
    `obsgen rules` lists every code; `obsgen rule OBS110` explains one.

    Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage problem (a path that
    does not exist, an unknown code in --select/--ignore, no project at --catalog DIR).
    """

    def run(out: Output) -> None:
        from obsgen.check.lint import lint_paths

        result = lint_paths(paths, catalog, strict=not skip_other_files,
                            max_file_size=max_file_size)
        if result.unchecked:
            out.status(f"No linter for {', '.join(result.unchecked)} files in this obsgen yet: "
                       "they were read, not checked.")
        out.status(result.summary().line())
        finish(out, result.diagnostics)

    guard(run, fmt, color, select, ignore)
