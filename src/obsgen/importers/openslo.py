"""`obsgen import` of OpenSLO v1 documents (`apiVersion: openslo/v1`, `kind: SLO`) whose
indicator reads Prometheus, into `SLO` definitions.

A `ratioMetric` becomes a RawRatio over its good (or bad) and total queries: a counter query
that is a plain selector is read as `sum(rate(<selector>[{{window}}]))`, any other query as the
rate of its subquery; a non-counter query is taken as a rate already. A `thresholdMetric`
counts time slices: the error ratio over a window is the share of minutes in which the query
broke the objective's `op`/`value`. An `indicatorRef` resolves to a `kind: SLI` document of the
same file. The first objective and the first time window are used (30d without one); alert
policies are not read: the SLO gets obsgen's page and ticket tiers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from obsgen.check import yamlguard
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import Diagnostic
from obsgen.importers.contract import Imported, ImportEnv, Module, Survey
from obsgen.importers.slo_spec import WINDOW, SLOSpec, mapping, problem, source, survey_of

API = "openslo/v1"
CODE = "OBS980"  # the whole file is not imported
LEFT_OUT = "OBS987"  # one SLO of it is left out, the rest imported
SELECTOR = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$")
# The comparison that breaks an objective whose op says what is good.
BREAKS = {"lt": ">=", "lte": ">", "gt": "<=", "gte": "<"}
_DURATION = re.compile(r"^(\d+)([smhdw])$")


class UnreadableError(ValueError):
    """Why one SLO document cannot be imported."""


def _documents(text: str) -> Iterator[tuple[Mapping[str, Any], int]]:
    for node in yamlguard.compose_all(text):  # alias bombs and deep nesting refused
        if node is None:
            continue
        data = yaml.safe_load(yaml.serialize(node))
        if isinstance(data, Mapping):
            yield data, node.start_mark.line + 1


def _query(metric: Mapping[str, Any] | None, what: str) -> str:
    source = mapping(mapping(metric).get("metricSource"))
    kind = str(source.get("type", ""))
    if kind.lower() != "prometheus":
        raise UnreadableError(f"the {what} query reads {kind or 'no source'}, not Prometheus")
    query = str(mapping(source.get("spec")).get("query", "")).strip()
    if not query:
        raise UnreadableError(f"the {what} query is empty")
    return query


def _rate(query: str, counter: bool) -> str:
    if not counter:
        return query
    if SELECTOR.match(query):
        return f"sum(rate({query}[{WINDOW}]))"
    return f"sum(rate(({query})[{WINDOW}:]))"


def _ratio_sli(ratio: Mapping[str, Any]) -> dict[str, str]:
    counter = bool(ratio.get("counter", True))
    total = _rate(_query(ratio.get("total"), "total"), counter)
    if ratio.get("bad"):
        return {"errors": _rate(_query(ratio.get("bad"), "bad"), counter), "total": total}
    if ratio.get("good"):
        good = _rate(_query(ratio.get("good"), "good"), counter)
        return {"errors": f"{total} - {good}", "total": total}
    raise UnreadableError("ratioMetric has neither good nor bad")


def _threshold_sli(metric: Mapping[str, Any], objective: Mapping[str, Any]) -> dict[str, str]:
    op = str(objective.get("op", ""))
    if op not in BREAKS or "value" not in objective:
        raise UnreadableError("a thresholdMetric objective needs op (lt, lte, gt, gte) and value")
    query = _query(metric, "threshold")
    broken = f"({query}) {BREAKS[op]} bool {objective['value']}"
    return {"ratio": f"avg_over_time(({broken})[{WINDOW}:1m])"}


def _indicator(spec: Mapping[str, Any], indicators: Mapping[str, Any]) -> Mapping[str, Any]:
    inline = spec.get("indicator")
    if isinstance(inline, Mapping):
        return mapping(inline.get("spec"))
    ref = str(spec.get("indicatorRef"))
    found = indicators.get(ref)
    if isinstance(found, Mapping):
        return found
    raise UnreadableError(f"indicatorRef {ref!r} names no SLI document of this file")


def _target(objective: Mapping[str, Any]) -> float:
    if "targetPercent" in objective:
        target = float(objective["targetPercent"])
    else:
        target = round(float(objective.get("target", 0)) * 100, 10)
    if not math.isfinite(target):
        raise UnreadableError(f"the objective's target {target} is not a number")
    return target


def _window(spec: Mapping[str, Any]) -> str:
    windows = spec.get("timeWindow")
    first = mapping(windows[0] if isinstance(windows, list) and windows else None)
    duration = str(first.get("duration", "30d"))
    found = _DURATION.match(duration)
    if found is None:
        raise UnreadableError(f"time window {duration!r} is not a duration obsgen reads (e.g. 28d)")
    return duration


def _spec(data: Mapping[str, Any], line: int, indicators: Mapping[str, Any]) -> SLOSpec:
    spec, meta = mapping(data.get("spec")), mapping(data.get("metadata"))
    objectives = spec.get("objectives")
    objective = mapping(objectives[0] if isinstance(objectives, list) and objectives else None)
    sli = _indicator(spec, indicators)
    if sli.get("ratioMetric"):
        queries = _ratio_sli(mapping(sli["ratioMetric"]))
    elif sli.get("thresholdMetric"):
        queries = _threshold_sli(sli["thresholdMetric"], objective)
    else:
        raise UnreadableError("the indicator has neither ratioMetric nor thresholdMetric")
    return SLOSpec(name=str(meta.get("name", "")), line=line, objective=_target(objective),
                   window=_window(spec), service=str(spec.get("service", "")),
                   description=str(spec.get("description", "")),
                   errors=queries.get("errors", ""), total=queries.get("total", ""),
                   ratio=queries.get("ratio", ""))


def read(file: ForeignFile) -> tuple[list[SLOSpec], list[Diagnostic]]:
    try:
        documents = list(_documents(file.text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [problem(file.path, mark.line + 1 if mark else 1, CODE, f"not YAML: {exc}",
                            "fix the YAML syntax")]
    indicators = {str(mapping(d.get("metadata")).get("name")): mapping(d.get("spec"))
                  for d, _ in documents if d.get("kind") == "SLI"}
    specs, found = [], []
    for data, line in documents:
        if data.get("apiVersion") != API or data.get("kind") != "SLO":
            continue
        try:
            specs.append(_spec(data, line, indicators))
        except (UnreadableError, TypeError, ValueError) as exc:
            found.append(problem(file.path, line, LEFT_OUT, f"OpenSLO SLO not imported: {exc}",
                                 "obsgen reads Prometheus ratioMetric and thresholdMetric SLIs"))
    if not specs and not found:
        found.append(problem(file.path, 1, CODE, f"no {API} SLO document in this file",
                             "import OpenSLO v1 documents of kind SLO"))
    return specs, found


def recognises(text: str) -> bool:
    """Whether a YAML text looks like OpenSLO v1 (for the run to pick this importer)."""
    return re.search(r"^apiVersion:\s*[\"']?openslo/v1[\"']?\s*$", text, re.MULTILINE) \
        is not None


def survey(file: ForeignFile) -> Survey:
    specs, found = read(file)
    return survey_of(specs, found, file.path)


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    specs, found = read(file)
    text = source(module, f"SLOs imported from the OpenSLO document {file.path}.", specs)
    return Imported((Module(module, text, file.path),), tuple(found))
