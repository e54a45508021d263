"""The dashboards round trip (issue 14's oracle): every dashboard of ../shared/corpus/dashboards,
and every dashboard obsgen itself builds, imported into a project, built with the real
`obsgen build`, and compared with its input as Grafana would load both (grafana_compare).
Prints `dashboards: N/41 round-trip` and each miss with its first difference."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.check.foreign import ForeignFile
from obsgen.importers.grafana_compare import first_difference
from obsgen.importers.pysource import format_tree
from obsgen.importers.run import import_files, inferred_catalog

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "dashboards"
DASHBOARDS = sorted(CORPUS.glob("*/*.json"))
OWN = sorted((REPO / "build" / "grafana").glob("*/*.json"))
TOML = 'definitions = "definitions"\nbuild = "build"\nrunbook_base_url = "https://r.example.org/"\n'


def _import(paths: list[Path], root: Path) -> tuple[float, dict[str, str]]:
    """Import `paths` into a project at `root`; the seconds it took and, by input, the first
    error found in it."""
    started = time.perf_counter()
    files = [ForeignFile(str(p), p.read_text(), "dashboard") for p in paths]
    result = import_files(files, lambda inputs: (inferred_catalog(inputs), "inferred"))
    for module in result.modules:
        target = root / "definitions" / module.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(module.source)
    format_tree(root / "definitions")
    (root / "obsgen.toml").write_text(TOML)
    errors: dict[str, str] = {}
    for d in result.diagnostics:
        if d.severity.name.lower() == "error" and d.location is not None:
            errors.setdefault(d.location.path, f"import refused: {d.code} {d.message}")
    return time.perf_counter() - started, errors


def _rebuilt(root: Path) -> dict[str, object]:
    """uid -> the built dashboard document."""
    found = {}
    for path in (root / "build" / "grafana").glob("*/*.json"):
        document = json.loads(path.read_text())
        found[document["uid"]] = document
    return found


def _build(root: Path, obsgen: RunObsgen) -> dict[str, str]:
    """`obsgen build`; a module the build refuses (a defect of its input, reported at the
    imported line) is set aside with its finding, so the others are still built and compared.
    Returns input path -> the finding."""
    refused: dict[str, str] = {}
    for _ in range(10):
        built = obsgen("build", "--output-format", "json", cwd=root)
        if built.exit_code == 0:
            return refused
        errors = [d for d in built.diagnostics() if d.get("severity") == "error"]
        assert errors, built.output[-3000:]
        for error in errors:
            module = root / error["location"]["path"]
            if module.is_file():
                origin = next(line for line in module.read_text().splitlines()
                              if "imported from" in line).split("imported from ")[1].rstrip(".")
                refused[origin.rstrip('"').rstrip(".")] = (
                    f"build refused the import: {error['code']} {error['message']}")
                module.rename(root / (module.name + ".refused"))
    raise AssertionError("build still failing after setting modules aside")


def _round_trip(paths: list[Path], root: Path, obsgen: RunObsgen) -> list[str]:
    seconds, errors = _import(paths, root)
    print(f"import of {len(paths)} dashboards: {seconds:.2f} s")
    refused = {**errors, **_build(root, obsgen)}
    rebuilt = _rebuilt(root)
    misses = []
    for path in paths:
        given = json.loads(path.read_text())
        uid = given.get("dashboard", given).get("uid")
        difference = first_difference(given, rebuilt.get(uid)) if uid in rebuilt else \
            refused.get(str(path), f"no dashboard with uid {uid!r} was built")
        if difference is not None:
            misses.append(f"{path.relative_to(path.parents[1])}: {difference}")
    return misses


def test_corpus_dashboards_round_trip(tmp_path: Path, obsgen: RunObsgen) -> None:
    assert len(DASHBOARDS) == 41
    misses = _round_trip(DASHBOARDS, tmp_path, obsgen)
    print(f"dashboards: {len(DASHBOARDS) - len(misses)}/{len(DASHBOARDS)} round-trip")
    for miss in misses:
        print("  miss:", miss)
    # The one miss left is a defect of the input obsgen refuses by design, reported by the
    # build at the imported line: a data link passing $namespace, which the dashboard lacks
    # (Grafana would leave "$namespace" in the URL).
    assert [m.split(":")[0] for m in misses] == ["kube-prometheus/k8s-resources-node.json"]
    assert all("build refused the import: OBS605" in m for m in misses), misses


@pytest.mark.skipif(not OWN, reason="build/ holds no dashboards (run obsgen build first)")
def test_own_dashboards_round_trip(tmp_path: Path, obsgen: RunObsgen) -> None:
    misses = _round_trip(OWN, tmp_path, obsgen)
    assert not misses
    rebuilt = {p.name: p.read_bytes() for p in (tmp_path / "build" / "grafana").glob("*/*")}
    assert rebuilt == {p.name: p.read_bytes() for p in OWN}  # byte for byte
