"""`obsgen lint PATH…`: find foreign files, tell their kind, read them, hand each to its
kind's linter with one shared context (the other files, the optional catalog).

Reading problems (not UTF-8, empty, unreadable, not a regular file, over the size limit, not
the kind the name says) are diagnostics here, never exceptions (see check/reading.py); syntax
and content problems belong to each kind's linter. A file inside a folder whose content is not
of a linted kind (a `docker-compose.yml`, a `package.json`) is skipped silently; the same file
named on the command line gets a diagnostic.
"""

from __future__ import annotations

import os
import re
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from obsgen.check.alloy.validate import lint_alloy
from obsgen.check.crossfile import estate_findings
from obsgen.check.dashboards.configmap import (
    configmap_dashboards,
    member_path,
    relocate_member,
    written_path,
)
from obsgen.check.dashboards.lint import lint_dashboard
from obsgen.check.dashboards.schema import parse_json
from obsgen.check.dashboards.targets_v2 import is_v2_dashboard
from obsgen.check.dashboards.yamlview import yaml_view
from obsgen.check.exposition import parse_exposition
from obsgen.check.foreign import ForeignFile, Kind, LintContext
from obsgen.check.lintsummary import Summary, summarise
from obsgen.check.prometheus_config import is_prometheus_config, lint_prometheus_config
from obsgen.check.reading import (
    DEFAULT_MAX_FILE_SIZE,
    is_folder,
    is_regular_file,
    read_bytes,
    stat_error,
)
from obsgen.check.rules.checks import lint_rule_file
from obsgen.check.rules.rulefile import is_rule_file, something_else
from obsgen.check.runbooks.alertlinks import missing_page_findings
from obsgen.check.runbooks.checks import lint_markdown
from obsgen.config import load_config
from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.load import load_project
from obsgen.model.catalog import Catalog
from obsgen.noqa import without_noqa

Linter = Callable[[ForeignFile, LintContext], list[Diagnostic]]

SUFFIX_KINDS: dict[str, Kind] = {".yml": "rules", ".yaml": "rules", ".json": "dashboard",
                                 ".alloy": "alloy", ".md": "markdown"}
# Folders never walked into: version control, virtual environments, caches, dependencies.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
KINDS_HINT = ("obsgen lint reads Prometheus rule files (or PrometheusRule manifests), "
              "Prometheus configs, Grafana dashboard JSON (and v2 dashboards in YAML), Alloy "
              "configs (.alloy) and Markdown runbooks (.md)")

_RULE_FILE = re.compile(r"^[\"']?groups[\"']?\s*:|^[\"']?kind[\"']?\s*:\s*[\"']?PrometheusRule\b",
                        re.MULTILINE)
_JSON_GROUPS = re.compile(r"\"groups\"\s*:")
_DASHBOARD = re.compile(r"\"(panels|rows|dashboard|schemaVersion|templating)\"\s*:")
# Grafana's v2 schema has none of the v1 keys: a resource of `kind: Dashboard` (its apiVersion
# dashboard.grafana.app/v2...) whose spec holds `elements` and `layout`.
_V2_DASHBOARD = re.compile(r"^\s*[\"']?kind[\"']?\s*:\s*[\"']?Dashboard\b|[\"']?apiVersion[\"']?"
                           r"\s*:\s*[\"']?dashboard\.grafana\.app/v2", re.MULTILINE)


def _linters() -> dict[Kind, Linter]:
    """Each kind's linter, as far as this obsgen has one (see check/foreign.py)."""
    return {"rules": lint_rule_file, "dashboard": lint_dashboard, "alloy": lint_alloy,
            "markdown": lint_markdown, "prometheus-config": lint_prometheus_config}


@dataclass(frozen=True)
class Candidate:
    path: str
    named: bool  # named on the command line, not found in a folder


@dataclass(frozen=True)
class LintRun:
    diagnostics: list[Diagnostic]
    files: tuple[ForeignFile, ...]
    unchecked: tuple[Kind, ...]  # kinds read but without a linter in this obsgen

    def counts(self) -> dict[str, int]:
        return dict(sorted(Tally(f.kind for f in self.files).items()))

    def summary(self) -> Summary:
        return summarise(self.files)


def missing_path(path: Path, what: str) -> UsageError:
    return UsageError(Diagnostic.of("OBS966", f"{what} {path} does not exist", Location(str(path)),
                                    "check the spelling; paths are relative to the current folder"))


def _skipped_dir(parent: str, name: str) -> bool:
    return (name.startswith(".") or name in SKIPPED_DIRS
            or is_regular_file(Path(parent, name, "pyvenv.cfg")))


def _unreadable_folder(path: str, exc: OSError) -> Diagnostic:
    return Diagnostic.of("OBS965", f"cannot read folder: {exc.strerror or exc}",
                         Location(str(exc.filename or path)),
                         "check its permissions (and for symlinks that loop, or a path too long)")


