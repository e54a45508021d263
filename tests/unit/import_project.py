"""A project made of modules `obsgen import` wrote, laid out and loaded as the run would: the
rebuild half of the import round-trip tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from obsgen.config import load_config
from obsgen.importers.contract import Module
from obsgen.importers.pysource import format_tree
from obsgen.load import load_project
from obsgen.model.project import Project

SETTINGS = 'definitions = "definitions"\nbuild = "build"\n'


def load_imported(root: Path, modules: Iterable[Module], beside: Path | None = None,
                  settings: str = SETTINGS) -> Project:
    """Write `modules` into root/definitions (with a copy of `beside`'s modules, when given),
    format them with ruff as the run does, and load the project; fails on any diagnostic."""
    definitions = root / "definitions"
    if beside is not None:
        shutil.copytree(beside, definitions, ignore=shutil.ignore_patterns("__pycache__"))
    definitions.mkdir(parents=True, exist_ok=True)
    (root / "obsgen.toml").write_text(settings, encoding="utf-8")
    (definitions / "__init__.py").touch()
    for module in modules:
        path = definitions / module.path
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(definitions).parents:
            (definitions / folder / "__init__.py").touch()
        path.write_text(module.source, encoding="utf-8")
    format_tree(definitions)
    project, diagnostics = load_project(load_config(root))
    assert project is not None and not diagnostics, [str(d) for d in diagnostics]
    return project
