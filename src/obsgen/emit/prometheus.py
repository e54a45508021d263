"""Prometheus rule files and promtool unit-test files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from obsgen.emit import provenance
from obsgen.emit.annotations import alert_annotations, expected_annotations, expected_labels
from obsgen.emit.yamltext import dump
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup
from obsgen.model.ruletests import ExpectAlert, ExpectSamples, RuleTest

RULES_DIR = "prometheus"
TESTS_DIR = "prometheus/tests"


def rules_path(group: RuleGroup) -> str:
    return f"{RULES_DIR}/{group.file}.rules.yml"


def tests_path(group: RuleGroup) -> str:
    return f"{TESTS_DIR}/{group.file}.test.yml"


def _header(project: Project, body: str, *sources: str) -> str:
    """The project and fingerprint a deploy tells its own files by (see emit/provenance.py)."""
    root = project.config.root
    names = sorted({Path(s).resolve().relative_to(root.resolve()).as_posix()
                    if Path(s).resolve().is_relative_to(root.resolve()) else Path(s).name
                    for s in sources})
    return provenance.header(project.config.project, names, body)


def _alert(project: Project, rule: AlertRule) -> dict[str, Any]:
    out: dict[str, Any] = {"alert": rule.name, "expr": rule.query.text}
    if rule.for_:
        out["for"] = rule.for_
    if rule.keep_firing_for:
        out["keep_firing_for"] = rule.keep_firing_for
    out["labels"] = rule.all_labels()
    out["annotations"] = alert_annotations(project, rule)
    return out


def _recording(rule: RecordingRule) -> dict[str, Any]:
    out: dict[str, Any] = {"record": rule.name, "expr": rule.query.text}
    if rule.labels:
        out["labels"] = dict(rule.labels)
    return out


def rule_file(project: Project, group: RuleGroup) -> str:
    body: dict[str, Any] = {"name": group.name}
    if group.interval:
        body["interval"] = group.interval
    if group.limit is not None:
        body["limit"] = group.limit
    if group.query_offset:
        body["query_offset"] = group.query_offset
    body["rules"] = [_alert(project, r) if isinstance(r, AlertRule) else _recording(r)
                     for r in group.rules]
    text = dump({"groups": [body]})
    return _header(project, text, group.source.path) + text


def _alert_test(project: Project, item: ExpectAlert) -> dict[str, Any]:
    return {"eval_time": item.at, "alertname": item.alert.name, "exp_alerts": [
        {"exp_labels": expected_labels(item.alert, f),
         "exp_annotations": expected_annotations(project, item.alert, f)}
        for f in item.firing
    ]}


def _samples_test(item: ExpectSamples) -> dict[str, Any]:
    return {"expr": item.query.text, "eval_time": item.at, "exp_samples": [
        {"labels": s if isinstance(s, str) else s.expr().text, "value": v}
        for s, v in item.samples
    ]}


def _test_case(project: Project, test: RuleTest) -> dict[str, Any]:
    case: dict[str, Any] = {"name": test.name, "interval": test.interval, "input_series": [
        {"series": s.text, "values": s.values} for s in test.series]}
    alerts = [_alert_test(project, e) for e in test.expect if isinstance(e, ExpectAlert)]
    samples = [_samples_test(e) for e in test.expect if isinstance(e, ExpectSamples)]
    if alerts:
        case["alert_rule_test"] = alerts
    if samples:
        case["promql_expr_test"] = samples
    return case


def test_file(project: Project, group: RuleGroup, tests: list[RuleTest]) -> str:
    data = {"rule_files": [f"../{group.file}.rules.yml"],
            "evaluation_interval": group.interval or "1m",
            "tests": [_test_case(project, t) for t in tests]}
    text = dump(data)
    return _header(project, text, *(t.source.path for t in tests)) + text


def artifacts(project: Project) -> dict[str, str]:
    """Every Prometheus artifact, by path relative to the build folder."""
    out = {rules_path(g): rule_file(project, g) for g in project.groups}
    tests_of: dict[int, list[RuleTest]] = {}
    for test in project.tests:
        group = project.group_of_test(test)
        if group is not None:
            tests_of.setdefault(id(group), []).append(test)
    for group in project.groups:
        if id(group) in tests_of:
            out[tests_path(group)] = test_file(project, group, tests_of[id(group)])
    return out