def _walk(top: str, problems: list[Diagnostic]) -> Iterator[Candidate]:
    def unreadable(exc: OSError) -> None:
        problems.append(_unreadable_folder(top, exc))

    for parent, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not _skipped_dir(parent, d))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIX_KINDS:
                yield Candidate(str(Path(parent, name)), named=False)


def expand(paths: Iterable[Path], strict: bool = True
           ) -> tuple[list[Candidate], list[Diagnostic]]:
    """Every file to lint, each once, in the order named (folders walked in sorted order).
    Not `strict`: a named file of another kind is skipped silently, as inside a folder."""
    found: dict[str, Candidate] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        error = stat_error(path)
        if isinstance(error, FileNotFoundError):
            raise missing_path(path, "path")
        if error is not None:
            problems.append(_unreadable_folder(str(path), error))
            continue
        items = (_walk(str(path), problems) if is_folder(path)
                 else [Candidate(str(path), strict)])
        for item in items:
            key = os.path.normpath(item.path)
            if item.named or key not in found:  # naming a file makes its problems reported
                found[key] = item
    return list(found.values()), problems


def decode(path: str, data: bytes) -> str | Diagnostic:
    """The text of a file, or the diagnostic saying why it has none."""
    if not data.strip():
        return Diagnostic.of("OBS962", "the file is empty", Location(path, 1),
                             "delete it, or give it content (an empty file lints as nothing)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return Diagnostic.of("OBS961", f"the file is not UTF-8: byte 0x{data[exc.start]:02x} "
                             "cannot be decoded", Location(path, line, column),
                             "re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8")


def read_text(path: str, limit: int = DEFAULT_MAX_FILE_SIZE) -> str | Diagnostic:
    data = read_bytes(path, limit)
    return data if isinstance(data, Diagnostic) else decode(path, data)


def _yaml_kind(text: str, named: bool) -> Kind | None:
    if is_prometheus_config(text):
        return "prometheus-config"
    if _V2_DASHBOARD.search(text) and yaml_view(text) is not None:
        return "dashboard"
    if not named and something_else(text):
        return None  # a template or a catalogue found in a folder: not the user's rule file
    return "rules" if _RULE_FILE.search(text) or is_rule_file(text) else None


def _json_kind(text: str, named: bool) -> Kind | None:
    if _DASHBOARD.search(text) or (_V2_DASHBOARD.search(text) and is_v2_dashboard(
            getattr(parse_json(text), "data", None))):
        return "dashboard"
    # promtool reads JSON rule files (YAML is a superset): kube-prometheus ships some.
    if not _JSON_GROUPS.search(text) or (not named and something_else(text)):
        return None
    return "rules" if is_rule_file(text) else None


_NOT_OF_KIND = {
    ".yml": "has no top-level `groups:`, is not a PrometheusRule, not a Prometheus "
            "configuration and not a Grafana v2 dashboard",
    ".json": "has none of a Grafana dashboard's keys (panels, rows, templating, dashboard; "
             "a v2 dashboard's apiVersion) and no rule groups",
}


def detect(path: str, text: str, named: bool) -> Kind | Diagnostic | None:
    """The kind of a file by its suffix, confirmed by its content; None: skip it."""
    suffix = Path(path).suffix.lower()
    kind = SUFFIX_KINDS.get(suffix)
    if kind == "alloy" and not named and Path(path).name.lower().startswith("dockerfile"):
        return None  # `Dockerfile.alloy` builds an image of Alloy; it is no config
    if kind not in ("rules", "dashboard"):
        return kind  # None for a suffix obsgen does not lint; read_files reports named ones
    found = _yaml_kind(text, named) if kind == "rules" else _json_kind(text, named)
    if found is not None or not named:
        return found
    why = _NOT_OF_KIND[".json" if kind == "dashboard" else ".yml"]
    return Diagnostic.of("OBS963", f"the file {why}", Location(path, 1), KINDS_HINT)


def read_files(candidates: Iterable[Candidate], limit: int = DEFAULT_MAX_FILE_SIZE,
               configmaps: bool = False) -> tuple[list[ForeignFile], list[Diagnostic]]:
    """`configmaps`: a YAML ConfigMap's dashboards are read as dashboards (lint does; import
    does not write them yet)."""
    files, problems = [], []
    for candidate in candidates:
        if Path(candidate.path).suffix.lower() not in SUFFIX_KINDS:
            if candidate.named:
                problems.append(Diagnostic.of("OBS960", "not a kind of file obsgen lints; "
                                              "skipped", Location(candidate.path), KINDS_HINT))
            continue
        text = read_text(candidate.path, limit)
        if isinstance(text, Diagnostic):
            problems.append(text)
            continue
        members = _configmap_files(candidate.path, text) if configmaps else []
        if members:
            files += members
            continue
        kind = detect(candidate.path, text, candidate.named)
        if isinstance(kind, Diagnostic):
            problems.append(kind)
        elif kind is not None:
            files.append(_foreign_file(candidate.path, text, kind))
    return files, problems


