"""The 41 real dashboards in ../shared/corpus/dashboards through lenient validation and the
dashboard lint (what `obsgen lint` runs): no crash, warnings only, except findings justified
below; every target parses or is skipped for its datasource; and the count of findings per
code and of queries, which are reviewed figures (printed with -s)."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from obsgen.check.dashboards.lint import lint_dashboard
from obsgen.check.dashboards.schema import iter_panels, validate_dashboard_strict
from obsgen.check.dashboards.targets import DashboardQueries, dashboard_queries
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.promql.analysis import analyse
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dashboards"
FILES = sorted(CORPUS.glob("*/*.json"))

# Error-level findings on the corpus, each a real defect of that dashboard:
# kube-prometheus's k8s-resources-node drills down from its pod table to the pod dashboard
# with `var-namespace=$namespace`, but this dashboard defines no `namespace` variable
# (only cluster, datasource, node), so Grafana leaves the literal text "$namespace" in the
# link and the pod dashboard opens on a namespace that does not exist.
JUSTIFIED_ERRORS = {
    ("kube-prometheus/k8s-resources-node.json", "OBS644", 200),
    ("kube-prometheus/k8s-resources-node.json", "OBS644", 637),
}

# Reviewed figures: findings per code over the 41 dashboards (see the closing note of
# issue 4). A change here is a change in what obsgen reports on real dashboards: review it.
EXPECTED_COUNTS = {
    "OBS632": 26,   # deviations Grafana tolerates: threshold step `index`, row `targets`, ...
    "OBS633": 131,  # migrated: old schemaVersion (41), no annotations (32), export fields,
                    # variable tags and editor state, `style`, datasource by name
    "OBS634": 24,   # panel options unknown to the panel kind (newer Grafana options)
    "OBS641": 25,   # rate/irate over a fixed [5m] or [1m], each occurrence
    "OBS644": 2,    # justified above
    "OBS646": 32,   # timeseries/stat/gauge panels without a unit
    "OBS648": 436,  # job="kubelet", job="node-exporter", ... (the mixins' job selectors),
                    # each matcher
}


def name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@cache
def findings(path: Path) -> tuple[Diagnostic, ...]:
    file = ForeignFile(name(path), path.read_text(encoding="utf-8"), "dashboard")
    return tuple(lint_dashboard(file, LintContext((file,))))


def test_corpus_is_present() -> None:
    assert len(FILES) == 41, f"expected the 41 shared dashboards under {CORPUS}"


@pytest.mark.parametrize("path", FILES, ids=name)
def test_lenient_validation_and_lint_give_no_unjustified_error(path: Path) -> None:
    errors = {(name(path), d.code, d.location.line if d.location else 0)
              for d in findings(path) if d.severity is Severity.ERROR}
    assert errors <= JUSTIFIED_ERRORS
    assert all(d.location and d.location.line >= 1 and d.hint for d in findings(path))


@pytest.mark.parametrize("path", FILES, ids=name)
def test_strict_validation_refuses_every_corpus_dashboard(path: Path) -> None:
    """README of ../shared/schemas: none of them is valid as it stands (legacy fields,
    missing annotations, exports); strict is for obsgen's own output."""
    assert validate_dashboard_strict(path.read_text(encoding="utf-8"))


def test_findings_per_code() -> None:
    counts = Counter(d.code for path in FILES for d in findings(path))
    print("\ndashboard corpus, findings per code:",
          ", ".join(f"{code} {n}" for code, n in sorted(counts.items())))
    assert dict(counts) == EXPECTED_COUNTS


def test_every_older_dashboard_is_told_about_its_schema_version() -> None:
    """40 of the 41 are older than schemaVersion 42 and get one OBS633 each saying so."""
    told = {name(path): sum("schemaVersion" in d.message and d.code == "OBS633"
                            for d in findings(path)) for path in FILES}
    versions = {name(p): json.loads(p.read_text(encoding="utf-8"))["schemaVersion"]
                for p in FILES}
    assert told == {n: int(v < 42) for n, v in versions.items()}
    assert sum(told.values()) == 40


# Reviewed figures: what the 41 dashboards ask of their datasources. Every panel target is a
# PromQL query of a Prometheus datasource (by type, by the `$datasource` variable, or under a
# `-- Mixed --` panel), except 2 of Grafana's own datasource and 4 empty targets that
# kube-prometheus leaves on row panels; 93 query variables run PromQL (label_values(metric,
# label), query_result(...)).
EXPECTED_QUERIES = {"targets": 876, "panel queries": 870, "variable queries": 93,
                    "skipped": {"grafana": 2}, "empty targets": 4}


@cache
def queries(path: Path) -> DashboardQueries:
    return dashboard_queries(path.read_text(encoding="utf-8"))


def _targets(path: Path) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    return sum(len(p.get("targets") or []) for _, p in iter_panels(data))


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_target_parses_or_is_skipped(path: Path) -> None:
    found = queries(path)
    unparsed = [(q.path, q.text) for q in found.queries if not analyse(q.text).ok]
    assert unparsed == []
    assert found.panel_queries + found.skipped_targets + found.empty == _targets(path)


def test_query_figures() -> None:
    skipped: Counter[str] = Counter()
    for path in FILES:
        skipped.update(dict(queries(path).skipped))
    figures = {"targets": sum(_targets(p) for p in FILES),
               "panel queries": sum(queries(p).panel_queries for p in FILES),
               "variable queries": sum(queries(p).variable_queries for p in FILES),
               "skipped": dict(skipped), "empty targets": sum(queries(p).empty for p in FILES)}
    print("\ndashboard corpus, queries:", figures)
    assert figures == EXPECTED_QUERIES
