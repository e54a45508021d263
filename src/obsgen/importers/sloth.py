"""`obsgen import` of Sloth SLO specs: `version: prometheus/v1` files and the Kubernetes
`PrometheusServiceLevel` resource (sloth.slok.dev/v1), into `SLO` definitions.

Neither form holds the SLO period: Sloth takes it from `--default-slo-period` (30d unless
given), and a custom period needs a windows file for it (`kind: AlertWindows`, `spec.sloPeriod`,
passed with `--slo-period-windows-path`, whose files replace Sloth's own 28d and 30d ones). So a
windows file imported with the specs sets their period (`window=` of each SLO, whose burn-rate
windows obsgen scales to it); several windows files set the one Sloth would default to (30d),
or none, and then the SLOs are reported (OBS987) rather than given a period Sloth would not
use; so is a period obsgen cannot express. Without a windows file the period is 30d.
An events SLI keeps its two queries and a raw SLI its ratio query, with Sloth's `{{.window}}`
written as `{{window}}`. Sloth names both alerts of an SLO alike, and gives them no `for`;
so do the imported tiers (`for_="0s"`).
SLI plugins run Go code obsgen does not have: such an SLO is reported (OBS987) and left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from obsgen.check import yamlguard
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import DefinitionError, Diagnostic
from obsgen.importers.contract import Imported, ImportEnv, Module, Survey
from obsgen.importers.slo_spec import (
    AlertSpec,
    Period,
    SLOSpec,
    SpecFile,
    mapping,
    problem,
    source,
    strings,
    survey_of,
    window_template,
)
from obsgen.model.names import check_duration
from obsgen.model.slo_windows import PAGE_DEFAULTS, TICKET_DEFAULTS, scale

SLOTH_WINDOW = r"\{\{\s*\.window\s*\}\}"
K8S_KIND = "PrometheusServiceLevel"
WINDOWS_KIND = "AlertWindows"
DEFAULT_PERIOD = "30d"  # Sloth's `--default-slo-period` unless given
UNSUPPORTED = "OBS980"  # the whole file is not imported
LEFT_OUT = "OBS987"  # one SLO of it is left out, the rest imported


def _documents(text: str) -> Iterator[tuple[Any, yaml.Node]]:
    for node in yamlguard.compose_all(text):  # alias bombs and deep nesting refused
        if node is not None:
            yield yaml.safe_load(yaml.serialize(node)), node


def _slo_lines(node: yaml.Node, key_path: tuple[str, ...]) -> list[int]:
    """The 1-based lines where the items of the sequence at `key_path` start."""
    for key in key_path:
        if not isinstance(node, yaml.MappingNode):
            return []
        found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if found is None:
            return []
        node = found
    return [item.start_mark.line + 1 for item in node.value] if isinstance(
        node, yaml.SequenceNode) else []


def _get(data: Mapping[str, Any], snake: str, camel: str) -> Any:
    return data.get(snake, data.get(camel))


def _alert(alerting: Mapping[str, Any], key: tuple[str, str]) -> AlertSpec:
    tier = mapping(_get(alerting, *key))
    # Sloth's alerts have no `for`: the short window is their wait. "0s" keeps that.
    return AlertSpec(enabled=not tier.get("disable", False), name=str(alerting.get("name", "")),
                     for_="0s",
                     labels={**strings(alerting.get("labels")), **strings(tier.get("labels"))},
                     annotations={**strings(alerting.get("annotations")),
                                  **strings(tier.get("annotations"))})


def _objective(item: Mapping[str, Any]) -> float:
    value = item.get("objective", 0)
    objective = float(value) if isinstance(value, (int, float, str)) else math.nan
    if not math.isfinite(objective):
        raise ValueError(f"objective {value!r:.40} is not a number")
    return objective


def _query(value: Any) -> str:
    return window_template(str(value) if value else "", SLOTH_WINDOW)


def _period_line(node: yaml.Node) -> int:
    for key in ("spec", "sloPeriod"):
        found = next((v for k, v in node.value if getattr(k, "value", None) == key), None) \
            if isinstance(node, yaml.MappingNode) else None
        if found is None:
            return node.start_mark.line + 1
        node = found
    return node.start_mark.line + 1


def periods_of(file: ForeignFile) -> tuple[Period, ...]:
    """The SLO periods the Sloth windows files (AlertWindows) in `file` are written for."""
    try:
        return _periods_in(list(_documents(file.text)), file.path)
    except yaml.YAMLError:
        return ()


def _periods_in(documents: list[tuple[Any, yaml.Node]], path: str) -> tuple[Period, ...]:
    return tuple(Period(str(mapping(data.get("spec")).get("sloPeriod", "")), path,
                        _period_line(node)) for data, node in documents
                 if isinstance(data, Mapping) and data.get("kind") == WINDOWS_KIND)


_ONE_FILE = "import the specs with the one windows file of the period Sloth runs them with"
_OWN_RATES = ("import without the windows file and give the SLO its period and tiers of their "
              "own rates by hand: window=..., page=Tier(rates=[BurnRate(...)])")


def _period(periods: tuple[Period, ...]) -> tuple[str, str, str]:
    """The period Sloth would run the specs with, or "", why it cannot be told or used, and
    what to do."""
    values = dict.fromkeys(p.value for p in periods)
    if not values:
        return DEFAULT_PERIOD, "", ""
    if len(values) > 1:
        if DEFAULT_PERIOD in values:
            return DEFAULT_PERIOD, "", ""
        return "", (f"the Sloth windows files set {len(values)} SLO periods (" + ", ".join(
            f"{p.value} at {p.where()}" for p in periods) + ") and Sloth runs with the "
            "one its --default-slo-period names, which obsgen does not see"), _ONE_FILE
    period = periods[0]
    try:
        check_duration(period.value, "Sloth SLO period")
        scale(PAGE_DEFAULTS + TICKET_DEFAULTS, period.value)
    except DefinitionError as exc:
        return "", (f"its Sloth SLO period ({period.where()}) cannot be an SLO window: "
                    f"{exc}"), _OWN_RATES
    return period.value, "", ""


def _spec(item: Mapping[str, Any], service: str, labels: dict[str, str], line: int,
          window: str) -> SLOSpec:
    sli = mapping(item.get("sli"))
    events, raw = mapping(sli.get("events")), mapping(sli.get("raw"))
    alerting = mapping(item.get("alerting"))
    return SLOSpec(
        name=str(item.get("name", "")), line=line, objective=_objective(item), window=window,
        service=service, description=str(item.get("description", "")),
        labels={**labels, **strings(item.get("labels"))},
        errors=_query(_get(events, "error_query", "errorQuery")),
        total=_query(_get(events, "total_query", "totalQuery")),
        ratio=_query(_get(raw, "error_ratio_query", "errorRatioQuery")),
        page=_alert(alerting, ("page_alert", "pageAlert")),
        ticket=_alert(alerting, ("ticket_alert", "ticketAlert")))


def read(file: ForeignFile) -> tuple[list[SLOSpec], list[Diagnostic]]:
    specs: list[SLOSpec] = []
    found: list[Diagnostic] = []
    try:
        documents = list(_documents(file.text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [problem(file.path, mark.line + 1 if mark else 1, UNSUPPORTED,
                            f"not YAML: {exc}", "fix the YAML syntax")]
    given = file.periods if isinstance(file, SpecFile) else ()
    own = tuple(p for p in _periods_in(documents, file.path) if p not in given)
    window, unusable, fix = _period((*given, *own))
    for data, node in documents:
        if not isinstance(data, Mapping) or data.get("kind") == WINDOWS_KIND:
            continue
        path: tuple[str, ...] = ("slos",)
        body: Mapping[str, Any] = data
        if data.get("kind") == K8S_KIND:
            path, body = ("spec", "slos"), mapping(data.get("spec"))
        elif data.get("version") != "prometheus/v1":
            found.append(problem(file.path, node.start_mark.line + 1, UNSUPPORTED,
                                 "not a Sloth spec (version prometheus/v1, or kind "
                                 f"{K8S_KIND})", "import Sloth specs and OpenSLO documents"))
            continue
        lines = _slo_lines(node, path)
        service, labels = str(body.get("service", "")), strings(body.get("labels"))
        items = body.get("slos")
        for item, line in zip(items if isinstance(items, list) else [], lines, strict=False):
            if not isinstance(item, Mapping):
                found.append(problem(file.path, line, LEFT_OUT, f"SLO not imported: {item!r:.40}"
                                     " is not a mapping", "each item of `slos` is a mapping: "
                                     "name, objective, sli, alerting"))
                continue
            if mapping(item.get("sli")).get("plugin"):
                found.append(problem(file.path, line, LEFT_OUT, f"SLO {item.get('name')!r} "
                                     "uses a Sloth SLI plugin, which obsgen cannot run",
                                     "write the plugin's queries as events (RawRatio)"))
                continue
            if unusable:
                found.append(problem(file.path, line, LEFT_OUT, f"SLO {item.get('name')!r} "
                                     f"not imported: {unusable}", fix))
                continue
            try:
                specs.append(_spec(item, service, labels, line, window))
            except ValueError as exc:
                found.append(problem(file.path, line, LEFT_OUT, f"SLO not imported: {exc}",
                                     "each SLO has a name, a numeric objective and its SLI "
                                     "(events or raw)"))
    return specs, found


def recognises(text: str) -> bool:
    """Whether a YAML text looks like a Sloth spec (for the run to pick this importer)."""
    return re.search(r"^(version:\s*[\"']?prometheus/v1[\"']?|kind:\s*[\"']?(" + K8S_KIND + "|"
                     + WINDOWS_KIND + r")[\"']?)\s*$", text, re.MULTILINE) is not None


def survey(file: ForeignFile) -> Survey:
    specs, found = read(file)
    return survey_of(specs, found, file.path)


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    specs, found = read(file)
    if not specs and periods_of(file):
        return Imported((), tuple(found))  # a windows file: it sets the specs' period
    services = ", ".join(sorted({s.service for s in specs if s.service})) or "no service"
    text = source(module, f"SLOs imported from the Sloth spec {file.path} ({services}).", specs)
    return Imported((Module(module, text, file.path),), tuple(found))
