"""Rule files imported and rebuilt: every shape Prometheus accepts comes back the same, and
what obsgen's model refuses by default but Prometheus accepts is written so it still builds."""

from __future__ import annotations

from pathlib import Path

import yaml

from obsgen.build import compile_project
from obsgen.check.foreign import ForeignFile
from obsgen.config import load_config
from obsgen.importers.output import config_text, write_project
from obsgen.importers.run import import_files, inferred_catalog


def rebuilt(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Import `files` (name -> text), build the project: (artifacts, module sources)."""
    inputs = [ForeignFile(str(tmp_path / name), text, "rules") for name, text in files.items()]
    for item in inputs:
        Path(item.path).write_text(item.text, encoding="utf-8")
    result = import_files(inputs, lambda found: (inferred_catalog(found), "inferred"))
    assert not result.diagnostics, result.diagnostics
    project = tmp_path / "project"
    write_project(project, result.modules,
                  config_text(project, result.severities, result.runbook_base_url))
    compiled = compile_project(load_config(project))
    assert compiled.ok, compiled.diagnostics
    sources = {m.name: (project / "definitions" / m.path).read_text(encoding="utf-8")
               for m in result.modules}
    return compiled.artifacts, sources


def groups(artifacts: dict[str, str]) -> dict[str, dict[str, object]]:
    return {g["name"]: g for path, text in artifacts.items() if path.endswith(".rules.yml")
            for g in yaml.safe_load(text)["groups"]}


def test_group_settings_and_rule_fields_come_back(tmp_path: Path) -> None:
    artifacts, _ = rebuilt(tmp_path, {"app.yml": """\
groups:
  - name: app
    interval: 30s
    limit: 10
    query_offset: 1m
    rules:
      - alert: AppDown
        expr: up{job="app"} == 0
        for: 5m
        keep_firing_for: 10m
        labels: {severity: critical, team: core, category: availability}
        annotations: {summary: Down, description: The app is down., dashboard: http://d/1}
"""})
    group = groups(artifacts)["app"]
    assert (group["interval"], group["limit"], group["query_offset"]) == ("30s", 10, "1m")
    rule = group["rules"][0]  # type: ignore[index]
    assert rule["keep_firing_for"] == "10m" and rule["for"] == "5m"
    assert rule["labels"] == {"severity": "critical", "team": "core",
                              "category": "availability"}
    assert rule["annotations"] == {"summary": "Down", "description": "The app is down.",
                                   "dashboard": "http://d/1"}


def test_prometheus_rule_manifests_and_several_documents(tmp_path: Path) -> None:
    artifacts, sources = rebuilt(tmp_path, {"k8s.yaml": """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: one}
spec:
  groups:
    - name: first
      rules:
        - record: job:up:sum
          expr: sum by (job) (up)
---
groups:
  - name: second
    rules:
      - record: job:up:count
        expr: count by (job) (up)
"""})
    assert list(groups(artifacts)) == ["first", "second"]
    assert list(sources["rules.k8s"].split("RuleGroup(")[1:]) and \
        sources["rules.k8s"].index('"first"') < sources["rules.k8s"].index('"second"')


def test_what_prometheus_accepts_and_obsgen_refuses_by_default(tmp_path: Path) -> None:
    """Alert names that are no metric names, one name twice in a group (one per severity),
    no description, no severity: written with noqa so the project builds the same rules."""
    artifacts, sources = rebuilt(tmp_path, {"odd.yml": """\
groups:
  - name: odd
    rules:
      - alert: MysqlTooManyConnections(>80%)
        expr: mysql_global_status_threads_connected > 80
        labels: {severity: warning}
        annotations: {summary: Many connections}
      - alert: DiskFull
        expr: disk_free_ratio < 0.1
        labels: {severity: warning}
        annotations: {summary: a, description: b}
      - alert: DiskFull
        expr: disk_free_ratio < 0.05
        labels: {severity: critical}
        annotations: {summary: a, description: b}
      - alert: NoSeverity
        expr: vector(1)
        annotations: {summary: a, description: b}
"""})
    rules = groups(artifacts)["odd"]["rules"]
    assert [r["alert"] for r in rules] == [  # type: ignore[attr-defined,index]
        "MysqlTooManyConnections(>80%)", "DiskFull", "DiskFull", "NoSeverity"]
    assert rules[0]["annotations"] == {"summary": "Many connections"}  # type: ignore[index]
    assert "labels" not in rules[3] or rules[3]["labels"] == {}  # type: ignore[index,operator]
    source = sources["rules.odd"]
    assert 'noqa=("OBS203", "OBS206")' in source and 'noqa=("OBS204",)' in source
    assert "# obsgen: noqa OBS707" in source and "# obsgen: noqa OBS202" in source


def test_hand_typed_runbook_url_stays_as_written(tmp_path: Path) -> None:
    artifacts, _ = rebuilt(tmp_path, {"a.yml": """\
groups:
  - name: a
    rules:
      - alert: A
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: a, description: b, runbook_url: "https://wiki/x#A"}
"""})
    rule = groups(artifacts)["a"]["rules"][0]  # type: ignore[index]
    assert rule["annotations"]["runbook_url"] == "https://wiki/x#A"


def test_a_single_group_file_keeps_its_file_name(tmp_path: Path) -> None:
    artifacts, _ = rebuilt(tmp_path, {"persona.rules.yml": """\
