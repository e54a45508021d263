"""Dashboard lint: rules a maintainer would apply to any Grafana dashboard JSON, obsgen's own or
someone else's. Each rule is a function over the parsed document returning findings with a
JSON path and a line; codes and their one-line docs are in obsgen.codes (OBS64x).

| code   | rule                                                                      |
|--------|---------------------------------------------------------------------------|
| OBS640 | a panel, target or variable names its datasource directly, not by variable |
| OBS641 | rate/irate/increase over a fixed range instead of `$__rate_interval`       |
| OBS642 | deprecated panel type (reported by the lenient validator, which knows     |
|        | what Grafana migrates each one to)                                        |
| OBS643 | a variable is defined but never used                                      |
| OBS644 | a variable is used but not defined                                        |
| OBS645 | a panel has no title                                                      |
| OBS646 | a timeseries, stat or gauge panel sets no unit                            |
| OBS647 | the dashboard uid is missing or not stable                                |
| OBS648 | a query hard-codes a `job` or `instance` value                            |
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any

from obsgen.check.dashboards.jsonpos import JsonPath
from obsgen.check.dashboards.lint_v2 import V2_RULES, unstable_uid, v2_notice
from obsgen.check.dashboards.queries import check_json_queries
from obsgen.check.dashboards.schema import (
    JsonFinding,
    ParsedJson,
    iter_panels,
    parse_json,
    unwrap_envelope,
    validate_dashboard_lenient,
    validate_dashboard_strict,
    validate_parsed_lenient,
)
from obsgen.check.dashboards.targets import queries_of
from obsgen.check.dashboards.targets_v2 import is_v2_dashboard, v2_targets
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, sorted_unique

Rule = Callable[[ParsedJson], list[JsonFinding]]

# `$var`, `${var}`, `${var:fmt}`, `${var.field}`, `[[var]]`, `[[var:fmt]]`.
_VARIABLE_REF = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][\w]*)(?:[.:][^}]*)?\}"
    r"|\[\[(?P<bracket>[A-Za-z_][\w]*)(?::[^\]]*)?\]\]"
    r"|(?<!\\)\$(?P<plain>[A-Za-z_][\w]*)")
# Grafana's global variables all start with `__` ($__interval, $__rate_interval, $__range,
# $__all, $__from, $__user, ...); `timeFilter` is InfluxDB's old global.
_BUILTIN_PREFIX = "__"
_BUILTINS = frozenset({"timeFilter"})
# Datasource uids that are Grafana's own pseudo-datasources, not a choice to parameterise.
_SPECIAL_DATASOURCES = frozenset({"-- Mixed --", "-- Grafana --", "-- Dashboard --", "grafana",
                                  "default"})
_RATE_CALL = re.compile(r"\b(rate|irate|increase)\s*\(")
_RANGE = re.compile(r"\[([^\]]+)\]")
_HARDCODED = re.compile(
    r"(?<![\w!=~])(job|instance)\s*(=~|=)\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|`[^`]*`)")
_WILDCARDS = frozenset({"", ".*", ".+"})
_UNIT_KINDS = frozenset({"timeseries", "stat", "gauge"})
_PROMETHEUS_TEMPLATED = frozenset({"expr", "legendFormat", "interval", "datasource"})
_INFLUX_ALIASES = frozenset({"col", "m", "measurement"})
V2_VARIABLES = ("spec", "variables")
VARIABLE_LISTS = (("templating", "list"), V2_VARIABLES)


def _variable_matches(text: str) -> Iterator[tuple[str, int]]:
    for match in _VARIABLE_REF.finditer(text):
        name = match.group("braced") or match.group("bracket") or match.group("plain")
        if name and not name.startswith(_BUILTIN_PREFIX) and name not in _BUILTINS:
            yield name, match.start()


def variable_refs(text: str) -> Iterator[str]:
    """Names of the variables a string refers to, Grafana's built-ins left out."""
    return (name for name, _ in _variable_matches(text))


