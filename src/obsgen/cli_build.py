"""`obsgen build`, `obsgen check` and `obsgen docs`: compile the definitions, check what they
give, and swap it into build/.

What a run with nothing to do needs (the cache's record, the config) is imported at the top;
the compiler and the checks only inside the commands, when a run has work: an unchanged
project answers from `.obsgen-cache/` without loading them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from obsgen import cache
from obsgen.cli_output import Output, common, finish, guard
from obsgen.config import Config, load_config
from obsgen.diagnostics import Diagnostic, has_errors
from obsgen.report import display_path
from obsgen.resultcache import NO_CACHE, ResultCache

if TYPE_CHECKING:
    from obsgen.build import Compiled
    from obsgen.check.rules.promtool import Promtool

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
Verify = Callable[[Path], list[Diagnostic]]
# The per-artifact results `obsgen check` keeps; entries of older inputs are swept after a check.
CHECKS = ("markdown", "runbook-annotations", "dashboard-lint", "rule-schema", "promtool-check",
          "promtool-test")


def _kept(out: Output, config: Config, what: str) -> None:
    out.status(f"{what} failed; {display_path(str(config.build))}/ was left as it was.")


@dataclass(frozen=True)
class _Record:
    """What the cache knows of a run before it starts."""

    code: str  # cache.code_key(); "" with the cache off
    key: str  # the key the run is recorded under; "" when it keeps no record
    hit: cache.Hit | None  # the record of an earlier run with this key, still valid


def _record(config: Config, options: Sequence[str], record: str, kept: bool = True
            ) -> _Record:
    if not cache.enabled():
        return _Record("", "", None)
    code = cache.code_key()
    key = cache.input_key(config, options, code) if kept else ""
    return _Record(code, key, cache.lookup(config, key, record) if key else None)


def memo_for(config: Config, code: str) -> ResultCache:
    """Where this project's per-artifact results are kept (nowhere with OBSGEN_NO_CACHE=1)."""
    return ResultCache(cache.folder(config), code) if cache.enabled() else NO_CACHE


def _publish(config: Config, out: Output, artifacts: dict[str, str],
             verify: Verify | None = None) -> list[Diagnostic]:
    """Refuse a build folder obsgen may not replace (exit 2), sweep leftovers of killed builds,
    stage the artifacts, let `verify` check the staged copy, and swap it in only when it found
    no error: build/ never holds a half-written or rejected build, and is never missing."""
    from obsgen import build as building

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


def _unchanged(out: Output, config: Config, hit: cache.Hit, what: str) -> list[Diagnostic]:
    """Say what the recorded run said; `what`: "build" or "check"."""
    done = "rebuilt" if what == "build" else "checked again"
    out.status(f"Built {hit.artifacts} files into {display_path(str(config.build))}/ "
               f"(0 changed). Inputs unchanged since the last {what}: nothing {done}.")
    for line in hit.lines:
        out.status(line)
    return hit.diagnostics


@click.command(context_settings=CONTEXT)
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
        recorded = _record(config, (*select, "|", *ignore), cache.BUILD_RECORD)
        if recorded.hit is not None:
            return _unchanged(out, config, recorded.hit, "build")
        from obsgen import build as building  # the compiler, only when there is work
        compiled = building.compile_project(config, out.keep, memo_for(config, recorded.code))
        if not compiled.ok:
            _kept(out, config, "Build")
            return compiled.diagnostics
        published = _publish(config, out, compiled.artifacts)
        if recorded.key and not has_errors(published):
            cache.store(config, recorded.key, compiled.artifacts, compiled.diagnostics,
                        reads=compiled.reads)
        return [*compiled.diagnostics, *published]

    def run(out: Output) -> None:
        from obsgen import watch as watching

        if not watch_mode:
            finish(out, once(out))
        config = load_config(project_dir)
        watching.watch(config, lambda: watching.report(out, lambda: once(out),
                                                       (config.definitions, config.file)))

    guard(run, fmt, color, select, ignore)


def _artifact_summary(artifacts: dict[str, str], found: Sequence[Diagnostic]) -> str:
    def verdict(prefixes: tuple[str, ...]) -> str:
        return "FAILED" if any(d.code.startswith(prefixes) for d in found) else "clean"

    dashboards = sum(1 for p in artifacts if p.startswith("grafana/") and p.endswith(".json"))
    pages = sum(1 for p in artifacts if p.startswith("runbooks/") and p.endswith(".md"))
    return (f"Dashboards: {dashboards} against obsgen's Grafana schema (strict) and the "
            f"dashboard lint, {verdict(('OBS63', 'OBS64'))}; runbooks: {pages} pages, links and "
            f"runbook_url anchors {verdict(('OBS70', 'OBS71'))}.")