def _foreign_file(path: str, text: str, kind: Kind) -> ForeignFile:
    """The file as its linter reads it: a YAML dashboard as JSON, the YAML kept for places."""
    in_yaml = SUFFIX_KINDS.get(Path(path).suffix.lower()) == "rules"  # .yml or .yaml
    view = yaml_view(text) if kind == "dashboard" and in_yaml else None
    return ForeignFile(path, view.json, kind, text) if view else ForeignFile(path, text, kind)


def _configmap_files(path: str, text: str) -> list[ForeignFile]:
    """Each dashboard of a YAML ConfigMap (or a list of them), as a file of its own."""
    if Path(path).suffix.lower() not in (".yml", ".yaml"):
        return []
    return [ForeignFile(member_path(path, n), e.json, "dashboard", text)
            for n, e in enumerate(configmap_dashboards(text))]


def _placed_in_written(found: list[Diagnostic], files: tuple[ForeignFile, ...]
                       ) -> list[Diagnostic]:
    """Findings in a file read through a view of it, moved to where the file shows them."""
    members = {f.path: f.written for f in files
               if f.written is not None and written_path(f.path) != f.path}
    views = {f.path: view for f in files if f.written is not None and f.path not in members
             and (view := yaml_view(f.written)) is not None}

    def placed(location: Location) -> Location:
        if location.path in members:
            return relocate_member(location, members[location.path])
        return views[location.path].relocate(location) if location.path in views else location

    return [replace(d, location=placed(d.location)) if d.location is not None else d
            for d in found]


def load_catalog(path: Path, limit: int = DEFAULT_MAX_FILE_SIZE
                 ) -> tuple[Catalog | None, list[Diagnostic]]:
    """`--catalog`: an obsgen project folder, or a Prometheus exposition-format scrape."""
    error = stat_error(path)
    if isinstance(error, FileNotFoundError):
        raise missing_path(path, "catalog")
    if error is None and is_folder(path):
        project, diagnostics = load_project(load_config(path))
        if project is None:
            return None, diagnostics
        return Catalog(project.metrics, project.jobs), diagnostics
    text = read_text(str(path), limit)
    if isinstance(text, Diagnostic):
        return None, [text]
    exposition = parse_exposition(text, str(path))
    return exposition.catalog, list(exposition.diagnostics)


def lint_files(files: tuple[ForeignFile, ...], catalog: Catalog | None,
               linters: dict[Kind, Linter]) -> list[Diagnostic]:
    context = LintContext(files, catalog)
    found: list[Diagnostic] = []
    for file in files:
        linter = linters.get(file.kind)
        if linter is None:
            continue
        try:
            found += linter(file, context)
        except Exception as exc:  # a linter bug must cost one file, not the whole run
            found.append(Diagnostic.of(
                "OBS968", f"the {file.kind} linter failed on this file: "
                f"{type(exc).__name__}: {exc}", Location(file.path),
                "this is a bug in obsgen; please report it with the file"))
    return _placed_in_written(found + _estate_findings(context), files)


def _estate_findings(context: LintContext) -> list[Diagnostic]:
    """The checks across files, once per run; a bug there costs those checks, not the run."""
    try:
        return estate_findings(context) + missing_page_findings(context)
    except Exception as exc:
        return [Diagnostic.of("OBS968", f"the checks across files failed: {type(exc).__name__}"
                              f": {exc}", None, "this is a bug in obsgen; please report it "
                              "with the files")]


def lint_paths(paths: Iterable[Path], catalog_path: Path | None = None,
               strict: bool = True, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> LintRun:
    """Lint everything under `paths`; a catalog that fails to load stops the run before any
    file is linted, since every finding against a broken catalog would be suspect. Files over
    `max_file_size` bytes are findings, not read."""
    candidates, problems = expand(paths, strict)
    catalog: Catalog | None = None
    if catalog_path is not None:
        catalog, catalog_problems = load_catalog(catalog_path, max_file_size)
        if catalog is None or any(d.severity.value == "error" for d in catalog_problems):
            return LintRun(catalog_problems, (), ())
        problems += catalog_problems
    files, unreadable = read_files(candidates, max_file_size, configmaps=True)
    linters = _linters()
    found = lint_files(tuple(files), catalog, linters)
    unchecked = tuple(sorted({f.kind for f in files if f.kind not in linters}))
    return LintRun(without_noqa([*problems, *unreadable, *found]), tuple(files), unchecked)
