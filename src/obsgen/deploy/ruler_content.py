"""Rule groups as obsgen compares them with what a ruler holds: normalised the way the ruler
writes them back, shown as YAML in diffs, and fingerprinted for the manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from obsgen.model.names import duration_ms

DURATIONS = ("interval", "for", "keep_firing_for", "evaluation_delay", "query_offset")
GROUP_ORDER = ("name", "interval", "limit", "source_tenants", "rules")
RULE_ORDER = ("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations")


def go_duration(ms: int) -> str:
    """How the ruler writes a duration back (Prometheus' model.Duration): 90s → 1m30s."""
    if ms == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
                       ("ms", 1)):
        if ms >= size:
            out, ms = out + f"{ms // size}{unit}", ms % size
    return out


def _duration(value: Any) -> Any:
    try:
        return go_duration(duration_ms(str(value)))
    except (ValueError, KeyError, TypeError):
        return value


def _ordered(item: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    keys = [k for k in order if k in item] + sorted(k for k in item if k not in order)
    out: dict[str, Any] = {}
    for key in keys:
        value = item[key]
        if key in DURATIONS:
            value = _duration(value)
            if value == "0s":
                continue
        if value in (None, "", [], {}):
            continue
        out[key] = dict(sorted(value.items())) if isinstance(value, Mapping) else value
    return out


def normalised(group: Mapping[str, Any]) -> dict[str, Any]:
    """A group as compared and shown in diffs: the ruler's key order, durations written the
    way the ruler writes them, empty fields left out."""
    out = _ordered(group, GROUP_ORDER)
    out["rules"] = [_ordered(r, RULE_ORDER) for r in group.get("rules") or []
                    if isinstance(r, Mapping)]
    return out


def fingerprint(group: Mapping[str, Any]) -> str:
    """The content of a group as the manifest records it: equal for a group obsgen posted and
    the same group read back from the ruler, different after any edit."""
    text = json.dumps(normalised(group), sort_keys=True, ensure_ascii=False, default=str,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def group_yaml(group: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(group), sort_keys=False, allow_unicode=True, width=10_000)
