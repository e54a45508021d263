"""The `obsgen` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from obsgen import build as building
from obsgen import cache, ruledocs, scaffold
from obsgen import docs as docsite
from obsgen import watch as watching
from obsgen.check.alloy.output import check_alloy_output, find_alloy
from obsgen.check.lint import lint_paths
from obsgen.check.project import check_project
from obsgen.check.reading import DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_ENV, describe_size, parse_size
from obsgen.check.rules import promtool
from obsgen.check.rules.coverage import rule_test_coverage
from obsgen.cli_diff import diff
from obsgen.cli_import import import_command
from obsgen.cli_output import Output, common, finish, guard, output_options
from obsgen.cli_verify import verify
from obsgen.codes import CODES
from obsgen.config import Config, load_config
from obsgen.deploy.commands import deploy
from obsgen.diagnostics import Diagnostic, has_errors
from obsgen.emit.mkdocs import SITE_DIR
from obsgen.emit.usage import dead_metrics
from obsgen.instrumentation import check_instrumentation
from obsgen.junit import write_failed_build, write_junit
from obsgen.report import display_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
Verify = Callable[[Path], list[Diagnostic]]


def _kept(out: Output, config: Config, what: str) -> None:
    out.status(f"{what} failed; {display_path(str(config.build))}/ was left as it was.")


def _compile(config: Config, out: Output) -> building.Compiled:
    compiled = building.compile_project(config, out.keep)
    if not compiled.ok:
        _kept(out, config, "Build")
        finish(out, compiled.diagnostics)
    return compiled


def _publish(config: Config, out: Output, artifacts: dict[str, str],
             verify: Verify | None = None) -> list[Diagnostic]:
    """Refuse a build folder obsgen may not replace (exit 2), sweep leftovers of killed builds,
    stage the artifacts, let `verify` check the staged copy, and swap it in only when it found
    no error: build/ never holds a half-written or rejected build, and is never missing."""
    target = building.prepare(config)
    for path in target.left:
        out.status(f"Left {display_path(str(path))} alone: named like a leftover build, but "
                   "not recognisably obsgen's.")
    changed = building.changed_paths(target.path, artifacts)
    try:
        staged = building.stage(target.path, artifacts)
    except OSError as exc:
        _kept(out, config, "Writing")
        return [*target.swept, building.write_error(config, exc)]
    try:
        found = verify(staged.path) if verify else []
        if has_errors(found):
            _kept(out, config, "Check")
            return [*target.swept, *found]
        building.replace(staged, target.path)
    except OSError as exc:
        _kept(out, config, "Writing")
        return [*target.swept, building.write_error(config, exc)]
    finally:
        building.discard(staged)
    out.status(f"Built {len(artifacts)} files into {display_path(str(config.build))}/ "
               f"({len(changed)} changed).")
    return [*target.swept, *found]


@click.group(context_settings=CONTEXT)
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
@common
@click.option("--watch", "watch_mode", is_flag=True,
              help="Build, then build again after every change under the definitions folder "
                   "or to the config file, printing the findings each time, until Ctrl-C.")
def build(project_dir: Path, fmt: str, color: str, select: tuple[str, ...],
          ignore: tuple[str, ...], watch_mode: bool) -> None:
    """Load the definitions, validate them against the catalog, and write build/.

    Artifacts are written to a temporary folder and swapped in, so a failed build leaves the
    previous build/ untouched. Output is deterministic: the same definitions give byte-identical
    files. When nothing a build reads changed and build/ is as the last build left it, nothing
    is rebuilt (the record is in .obsgen-cache/; OBSGEN_NO_CACHE=1 turns that off).
    """

    def once(out: Output) -> list[Diagnostic]:
        config = load_config(project_dir)
        key = cache.input_key(config, (*select, "|", *ignore)) if cache.enabled() else ""
        hit = cache.lookup(config, key) if key else None
        if hit is not None:
            out.status(f"Built {hit.artifacts} files into {display_path(str(config.build))}/ "
                       "(0 changed). Inputs unchanged since the last build: nothing rebuilt.")
            return hit.diagnostics
        compiled = building.compile_project(config, out.keep)
        if not compiled.ok:
            _kept(out, config, "Build")
            return compiled.diagnostics
        published = _publish(config, out, compiled.artifacts)
        if key and not has_errors(published):
            cache.store(config, key, compiled.artifacts, compiled.diagnostics)
        return [*compiled.diagnostics, *published]

    def run(out: Output) -> None:
        if not watch_mode:
            finish(out, once(out))
        config = load_config(project_dir)
        watching.watch(config, lambda: watching.report(out, lambda: once(out),
                                                       (config.definitions, config.file)))

    guard(run, fmt, color, select, ignore)


@main.command(context_settings=CONTEXT)
@common
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write every rule-test case and the rule-test coverage as JUnit XML "
                   "to FILE, for CI test reports.")
def check(project_dir: Path, fmt: str, color: str, select: tuple[str, ...],
          ignore: tuple[str, ...], junit: Path | None) -> None:
    """Build, then check every artifact before it replaces build/: rule files against their
    JSON Schema, `promtool check rules` and every rule unit test with `promtool test rules`;
    dashboards strictly against obsgen's Grafana schema and the dashboard lint; runbook pages'
    links and every alert's runbook_url anchor; the Alloy config with the built-in validator
    (and `alloy fmt`/`alloy validate` when an alloy binary is on PATH).

    promtool comes from $PROMTOOL or PATH (Debian's `prometheus` package; `make setup`
    installs it). Findings point at the definition that produced the artifact.

    An alert without a test where it fires and one where it stays silent, or a recording rule
    without a samples test, is a warning (rule_test_coverage = "error" or "off" in obsgen.toml).
    """

    def run(out: Output) -> None:
        config = load_config(project_dir)
        tool = promtool.find_promtool()
        compiled = building.compile_project(config, out.keep)
        if not compiled.ok:  # with --junit, CI's test report still finds its file
            unwritten = write_failed_build(junit, compiled.diagnostics) if junit else []
            _kept(out, config, "Build")
            finish(out, [*compiled.diagnostics, *unwritten])
        project = compiled.project
        assert project is not None

        def verify(staging: Path) -> list[Diagnostic]:
            found, stats = check_project(project, staging, compiled.artifacts, tool,
                                         shown_as=config.build)
            rejected = any(d.code in ("OBS303", "OBS305") for d in found)
            files = "file" if stats.rule_files == 1 else "files"
            out.status(f"promtool check rules: {stats.rules} rules in {stats.rule_files} {files}, "
                       f"{'FAILED' if rejected else 'clean'}; promtool test rules: "
                       f"{stats.test_cases - stats.failed_cases} of {stats.test_cases} cases "
                       "passed.")
            out.status(_artifact_summary(compiled.artifacts, found))
            covered = rule_test_coverage(project, config.rule_test_coverage)
            out.status(covered.line())
            found = [*found, *covered.diagnostics]
            if junit is not None:
                found += write_junit(junit, project, stats.failures, covered,
                                     ran=not any(d.code == "OBS306" for d in found))
            alloy = check_alloy_output(project, staging, compiled.artifacts, config.build,
                                       find_alloy())
            if alloy.summary:
                out.status(alloy.summary)
            # The instrumentation module loads and registers; metrics nothing reads (OBS118).
            own = [*check_instrumentation(compiled.artifacts, config.build),
                   *dead_metrics(project)]
            return out.keep([*found, *alloy.diagnostics, *own])

        finish(out, [*compiled.diagnostics, *_publish(config, out, compiled.artifacts, verify)])

    guard(run, fmt, color, select, ignore)


def _artifact_summary(artifacts: dict[str, str], found: Sequence[Diagnostic]) -> str:
    def verdict(prefixes: tuple[str, ...]) -> str:
        return "FAILED" if any(d.code.startswith(prefixes) for d in found) else "clean"

    dashboards = sum(1 for p in artifacts if p.startswith("grafana/") and p.endswith(".json"))
    pages = sum(1 for p in artifacts if p.startswith("runbooks/") and p.endswith(".md"))
    return (f"Dashboards: {dashboards} against obsgen's Grafana schema (strict) and the "
            f"dashboard lint, {verdict(('OBS63', 'OBS64'))}; runbooks: {pages} pages, links and "
            f"runbook_url anchors {verdict(('OBS70', 'OBS71'))}.")


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
    click.echo(_explained(code) if code else ruledocs.listing(), nl=False)


def _explained(code: str) -> str:
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
        result = lint_paths(paths, catalog, strict=not skip_other_files,
                            max_file_size=max_file_size)
        if result.unchecked:
            out.status(f"No linter for {', '.join(result.unchecked)} files in this obsgen yet: "
                       "they were read, not checked.")
        out.status(result.summary().line())
        finish(out, result.diagnostics)

    guard(run, fmt, color, select, ignore)


@main.command(context_settings=CONTEXT)
@common
@click.option("--serve", "serve_site", is_flag=True,
              help="After building, serve build/site/ at http://HOST:PORT/ until Ctrl-C, "
                   "rebuilding it after every change under the definitions folder; open pages "
                   "reload themselves.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to serve on (0: any free port).")
def docs(project_dir: Path, fmt: str, color: str, select: tuple[str, ...],
         ignore: tuple[str, ...], serve_site: bool, host: str, port: int) -> None:
    """Build the runbook site: build/ as `obsgen build` writes it, then `mkdocs build --strict`
    (mkdocs-material, search enabled, nav generated) from build/runbooks/ with the generated
    build/mkdocs.yml into build/site/. Any mkdocs warning fails the build and leaves build/ as
    it was. build/site/ is not committed: publish it to any static host (see the README).
    """

    def run(out: Output) -> None:
        docsite.require_mkdocs()
        config = load_config(project_dir)
        site = config.build / SITE_DIR

        def once() -> list[Diagnostic]:
            compiled = building.compile_project(config, out.keep)
            if not compiled.ok:
                _kept(out, config, "Build")
                return compiled.diagnostics
            found = _publish(config, out, compiled.artifacts,
                             lambda staging: docsite.build_site(staging, config.build))
            if not has_errors(found):
                out.status(f"Built the runbook site into {display_path(str(site))}/.")
            return [*compiled.diagnostics, *found]

        found = once()
        if not serve_site or has_errors(found):
            finish(out, found)
        out.emit(out.keep(found))
        watched = (config.definitions, config.file)
        docsite.serve_live(site, host, port, lambda: watching.report(out, once, watched),
                           watched, out.status)

    guard(run, fmt, color, select, ignore)


main.add_command(deploy)
main.add_command(diff)
main.add_command(import_command)
main.add_command(verify)