def _variables(data: dict[str, Any]) -> list[tuple[JsonPath, dict[str, Any]]]:
    """Each variable's definition with its path: `templating.list[i]`, or in Grafana's v2
    schema `spec.variables[i].spec`."""
    found = []
    for where in VARIABLE_LISTS:
        holder = data.get(where[0])
        entries = holder.get(where[1]) if isinstance(holder, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            path: JsonPath = (*where, index)
            if where == V2_VARIABLES and isinstance(entry, dict):
                path, entry = (*path, "spec"), entry.get("spec")
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                found.append((path, entry))
    return found


def _targets(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for path, panel in iter_panels(data):
        targets = panel.get("targets")
        for index, target in enumerate(targets if isinstance(targets, list) else []):
            if isinstance(target, dict):
                yield (*path, "targets", index), target


def _strings(value: Any, path: JsonPath, skip: Callable[[JsonPath], bool]
             ) -> Iterator[tuple[JsonPath, str]]:
    if skip(path):
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key), skip)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index), skip)


def _not_templated(path: JsonPath) -> bool:
    """Parts of a dashboard Grafana never interpolates: export metadata, and variables' saved
    values (`current`, `options`), which hold values, not references."""
    if path[:1] in (("__inputs",), ("__requires",), ("__elements",)):
        return True
    saved = ("current", "options", "name")
    return (len(path) == 4 and path[:2] == ("templating", "list") and path[3] in saved) or (
        len(path) == 5 and path[:2] == V2_VARIABLES and path[3:4] == ("spec",)
        and path[4] in saved)


def _references(data: dict[str, Any]) -> Iterator[tuple[JsonPath, str, int]]:
    """Every variable reference in the dashboard: the path of the string holding it, the
    name, where in the string; `repeat` names its variable without a `$`."""
    for path, text in _strings(data, (), _not_templated):
        if path[-1:] == ("repeat",):
            if text:
                yield path, text, 0
            continue
        for name, index in _variable_matches(text):
            yield path, name, index


def _owner(path: JsonPath) -> int | None:
    """The index of the variable whose own definition holds `path`, if any."""
    if len(path) >= 3 and path[:2] in VARIABLE_LISTS and isinstance(path[2], int):
        return path[2]
    return None


def unused_variables(parsed: ParsedJson) -> list[JsonFinding]:
    refs = list(_references(parsed.data))
    findings = []
    for path, variable in _variables(parsed.data):
        name = variable["name"]
        if any(n == name and _owner(p) != path[2] for p, n, _ in refs):
            continue
        findings.append(parsed.finding(
            "OBS643", (*path, "name"), f"variable {name!r} is defined but never used",
            f"use ${name} in a query, title or another variable's query, or remove it"))
    return findings


def _prose(path: JsonPath) -> bool:
    """A text panel's content: Grafana interpolates it, but prose also holds dollar amounts
    ("$USD"), so it counts as a use of a variable, never as a reference to a missing one."""
    return path[-2:] == ("options", "content")


def _import_inputs(data: dict[str, Any]) -> set[str]:
    """Names an export declares in `__inputs` (`DS_PROMETHEUS`, `VAR_JOB`): Grafana's import
    asks for a value for each and writes it in place of `${DS_PROMETHEUS}`."""
    inputs = data.get("__inputs")
    return {i["name"] for i in (inputs if isinstance(inputs, list) else [])
            if isinstance(i, dict) and isinstance(i.get("name"), str)}


def _unread_by_prometheus(parsed: ParsedJson) -> Callable[[JsonPath], bool]:
    """Whether a path lies in a part of a Prometheus target that Grafana never interpolates:
    it reads `expr`, `legendFormat` and `interval`; the rest (an InfluxDB editor's `groupBy`
    left behind by a copied panel, ...) is state nothing reads."""
    targets = {q.path[len(parsed.prefix):-1] for q in queries_of(parsed).queries
               if not q.variable}

    def unread(path: JsonPath) -> bool:
        for index, step in enumerate(path[:-2]):
            if step == "targets" and path[:index + 2] in targets:
                return path[index + 2] not in _PROMETHEUS_TEMPLATED
        return False
    return unread


def undefined_variables(parsed: ParsedJson) -> list[JsonFinding]:
    defined = {v["name"] for _, v in _variables(parsed.data)} | _import_inputs(parsed.data)
    unread = _unread_by_prometheus(parsed)
    where = "spec.variables" if is_v2_dashboard(parsed.data) else "templating.list"
    return [parsed.finding("OBS644", path, f"variable {name!r} is used but not defined",
                           f"define {name!r} under {where}, or fix the name (defined: "
                           f"{', '.join(sorted(defined)) or 'none'})", index=index)
            for path, name, index in _references(parsed.data)
            if name not in defined and not _prose(path) and not unread(path)
            and not _alias_pattern(path, name)]


