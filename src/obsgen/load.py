"""Import every definitions module and collect what it declares, turning errors into
diagnostics at the user's line."""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout, suppress
from pathlib import Path
from typing import Any, TypeVar

import attr

from obsgen.bytecode import kept_in
from obsgen.compile.slo import compile_slos
from obsgen.config import Config
from obsgen.diagnostics import DefinitionError, Diagnostic, Location, sorted_unique
from obsgen.model.dashboards import Dashboard
from obsgen.model.metrics import Metric
from obsgen.model.panel_arguments import from_attrs_error
from obsgen.model.pipeline import Pipeline, ScrapeJob
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup
from obsgen.model.ruletests import RuleTest
from obsgen.model.runbooks import Runbook, RunbookGuide
from obsgen.model.slo import SLO
from obsgen.reads import Reads, recorded

COLLECTED = (Metric, ScrapeJob, RuleGroup, RuleTest, AlertRule, RecordingRule, Runbook,
             RunbookGuide, Pipeline, Dashboard, SLO)
T = TypeVar("T")


def module_names(config: Config) -> list[str]:
    """Dotted names of every module under the definitions folder, in path order."""
    package = config.definitions.name
    names = []
    for path in sorted(config.definitions.rglob("*.py")):
        parts = path.relative_to(config.definitions).with_suffix("").parts
        if "__pycache__" in parts or any(p.startswith(".") for p in parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join((package, *parts)))
    return names


@contextmanager
def _isolated_package(config: Config) -> Iterator[None]:
    """Register the definitions folder as a package of its own, and forget it afterwards, so
    that two projects loaded in one process never see each other's modules."""
    package = config.definitions.name
    _forget(package)
    saved_flag = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # never litter the user's definitions with __pycache__
    init = config.definitions / "__init__.py"
    module = types.ModuleType(package)
    module.__path__ = [str(config.definitions)]
    module.__file__ = str(init) if init.exists() else None
    sys.modules[package] = module
    try:
        yield
    finally:
        sys.dont_write_bytecode = saved_flag
        _forget(package)


