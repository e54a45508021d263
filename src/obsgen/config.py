"""Project configuration: `obsgen.toml`, or the `[tool.obsgen]` table of pyproject.toml."""

from __future__ import annotations

import keyword
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.model.rules import DEFAULT_SEVERITIES

KEYS = ("project", "definitions", "build", "runbook_base_url", "severities", "python",
        "rule_test_coverage")
PYTHON_KEYS = ("module", "package")  # the [python] table: where the instrumentation module goes
CONFIG_HINT = 'create obsgen.toml with: definitions = "definitions"'
# A project's identity goes into what it deploys (dashboard tags, ruler namespaces, rule-file
# headers), so it is kept to characters every one of those places accepts.
PROJECT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
PROJECT_HINT = ('e.g. project = "checkout": 1-40 of a-z, 0-9, "-" and "_", starting with a '
                'letter or digit')


@dataclass(frozen=True)
class Config:
    root: Path
    file: Path
    definitions: Path
    build: Path
    runbook_base_url: str = ""
    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    # Who owns what obsgen deploys: two projects on one Grafana, ruler or rules folder never
    # touch each other's objects. `project_from` says where it came from ("setting",
    # "pyproject" [project].name, or "folder" name).
    project: str = "obsgen"
    project_from: str = "setting"
    # The instrumentation module: build/python/<package folders>/<python_module>.py; an empty
    # module name means `<project>_metrics`.
    python_module: str = ""
    python_package: str = ""
    # What an alert without a firing and a silent test, or a recording rule without a samples
    # test, is in `obsgen check`: "warning", "error" or "off".
    rule_test_coverage: str = "warning"


def _document(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(Diagnostic.of("OBS003", f"cannot parse {path.name}: {exc}",
                                       Location(str(path)), "fix the TOML syntax")) from None


def _table(path: Path) -> dict[str, Any] | None:
    data = _document(path)
    if path.name == "obsgen.toml":
        return data
    tool = data.get("tool", {})
    table = tool.get("obsgen") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def slug(text: str) -> str:
    """A project identity made from a name: lower case, other characters become '-'."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:40].strip("-_")


def project_identity(file: Path, table: dict[str, Any], where: Location) -> tuple[str, str]:
    """The project's identity and where it came from: the `project` setting, else the
    `[project].name` of a pyproject.toml, else the project folder's name."""
    given = table.get("project")
    if given is not None:
        if not isinstance(given, str) or not PROJECT_ID.match(given):
            raise UsageError(Diagnostic.of("OBS003", f"project {given!r} is not a usable project "
                                           "identity", where, PROJECT_HINT))
        return given, "setting"
    if file.name == "pyproject.toml":
        meta = _document(file).get("project")
        name = slug(str(meta.get("name", ""))) if isinstance(meta, dict) else ""
        if name:
            return name, "pyproject"
    return slug(file.parent.name) or "obsgen", "folder"


def find_project(start: Path) -> tuple[Path, dict[str, Any]]:
    """The nearest folder at or above `start` with obsgen.toml or [tool.obsgen]."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in ("obsgen.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = _table(candidate)
                if table is not None:
                    return candidate, table
    raise UsageError(Diagnostic.of(
        "OBS003", f"no obsgen project at or above {start}", Location(str(start)),
        f"run obsgen inside a project, pass --project DIR, or {CONFIG_HINT}"))


def _check_package_name(name: str, where: Location) -> None:
    """The definitions folder is imported as a package of that name, so the name must be an
    identifier that shadows neither the standard library nor obsgen itself."""
    if not name.isidentifier():
        raise UsageError(Diagnostic.of(
            "OBS003", f"definitions folder name {name!r} is not a Python identifier", where,
            "rename the folder, e.g. with underscores instead of dashes"))
    if name in sys.stdlib_module_names or name in ("obsgen", "yaml", "click"):
        raise UsageError(Diagnostic.of(
            "OBS003", f"definitions folder name {name!r} would shadow the module {name!r}", where,
            'rename the folder, e.g. "definitions"'))


def _python_setting(table: dict[str, Any], where: Location) -> tuple[str, str]:
    """(module, package) from the `python` table; each a dotted Python name or empty."""
    python = table.get("python", {})
    if not isinstance(python, dict) or set(python) - set(PYTHON_KEYS):
        raise UsageError(Diagnostic.of("OBS003", "python must be a table with the keys "
                                       f"{', '.join(PYTHON_KEYS)}", where,
                                       '[python] module = "checkout_metrics" (obsgen.toml)'))
    module, package = python.get("module", ""), python.get("package", "")
    if not isinstance(module, str) or (module and (not module.isidentifier()
                                                   or keyword.iskeyword(module))):
        raise UsageError(Diagnostic.of("OBS003", f"python.module {module!r} is not a Python "
                                       "module name", where, 'e.g. module = "checkout_metrics"'))
    if not isinstance(package, str) or (package and not all(
            p.isidentifier() for p in package.split("."))):
        raise UsageError(Diagnostic.of("OBS003", f"python.package {package!r} is not a dotted "
                                       "package name", where, 'e.g. package = "checkout.obs"'))
    return module, package


def load_config(start: Path) -> Config:
    file, table = find_project(start)
    where = Location(str(file))
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise UsageError(Diagnostic.of("OBS003", f"unknown setting(s) {', '.join(unknown)}",
                                       where, f"known settings: {', '.join(KEYS)}"))
    root = file.parent
    for key in ("definitions", "build"):
        if not isinstance(table.get(key, ""), str):
            raise UsageError(Diagnostic.of("OBS003", f"{key} must be a folder name (text), got "
                                           f"{table[key]!r}", where, f'e.g. {key} = "{key}"'))
    definitions = root / str(table.get("definitions", "definitions"))
    if not definitions.is_dir():
        raise UsageError(Diagnostic.of("OBS003", f"definitions folder {definitions} not found",
                                       where, "create it, or point `definitions` at it"))
    _check_package_name(definitions.name, where)
    severities = table.get("severities", list(DEFAULT_SEVERITIES))
    if not isinstance(severities, list) or not all(isinstance(s, str) for s in severities):
        raise UsageError(Diagnostic.of("OBS003", "severities must be a list of strings", where,
                                       'e.g. severities = ["critical", "warning", "info"]'))
    base = table.get("runbook_base_url", "")
    if not isinstance(base, str) or (base and not base.startswith(("http://", "https://"))):
        raise UsageError(Diagnostic.of("OBS003", f"runbook_base_url {base!r} is not a URL",
                                       where, 'e.g. runbook_base_url = "https://example.org/rb/"'))
    project, project_from = project_identity(file, table, where)
    python_module, python_package = _python_setting(table, where)
    coverage = table.get("rule_test_coverage", "warning")
    if coverage not in ("warning", "error", "off"):
        raise UsageError(Diagnostic.of("OBS003", f"rule_test_coverage {coverage!r} is not one "
                                       'of "warning", "error", "off"', where,
                                       'e.g. rule_test_coverage = "error"'))
    return Config(root=root, file=file, definitions=definitions,
                  build=root / str(table.get("build", "build")),
                  runbook_base_url=base if not base or base.endswith("/") else base + "/",
                  severities=tuple(severities), project=project, project_from=project_from,
                  python_module=python_module, python_package=python_package,
                  rule_test_coverage=coverage)
