"""Nested settings (JSON, YAML) as flat `a.b[0].c` → text pairs, so that a change names the one
setting it touches."""

from __future__ import annotations

import json
from typing import Any


def scalar(value: Any) -> str:
    """Text as it is; anything else as compact JSON (numbers, booleans, null, lists of
    scalars)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Dicts by key and lists of dicts by index; a list of scalars is one value."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key in value:
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = {}
        for i, element in enumerate(value):
            out.update(flatten(element, f"{prefix}[{i}]"))
        return out
    return {prefix: scalar(value)}
