"""The oracle of `obsgen import`: import real artifacts, `obsgen build` the project it wrote, and
compare what the build emits with what went in, semantically.

Rule files: the same groups (name, interval, limit, query_offset) and rules in order, each
expression equal as parsed by promql-parser (the same tree; parentheses that change nothing
are not compared), the same durations, labels and annotations.
Dashboards of our own build/: compared by importers/grafana_compare.py, the dashboard
importer's side of the oracle (the corpus's dashboards have their own test,
test_import_grafana_roundtrip.py).

The build's findings about the imported rules (a template naming a label the result lacks,
a query reading a label the catalog lacks: defects the files carried) are the point of an
import and are printed by code; the comparison builds with exactly those codes ignored, and
any other error fails the test.
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from obsgen.build import compile_project
from obsgen.check.lint import expand, read_files
from obsgen.cli_import import catalog_source
from obsgen.config import load_config
from obsgen.importers.output import config_text, write_project
from obsgen.importers.promql_code import same_query
from obsgen.importers.run import import_files
from obsgen.model.names import DURATION, duration_ms
from obsgen.noqa import without_noqa

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
RULE_FILES = sorted((CORPUS / "rules").glob("*/*.yml"))
DASHBOARDS = sorted((CORPUS / "dashboards").glob("*/*.json"))
# Findings a build may make about imported rules: catalog references (OBS1xx) and rule lint
# (OBS9xx). Anything else (a definition obsgen refused, a clash) is an import bug.
FINDING_PREFIXES = ("OBS1", "OBS9")


# --- rule files -------------------------------------------------------------------------------

def rule_groups(text: str) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for document in yaml.safe_load_all(text):
        if isinstance(document, dict) and "groups" not in document:
            document = document.get("spec")
        if isinstance(document, dict):
            groups += document.get("groups") or []
    return groups


def _duration(value: object) -> int:
    if value is None:
        return 0
    assert DURATION.match(str(value)), f"not a duration: {value!r}"
    return duration_ms(str(value))


def _strings(value: object) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in (value or {}).items()}  # type: ignore[attr-defined]


def _rule_difference(where: str, want: dict[str, Any], got: dict[str, Any]) -> str | None:
    for key in ("alert", "record"):
        if want.get(key) != got.get(key):
            return f"{where}: {key} {want.get(key)!r} became {got.get(key)!r}"
    if not same_query(str(want["expr"]), str(got["expr"])):
        return f"{where}: expr {want['expr']!r} became {got['expr']!r}"
    for key in ("for", "keep_firing_for"):
        if _duration(want.get(key)) != _duration(got.get(key)):
            return f"{where}: {key} {want.get(key)!r} became {got.get(key)!r}"
    for key in ("labels", "annotations"):
        if _strings(want.get(key)) != _strings(got.get(key)):
            return f"{where}: {key} {want.get(key)!r} became {got.get(key)!r}"
    return None


def _group_difference(want: dict[str, Any], got: dict[str, Any] | None) -> str | None:
    name = want["name"]
    if got is None:
        return f"group {name!r} was not emitted"
    for key in ("interval", "query_offset"):
        if _duration(want.get(key)) != _duration(got.get(key)):
            return f"group {name!r}: {key} {want.get(key)!r} became {got.get(key)!r}"
    if (want.get("limit") or 0) != (got.get("limit") or 0):
        return f"group {name!r}: limit {want.get('limit')!r} became {got.get('limit')!r}"
    wanted, emitted = want.get("rules") or [], got.get("rules") or []
    for index, (a, b) in enumerate(zip(wanted, emitted, strict=False)):
        found = _rule_difference(f"group {name!r} rule {index + 1}", a, b)
        if found:
            return found
    if len(wanted) != len(emitted):
        return f"group {name!r}: {len(wanted)} rules became {len(emitted)}"
    return None


def first_rule_difference(original: str, emitted: dict[str, dict[str, Any]]) -> str | None:
    """How the build's groups (by name) differ from a rule file's, first difference only."""
    for group in rule_groups(original):
        found = _group_difference(group, emitted.get(group["name"]))
        if found:
            return found
    return None


def emitted_groups(artifacts: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for path, text in sorted(artifacts.items())
            if path.startswith("prometheus/") and path.endswith(".rules.yml")
            for g in rule_groups(text)}


# --- import and build -------------------------------------------------------------------------

def batches(files: Iterable[Path]) -> list[list[Path]]:
    """The files in as few projects as needed for no two to share a rule group name (obsgen
    refuses a second group of one name in a project: OBS983 on import)."""
    out: list[tuple[set[str], list[Path]]] = []
    for path in files:
        names = {g["name"] for g in rule_groups(path.read_text(encoding="utf-8"))}
        home = next((b for b in out if not b[0] & names), None)
        if home is None:
            home = (set(), [])
            out.append(home)
        home[0].update(names)
        home[1].append(path)
    return [paths for _, paths in out]


def import_project(inputs: list[Path], project: Path) -> None:
    """`obsgen import INPUTS -o PROJECT` in this process (the command's own functions; the
    CLI itself is tested in tests/unit/test_import_command.py): every input imported."""
    candidates, problems = expand(inputs)
    files, unreadable = read_files(candidates)
    result = import_files(files, catalog_source(None))
    errors = [d for d in [*problems, *unreadable, *result.diagnostics]
              if d.severity.value == "error"]
    assert not errors, "\n".join(f"{d.location}: {d.code} {d.message}" for d in errors)
    config = config_text(project, result.severities, result.runbook_base_url)
    write_project(project, result.modules, config)


def build_artifacts(project: Path, findings: Counter[str]) -> dict[str, str]:
    """`obsgen build` of the imported project: its findings are counted by code, then the
    artifacts are made with exactly those codes ignored, as `--ignore` would."""
    config = load_config(project)
    first = compile_project(config)
    errors = Counter(d.code for d in first.diagnostics if d.severity.value == "error")
    unexpected = [f"{d.location}: {d.code} {d.message}" for d in first.diagnostics
                  if d.severity.value == "error" and not d.code.startswith(FINDING_PREFIXES)]
    assert first.project is not None and not unexpected, "\n".join(unexpected) or str(
        first.diagnostics[:3])
    findings.update(errors)
    compiled = first if not errors else compile_project(
        config, lambda found: [d for d in without_noqa(found) if d.code not in errors])
    assert compiled.ok, compiled.diagnostics[:3]
    return compiled.artifacts


def build_imported(inputs: list[Path], project: Path, findings: Counter[str]) -> dict[str, str]:
    import_project(inputs, project)
    return build_artifacts(project, findings)


def dashboard_comparison() -> Callable[[str, str], str | None] | None:
    """The dashboard side of the oracle (importers/grafana_compare.py), where this obsgen has
    the dashboard importer."""
    try:
        module = importlib.import_module("obsgen.importers.grafana_compare")
    except ModuleNotFoundError:
        return None

    def compare(given: str, rebuilt: str) -> str | None:
        found = module.first_difference(json.loads(given), json.loads(rebuilt))
        return None if found is None else str(found)
    return compare


def emitted_dashboards(artifacts: dict[str, str]) -> Iterator[tuple[str, str]]:
    for path, text in sorted(artifacts.items()):
        if path.startswith("grafana/") and path.endswith(".json"):
            yield str(json.loads(text).get("uid", "")), text


# --- the tests --------------------------------------------------------------------------------

def test_corpus_rule_files_round_trip(tmp_path: Path) -> None:
    assert len(RULE_FILES) == 120, f"expected the 120 shared rule files under {CORPUS}"
    misses: list[str] = []
    findings: Counter[str] = Counter()
    for number, batch in enumerate(batches(RULE_FILES), start=1):
        build = build_imported(batch, tmp_path / f"batch{number}", findings)
        emitted = emitted_groups(build)
        for path in batch:
            found = first_rule_difference(path.read_text(encoding="utf-8"), emitted)
            if found:
                misses.append(f"{path.relative_to(CORPUS)}: {found}")
    print(f"\nrules: {len(RULE_FILES) - len(misses)}/{len(RULE_FILES)} round-trip")
    print("build findings on the imported rules: "
          + ", ".join(f"{code} x{n}" for code, n in sorted(findings.items())))
    for miss in misses:
        print(f"  miss: {miss}")
    assert not misses, "\n".join(misses)


def test_our_own_build_round_trips(tmp_path: Path) -> None:
    """Import build/ (rule files, dashboards, runbooks, the Alloy config) and rebuild it: the
    rule files come back equal; so do the dashboards where the dashboard oracle exists."""
    ours = tmp_path / "ours"
    # runbooks/reference/ (the metrics reference, the API page) is derived from the catalog
    # and obsgen's docstrings, as site/ is from the pages: no runbook to import.
    shutil.copytree(ROOT / "build", ours,
                    ignore=shutil.ignore_patterns("site", "tests", "reference"))
    build = build_imported([ours], tmp_path / "reimported", Counter())
    emitted = emitted_groups(build)
    rule_files = sorted((ours / "prometheus").glob("*.rules.yml"))
    assert rule_files
    misses = [f"{p.name}: {d}" for p in rule_files
              if (d := first_rule_difference(p.read_text(encoding="utf-8"), emitted))]
    compare = dashboard_comparison()
    if compare is not None:
        rebuilt = dict(emitted_dashboards(build))
        given = {str(p.relative_to(ours)): p.read_text(encoding="utf-8")
                 for p in (ours / "grafana").rglob("*.json")}
        assert given
        for uid, text in emitted_dashboards(given):
            found = compare(text, rebuilt[uid]) if uid in rebuilt else "not emitted"
            if found:
                misses.append(f"dashboard {uid}: {found}")
    assert not misses, "\n".join(misses)