groups:
  - name: hypertool-persona-alerts
    rules:
      - record: x:y:z
        expr: vector(1)
"""})
    assert "prometheus/persona.rules.yml" in artifacts


def test_two_files_that_would_write_one_rule_file(tmp_path: Path) -> None:
    """a/node.yml and b/node.yml both keep their name: the second is refused at its group."""
    for folder, group in (("a", "one"), ("b", "two")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "node.yml").write_text(
            f"groups:\n- name: {group}\n  rules:\n  - record: a:{group}:c\n    expr: vector(1)\n",
            encoding="utf-8")
    inputs = [ForeignFile(str(tmp_path / f / "node.yml"),
                          (tmp_path / f / "node.yml").read_text(encoding="utf-8"), "rules")
              for f in ("a", "b")]
    result = import_files(inputs, lambda found: (inferred_catalog(found), "inferred"))
    assert [(d.code, Path(d.location.path).parent.name, d.location.line)
            for d in result.diagnostics if d.location] == [("OBS983", "b", 2)]
    assert [f.path for f in result.imported] == [inputs[0].path]


RUNBOOK_RULES = """\
groups:
  - name: payments
    rules:
      - alert: PaymentsDown
        expr: vector(1)
        labels: {severity: critical}
        annotations: {summary: a, description: b,
                      runbook_url: "https://rb.example.org/runbooks/payments/#paymentsdown"}
      - alert: PaymentsSlow
        expr: vector(1)
        labels: {severity: warning}
        annotations: {summary: a, description: b, runbook_url: "https://wiki.example.org/slow"}
      - alert: PaymentsOdd
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: a, description: b}
"""
RUNBOOK_PAGE = """\
# Payments

## PaymentsDown

Nothing is paid.

## PaymentsSlow

Payments take long.
"""


def test_runbook_urls_obsgen_would_write_give_the_base_url(tmp_path: Path) -> None:
    """PaymentsDown's runbook is imported and its URL is what obsgen writes from a base URL:
    the project gets that base, the alert no URL of its own. PaymentsSlow's runbook is imported
    too, but its URL is elsewhere: kept. PaymentsOdd has no runbook: the module says so."""
    (tmp_path / "payments.md").write_text(RUNBOOK_PAGE, encoding="utf-8")
    (tmp_path / "payments.yml").write_text(RUNBOOK_RULES, encoding="utf-8")
    files = [ForeignFile(str(tmp_path / "payments.yml"), RUNBOOK_RULES, "rules"),
             ForeignFile(str(tmp_path / "payments.md"), RUNBOOK_PAGE, "markdown")]
    result = import_files(files, lambda found: (inferred_catalog(found), "inferred"))
    assert result.runbook_base_url == "https://rb.example.org/runbooks/"
    module = next(m.source for m in result.modules if m.name == "rules.payments")
    assert "rb.example.org" not in module
    assert "runbook_url='https://wiki.example.org/slow'" in module
    assert "noqa-file OBS702" in module
