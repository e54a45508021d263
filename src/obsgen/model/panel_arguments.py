"""The grafanalib arguments obsgen passes through into dashboard JSON, checked at the panel's line.

grafanalib validates some arguments itself (attrs `instance_of`/`in_` validators, read here to
know the type each wants) and passes many through unchecked: `title=42` or `legendFormat=5`
would reach the JSON, where Grafana's schema rejects them. FIELDS names the commonly used
unchecked ones; together with the validators they cover what obsgen copies into the panel.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import attr
from grafanalib import core

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import (
    EXACT_FLOAT,
    Spec,
    list_of,
    one_of,
    optional,
    spec_of,
    wrong_type,
)

_TEXT, _MAYBE_TEXT = str, str | None
_NUMBER, _MAYBE_NUMBER = float, float | None
# Arguments grafanalib leaves unchecked, by the class that takes them (panels: every panel kind
# that has the field). Options obsgen canonicalises itself (datasource, gridPos, thresholds,
# mappings) are checked where it reads them.
PANEL_FIELDS: dict[str, object] = {
    "title": _TEXT, "description": _MAYBE_TEXT, "interval": _MAYBE_TEXT,
    "timeFrom": _MAYBE_TEXT, "timeShift": _MAYBE_TEXT, "cacheTimeout": _MAYBE_TEXT,
    "maxDataPoints": _MAYBE_NUMBER, "links": list, "transparent": bool,
    "mappings": list | dict, "overrides": list, "thresholds": list | str,
    # stat, gauge, bar gauge
    "format": _TEXT, "decimals": int | None, "reduceCalc": _TEXT, "calc": _TEXT,
    "colorMode": _TEXT, "graphMode": _TEXT, "textMode": _TEXT, "orientation": _TEXT,
    "alignment": _TEXT, "noValue": _TEXT, "fields": _TEXT, "label": _MAYBE_TEXT,
    "min": _NUMBER, "max": _NUMBER, "limit": _MAYBE_NUMBER, "color": dict | None,
    "valueMaps": list, "rangeMaps": list, "dataLinks": list,
    # heatmap
    "dataFormat": _TEXT, "yBucketBound": _MAYBE_TEXT, "hideZeroBuckets": bool,
    "highlightCards": bool, "reverseYBuckets": bool, "legend": dict | core.Legend,
    # table
    "fontSize": _TEXT, "columns": list,
    # obsgen's own escape hatch: panel JSON merged over what it emits
    "extra": dict,
}
TARGET_FIELDS: dict[str, object] = {
    "legendFormat": _TEXT, "refId": _TEXT, "intervalFactor": int, "step": int,
    "metric": _TEXT, "target": _TEXT,
}
GRID_FIELDS: dict[str, object] = {"h": int, "w": int, "x": int, "y": int}
TABLES: dict[type, dict[str, object]] = {core.Target: TARGET_FIELDS, core.GridPos: GRID_FIELDS}
JSON_LIKE = (str, int, float, bool, type(None), list, tuple, dict)
# Where a panel holds the objects above; other grafanalib objects keep their own validators.
NESTED = ("targets", "gridPos")


def _from_validator(validator: Any) -> Spec | None:
    """The Spec an attrs validator enforces, where it is one of the kinds grafanalib uses."""
    if validator is None:
        return None
    if hasattr(validator, "member_validator"):  # deep_iterable
        member = _from_validator(validator.member_validator)
        return list_of(member) if member is not None else None
    if hasattr(validator, "_validators"):  # and_: the first that says what the type is
        return next(filter(None, map(_from_validator, validator._validators)), None)
    if type(validator).__name__ == "_OptionalValidator":
        inner = _from_validator(validator.validator)
        return optional(inner) if inner is not None else None
    if hasattr(validator, "_original_options"):  # in_
        return one_of(validator._original_options)
    kind = getattr(validator, "type", None)
    if kind is float:
        return EXACT_FLOAT
    if isinstance(kind, type):
        return spec_of(kind)
    if isinstance(kind, tuple) and all(isinstance(k, type) for k in kind):
        return spec_of(kind[0] if len(kind) == 1 else _union(kind))
    return None


def _union(kinds: tuple[type, ...]) -> object:
    hint: object = kinds[0]
    for kind in kinds[1:]:
        hint = hint | kind
    return hint


@cache
def field_specs(cls: type) -> tuple[tuple[str, Spec], ...]:
    """What each argument of a grafanalib class must be: from its validator, else the table."""
    table = TABLES.get(cls) or next((t for c, t in TABLES.items() if issubclass(cls, c)),
                                    PANEL_FIELDS if issubclass(cls, core.Panel) else {})
    found = []
    for field in attr.fields(cls):
        spec = _from_validator(field.validator)
        if spec is None and field.name in table:
            spec = spec_of(table[field.name])
        if spec is not None:
            found.append((field.name, spec))
    return tuple(found)


def _problems(obj: Any, path: str) -> Iterator[tuple[str, str, Spec, Any]]:
    """(class name, path, spec, value) for each argument of `obj`, and of the targets and grid
    position it holds, that does not fit."""
    cls: type = type(obj)
    for name, spec in field_specs(cls):
        value = getattr(obj, name)
        # A value JSON cannot hold at all is OBS604, reported with its path by check_serialisable.
        if not spec.fits(value) and (isinstance(value, JSON_LIKE) or attr.has(type(value))):
            yield cls.__name__, f"{path}{name}", spec, value
    for name in NESTED:
        value = getattr(obj, name, None)
        items = enumerate(value) if isinstance(value, list | tuple) else ((None, value),)
        for index, item in items:
            if type(item) in TABLES or isinstance(item, tuple(TABLES)):
                where = name if index is None else f"{name}[{index}]"
                yield from _problems(item, f"{path}{where}.")


def check_grafanalib_arguments(panel: Any, where: Location | None = None) -> None:
    """Raise OBS004 (at `where`, else where the loader finds the user's line) for the first
    argument of `panel`, or of a target or grid position it holds, that does not fit."""
    problem = next(_problems(panel, ""), None)
    if problem is not None:
        owner, path, spec, value = problem
        top = path.split(".")[0].split("[")[0]
        raise wrong_type(f"{type(panel).__name__}({top}=...)", path, spec, value, owner=owner,
                         location=where)


def from_attrs_error(obj: Any, exc: BaseException) -> DefinitionError | None:
    """OBS004 for the TypeError/ValueError an attrs validator raised while `obj` was being
    made (its args: message, attribute, what was wanted, the value); None for other errors."""
    args = exc.args
    if len(args) != 4 or not isinstance(args[1], attr.Attribute):
        return None
    name = args[1].name
    cls: type = type(obj)
    spec = next((s for n, s in field_specs(cls) if n == name), None)
    if spec is None:
        return None
    value = getattr(obj, name, args[3])
    if spec.fits(value):  # a validator this module does not read said no: keep its error
        return None
    owner = cls.__name__
    return wrong_type(f"{owner}({name}=...)", name, spec, value, owner=owner)