def _alias_pattern(path: JsonPath, name: str) -> bool:
    """InfluxDB's alias patterns (`$tag_host`, `$col`, `$m`, `$measurement`) in a target's
    `alias`: the datasource fills them in from each series, they are no variables."""
    return path[-1:] == ("alias",) and (name.startswith("tag_") or name in _INFLUX_ALIASES)


def _literal_datasource(value: Any) -> str | None:
    """The datasource named directly, or None when it is a variable, unset or Grafana's own."""
    name = value.get("uid") if isinstance(value, dict) else value
    if not isinstance(name, str) or not name or name in _SPECIAL_DATASOURCES:
        return None
    if isinstance(value, dict) and value.get("type") == "datasource":
        return None
    return None if any(True for _ in variable_refs(name)) or "$" in name else name


def _datasource_holders(data: dict[str, Any]) -> Iterator[tuple[JsonPath, Any]]:
    for path, panel in iter_panels(data):
        if "datasource" in panel:
            yield (*path, "datasource"), panel["datasource"]
    for path, target in _targets(data):
        if "datasource" in target:
            yield (*path, "datasource"), target["datasource"]
    for path, variable in _variables(data):
        if "datasource" in variable and variable.get("type") != "datasource":
            yield (*path, "datasource"), variable["datasource"]


def literal_datasources(parsed: ParsedJson) -> list[JsonFinding]:
    findings = []
    for path, value in _datasource_holders(parsed.data):
        name = _literal_datasource(value)
        if name is not None:
            findings.append(parsed.finding(
                "OBS640", path, f"datasource {name!r} is named directly",
                "the dashboard breaks on any Grafana whose datasource has another uid; add a "
                'datasource variable and write {"type": "prometheus", "uid": "${datasource}"}'))
    return findings


def _call_argument(expr: str, start: int) -> str:
    """The text between the parenthesis opened just before `start` and its match."""
    depth = 1
    for index in range(start, len(expr)):
        depth += {"(": 1, ")": -1}.get(expr[index], 0)
        if depth == 0:
            return expr[start:index]
    return expr[start:]


def _promql_targets(parsed: ParsedJson) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """The panel targets whose `expr` is PromQL (not Loki's LogQL, which looks alike)."""
    promql = {q.path[len(parsed.prefix):] for q in queries_of(parsed).queries if not q.variable}
    v2 = ((path, spec) for path, spec, _, _ in v2_targets(parsed.data))
    return ((path, target) for path, target in chain(_targets(parsed.data), v2)
            if (*path, "expr") in promql)


def fixed_rate_ranges(parsed: ParsedJson) -> list[JsonFinding]:
    findings = []
    for path, target in _promql_targets(parsed):
        expr = target["expr"]
        # An instant query asks for one window on purpose ("increase over the last hour").
        if target.get("instant") is True:
            continue
        for call in _RATE_CALL.finditer(expr):
            window = _RANGE.search(_call_argument(expr, call.end()))
            if window is None:
                continue
            size = window.group(1).split(":")[0].strip()
            if "$" not in size:
                findings.append(parsed.finding(
                    "OBS641", (*path, "expr"), f"{call.group(1)}() over a fixed [{size}]",
                    "use [$__rate_interval]: a fixed window is too short for a long time range "
                    "or a slow scrape, and too coarse for a short one",
                    index=call.end() + window.start()))
    return findings


def untitled_panels(parsed: ParsedJson) -> list[JsonFinding]:
    # A text panel shows its own content; a row's title is optional in Grafana's UI.
    return [parsed.finding("OBS645", path, f"{panel.get('type', 'panel')} panel has no title",
                           "give the panel a title that says what it shows")
            for path, panel in iter_panels(parsed.data)
            if panel.get("type") not in ("row", "text")
            and not (isinstance(panel.get("title"), str) and panel["title"].strip())]


def _unit(panel: dict[str, Any]) -> Any:
    config = panel.get("fieldConfig")
    defaults = config.get("defaults") if isinstance(config, dict) else None
    return defaults.get("unit") if isinstance(defaults, dict) else None


def missing_units(parsed: ParsedJson) -> list[JsonFinding]:
    return [parsed.finding("OBS646", path, f"{panel['type']} panel {panel.get('title', '')!r} "
                           "sets no unit", "set fieldConfig.defaults.unit (s, bytes, percentunit, "
                           "reqps, short, ...) so values read right")
            for path, panel in iter_panels(parsed.data)
            if str(panel.get("type")) in _UNIT_KINDS and not (isinstance(_unit(panel), str)
                                                         and _unit(panel))]


