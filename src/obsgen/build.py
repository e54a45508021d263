"""Compile a project (load → validate → emit) and write its artifacts atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from obsgen import bytecode, swap
from obsgen.buildfolder import MARKER, entries, is_obsgens, marker_text
from obsgen.buildguard import writable_build
from obsgen.check.alloy.pipeline import check_pipelines
from obsgen.check.catalog import check_catalog
from obsgen.check.dashboards.queries import check_dashboard_queries
from obsgen.check.reading import regular_bytes
from obsgen.check.rules.checks import check_rules
from obsgen.check.rules.ruletests import check_rule_tests
from obsgen.check.runbooks.checks import check_runbooks
from obsgen.config import Config
from obsgen.diagnostics import Diagnostic, Location, has_errors, sorted_unique
from obsgen.emit import alloy, grafana, mkdocs, openslo, prometheus, python, reference, runbooks
from obsgen.emit.usage import Use, uses
from obsgen.load import load_recorded
from obsgen.model.project import Project
from obsgen.noqa import without_noqa
from obsgen.reads import Reads
from obsgen.resultcache import NO_CACHE, ResultCache


@dataclass(frozen=True)
class Compiled:
    project: Project | None
    artifacts: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reads: Reads = field(default_factory=Reads)  # what the definitions read besides source
    uses: dict[str, list[Use]] | None = None  # each catalog metric's readers

    @property
    def ok(self) -> bool:
        return self.project is not None and not has_errors(self.diagnostics)


def validate(project: Project, dashboards: grafana.Emitted, memo: ResultCache = NO_CACHE,
             pages: Callable[[], dict[str, str]] | None = None) -> list[Diagnostic]:
    """Checks on the model itself (and on the dashboards' JSON and runbook pages, each made
    once), run before anything is written; `memo` keeps the pages' renderings."""
    return [*check_catalog(project), *check_rules(project), *check_rule_tests(project),
            *check_runbooks(project, memo, pages), *dashboards.problems,
            *check_dashboard_queries(project), *check_pipelines(project)]


def emit(project: Project, dashboards: grafana.Emitted | None = None,
         pages: dict[str, str] | None = None, read: dict[str, list[Use]] | None = None
         ) -> dict[str, str]:
    """Every artifact's text by path; `dashboards`, `pages`, `read`: their JSON, the runbook
    pages and each metric's readers, if already worked out."""
    dashboards = dashboards or grafana.compile_dashboards(project)
    return dict(sorted({**prometheus.artifacts(project), **runbooks.artifacts(project, pages),
                        **mkdocs.artifacts(project), **dashboards.artifacts,
                        **alloy.artifacts(project), **python.artifacts(project),
                        **reference.artifacts(project, read),
                        **openslo.artifacts(project)}.items()))


def compile_project(config: Config, keep: Callable[[list[Diagnostic]], list[Diagnostic]]
                    = without_noqa, memo: ResultCache = NO_CACHE) -> Compiled:
    """Load, validate and emit; `keep` filters the findings before they decide whether the
    build goes on (`# obsgen: noqa` comments, and --select/--ignore from the CLI); `memo`
    keeps costly results of the checks between runs."""
    kept = memo.folder and memo.folder / "bytecode"
    project, diagnostics, reads = load_recorded(config, kept)
    if project is None:
        bytecode.discard(kept)
        return Compiled(None, {}, diagnostics, reads)
    dashboards = grafana.compile_dashboards(project)
    pages = cache(partial(runbooks.pages, project))  # made once, for the checks and the build
    diagnostics = keep(sorted_unique([*diagnostics, *validate(project, dashboards, memo,
                                                              pages)]))
    if has_errors(diagnostics):
        # A failed build may be failing on a secret written in the definitions (OBS841): no
        # copy of their text, compiled or not, stays behind.
        bytecode.discard(kept)
        return Compiled(project, {}, diagnostics, reads)
    read = uses(project)  # for the reference page, and for the check's dead metrics
    artifacts = {MARKER: marker_text(config.project), **emit(project, dashboards, pages(), read)}
    return Compiled(project, dict(sorted(artifacts.items())), diagnostics, reads, read)


def changed_paths(build_dir: Path, artifacts: dict[str, str]) -> list[str]:
    """Artifacts whose bytes differ from what `build_dir` holds (a file that cannot be read,
    or is no regular file, differs), plus entries that would go."""
    changed = [p for p, text in artifacts.items()
               if regular_bytes(build_dir / p) != text.encode("utf-8")]
    if build_dir.is_dir():
        # The docs site is derived from the runbooks by `obsgen docs`, not an artifact.
        existing = {p for p in entries(build_dir) if not p.startswith(f"{mkdocs.SITE_DIR}/")}
        changed += sorted(existing - set(artifacts))
    return sorted(changed)


def stage(target: Path, artifacts: dict[str, str]) -> swap.Held:
    """Write everything into a new folder beside `target` (same file system, so the swap is
    a rename), held by this run; the marker goes first, so even a killed stage is
    recognisably obsgen's litter."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
    held = swap.hold(staging)
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; build/ is read by others
        for rel in sorted(artifacts, key=lambda rel: rel != MARKER):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(artifacts[rel].encode("utf-8"))
    except BaseException:
        discard(held)
        raise
    return held


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def discard(staged: swap.Held) -> None:
    """Remove what is left at the staged path (the new build if it was never swapped in, the
    old one if it was) and let go of it."""
    swap.remove(staged.path)
    swap.release(staged)


def replace(staged: swap.Held, target: Path) -> None:
    """Swap the staged build in for `target` in one atomic step where the system allows."""
    swap.replace(staged.path, target)


def write_atomically(build_dir: Path, artifacts: dict[str, str]) -> None:
    """Stage everything, then swap it in; on any failure the old build folder stays as it was.
    A symlinked build folder is followed: the folder it points to is replaced."""
    target = build_dir.resolve()
    staged = stage(target, artifacts)
    try:
        replace(staged, target)
    finally:
        discard(staged)


def sweep_litter(target: Path) -> tuple[list[Diagnostic], list[Path]]:
    """Remove what killed builds left beside `target` (only folders that are obsgen's);
    returns a notice for each removed folder, and the folders left alone."""
    removed, left = swap.sweep(target, is_obsgens)
    return [Diagnostic.of("OBS503", f"removed {p.name}/, left beside {target.name}/ by an "
                          "interrupted build", Location(str(p)))
            for p in removed], left


@dataclass(frozen=True)
class Target:
    """The folder a writing command may replace (symlinks resolved), and the leftovers of
    killed builds beside it that were removed (as notices) or left alone."""

    path: Path
    swept: list[Diagnostic]
    left: list[Path]


def prepare(config: Config) -> Target:
    """Refuse a build folder obsgen may not replace (UsageError, OBS502), then sweep."""
    path = writable_build(config)
    swept, left = sweep_litter(path)
    return Target(path, swept, left)


def write_error(config: Config, exc: OSError) -> Diagnostic:
    return Diagnostic.of("OBS501", f"cannot write {config.build}: {exc.strerror or exc}",
                         Location(str(config.build)), "check permissions and free space")

