"""The oracle of `obsgen import`: import real artifacts, `obsgen build` the project it wrote, and
compare what the build emits with what went in, semantically.

Rule files: the same groups (name, interval, limit, query_offset) and rules in order, each
expression equal as parsed by promql-parser, the same durations, labels and annotations.
Dashboards: compared by `first_dashboard_difference` in tests/corpus/dashboard_roundtrip.py
when that module exists (the dashboard importer's side of the oracle).

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
from typing import TYPE_CHECKING, Any

import promql_parser
import pytest
import yaml

from obsgen.model.names import DURATION, duration_ms

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

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


def _promql(text: str) -> str:
    return str(promql_parser.parse(text))


def _rule_difference(where: str, want: dict[str, Any], got: dict[str, Any]) -> str | None:
    for key in ("alert", "record"):
        if want.get(key) != got.get(key):
            return f"{where}: {key} {want.get(key)!r} became {got.get(key)!r}"
    if _promql(str(want["expr"])) != _promql(str(got["expr"])):
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


def emitted_groups(build: Path) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for path in sorted((build / "prometheus").glob("*.rules.yml"))
            for g in rule_groups(path.read_text(encoding="utf-8"))}


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


def build_imported(obsgen: RunObsgen, inputs: list[Path], project: Path,
                   findings: Counter[str]) -> Path:
    """Import `inputs` into `project`, build it, count the build's findings by code; the
    build is then made with exactly those codes ignored. Returns the build folder."""
    done = obsgen("import", *map(str, inputs), "-o", str(project), cwd=project.parent)
    assert done.exit_code == 0, done.describe()
    first = obsgen("build", "--output-format", "json", cwd=project)
    errors = Counter(d["code"] for d in first.diagnostics() if d["severity"] == "error")
    unexpected = sorted(c for c in errors if not c.startswith(FINDING_PREFIXES))
    assert not unexpected, f"the imported project does not build: {first.describe()}"
    findings.update(errors)
    if errors:
        done = obsgen("build", "--ignore", ",".join(sorted(errors)), cwd=project)
        assert done.exit_code == 0, done.describe()
    else:
        assert first.exit_code == 0, first.describe()
    return project / "build"


def dashboard_comparison() -> Callable[[str, str], str | None] | None:
    """The dashboard side of the oracle, once the dashboard importer provides it."""
    try:
        module = importlib.import_module("tests.corpus.dashboard_roundtrip")
    except ModuleNotFoundError:
        return None
    found: Callable[[str, str], str | None] = module.first_dashboard_difference
    return found


def emitted_dashboards(build: Path) -> Iterator[tuple[str, str]]:
    for path in sorted((build / "grafana").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        yield str(json.loads(text).get("uid", "")), text


# --- the tests --------------------------------------------------------------------------------

def test_corpus_rule_files_round_trip(obsgen: RunObsgen, tmp_path: Path) -> None:
    assert len(RULE_FILES) == 120, f"expected the 120 shared rule files under {CORPUS}"
    misses: list[str] = []
    findings: Counter[str] = Counter()
    for number, batch in enumerate(batches(RULE_FILES), start=1):
        build = build_imported(obsgen, batch, tmp_path / f"batch{number}", findings)
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


def test_corpus_dashboards_round_trip(obsgen: RunObsgen, tmp_path: Path) -> None:
    compare = dashboard_comparison()
    if compare is None:
        pytest.skip("tests/corpus/dashboard_roundtrip.py (the dashboard oracle) is not there yet")
    build = build_imported(obsgen, DASHBOARDS, tmp_path / "dashboards", Counter())
    emitted = dict(emitted_dashboards(build))
    misses = []
    for path in DASHBOARDS:
        text = path.read_text(encoding="utf-8")
        uid = str(json.loads(text).get("dashboard", json.loads(text)).get("uid", ""))
        found = compare(text, emitted[uid]) if uid in emitted else "not emitted"
        if found:
            misses.append(f"{path.relative_to(CORPUS)}: {found}")
    print(f"\ndashboards: {len(DASHBOARDS) - len(misses)}/{len(DASHBOARDS)} round-trip")
    for miss in misses:
        print(f"  miss: {miss}")
    assert not misses, "\n".join(misses)


def test_our_own_build_round_trips(obsgen: RunObsgen, tmp_path: Path) -> None:
    """Import build/ (rule files, dashboards, runbooks, the Alloy config) and rebuild it: the
    rule files come back equal; so do the dashboards where the dashboard oracle exists."""
    ours = tmp_path / "ours"
    shutil.copytree(ROOT / "build", ours, ignore=shutil.ignore_patterns("site", "tests"))
    build = build_imported(obsgen, [ours], tmp_path / "reimported", Counter())
    emitted = emitted_groups(build)
    rule_files = sorted((ours / "prometheus").glob("*.rules.yml"))
    assert rule_files
    misses = [f"{p.name}: {d}" for p in rule_files
              if (d := first_rule_difference(p.read_text(encoding="utf-8"), emitted))]
    compare = dashboard_comparison()
    if compare is not None:
        rebuilt = dict(emitted_dashboards(build))
        for uid, text in emitted_dashboards(ours):
            found = compare(text, rebuilt[uid]) if uid in rebuilt else "not emitted"
            if found:
                misses.append(f"dashboard {uid}: {found}")
    assert not misses, "\n".join(misses)