def _checked(out: Output, config: Config, compiled: Compiled, tool: Promtool, memo: ResultCache,
             junit: Path | None, said: list[str]) -> Verify:
    """The checks of `obsgen check` on a staged build; each status line is also put in
    `said`, for the record of the run."""
    from obsgen.check.alloy.binary import find_alloy
    from obsgen.check.alloy.output import check_alloy_output
    from obsgen.check.project import check_project
    from obsgen.check.rules.coverage import rule_test_coverage
    from obsgen.emit.usage import dead_metrics
    from obsgen.instrumentation import check_instrumentation
    from obsgen.junit import write_junit

    project = compiled.project
    assert project is not None

    def say(line: str) -> None:
        said.append(line)
        out.status(line)

    def verify(staging: Path) -> list[Diagnostic]:
        found, stats = check_project(project, staging, compiled.artifacts, tool,
                                     shown_as=config.build, memo=memo)
        rejected = any(d.code in ("OBS303", "OBS305") for d in found)
        files = "file" if stats.rule_files == 1 else "files"
        say(f"promtool check rules: {stats.rules} rules in {stats.rule_files} {files}, "
            f"{'FAILED' if rejected else 'clean'}; promtool test rules: "
            f"{stats.test_cases - stats.failed_cases} of {stats.test_cases} cases passed.")
        say(_artifact_summary(compiled.artifacts, found))
        covered = rule_test_coverage(project, config.rule_test_coverage)
        say(covered.line())
        found = [*found, *covered.diagnostics]
        if junit is not None:
            found += write_junit(junit, project, stats.failures, covered,
                                 ran=not any(d.code == "OBS306" for d in found))
        alloy = check_alloy_output(project, staging, compiled.artifacts, config.build,
                                   find_alloy())
        if alloy.summary:
            say(alloy.summary)
        # The instrumentation module loads and registers; metrics nothing reads (OBS118).
        own = [*check_instrumentation(compiled.artifacts, config.build),
               *dead_metrics(project, compiled.uses)]
        return out.keep([*found, *alloy.diagnostics, *own])

    return verify


@click.command(context_settings=CONTEXT)
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

    Each artifact's result (schema, lint, rendered page, promtool's answer for a rule file or
    a test file with the rule files it loads) is kept in .obsgen-cache/ by its content, so
    after an edit only what changed is checked again, and an unchanged project is not checked
    at all; OBSGEN_NO_CACHE=1 checks everything from scratch.
    """

    def run(out: Output) -> None:
        from obsgen.check.alloy.binary import find_alloy
        from obsgen.check.rules import promtool

        config = load_config(project_dir)
        tool = promtool.find_promtool()
        # The tools a check runs are part of what it read; with --junit the report is written
        # afresh, as the record does not hold it.
        tools = (tool.path, repr(tool.version), str(find_alloy()))
        recorded = _record(config, (*select, "|", *ignore, "|check", *tools),
                           cache.CHECK_RECORD, kept=not junit)
        if recorded.hit is not None:
            finish(out, _unchanged(out, config, recorded.hit, "check"))
        from obsgen import build as building  # the compiler, only when there is work
        from obsgen.junit import write_failed_build

        memo = memo_for(config, recorded.code)
        compiled = building.compile_project(config, out.keep, memo)
        if not compiled.ok:  # with --junit, CI's test report still finds its file
            unwritten = write_failed_build(junit, compiled.diagnostics) if junit else []
            _kept(out, config, "Build")
            finish(out, [*compiled.diagnostics, *unwritten])
        said: list[str] = []
        verify = _checked(out, config, compiled, tool, memo, junit, said)
        found = [*compiled.diagnostics, *_publish(config, out, compiled.artifacts, verify)]
        memo.sweep(CHECKS)
        if recorded.key and not has_errors(found):
            cache.store(config, recorded.key, compiled.artifacts, found, said, cache.CHECK_RECORD,
                        compiled.reads)
        finish(out, found)

    guard(run, fmt, color, select, ignore)


@click.command(context_settings=CONTEXT)
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
        from obsgen import build as building
        from obsgen import docs as docsite
        from obsgen import watch as watching
        from obsgen.emit.mkdocs import SITE_DIR

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
