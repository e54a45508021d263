"""`obsgen lint` on files written for something other than Prometheus rules and Grafana's v1
dashboard model: Grafana's v2 dashboards (JSON, or YAML as Git Sync writes them) are linted as
dashboards, their queries checked, with one notice for the schema obsgen lacks; vmalert rule
files get one notice that their expressions are MetricsQL/LogsQL/Graphite and are not parsed
as PromQL, and keep the checks that hold for vmalert too. Each fixture carries a real defect
beside the false one, so silencing the file as a whole fails here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
LINT = REPO / "tests" / "fixtures" / "lint"
V2_JSON = LINT / "public" / "dashboard-v2"
V2_YAML = LINT / "public" / "dashboard-v2-yaml" / "board.yaml"
VMALERT = LINT / "vmalert"
JSON = ("--output-format", "json")


def _lint(obsgen: RunObsgen, *paths: Path) -> tuple[list[dict[str, Any]], str]:
    result = obsgen("lint", *JSON, *map(str, paths), cwd=REPO)
    assert result.exit_code in (0, 1), result.describe()
    summary = obsgen("lint", "--output-format", "concise", *map(str, paths), cwd=REPO)
    lines = [line for line in summary.output.splitlines() if line.startswith("Linted ")]
    assert lines, summary.describe()
    return result.diagnostics(), lines[0]


def _places(found: list[dict[str, Any]], code: str, name: str | None = None
            ) -> list[tuple[int, int]]:
    return [(d["location"]["line"], d["location"]["column"]) for d in found
            if d["code"] == code and (name is None or d["location"]["path"].endswith(name))]


# --- Grafana's v2 dashboards ------------------------------------------------------------------

def test_v2_dashboard_gets_no_v1_schema_findings_and_one_notice(obsgen: RunObsgen) -> None:
    """The v1 schema (OBS632/633: apiVersion, kind, spec "not in Grafana's dashboard model";
    annotations, schemaVersion, templating "required") is not applied to a v2 dashboard, nor
    the v1 uid (OBS647: a v2 uid is metadata.name); what is not checked is said once."""
    found, summary = _lint(obsgen, V2_JSON)
    codes = sorted({d["code"] for d in found})
    assert not {"OBS632", "OBS633", "OBS647"} & set(codes), found
    assert _places(found, "OBS976") == [(2, 17)], found  # at the apiVersion's value
    assert _places(found, "OBS644") == [(51, 75)], found  # `$zone`, defined nowhere
    assert "1 dashboard, 3 queries" in summary


def test_v2_dashboard_in_yaml_is_linted_at_its_yaml_places(obsgen: RunObsgen) -> None:
    """A v2 dashboard saved as YAML is a dashboard, not a file without `groups`: its queries
    are parsed (a missing parenthesis in a quoted scalar), its variable references checked
    (`$shard` inside a `|` block, line 57 column 54), its untitled panel found (`title: ""`,
    line 72 column 16), each at the YAML's own line and column; the Loki query is skipped."""
    found, summary = _lint(obsgen, V2_YAML)
    assert [line for line, _ in _places(found, "OBS610")] == [46], found
    assert _places(found, "OBS644") == [(57, 54)], found
    assert _places(found, "OBS645") == [(72, 16)], found
    assert _places(found, "OBS976") == [(3, 13)], found
    assert not [d for d in found if d["code"] in ("OBS963", "OBS941", "OBS401")], found
    assert "1 dashboard, 4 queries, 1 skipped non-Prometheus target" in summary


def test_v2_panel_without_a_unit_or_uid_is_found(obsgen: RunObsgen, tmp_path: Path) -> None:
    """The panel rules read a v2 panel where it keeps them: a timeseries whose
    vizConfig.spec.fieldConfig sets no unit (OBS646), a resource with no metadata.name
    (OBS647), a query naming its datasource's uid (OBS640)."""
    text = V2_YAML.read_text(encoding="utf-8")
    text = text.replace("  name: checkout-v2\n", "  labels: {}\n").replace(
        "defaults: {unit: reqps}", "defaults: {}").replace(
        "                    group: loki\n",
        "                    group: loki\n                    datasource: {name: P8E80F9AEF}\n")
    board = tmp_path / "board.yaml"
    board.write_text(text, encoding="utf-8")
    found, _ = _lint(obsgen, board)
    assert [line for line, _ in _places(found, "OBS646")] == [59], found
    assert [line for line, _ in _places(found, "OBS647")] == [5], found
    assert [line for line, _ in _places(found, "OBS640")] == [83], found


@pytest.mark.parametrize("text", [
    "apiVersion: example.com/v1\nkind: Dashboard\nspec: {title: x}\n",
    "apiVersion: dashboard.grafana.app/v1beta1\nkind: Dashboard\nspec: {panels: []}\n",
    "apiVersion: dashboard.grafana.app/v22beta3\nkind: Dashboard\nspec: {elements: {}}\n",
])
def test_yaml_that_is_no_v2_dashboard_stays_what_it_was(obsgen: RunObsgen, tmp_path: Path,
                                                        text: str) -> None:
    """`kind: Dashboard` of another API, Grafana's v1 resource (the classic model under
    `spec`) or a later version is not taken for a v2 dashboard: named on the command line, it
    is still no file obsgen lints."""
    other = tmp_path / "other.yaml"
    other.write_text(text, encoding="utf-8")
    found, _ = _lint(obsgen, other)
    assert [d["code"] for d in found] == ["OBS963"], found


