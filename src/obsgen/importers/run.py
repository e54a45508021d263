"""One `obsgen import` run: survey every input, build the catalog and the names every module
may refer to, then have each input's importer write its modules against them.

Which importer reads which kind is looked up when the run starts, so a kind whose importer
this obsgen lacks is a finding (OBS980) on each such input, never a crash; an importer that
fails on one input costs that input, not the run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from obsgen.check.foreign import ForeignFile, Kind
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers import rules
from obsgen.importers.catalog import ImportedCatalog, Query, infer
from obsgen.importers.contract import Imported, ImportEnv, Module, Ref, Survey
from obsgen.importers.metrics_module import metrics_module
from obsgen.importers.promql_code import converter
from obsgen.importers.pysource import Names, module_name

IMPORTERS: Mapping[Kind, str] = {"rules": "obsgen.importers.rules",
                                 "dashboard": "obsgen.importers.grafana",
                                 "markdown": "obsgen.importers.runbooks",
                                 "alloy": "obsgen.importers.alloy",
                                 "slo": "obsgen.importers.slo_specs"}
# The package each kind's modules go in ("" for the definitions package itself).
PACKAGES: Mapping[Kind, str] = {"rules": "rules", "dashboard": "dashboards",
                                "markdown": "runbooks", "alloy": "", "slo": "slos",
                                "prometheus-config": ""}
KIND_WORDS: Mapping[Kind, str] = {"rules": "rule files", "dashboard": "dashboards",
                                  "markdown": "runbooks", "alloy": "Alloy configs",
                                  "slo": "SLO specs", "prometheus-config": "Prometheus configs"}


def importer(kind: Kind) -> ModuleType | None:
    """The module importing `kind`, if this obsgen has one with both passes."""
    name = IMPORTERS.get(kind)
    if name is None:
        return None
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    return module if hasattr(module, "survey") and hasattr(module, "write") else None


@dataclass(frozen=True)
class Input:
    file: ForeignFile
    survey: Survey
    module: str  # dotted name of its module, relative to the definitions package


@dataclass(frozen=True)
class ImportResult:
    modules: tuple[Module, ...]
    diagnostics: tuple[Diagnostic, ...]
    imported: tuple[ForeignFile, ...]
    severities: tuple[str, ...]
    runbook_base_url: str = ""


def _failed(file: ForeignFile, stage: str, exc: Exception) -> Diagnostic:
    return Diagnostic.of("OBS980", f"the {file.kind} importer failed while it {stage} this "
                         f"file: {type(exc).__name__}: {exc}", Location(file.path, 1),
                         "this is a bug in obsgen; please report it with the file")


def _survey(file: ForeignFile) -> Survey:
    found = importer(file.kind)
    if found is None:
        return Survey(diagnostics=(Diagnostic.of(
            "OBS980", f"not imported: this obsgen cannot import {KIND_WORDS[file.kind]} yet",
            Location(file.path, 1), "write its definitions by hand, or import it once a "
            "later obsgen reads this kind"),))
    try:
        survey: Survey = found.survey(file)
    except Exception as exc:  # an importer bug must cost one file, not the run
        return Survey(diagnostics=(_failed(file, "read", exc),))
    return survey


def _refused(survey: Survey) -> bool:
    """An importer says an input is not imported at all with OBS980."""
    return any(d.code == "OBS980" for d in survey.diagnostics)


def _claimed(file: ForeignFile, survey: Survey, first: dict[tuple[str, str], str]
             ) -> list[Diagnostic]:
    """OBS983 for each name another input already took (the first keeps it)."""
    clashes = []
    for claim in survey.claims:
        key = (claim.what, claim.name)
        if key in first and first[key] != file.path:
            clashes.append(Diagnostic.of(
                "OBS983", f"not imported: {claim.what} {claim.name!r} is already imported from "
                f"{first[key]}", Location(file.path, claim.line),
                f"rename the {claim.what.removesuffix(' name')} in one of the two inputs, or "
                "import only one of them"))
    if not clashes:
        for claim in survey.claims:
            first.setdefault((claim.what, claim.name), file.path)
    return clashes


def _module(file: ForeignFile, names: Names) -> str:
    package = PACKAGES[file.kind]
    wanted = module_name(Path(file.path).stem) if package else "pipeline"
    return names.claim(f"{package}.{wanted}" if package else wanted)


def survey_all(files: Iterable[ForeignFile]) -> tuple[list[Input], list[Diagnostic]]:
    """Pass 1: every input surveyed; those that cannot be imported are left out, said why."""
    inputs: list[Input] = []
    found: list[Diagnostic] = []
    first: dict[tuple[str, str], str] = {}
    names = Names({"metrics"})
    for file in files:
        survey = _survey(file)
        found += survey.diagnostics
        if _refused(survey):
            continue
        clashes = _claimed(file, survey, first)
        found += clashes
        if not clashes:
            inputs.append(Input(file, survey, _module(file, names)))
    return inputs, found


def inferred_catalog(inputs: Iterable[Input]) -> ImportedCatalog:
    inputs = list(inputs)
    recorded = frozenset(n for i in inputs for n in i.survey.recorded)
    queries = []
    for item in inputs:
        expected = dict(item.survey.template_labels)
        queries += [Query(q, item.file.path, expected.get(q, ())) for q in item.survey.queries]
    return infer(queries, recorded)


def environment(inputs: list[Input], catalog: ImportedCatalog) -> ImportEnv:
    metrics = catalog.refs()
    base = ImportEnv(metrics=metrics, query=converter(catalog.metrics, metrics))
    alerts: dict[str, Ref] = {}
    for item in inputs:
        if item.file.kind == "rules":
            for name, ref in rules.alert_refs(item.file, item.module, base).items():
                alerts.setdefault(name, ref)
    covered = frozenset(a for i in inputs for a in i.survey.runbook_alerts if a in alerts)
    urls = rules.runbook_urls(i.file for i in inputs if i.file.kind == "rules")
    return ImportEnv(metrics=metrics, alerts=alerts, runbook_alerts=covered, query=base.query,
                     runbook_base_url=rules.runbook_base(urls, covered))


def _write(item: Input, env: ImportEnv) -> Imported:
    found = importer(item.file.kind)
    assert found is not None
    try:
        imported: Imported = found.write(item.file, env, item.module)
    except Exception as exc:  # an importer bug must cost one file, not the run
        return Imported((), (_failed(item.file, "wrote the definitions of", exc),))
    return imported


def _written(inputs: list[Input], env: ImportEnv) -> list[Imported]:
    """Each input's modules. An importer with `write_all` writes all its kind's inputs at once
    (runbook pages share the project's one guide); if that fails, they are written one by one,
    so a bug costs the input it is in."""
    results: dict[int, Imported] = {}
    for kind in dict.fromkeys(item.file.kind for item in inputs):
        batch = [n for n, item in enumerate(inputs) if item.file.kind == kind]
        together = getattr(importer(kind), "write_all", None)
        try:
            written = together([(inputs[n].file, inputs[n].module) for n in batch], env) \
                if together is not None else None
        except Exception:  # written one by one below, where the failing input is named
            written = None
        for n, result in zip(batch, written or [_write(inputs[n], env) for n in batch],
                             strict=True):
            results[n] = result
    return [results[n] for n in range(len(inputs))]


def packages(modules: Iterable[Module]) -> list[Module]:
    """An `__init__.py` for the definitions package and each package a module sits in."""
    wanted = {""} | {m.name.rpartition(".")[0] for m in modules if "." in m.name}
    return [Module(f"{p}.__init__" if p else "__init__",
                   f'"""{"Imported definitions" if not p else f"Imported {p}"}."""\n', "")
            for p in sorted(wanted)]


CatalogSource = Callable[[list[Input]], tuple[ImportedCatalog, str]]


def import_files(files: Iterable[ForeignFile], catalog: CatalogSource) -> ImportResult:
    """Both passes over `files`; `catalog` gives the run's catalog (given or inferred from the
    surveyed inputs) and how to describe where it came from."""
    inputs, found = survey_all(files)
    chosen, described = catalog(inputs)
    found += chosen.diagnostics
    env = environment(inputs, chosen)
    modules = [metrics_module(chosen, described)]
    imported = []
    for item, result in zip(inputs, _written(inputs, env), strict=True):
        modules += result.modules
        found += result.diagnostics
        if result.modules:
            imported.append(item.file)
    severities = rules.severities(i.file for i in inputs if i.file.kind == "rules")
    return ImportResult((*packages(modules), *modules), tuple(found), tuple(imported),
                        severities, env.runbook_base_url)
