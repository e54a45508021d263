"""Rule files written for vmalert rather than Prometheus: same `groups:` shape, but group and
rule keys only vmalert reads, and expressions in MetricsQL (or, by a group's `type`, Graphite
or LogsQL). Told from the file's YAML nodes, never by parsing an expression: a key only vmalert
reads, else a call of a function only MetricsQL has."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from obsgen.check.dashboards.metricsql import METRICSQL_ONLY
from obsgen.check.yamlnodes import scalar_text, value_of

# Keys of a group, and of a rule, that vmalert reads and Prometheus does not (vmalert's config
# package; `tenant` is its enterprise edition's, `extra_filter_labels` an older release's).
VMALERT_GROUP_KEYS = frozenset({"concurrency", "eval_offset", "eval_delay", "eval_alignment",
                                "headers", "notifier_headers", "params", "type", "tenant",
                                "extra_filter_labels"})
VMALERT_RULE_KEYS = frozenset({"debug", "update_entries_limit"})
# A vmalert group's `type` names the datasource, and so the language of its expressions.
VMALERT_LANGUAGES = {"prometheus": "MetricsQL", "graphite": "Graphite", "vlogs": "LogsQL"}
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`")
_CALL = re.compile(r"(?<![\w:.])([a-z_][a-z0-9_]*)\s*\(")


@dataclass(frozen=True)
class Dialect:
    """A rule file written for another engine than Prometheus, and what says so."""

    engine: str  # "vmalert"
    languages: tuple[str, ...]  # what its expressions are written in: MetricsQL, LogsQL, ...
    evidence: str  # what says so: "`concurrency` is vmalert's alone"
    line: int


def _mappings(node: yaml.Node | None) -> list[yaml.MappingNode]:
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return [item for item in items if isinstance(item, yaml.MappingNode)]


def _engine_key(group: yaml.MappingNode) -> tuple[str, yaml.Node] | None:
    """The first key of a group (or of one of its rules) that only vmalert reads."""
    rules = _mappings(value_of(group, "rules"))
    keys = [(k, VMALERT_GROUP_KEYS) for k, _ in group.value] + [
        (k, VMALERT_RULE_KEYS) for rule in rules for k, _ in rule.value]
    return next(((f"`{k.value}` is vmalert's alone", k) for k, known in keys
                 if isinstance(k, yaml.ScalarNode) and k.value in known), None)


def _metricsql_call(group: yaml.MappingNode) -> tuple[str, yaml.Node] | None:
    """The first expression of a group that calls a function only MetricsQL has."""
    for rule in _mappings(value_of(group, "rules")):
        expr = value_of(rule, "expr")
        names = _CALL.findall(_QUOTED.sub('""', scalar_text(expr) or ""))
        name = next((n for n in names if n in METRICSQL_ONLY), None)
        if name is not None and expr is not None:
            return f"`{name}()` is MetricsQL's alone", expr
    return None


def vmalert_dialect(holders: list[yaml.Node]) -> Dialect | None:
    """vmalert's dialect when a group of the file uses a key only vmalert reads, or an
    expression calls a MetricsQL function: its expressions are then MetricsQL (or, by the
    group's `type`, Graphite or LogsQL)."""
    groups = [g for h in holders for g in _mappings(value_of(h, "groups"))]
    found = next((f for f in map(_engine_key, groups) if f is not None), None) or next(
        (f for f in map(_metricsql_call, groups) if f is not None), None)
    if found is None:
        return None
    types = {(scalar_text(value_of(g, "type")) or "prometheus").strip().lower() for g in groups}
    languages = tuple(sorted({VMALERT_LANGUAGES.get(t, t) for t in types}))
    return Dialect("vmalert", languages, found[0], found[1].start_mark.line + 1)


def without_engine_keys(data: Any, dialect: Dialect | None) -> Any:
    """`{groups: ...}` as Prometheus' schema can check it: what only vmalert reads taken out."""
    groups = data.get("groups") if dialect is not None and isinstance(data, dict) else None
    for group in groups if isinstance(groups, list) else []:
        for key in VMALERT_GROUP_KEYS & set(group if isinstance(group, dict) else ()):
            del group[key]
        rules = group.get("rules") if isinstance(group, dict) else None
        for rule in rules if isinstance(rules, list) else []:
            for key in _engine_rule_keys(rule) & set(rule if isinstance(rule, dict) else ()):
                del rule[key]
    return data


def _engine_rule_keys(rule: Any) -> frozenset[str]:
    # vmalert reads annotations on a recording rule too (VictoriaMetrics' own examples have
    # them); Prometheus refuses them.
    recording = isinstance(rule, dict) and "record" in rule
    return VMALERT_RULE_KEYS | {"annotations"} if recording else VMALERT_RULE_KEYS
