"""What `extra=` must say so that obsgen emits an imported panel, variable or dashboard as
it was: every key whose value differs from what obsgen writes, and None for every key obsgen
writes that the input did not have (outside plugin options, whose defaults Grafana fills in
on load anyway)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Json = dict[str, Any]
# Where obsgen may add keys the input left out: the plugin's own defaults, which Grafana
# applies to any panel it loads.
DEFAULTED = (("options",), ("fieldConfig", "defaults", "custom"))
# Grafana's own defaults for a field's thresholds and (per plugin) colour, which obsgen writes.
FIELD_DEFAULTS = (
    ("thresholds", {"mode": "absolute", "steps": [{"color": "green", "value": None},
                                                  {"color": "red", "value": 80}]}),
    ("color", {"mode": "palette-classic"}), ("color", {"mode": "thresholds"}))
# What Grafana adds to a dashboard that leaves it out (the built-in annotation, editable: true),
# and what it takes as empty (a panel's field defaults).
ADDED_ON_LOAD = (((), "annotations"), ((), "editable"))
EMPTY_ON_LOAD = ((("fieldConfig",), "defaults"),)
TARGET_DEFAULTS = (("format", "time_series"), ("range", True), ("legendFormat", "__auto"))


def extra_for(given: Json, emitted: Json, ignore: Iterable[str] = ()) -> Json:
    return _diff(given, emitted, (), frozenset(ignore))


def _diff(given: Json, emitted: Json, path: tuple[str, ...], ignore: frozenset[str]) -> Json:
    out: Json = {}
    for key, value in given.items():
        if key in ignore and not path:
            continue
        have = emitted.get(key)
        if key not in emitted and _empty(value) and not _defaulted((*path, key)):
            continue  # an empty or false value Grafana takes for the key left out
        if value is None:
            if have is not None and not _defaulted((*path, key)):
                out[key] = None
        elif isinstance(value, dict) and isinstance(have, dict):
            inner = _diff(value, have, (*path, key), ignore)
            if inner:
                out[key] = inner
        elif key == "targets" and not path and _same_length_dicts(value, have):
            pairs = zip(value, have or [], strict=True)
            merged = [_diff(g, e, ("targets",), ignore) for g, e in pairs]
            if any(merged):
                out[key] = merged
        elif value != have or type(value) is not type(have):
            out[key] = value
    for key, value in emitted.items():
        if key in given or (key in ignore and not path) or _defaulted((*path, key)):
            continue
        if (path, key) in EMPTY_ON_LOAD and isinstance(value, dict):
            inner = _diff({}, value, (*path, key), ignore)
            if inner:
                out[key] = inner
        elif not _default_value(path, key, value):
            out[key] = None
    return out


def _empty(value: Any) -> bool:
    return value is not True and value in (False, 0, "", [], {})


def _default_value(path: tuple[str, ...], key: str, value: Any) -> bool:
    """What Grafana takes for a key left out: an empty or false value, the query defaults of
    a Prometheus target, a datasource (the dashboard's, which obsgen writes out)."""
    if _empty(value) or key in ("datasource", "definition"):
        return True
    if (path, key) in ADDED_ON_LOAD:
        return True
    if path == ("fieldConfig", "defaults") and (key, value) in FIELD_DEFAULTS:
        return True
    return (path == ("targets",) and (key, value) in TARGET_DEFAULTS) or (
        path == ("targets",) and key in ("editorMode", "refId"))


def _same_length_dicts(a: Any, b: Any) -> bool:
    return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
            and all(isinstance(x, dict) for x in a + b))


def _defaulted(path: tuple[str, ...]) -> bool:
    return any(path[:len(p)] == p and len(path) > len(p) for p in DEFAULTED)