# --- vmalert rule files -----------------------------------------------------------------------

def test_vmalert_file_gets_one_notice_and_no_promql_finding(obsgen: RunObsgen) -> None:
    """MetricsQL (increase() without a window, `default`, topk_max) and LogsQL are not parsed
    as PromQL (no OBS213), and vmalert's group options are no schema error (no OBS401 on
    eval_offset, headers, type); one notice per file names the languages."""
    found, summary = _lint(obsgen, VMALERT / "vmalert.yml")
    notices = [d for d in found if d["code"] == "OBS976"]
    assert [(d["location"]["line"], d["severity"]) for d in notices] == [(7, "info")], found
    assert "LogsQL and MetricsQL" in notices[0]["message"]
    assert _places(found, "OBS213") == [], found
    assert "1 rule file, 5 rules" in summary


def test_vmalert_rules_keep_the_checks_that_hold_for_vmalert(obsgen: RunObsgen) -> None:
    """Names (OBS920 snake_case alert, OBS925 recording name), a series-reading alert
    without `for` (OBS921) and a real schema error (labels that are a list, OBS401) are
    still found, not the annotations of a recording rule, which vmalert reads; the alert
    whose annotation names `$labels.instance` is not analysed."""
    found, _ = _lint(obsgen, VMALERT / "vmalert.yml")
    assert [line for line, _ in _places(found, "OBS920")] == [18], found
    assert [line for line, _ in _places(found, "OBS921")] == [18], found
    assert [line for line, _ in _places(found, "OBS925")] == [22], found
    assert [(line, d["severity"]) for d in found if d["code"] == "OBS401"
            for line in [d["location"]["line"]]] == [(27, "error")], found
    assert _places(found, "OBS927") == [], found


def test_a_rule_key_only_vmalert_reads_marks_the_file(obsgen: RunObsgen) -> None:
    """A rule's `debug: true` is vmalert's: the file is vmalert's, its `vmrange` grouping and
    all, though its group has only Prometheus' keys."""
    found, _ = _lint(obsgen, VMALERT / "debug-rule.yml")
    assert _places(found, "OBS976") == [(8, 0)], found
    assert not [d for d in found if d["severity"] == "error"], found


def test_a_metricsql_function_marks_the_file(obsgen: RunObsgen) -> None:
    """No key only vmalert reads, but `range_last()` is a function only MetricsQL has: the
    file is vmalert's, the notice at that expression (line 13), no OBS213 on the `increase()`
    without a window; a rule without `for` is still found (OBS921, line 14)."""
    found, _ = _lint(obsgen, VMALERT / "metricsql-calls.yml")
    notices = [d for d in found if d["code"] == "OBS976"]
    assert [d["location"]["line"] for d in notices] == [13], found
    assert "`range_last()`" in notices[0]["message"]
    assert _places(found, "OBS213") == [], found
    assert [line for line, _ in _places(found, "OBS921")] == [14], found


def test_vmalert_expressions_are_not_checked_against_a_catalog(obsgen: RunObsgen,
                                                               tmp_path: Path) -> None:
    """With --catalog, a vmalert expression is not read for metric names either (its words
    may be MetricsQL's); the same expression in a Prometheus rule file is (OBS116 or the like),
    which shows the catalog is applied."""
    catalog = tmp_path / "metrics.txt"
    catalog.write_text("# TYPE api_duration_seconds histogram\n"
                       'api_duration_seconds_bucket{le="+Inf"} 1\n'
                       "api_duration_seconds_sum 1\napi_duration_seconds_count 1\n",
                       encoding="utf-8")
    twin = tmp_path / "twin.yml"
    twin.write_text((VMALERT / "debug-rule.yml").read_text(encoding="utf-8").replace(
        "        debug: true\n", "").replace("backup", "x").replace(
        "api_duration_seconds_bucket", "api_latency_seconds_bucket"), encoding="utf-8")
    vm = tmp_path / "vm.yml"
    vm.write_text(twin.read_text(encoding="utf-8").replace(
        "        for: 5m\n", "        for: 5m\n        debug: true\n"), encoding="utf-8")
    result = obsgen("lint", *JSON, "--catalog", str(catalog), str(twin), str(vm), cwd=REPO)
    by_file: dict[str, set[str]] = {}
    for d in result.diagnostics():
        by_file.setdefault(Path(d["location"]["path"]).name, set()).add(d["code"])
    assert {c for c in by_file.get("twin.yml", set()) if c.startswith("OBS1")}, result.describe()
    assert not {c for c in by_file.get("vm.yml", set()) if c.startswith("OBS1")}, by_file
    assert "OBS976" in by_file.get("vm.yml", set()), by_file


def test_prometheus_file_with_the_same_metricsql_is_still_an_error(obsgen: RunObsgen) -> None:
    """The twin without any vmalert key is a Prometheus rule file: its MetricsQL does not
    parse as PromQL (OBS213), a recording rule's annotations are a schema error (OBS401), and
    it gets no notice."""
    found, _ = _lint(obsgen, LINT / "vmalert-twin")
    assert [line for line, _ in _places(found, "OBS213")] == [7], found
    assert [line for line, _ in _places(found, "OBS401")] == [11], found
    assert _places(found, "OBS976") == [], found
