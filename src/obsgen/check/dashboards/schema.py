"""Grafana dashboard JSON against obsgen's own dashboard and panel schemas: strictly for what
obsgen emits (every deviation an error), leniently for dashboards written elsewhere (what
Grafana accepts and migrates is a warning with its JSON path and a hint)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import jsonschema

from obsgen.check.dashboards.jsonpos import JsonPath, JsonPositions, format_path
from obsgen.check.dashboards.validators import (
    DASHBOARD_SCHEMA,
    PANELS_SCHEMA,
    any_panel_validator,
    dashboard_validator,
    panel_validator,
)
from obsgen.check.schemas import SchemaValidator, load_schema
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location

_EMITTED_HINT = "obsgen emitted this; please report it as a bug"

# Panel types Grafana replaced, and what it migrates each to on load.
LEGACY_PANELS: dict[str, str] = {
    "graph": "timeseries",
    "singlestat": "stat",
    "table-old": "table",
    "grafana-singlestat-panel": "stat",
    "grafana-piechart-panel": "piechart",
    "grafana-worldmap-panel": "geomap",
}

# Properties Grafana dropped or that only exports carry, by where they stand, with the hint.
_EXPORT_HINT = ("an export field: Grafana resolves it when the dashboard is imported and does not "
                "store it; provisioned dashboards should not carry it")
_LEGACY_PROPERTIES: dict[str, dict[str, str]] = {
    "dashboard": {
        "__inputs": _EXPORT_HINT, "__requires": _EXPORT_HINT, "__elements": _EXPORT_HINT,
        "rows": "pre-5.0 row layout: Grafana converts it to row panels with gridPos on load",
        "style": "no longer in the dashboard model (the theme is per user); Grafana ignores it",
        "sharedCrosshair": "replaced by graphTooltip; Grafana migrates it on load",
        "hideControls": "removed; Grafana ignores it",
        "nav": "replaced by timepicker; Grafana migrates it on load",
        "originalTitle": "removed; Grafana ignores it",
    },
    "variable": {
        "tags": "variable tags were removed in Grafana 8; Grafana ignores them",
        "tagsQuery": "variable tags were removed in Grafana 8; Grafana ignores them",
        "tagValuesQuery": "variable tags were removed in Grafana 8; Grafana ignores them",
        "useTags": "variable tags were removed in Grafana 8; Grafana ignores them",
        "queryValue": "editor state saved by older Grafana; Grafana ignores it",
        "isNone": "editor state saved by older Grafana; Grafana ignores it",
        "index": "editor state saved by older Grafana; Grafana ignores it",
        "error": "editor state saved by older Grafana; Grafana ignores it",
    },
    "panel": {
        "span": "pre-5.0 width in twelfths; Grafana converts it to gridPos on load",
        "error": "editor state saved by older Grafana; Grafana ignores it",
        "isNew": "editor state saved by older Grafana; Grafana ignores it",
        "scopedVars": "repeat state saved by older Grafana; Grafana ignores it",
    },
}


@dataclass(frozen=True)
class JsonFinding:
    """A finding about a JSON document: a code, the JSON path, where the path starts."""

    code: str
    message: str
    path: JsonPath
    line: int
    column: int
    hint: str | None = None

    def diagnostic(self, file: str, severity: Severity | None = None) -> Diagnostic:
        return Diagnostic.of(self.code, self.message, Location(file, self.line, self.column),
                             self.hint, severity)


@dataclass(frozen=True)
class ParsedJson:
    data: Any
    text: str
    prefix: JsonPath = ()  # where `data` stands in the document: ("dashboard",) in an envelope

    @cached_property
    def positions(self) -> JsonPositions:
        # Only documents with findings need positions; most checked documents have none.
        return JsonPositions(self.text)

    def finding(self, code: str, path: JsonPath, message: str, hint: str | None = None,
                *, at_key: bool = False, index: int | None = None) -> JsonFinding:
        """A finding at the value of `path`, at its key (`at_key`), or at character `index`
        of its string value."""
        full = (*self.prefix, *path)
        where = (self.positions.of_key(full) if at_key else
                 self.positions.in_string(full, index) if index is not None else
                 self.positions.of_value(full))
        return JsonFinding(code, f"{format_path(full)}: {message}", full, where.line,
                           where.column, hint)


# The 41 corpus dashboards nest at most 12 levels deep (a collapsed row's panel's overrides);
# the checks walk documents recursively, so a bound keeps them from overflowing the stack.
MAX_DEPTH = 64


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else (
            node if isinstance(node, list) else ())
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return deepest


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(text: str) -> ParsedJson | JsonFinding:
    """The document and its positions, or one OBS631 finding at the line:col of the error."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return JsonFinding("OBS631", f"not valid JSON: {exc.msg}", (), exc.lineno, exc.colno,
                           "fix the JSON syntax at this position")
    except (ValueError, RecursionError) as exc:
        return JsonFinding("OBS631", f"not valid JSON: {exc}", (), 1, 1,
                           "JSON has no NaN or Infinity; write null or a number")
    parsed = ParsedJson(data, text)
    if _depth(data) > MAX_DEPTH:
        return JsonFinding("OBS631", f"JSON nested more than {MAX_DEPTH} levels deep", (), 1, 1,
                           "no Grafana dashboard nests this deep; check how the file was made")
    if not isinstance(data, dict):
        return parsed.finding("OBS631", (), f"a dashboard is a JSON object, not "
                              f"{type(data).__name__}", "export the dashboard JSON model")
    return parsed


