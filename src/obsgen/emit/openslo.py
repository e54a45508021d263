"""Each SLO as an OpenSLO v1 document (build/openslo/<name>.yaml), for tools that read
OpenSLO: the SLI as a Prometheus ratioMetric, the objective, window and description.

Catalog SLIs are written as counter queries (bad or good events, all events; a latency SLI
as its threshold bucket against the count), which OpenSLO tools rate themselves; a RawRatio's
queries are rates already (counter: false), read over 5m. Alert tiers stay obsgen's: OpenSLO's
alert policies name notification targets obsgen does not model."""

from __future__ import annotations

from typing import Any

from obsgen.emit.yamltext import dump
from obsgen.model.project import Project
from obsgen.model.promql import Selector
from obsgen.model.sli import WINDOW, Events, Latency, RawRatio, bucket_text
from obsgen.model.slo import SLO

DIR = "openslo"
RAW_WINDOW = "5m"


def _source(query: str) -> dict[str, Any]:
    return {"metricSource": {"type": "Prometheus", "spec": {"query": query}}}


def _events(sli: Events) -> dict[str, Any]:
    assert isinstance(sli.total, Selector)
    role, part = ("bad", sli.errors) if sli.errors is not None else ("good", sli.good)
    assert isinstance(part, Selector)
    return {"counter": True, role: _source(part.expr().text),
            "total": _source(sli.total.expr().text)}


def _latency(sli: Latency) -> dict[str, Any]:
    sel = sli.selector
    matchers = [f'{n}{m.op}"{m.value}"' for n, m in sel.matchers]
    good = ",".join([*matchers, f'le="{bucket_text(sli.threshold)}"'])
    total = f"{sel.metric.name}_count" + (f"{{{','.join(matchers)}}}" if matchers else "")
    return {"counter": True, "good": _source(f"{sel.metric.name}_bucket{{{good}}}"),
            "total": _source(total)}


def _raw(sli: RawRatio) -> dict[str, Any]:
    if sli.ratio:
        return {"counter": False, "rawType": "failure",
                "raw": _source(sli.ratio.replace(WINDOW, RAW_WINDOW))}
    return {"counter": False, "bad": _source(sli.errors.replace(WINDOW, RAW_WINDOW)),
            "total": _source(sli.total.replace(WINDOW, RAW_WINDOW))}


def document(slo: SLO, service: str) -> dict[str, Any]:
    sli = slo.sli
    ratio = _events(sli) if isinstance(sli, Events) else _latency(sli) if isinstance(
        sli, Latency) else _raw(sli)
    spec: dict[str, Any] = {"description": slo.description} if slo.description else {}
    spec |= {
        "service": service,
        "indicator": {"metadata": {"name": f"{slo.name}-sli"}, "spec": {"ratioMetric": ratio}},
        "timeWindow": [{"duration": slo.window, "isRolling": True}],
        "budgetingMethod": "Occurrences",
        "objectives": [{"displayName": slo.name, "target": slo.target}],
    }
    return {"apiVersion": "openslo/v1", "kind": "SLO",
            "metadata": {"name": slo.name, "displayName": slo.name,
                         **({"labels": dict(slo.labels)} if slo.labels else {})},
            "spec": spec}


def artifacts(project: Project) -> dict[str, str]:
    return {f"{DIR}/{slo.name}.yaml": dump(document(slo, slo.service_name(
        project.config.project))) for slo in project.slos}
