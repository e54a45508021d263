"""Prometheus rule files and promtool test files as items: rule groups, alerts, recording
rules, test cases."""

from __future__ import annotations

from typing import Any

import yaml

from obsgen.diff.flatten import flatten, scalar
from obsgen.diff.model import Item

RULE_KEYS = ("expr", "for", "keep_firing_for")
OBJECTIVE = "slo:objective:ratio"


def is_rule_file(path: str) -> bool:
    return (path.startswith("prometheus/") and "/tests/" not in f"/{path}"
            and path.endswith((".yml", ".yaml")))


def is_test_file(path: str) -> bool:
    return path.startswith("prometheus/tests/") and path.endswith((".yml", ".yaml"))


def _load(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return data


def items(path: str, text: str) -> list[Item]:
    found = []
    for group in _load(text).get("groups") or []:
        name = str(group.get("name", ""))
        settings = {k: v for k, v in group.items() if k not in ("name", "rules")}
        found.append(Item("rules", "group", f"group:{name}", name, path, flatten(settings),
                          show_all=True))
        for rule in group.get("rules") or []:
            found.append(_rule(path, name, rule))
            found += _slo(path, rule)
    return found


def _slo(path: str, rule: dict[str, Any]) -> list[Item]:
    """An SLO as obsgen compiles it: its objective is the recording rule
    `slo:objective:ratio{slo=NAME}` (the burn-rate rules and alerts show as rules)."""
    labels = rule.get("labels") or {}
    if rule.get("record") != OBJECTIVE or "slo" not in labels:
        return []
    fields = {"objective": scalar(rule.get("expr")),
              **{f"labels.{k}": scalar(v) for k, v in labels.items() if k != "slo"}}
    return [Item("slos", "SLO", f"slo:{labels['slo']}", str(labels["slo"]), path, fields,
                 show_all=True)]


def _rule(path: str, group: str, rule: dict[str, Any]) -> Item:
    alert = "alert" in rule
    name = str(rule.get("alert") if alert else rule.get("record"))
    kind = "alert" if alert else "recording rule"
    fields = {k: scalar(rule[k]).strip() for k in RULE_KEYS if k in rule}
    for part in ("labels", "annotations"):
        for key, value in (rule.get(part) or {}).items():
            fields[f"{part}.{key}"] = scalar(value)
    return Item("rules", kind, f"{kind}:{group}:{name}", name, path, fields,
                queries=frozenset({"expr"}), headline=("expr", "for"))


def test_items(path: str, text: str) -> list[Item]:
    found = []
    for case in _load(text).get("tests") or []:
        name = str(case.get("name", "")) or "(unnamed)"
        fields = {k: _block(v) for k, v in case.items() if k != "name"}
        found.append(Item("rule tests", "test case", f"test:{path}:{name}", name, path, fields))
    return found


def _block(value: Any) -> str:
    if isinstance(value, dict | list):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=120).rstrip()
    return scalar(value)
