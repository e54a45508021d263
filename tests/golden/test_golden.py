"""Golden files: emitted artifacts compared byte for byte with reviewed copies.

The seed project's golden copy is the committed build/ itself (CI also fails on drift);
projects/kitchen_sink covers the emitter features the seed does not use. Regenerate only on
purpose, with `make golden`, and review the diff.
"""

import os
import shutil
from pathlib import Path

import pytest

from obsgen.build import compile_project
from obsgen.check.project import check_project
from obsgen.check.rules import promtool
from obsgen.config import load_config

HERE = Path(__file__).parent
REPO = HERE.parent.parent
PROJECTS = sorted(p for p in (HERE / "projects").iterdir() if p.is_dir())
REGENERATE = os.environ.get("OBSGEN_REGENERATE_GOLDEN") == "1"


def expected_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def regenerate(folder: Path, artifacts: dict[str, str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for rel, text in artifacts.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_matches_golden(project: Path) -> None:
    compiled = compile_project(load_config(project))
    assert compiled.ok, compiled.diagnostics
    if REGENERATE:
        regenerate(project / "expected", compiled.artifacts)
    assert compiled.artifacts == expected_files(project / "expected")


def test_seed_project_matches_committed_build() -> None:
    compiled = compile_project(load_config(REPO))
    assert compiled.ok, compiled.diagnostics
    assert compiled.artifacts == expected_files(REPO / "build")


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_golden_projects_pass_promtool(project: Path, tmp_path: Path) -> None:
    compiled = compile_project(load_config(project))
    assert compiled.project is not None
    for rel, text in compiled.artifacts.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    found, stats = check_project(compiled.project, tmp_path, compiled.artifacts,
                                 promtool.find_promtool())
    assert found == []
    assert stats.test_cases > 0 and stats.failed_cases == 0
