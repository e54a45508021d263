"""Compile a project (load → validate → emit) and write its artifacts atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from obsgen.check.catalog import check_catalog
from obsgen.check.dashboard_queries import check_dashboard_queries
from obsgen.check.pipeline import check_pipelines
from obsgen.check.rules import check_rules
from obsgen.check.ruletests import check_rule_tests
from obsgen.check.runbooks import check_runbooks
from obsgen.config import Config
from obsgen.diagnostics import Diagnostic, Location, has_errors, sorted_unique
from obsgen.emit import alloy, grafana, mkdocs, prometheus, runbooks
from obsgen.load import load_project
from obsgen.model.project import Project
from obsgen.noqa import without_noqa


@dataclass(frozen=True)
class Compiled:
    project: Project | None
    artifacts: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.project is not None and not has_errors(self.diagnostics)


def validate(project: Project) -> list[Diagnostic]:
    """Checks on the model itself, run before anything is emitted."""
    return [*check_catalog(project), *check_rules(project), *check_rule_tests(project),
            *check_runbooks(project), *grafana.problems(project),
            *check_dashboard_queries(project), *check_pipelines(project)]


def emit(project: Project) -> dict[str, str]:
    return dict(sorted({**prometheus.artifacts(project), **runbooks.artifacts(project),
                        **mkdocs.artifacts(project), **grafana.artifacts(project),
                        **alloy.artifacts(project)}.items()))


def compile_project(config: Config, keep: Callable[[list[Diagnostic]], list[Diagnostic]]
                    = without_noqa) -> Compiled:
    """Load, validate and emit; `keep` filters the findings before they decide whether the
    build goes on (`# obsgen: noqa` comments, and --select/--ignore from the CLI)."""
    project, diagnostics = load_project(config)
    if project is None:
        return Compiled(None, {}, diagnostics)
    diagnostics = keep(sorted_unique([*diagnostics, *validate(project)]))
    if has_errors(diagnostics):
        return Compiled(project, {}, diagnostics)
    return Compiled(project, emit(project), diagnostics)


def changed_paths(build_dir: Path, artifacts: dict[str, str]) -> list[str]:
    """Artifacts whose text differs from what `build_dir` holds, plus files that would go."""
    changed = [p for p, text in artifacts.items()
               if not (build_dir / p).is_file()
               or (build_dir / p).read_text(encoding="utf-8") != text]
    if build_dir.is_dir():
        existing = {f.relative_to(build_dir).as_posix()
                    for f in build_dir.rglob("*") if f.is_file()}
        # The docs site is derived from the runbooks by `obsgen docs`, not an artifact.
        existing = {p for p in existing if not p.startswith(f"{mkdocs.SITE_DIR}/")}
        changed += sorted(existing - set(artifacts))
    return sorted(changed)


def stage(build_dir: Path, artifacts: dict[str, str]) -> Path:
    """Write everything into a new temp folder beside `build_dir` (same file system, so the
    swap is a rename) and return it."""
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{build_dir.name}.tmp-", dir=build_dir.parent))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; build/ is read by others
        for rel, text in artifacts.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    except BaseException:
        discard(staging)
        raise
    return staging


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def write_atomically(build_dir: Path, artifacts: dict[str, str]) -> None:
    """Stage everything, then swap it in; on any failure the old build folder stays as it was."""
    staging = stage(build_dir, artifacts)
    try:
        swap(staging, build_dir)
    except BaseException:
        discard(staging)
        raise


def swap(staging: Path, build_dir: Path) -> None:
    if not build_dir.exists():
        staging.rename(build_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{build_dir.name}.old-", dir=build_dir.parent))
    retired.rmdir()
    build_dir.rename(retired)
    try:
        staging.rename(build_dir)
    except OSError:
        retired.rename(build_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def write_error(config: Config, exc: OSError) -> Diagnostic:
    return Diagnostic.of("OBS501", f"cannot write {config.build}: {exc.strerror or exc}",
                         Location(str(config.build)), "check permissions and free space")