def unwrap_envelope(parsed: ParsedJson) -> ParsedJson:
    """Grafana's HTTP API (and tools built on it) wrap the model as `{"dashboard": {...},
    "folderUid": ..., "overwrite": ...}`: check the model inside, paths still from the top."""
    inner = parsed.data.get("dashboard") if isinstance(parsed.data, dict) else None
    if isinstance(inner, dict) and not any(
            key in parsed.data for key in ("panels", "rows", "schemaVersion", "templating")):
        return replace(parsed, data=inner, prefix=("dashboard",))
    return parsed


def dashboard_schema_version() -> int:
    """The schemaVersion obsgen writes: the one its dashboard schema states."""
    version = load_schema(DASHBOARD_SCHEMA)["properties"]["schemaVersion"]["default"]
    return int(version)


def panel_kinds() -> tuple[str, ...]:
    """The panel types obsgen emits and checks options for (rows aside)."""
    return tuple(sorted(load_schema(PANELS_SCHEMA)["kinds"]))


def iter_panels(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every panel with its path: top level, inside collapsed rows, and in legacy `rows`."""
    def walk(panels: Any, path: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
        if not isinstance(panels, list):
            return
        for index, panel in enumerate(panels):
            if isinstance(panel, dict):
                yield (*path, index), panel
                yield from walk(panel.get("panels"), (*path, index, "panels"))

    yield from walk(data.get("panels"), ("panels",))
    rows = data.get("rows")
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if isinstance(row, dict):
            yield from walk(row.get("panels"), ("rows", index, "panels"))


def _leaf_errors(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    """oneOf/anyOf errors say only 'is not valid under any of the given schemas'; the branch
    that came closest says what is wrong."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            yield from _leaf_errors(best)
            return
    yield error


@dataclass(frozen=True)
class _SchemaError:
    path: JsonPath
    keyword: str  # the schema keyword, `x-obsgen-` prefix removed
    message: str
    instance: Any
    schema: Any
    panel_kind: str | None  # set when the error is about a panel's options or custom config


def _errors_of(validator: SchemaValidator, data: Any, path: JsonPath, kind: str | None,
               fast: bool) -> Iterator[_SchemaError]:
    for error in validator.iter_errors(data, fast):
        for leaf in _leaf_errors(error):
            yield _SchemaError((*path, *leaf.absolute_path), str(leaf.validator).removeprefix(
                "x-obsgen-"), leaf.message, leaf.instance, leaf.schema, kind)


def _schema_errors(data: dict[str, Any], strict: bool, fast: bool) -> Iterator[_SchemaError]:
    yield from _errors_of(dashboard_validator(strict), data, (), None, fast)
    for path, panel in iter_panels(data):
        yield from _kind_errors(panel, path, strict, fast)


def _kind_errors(panel: dict[str, Any], path: JsonPath, strict: bool, fast: bool
                 ) -> Iterator[_SchemaError]:
    """A panel's options and custom field config against the schema of its kind."""
    kinds = load_schema(PANELS_SCHEMA)["kinds"]
    kind = panel.get("type")
    if not isinstance(kind, str) or kind not in kinds:
        return
    field_config = panel.get("fieldConfig")
    defaults = field_config.get("defaults") if isinstance(field_config, dict) else None
    parts = [("options", panel.get("options"), (*path, "options")),
             ("custom", defaults.get("custom") if isinstance(defaults, dict) else None,
              (*path, "fieldConfig", "defaults", "custom"))]
    for part, value, where in parts:
        if value is not None:
            yield from _errors_of(panel_validator(kinds[kind][part], strict), value, where, kind,
                                  fast)


def panel_errors_strict(panel: dict[str, Any], *, fast: bool = True
                        ) -> list[tuple[JsonPath, str]]:
    """(path within the panel, message) for each way one emitted panel deviates from obsgen's
    strict schema: the build's last check on what it is about to write, at the panel's line.
    `fast=False`: without the compiled validator's first answer (the result is the same)."""
    errors = [*_errors_of(any_panel_validator(), panel, (), None, fast),
              *_kind_errors(panel, (), True, fast)]
    found = []
    for error in errors:
        keys = _unexpected(error) if error.keyword == "additionalProperties" else []
        found += ([((*error.path, key), "property is not in the dashboard model") for key in keys]
                  or [(error.path, error.message)])
    return found


def _unexpected(error: _SchemaError) -> list[str]:
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    return sorted(k for k in instance if k not in known)


def _strict_findings(parsed: ParsedJson, error: _SchemaError) -> list[JsonFinding]:
    where = f"panel kind {error.panel_kind!r}: " if error.panel_kind else ""
    if error.keyword == "additionalProperties":
        return [parsed.finding("OBS630", (*error.path, key),
                               f"{where}property {key!r} is not in the dashboard model",
                               _EMITTED_HINT, at_key=True) for key in _unexpected(error)]
    return [parsed.finding("OBS630", error.path, where + error.message, _EMITTED_HINT)]


def validate_dashboard_strict(text: str, *, fast: bool = True) -> list[JsonFinding]:
    """Findings for a dashboard obsgen emitted: every deviation from obsgen's schema (dashboard
    and panel kinds, `x-obsgen-*` constraints included) is an OBS630 error. `fast=False`:
    without the compiled validator's first answer (the findings are the same)."""
    parsed = parse_json(text)
    if isinstance(parsed, JsonFinding):
        return [parsed]
    findings = [f for error in _schema_errors(parsed.data, True, fast)
                for f in _strict_findings(parsed, error)]
    return sorted(set(findings), key=lambda f: (f.line, f.column, f.message))


def _kind_of(path: JsonPath) -> str:
    """What kind of object stands at `path`: dashboard, panel, variable or other."""
    if not path:
        return "dashboard"
    if len(path) >= 3 and path[:2] == ("templating", "list"):
        return "variable"  # the variable itself or its saved `current` state
    if len(path) >= 2 and path[-2] == "panels" and isinstance(path[-1], int):
        return "panel"
    return "other"


def _in_legacy_panel(path: JsonPath, legacy: set[JsonPath]) -> bool:
    return any(path[:len(p)] == p for p in legacy)


def _lenient_findings(parsed: ParsedJson, error: _SchemaError) -> list[JsonFinding]:
    if error.panel_kind is not None:
        hint = (f"Grafana fills in or ignores what the {error.panel_kind} panel does not "
                "know; check the option's name and value")
        if error.keyword == "additionalProperties":
            return [parsed.finding("OBS634", (*error.path, key), f"panel kind "
                                   f"{error.panel_kind!r} has no option {key!r}", hint,
                                   at_key=True) for key in _unexpected(error)]
        return [parsed.finding("OBS634", error.path, f"panel kind {error.panel_kind!r}: "
                               f"{error.message}", hint)]
    if error.keyword == "additionalProperties":
        legacy = _LEGACY_PROPERTIES.get(_kind_of(error.path), {})
        return [parsed.finding("OBS633", (*error.path, key), f"legacy property {key!r}",
                               legacy[key], at_key=True) if key in legacy else
                parsed.finding("OBS632", (*error.path, key), f"property {key!r} is not in "
                               "Grafana's dashboard model", "Grafana ignores properties it "
                               "does not know; remove it or check its spelling", at_key=True)
                for key in _unexpected(error)]
    if error.keyword == "required" and not error.path:
        return [parsed.finding("OBS633", (), error.message, "Grafana adds it with its default "
                               "when it loads the dashboard; add it to keep the file complete")]
    if error.keyword == "type" and error.instance is None:
        return [parsed.finding("OBS633", error.path, "null where the model wants a value",
                               "Grafana treats null as unset; drop the property")]
    if error.keyword == "type" and error.path[-1:] == ("datasource",) and isinstance(
            error.instance, str):
        return [parsed.finding("OBS633", error.path, f"datasource given by name "
                               f"{error.instance!r}", "Grafana 8.3+ migrates it to a reference; "
                               'write {"type": "prometheus", "uid": "${datasource}"}')]
    return [parsed.finding("OBS632", error.path, error.message, "Grafana's dashboard schema "
                           "does not allow this; Grafana may ignore the value or fail on it")]


def _migration_findings(parsed: ParsedJson) -> list[JsonFinding]:
    findings = []
    version = parsed.data.get("schemaVersion")
    current = dashboard_schema_version()
    if isinstance(version, int) and not isinstance(version, bool) and version < current:
        findings.append(parsed.finding(
            "OBS633", ("schemaVersion",), f"schemaVersion {version} is older than {current}",
            "Grafana migrates the dashboard on load; save it from a current Grafana to store "
            "the migrated model"))
    for path, panel in iter_panels(parsed.data):
        kind = panel.get("type")
        if isinstance(kind, str) and kind in LEGACY_PANELS:
            findings.append(parsed.finding(
                "OBS642", (*path, "type"), f"deprecated panel type {kind!r}",
                f"Grafana migrates it to {LEGACY_PANELS[kind]!r} on load (its legacy fields "
                "were not checked); change the panel type and save"))
    return findings


def validate_dashboard_lenient(text: str, *, fast: bool = True) -> list[JsonFinding]:
    """Findings for a dashboard from elsewhere (`obsgen lint`): what Grafana accepts and
    migrates is a warning with its JSON path and a hint; only JSON that is malformed or not an
    object is an error (OBS631). Never raises on any input. `fast=False`: without the
    compiled validator's first answer (the findings are the same)."""
    parsed = parse_json(text)
    if isinstance(parsed, JsonFinding):
        return [parsed]
    return validate_parsed_lenient(unwrap_envelope(parsed), fast=fast)


def validate_parsed_lenient(parsed: ParsedJson, *, fast: bool = True) -> list[JsonFinding]:
    """validate_dashboard_lenient on a dashboard already parsed (and unwrapped)."""
    legacy = {path for path, panel in iter_panels(parsed.data)
              if isinstance(panel.get("type"), str) and panel["type"] in LEGACY_PANELS}
    findings = _migration_findings(parsed)
    for error in _schema_errors(parsed.data, False, fast):
        if not _in_legacy_panel(error.path, legacy):
            findings += _lenient_findings(parsed, error)
    return sorted(set(findings), key=lambda f: (f.line, f.column, f.code, f.message))