def _forget(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _user_location(exc: BaseException, config: Config, fallback: Path) -> Location:
    """The innermost traceback frame inside the definitions folder, with the column of the
    expression that raised (Python 3.11+ records it per instruction)."""
    folder = config.definitions.resolve()
    found = Location(str(fallback), 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if Path(filename).resolve().is_relative_to(folder):
            found = Location(filename, tb.tb_lineno, _column(tb))
        tb = tb.tb_next
    return found


def _column(tb: types.TracebackType) -> int:
    positions = list(tb.tb_frame.f_code.co_positions())
    index = tb.tb_lasti // 2
    if index >= len(positions):
        return 0
    line, _, column, _ = positions[index]
    return column + 1 if column is not None and line == tb.tb_lineno else 0


def _module_file(config: Config, name: str) -> Path:
    relative = Path(*name.split(".")[1:])
    as_file = config.definitions / relative.with_suffix(".py")
    return as_file if as_file.exists() else config.definitions / relative / "__init__.py"


def _diagnose(exc: BaseException, config: Config, name: str) -> Diagnostic:
    fallback = _module_file(config, name)
    if isinstance(exc, SyntaxError):
        where = Location(exc.filename or str(fallback), exc.lineno or 1, exc.offset or 0)
        return Diagnostic.of("OBS001", f"syntax error: {exc.msg}", where,
                             "fix the Python syntax at this position")
    if isinstance(exc, DefinitionError):
        where = exc.location or _user_location(exc, config, fallback)
        return Diagnostic.of(exc.code, exc.message, where, exc.hint)
    where = _user_location(exc, config, fallback)
    explained = _attrs_type_error(exc)
    if explained is not None:
        return Diagnostic.of(explained.code, explained.message, where, explained.hint)
    try:
        text = str(exc)
    except Exception:  # an exception type whose __str__ itself fails
        text = "(its message could not be rendered)"
    return Diagnostic.of("OBS002", f"{type(exc).__name__} while loading definitions: {text}",
                         where, "the definition at this line raised; fix it and build again")


def _attrs_type_error(exc: BaseException) -> DefinitionError | None:
    """grafanalib's own classes (Target, GridPos, ...) validate with attrs, whose errors read
    like "'instant' must be <class 'bool'> (got 'yes' ...)": find the object being made (the
    innermost frame's `self`) and say it the way obsgen's own argument checks do."""
    if not isinstance(exc, TypeError | ValueError):
        return None
    made = None
    tb = exc.__traceback__
    while tb is not None:
        names = tb.tb_frame.f_locals  # an attrs validator's frame: `inst`; its __init__'s: `self`
        candidate = names.get("inst", names.get("self"))
        if candidate is not None and attr.has(type(candidate)):
            made = candidate
        tb = tb.tb_next
    return from_attrs_error(made, exc) if made is not None else None


def _import_all(config: Config) -> tuple[list[types.ModuleType], list[Diagnostic]]:
    modules, diagnostics = [], []
    with stdout_to_stderr():
        for name in module_names(config):
            try:
                modules.append(importlib.import_module(name))
            except (Exception, SystemExit) as exc:  # a definition error must never crash
                diagnostics.append(_diagnose(exc, config, name))
    return modules, diagnostics


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send what definitions print to stderr: stdout carries `--output-format json|sarif`,
    which a stray print() would corrupt. Both Python's sys.stdout and file descriptor 1 (what
    C code and os.write use) are redirected, and restored afterwards."""
    _flush_python_stdio()
    saved = _redirect_fd(1, 2)
    try:
        with redirect_stdout(sys.stderr):
            yield
    finally:
        _flush_python_stdio()
        if saved is not None:
            _flush_c_stdio()
            os.dup2(saved, 1)
            os.close(saved)


def _flush_python_stdio() -> None:
    for stream in (sys.stdout, sys.__stdout__, sys.stderr):
        if stream is not None:
            with suppress(OSError, ValueError):  # closed by the definitions, or never open
                stream.flush()


def _redirect_fd(fd: int, to: int) -> int | None:
    """Point `fd` at `to`; the saved original, or None when either is not open."""
    try:
        saved = os.dup(fd)
    except OSError:
        return None
    try:
        os.dup2(to, fd)
    except OSError:
        os.close(saved)
        return None
    return saved


def _flush_c_stdio() -> None:
    """Flush C's stdout buffer, so that what C code printed lands where fd 1 pointed then."""
    with suppress(OSError, AttributeError):  # no C library to load (not a POSIX system)
        ctypes.CDLL(None).fflush(None)


def _candidates(module: types.ModuleType) -> Iterator[Any]:
    for value in vars(module).values():
        if isinstance(value, list | tuple | set | frozenset):
            yield from value
        elif isinstance(value, dict):
            yield from value.values()
        else:
            yield value


def _collect(modules: list[types.ModuleType]) -> dict[type, list[Any]]:
    found: dict[int, Any] = {}
    for module in modules:
        for value in _candidates(module):
            if isinstance(value, COLLECTED):
                found[id(value)] = value
    by_kind: dict[type, list[Any]] = {kind: [] for kind in COLLECTED}
    for value in found.values():
        kind = next(k for k in COLLECTED if isinstance(value, k))
        by_kind[kind].append(value)
    for items in by_kind.values():
        items.sort(key=lambda obj: (obj.source.path, obj.source.line))
    return by_kind


def _orphans(by_kind: dict[type, list[Any]]) -> list[Diagnostic]:
    grouped = {id(rule) for group in by_kind[RuleGroup] for rule in group.rules}
    return [
        Diagnostic.of("OBS005", f"rule {rule.name} is in no RuleGroup and will not be emitted",
                      rule.source, "add it to a RuleGroup's rules")
        for kind in (AlertRule, RecordingRule) for rule in by_kind[kind]
        if id(rule) not in grouped
    ]


def load_project(config: Config, bytecode: Path | None = None
                 ) -> tuple[Project | None, list[Diagnostic]]:
    """The project the definitions make; `bytecode`: a folder where their compiled form is
    kept between runs (see obsgen.bytecode)."""
    project, diagnostics, _ = load_recorded(config, bytecode)
    return project, diagnostics


def load_recorded(config: Config, bytecode: Path | None = None
                  ) -> tuple[Project | None, list[Diagnostic], Reads]:
    """`load_project`, and what the definitions read besides their source (obsgen.reads)."""
    with _isolated_package(config), kept_in(bytecode, config.definitions.name), \
            recorded(config.definitions, *([bytecode] if bytecode else [])) as reads:
        modules, diagnostics = _import_all(config)
    project, diagnostics = _assemble(config, modules, diagnostics)
    return project, diagnostics, reads


def _assemble(config: Config, modules: list[types.ModuleType], diagnostics: list[Diagnostic]
              ) -> tuple[Project | None, list[Diagnostic]]:
    if diagnostics:
        return None, sorted_unique(diagnostics)
    by_kind = _collect(modules)
    slos = compile_slos(by_kind[SLO], config.project)
    if slos.diagnostics:
        return None, sorted_unique(list(slos.diagnostics))
    project = Project(config=config, metrics=tuple(by_kind[Metric]),
                      jobs=tuple(by_kind[ScrapeJob]),
                      groups=(*by_kind[RuleGroup], *slos.groups),
                      tests=(*by_kind[RuleTest], *slos.tests),
                      runbooks=(*by_kind[Runbook], *slos.runbooks),
                      dashboards=(*by_kind[Dashboard], *slos.dashboards),
                      guides=tuple(by_kind[RunbookGuide]),
                      pipelines=tuple(by_kind[Pipeline]), slos=tuple(by_kind[SLO]))
    return project, _orphans(by_kind)