def hardcoded_job_instance(parsed: ParsedJson) -> list[JsonFinding]:
    findings = []
    for query in queries_of(parsed).queries:
        path, expr = query.path[len(parsed.prefix):], query.text
        for match in _HARDCODED.finditer(expr):
            label, value = match.group(1), match.group(3)[1:-1]
            if "$" in value or value in _WILDCARDS:
                continue
            findings.append(parsed.finding(
                "OBS648", path, f"query hard-codes {label}{match.group(2)}{match.group(3)}",
                f"{label} values differ between deployments; select it with a variable "
                f"({label}=~\"${label}\") or leave it out", index=query.offset + match.start()))
    return findings


RULES: tuple[Rule, ...] = (
    literal_datasources,
    fixed_rate_ranges,
    unused_variables,
    undefined_variables,
    untitled_panels,
    missing_units,
    unstable_uid,
    hardcoded_job_instance,
)


# A v2 dashboard's panels and datasources stand elsewhere; the rest reads both schemas.
RULES_V2: tuple[Rule, ...] = (fixed_rate_ranges, unused_variables, undefined_variables,
                              unstable_uid, hardcoded_job_instance, *V2_RULES)


def lint_parsed(parsed: ParsedJson) -> list[JsonFinding]:
    """Every lint rule over one parsed dashboard."""
    rules = RULES_V2 if is_v2_dashboard(parsed.data) else RULES
    findings = [finding for rule in rules for finding in rule(parsed)]
    return sorted(set(findings), key=lambda f: (f.line, f.column, f.code, f.message))


def lint_dashboard_text(text: str) -> list[JsonFinding]:
    """Lint findings for a dashboard text; malformed JSON is one OBS631 finding."""
    parsed = parse_json(text)
    return [parsed] if isinstance(parsed, JsonFinding) else lint_parsed(unwrap_envelope(parsed))


def lint_dashboard(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """`obsgen lint` on a dashboard from elsewhere: lenient schema validation, the lint rules,
    and every PromQL query (panel targets of Prometheus datasources, variable queries)
    through the query checks rules get, against `context.catalog` when the run has one.
    Never raises on bad input."""
    parsed = parse_json(file.text)
    if isinstance(parsed, JsonFinding):
        return [parsed.diagnostic(file.path)]
    parsed = unwrap_envelope(parsed)
    # obsgen's schema is Grafana's v1 model: a v2 dashboard gets a notice instead.
    schema = [v2_notice(parsed)] if is_v2_dashboard(parsed.data) else (
        validate_parsed_lenient(parsed))
    findings = schema + lint_parsed(parsed)
    return sorted_unique([*(f.diagnostic(file.path) for f in findings),
                          *check_json_queries(parsed, file.path, context.catalog)])


# Lint findings about how a dashboard was designed (no title, no unit, a fixed rate range, an
# unused variable, a hard-coded job): they come from the definitions, not from a fault of
# obsgen's, which guarantees the rest (datasource variable, defined variables, stable uid).
FROM_DEFINITIONS = frozenset({"OBS641", "OBS643", "OBS645", "OBS646", "OBS648"})


def lint_emitted_dashboard(path: str, text: str, verbatim: bool = False) -> list[Diagnostic]:
    """`obsgen check` on a dashboard obsgen wrote: strict schema validation and the lint rules,
    every finding an error; only what obsgen guarantees is called an obsgen bug. `verbatim`:
    the definition hands obsgen JSON to write as given (`extra=`, `RawPanel`, as an import
    does), so the schema is the lenient one `obsgen lint` applies to anyone's dashboard."""
    strict = validate_dashboard_lenient(text) if verbatim else validate_dashboard_strict(text)
    if any(f.code == "OBS631" for f in strict):
        return [f.diagnostic(path) for f in strict]
    ours = "obsgen emitted this from the dashboard's definition: change it there"
    bug = ours if verbatim else "obsgen emitted this; please report it as a bug"
    return [f.diagnostic(path) for f in strict] + [
        Diagnostic.of(f.code, f.message, f.diagnostic(path).location,
                      f"{f.hint} ({ours if f.code in FROM_DEFINITIONS else bug})",
                      Severity.ERROR)
        for f in lint_dashboard_text(text)]
