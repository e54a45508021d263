"""`obsgen lint` across the files of one run: jobs against the run's Alloy and Prometheus
configs (OBS906), recording-rule series against the run's rule files (OBS907), runbook
annotations against the run's Markdown (OBS713, OBS715), dashboard links against the run's
dashboard uids (OBS649); `prometheus.yml` as a kind (OBS950); the summary line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.check.alloy.jobs import alloy_jobs
from obsgen.check.crossfile import linked_uid
from obsgen.check.foreign import ForeignFile
from obsgen.check.lint import detect, lint_files, lint_paths
from obsgen.check.prometheus_config import is_prometheus_config, prometheus_jobs
from obsgen.check.runbooks.alertlinks import github_ids, references
from obsgen.check.runbooks.mdlinks import render

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

ESTATE = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "estate"
CROSS_FILE = frozenset({"OBS906", "OBS907", "OBS713", "OBS715", "OBS649", "OBS950"})
JSON = ("--output-format", "json")


def _place(rel: str, marker: str, column_of: str | None = None) -> tuple[str, int, int]:
    """(file, line, column) of `column_of` on the one line of the broken twin holding
    `marker`; column 0 when only the line is asserted."""
    lines = (ESTATE / "broken" / rel).read_text(encoding="utf-8").splitlines()
    [(number, text)] = [(n, t) for n, t in enumerate(lines, 1) if marker in t]
    return rel, number, text.index(column_of) + 1 if column_of else 0


def _found(root: Path) -> list[tuple[str, str, int, int]]:
    run = lint_paths([root])
    return sorted((d.code, Path(d.location.path).relative_to(root).as_posix(), d.location.line,
                   d.location.column) for d in run.diagnostics
                  if d.code in CROSS_FILE and d.location is not None)


# the fixture estate: a clean twin and a broken one ------------------------------------------

def test_the_clean_estate_has_no_finding_across_files() -> None:
    run = lint_paths([ESTATE / "clean"])
    assert {f.kind for f in run.files} == {"rules", "dashboard", "alloy", "markdown",
                                           "prometheus-config"}
    assert [d for d in run.diagnostics if d.code in CROSS_FILE] == []
    assert [d for d in run.diagnostics if d.severity.value == "error"] == []


def test_the_broken_estate_has_exactly_the_planted_defects() -> None:
    planted = [
        ("OBS649", *_place("dashboards/detail.json", "shop-overvew", '"/d/shop-overvew"')),
        ("OBS713", *_place("rules/alerts.yml", "#shop-errors-high", "https://")),
        ("OBS715", *_place("rules/alerts.yml", "SHOP-RUNBOOK.md", '"See')),
        ("OBS906", *_place("rules/alerts.yml", 'job="shopp"', "up{")),
        ("OBS907", *_place("dashboards/overview.json", "rate1m", "job:shop_requests:rate1m")),
    ]
    assert _found(ESTATE / "broken") == sorted(planted)


def test_the_estate_through_the_cli(obsgen: RunObsgen) -> None:
    clean = obsgen("lint", "clean", *JSON, cwd=ESTATE)
    assert clean.exit_code == 0, clean.describe()
    broken = obsgen("lint", "broken", *JSON, cwd=ESTATE)
    assert broken.exit_code == 1, broken.describe()  # OBS906 and OBS713 are errors
    codes = sorted(d["code"] for d in broken.diagnostics() if d["code"] in CROSS_FILE)
    assert codes == ["OBS649", "OBS713", "OBS715", "OBS906", "OBS907"]
    # 4 alerts and 2 recording rules; one Prometheus target per dashboard and one Loki target.
    assert ("Linted 7 files (2 rule files, 6 rules; 2 dashboards, 2 queries, 1 skipped "
            "non-Prometheus target; 1 Alloy config; 1 Prometheus config; 1 Markdown file)."
            ) in obsgen("lint", "clean", cwd=ESTATE).stderr


# each check runs only when the run makes its answer known ----------------------------------

def _copy(tmp_path: Path, *leave_out: str) -> Path:
    root = tmp_path / "estate"
    shutil.copytree(ESTATE / "broken", root)
    for rel in leave_out:
        (root / rel).unlink()
    return root


def test_no_scrape_config_in_the_run_no_job_finding(tmp_path: Path) -> None:
    root = _copy(tmp_path, "config.alloy", "prometheus.yml")
    assert "OBS906" not in {code for code, *_ in _found(root)}


def test_a_job_relabelled_from_target_metadata_opens_the_job_set(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    with (root / "config.alloy").open("a", encoding="utf-8") as config:
        config.write('\ndiscovery.kubernetes "pods" {\n\trole = "pod"\n}\n\n'
                     'discovery.relabel "pods" {\n\ttargets = discovery.kubernetes.pods.targets\n'
                     '\n\trule {\n\t\tsource_labels = ["__meta_kubernetes_pod_label_app"]\n'
                     '\t\ttarget_label  = "job"\n\t}\n}\n\n'
                     'prometheus.scrape "pods" {\n\ttargets    = discovery.relabel.pods.output\n'
                     '\tforward_to = [prometheus.remote_write.default.receiver]\n}\n')
    assert "OBS906" not in {code for code, *_ in _found(root)}


def test_no_rule_file_in_the_run_no_recording_rule_finding(tmp_path: Path) -> None:
    root = _copy(tmp_path, "rules/alerts.yml", "rules/records.yml")
    assert {code for code, *_ in _found(root)} == {"OBS649"}


def test_one_dashboard_alone_links_out_of_the_run(tmp_path: Path) -> None:
    root = _copy(tmp_path, "dashboards/overview.json")
    assert "OBS649" not in {code for code, *_ in _found(root)}


def test_no_markdown_in_the_run_no_runbook_finding(tmp_path: Path) -> None:
    root = _copy(tmp_path, "RUNBOOK.md")
    assert not {"OBS713", "OBS715"} & {code for code, *_ in _found(root)}


@pytest.mark.parametrize(("url", "uid"), [
    ("/d/abc/name?var-x=1", "abc"), ("d/abc", "abc"), ("/grafana/d/abc-1_2/x", "abc-1_2"),
    ("https://grafana.example.org/d/abc", None), ("/d/${uid}/x", None), ("/dashboards", None),
])
def test_linked_uid(url: str, uid: str | None) -> None:
    assert linked_uid(url) == uid


# scrape jobs as Alloy and Prometheus set them -------------------------------------------------

@pytest.mark.parametrize(("config", "jobs"), [
    # Alloy's default job name is the component's id.
    ('prometheus.scrape "app" {\n\ttargets = [{"__address__" = "a:1"}]\n\tforward_to = []\n}\n',
     {"prometheus.scrape.app"}),
    ('prometheus.scrape "app" {\n\ttargets = [{"__address__" = "a:1"}]\n\tforward_to = []\n'
     '\tjob_name = "shop"\n}\n', {"shop"}),
    ('prometheus.scrape "app" {\n\ttargets = [{"__address__" = "a:1", "job" = "x"}, '
     '{"__address__" = "b:1"}]\n\tforward_to = []\n}\n', {"x", "prometheus.scrape.app"}),
    ('prometheus.scrape "app" {\n\ttargets = [{"__address__" = "a:1"}]\n\tforward_to = []\n'
     '\thonor_labels = true\n}\n', None),
    ('prometheus.scrape "app" {\n\ttargets = discovery.file.f.targets\n\tforward_to = []\n}\n'
     'discovery.file "f" {\n\tfiles = ["t.json"]\n}\n', None),
    ('prometheus.receive_http "in" {\n\tforward_to = []\n}\n', None),
])
def test_alloy_jobs(config: str, jobs: set[str] | None) -> None:
    assert alloy_jobs(config) == (frozenset(jobs) if jobs is not None else None)


@pytest.mark.parametrize(("config", "jobs"), [
    ("scrape_configs:\n- job_name: a\n  static_configs: [{targets: [x:1]}]\n", {"a"}),
    ("scrape_configs:\n- job_name: a\n  static_configs: [{targets: [x:1], labels: {job: b}}]\n",
     {"a", "b"}),
    ("scrape_configs:\n- job_name: a\n  relabel_configs: [{target_label: job, replacement: c}]\n",
     {"a", "c"}),
    ("scrape_configs:\n- job_name: a\n  relabel_configs: [{source_labels: [__meta_x], "
     "target_label: job}]\n", None),
    ("scrape_configs:\n- job_name: a\n  file_sd_configs: [{files: [t.json]}]\n", None),
    ("scrape_configs:\n- job_name: a\n  honor_labels: true\n", None),
    ("scrape_config_files: [more/*.yml]\n", None),
])
def test_prometheus_jobs(config: str, jobs: set[str] | None) -> None:
    assert prometheus_jobs(config) == (frozenset(jobs) if jobs is not None else None)


# prometheus.yml as a kind -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "is_config"), [
    ("global: {scrape_interval: 15s}\nscrape_configs: []\n", True),
    ('"rule_files": [a.yml]\n', True),
    # Alertmanager's config and a Helm values file share keys, but not all of them.
    ("global: {resolve_timeout: 5m}\nroute: {receiver: x}\nreceivers: [{name: x}]\n", False),
    ("global: {}\nalerting: {}\nimage: {tag: x}\n", False),
    ("groups: []\n", False),
])
def test_prometheus_config_is_told_by_its_keys(text: str, is_config: bool) -> None:
    assert is_prometheus_config(text) is is_config
    assert (detect("p.yml", text, named=False) == "prometheus-config") is is_config


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_check_config_finds_a_bad_field_at_its_line(tmp_path: Path) -> None:
    # Files the config names (rule files, credentials) are missing here: not a finding.
    good = ("rule_files: [missing/*.yml]\nscrape_configs:\n- job_name: a\n"
            "  bearer_token_file: /nonexistent/token\n  static_configs: [{targets: [x:1]}]\n")
    bad = "scrape_configs:\n- job_name: a\n  static_configs: [{targets: [x:1]}]\n  bogus: 1\n"
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "prometheus.yml").write_text(good, encoding="utf-8")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "prometheus.yml").write_text(bad, encoding="utf-8")
    assert lint_paths([tmp_path / "good"]).diagnostics == []
    [found] = lint_paths([tmp_path / "bad"]).diagnostics
    assert (found.code, found.location and found.location.line) == ("OBS950", 4)
    assert "bogus" in found.message


# runbook references ---------------------------------------------------------------------------

def test_github_and_mkdocs_anchors_are_both_accepted() -> None:
    headings = render("# T\n\n## Disk full — what to do\n\n## A\n\n## A\n").headings
    assert {"disk-full--what-to-do", "a", "a-1"} <= github_ids(headings)


@pytest.mark.parametrize(("value", "found"), [
    ("See RUNBOOK.md#disk-full.", ("RUNBOOK.md#disk-full",)),
    ("https://x.org/r.md#a or docs/b.md", ("https://x.org/r.md#a", "docs/b.md")),
    ("https://x.org/#{{ $labels.alertname }}", ()),
    ("no reference here", ()),
])
def test_runbook_references_in_free_text(value: str, found: tuple[str, ...]) -> None:
    assert references(value) == found


def test_a_url_elsewhere_is_never_a_missing_page() -> None:
    rules = ForeignFile("rules/a.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n"
                        "    expr: up == 0\n    annotations:\n"
                        "      runbook_url: https://wiki.example.org/ops/other.md#x\n", "rules")
    page = ForeignFile("RUNBOOK.md", "# R\n\n## A\n", "markdown")
    found = lint_files((rules, page), None, {})
    assert [d.code for d in found] == []


# false errors found on public code -----------------------------------------------------------

def _lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return sorted((d.code, Path(d.location.path).name, d.location.line)
                  for d in lint_paths([tmp_path]).diagnostics
                  if d.code in CROSS_FILE and d.location is not None)


def test_colons_in_exported_names_when_the_run_records_nothing(tmp_path: Path) -> None:
    """monitoring-mixins' tensorflow and spinnaker: a placeholder rules.yaml, and metrics
    exported with colons (`tensorflow:serving:request_count`)."""
    alerts = ("groups:\n- name: tf\n  rules:\n  - alert: TfSlow\n"
              "    expr: rate(tensorflow:serving:request_count[5m]) < 1\n    for: 5m\n")
    assert _lint(tmp_path, {"rules.yaml": "{}\n", "alerts.yaml": alerts}) == []
    assert _lint(tmp_path, {"rules.yaml": "groups:\n- name: r\n  rules:\n  - record: a:b:c\n"
                            "    expr: up\n"}) == [("OBS907", "alerts.yaml", 5)]


def test_an_alloy_config_that_scrapes_nothing_says_nothing_of_jobs(tmp_path: Path) -> None:
    """grafana/alloy-scenarios game-of-tracing: Alloy carries traces and logs; the metrics a
    dashboard reads are scraped elsewhere."""
    dashboard = ('{"uid": "d", "panels": [{"type": "stat", "title": "t", "targets": '
                 '[{"expr": "up{job=\\"tempo\\"}"}]}]}\n')
    config = 'loki.write "default" {\n\tendpoint {\n\t\turl = "http://loki:3100"\n\t}\n}\n'
    assert _lint(tmp_path, {"config.alloy": config, "d.json": dashboard}) == []


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_a_job_defined_twice_is_reported_at_the_second(tmp_path: Path) -> None:
    """stefanprodan/dockprom helpers/aws/prometheus.yml: Prometheus refuses the config."""
    config = ("scrape_configs:\n  - job_name: 'node'\n    static_configs: [{targets: [a:1]}]\n"
              "  - job_name: 'node'\n    static_configs: [{targets: [b:1]}]\n")
    assert _lint(tmp_path, {"prometheus.yml": config}) == [("OBS950", "prometheus.yml", 4)]


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_a_field_this_promtool_does_not_know_is_no_error(tmp_path: Path) -> None:
    """prometheus/prometheus documentation/examples: Debian's promtool 2.42 is built without
    Kubernetes discovery and predates fields of later releases; a typo stays an error."""
    newer = ("global: {sample_limit: 1000}\nscrape_configs:\n- job_name: k\n"
             "  kubernetes_sd_configs: [{role: node}]\n  scrape_native_histograms: true\n")
    (tmp_path / "newer").mkdir()
    (tmp_path / "newer" / "prometheus.yml").write_text(newer, encoding="utf-8")
    found = lint_paths([tmp_path / "newer"]).diagnostics
    assert [d for d in found if d.severity.value == "error"] == []
    typo = "scrape_configs:\n- job_name: k\n  scrape_intervall: 1m\n"
    assert _lint(tmp_path / "typo", {"prometheus.yml": typo}) == [("OBS950", "prometheus.yml", 3)]


def test_markdown_links_read_on_github_or_rendered_by_hugo(tmp_path: Path) -> None:
    """awesome-prometheus-alerts README: `#-rules` is GitHub's anchor of `## 🚨 Rules`;
    prometheus-operator/runbooks: `{{< ref "x.md" >}}` is resolved by Hugo."""
    readme = ("# Title\n\n- [Rules](#-rules)\n- [Gone](#-gone)\n"
              '- [Skew]({{< ref "./Skew.md" >}})\n\n## 🚨 Rules\n\nText.\n')
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    found = lint_paths([tmp_path]).diagnostics
    assert [(d.code, d.location and d.location.line) for d in found] == [("OBS709", 4)]
