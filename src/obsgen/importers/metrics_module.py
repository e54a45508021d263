"""`metrics.py` of an imported project: the catalog as the constants rules, panels and runbooks
refer to.

A name the exporter chose that breaks obsgen's naming rules (`node_memory_MemFree_bytes`, a
counter without `_total`) cannot be renamed here, since the series exist under that name; its
line carries `# obsgen: noqa` for exactly the rules it breaks, so the build stays quiet about
what is not the project's to change while every other check still applies.
"""

from __future__ import annotations

from obsgen.importers.catalog import METRICS_MODULE, ImportedCatalog
from obsgen.importers.contract import Module
from obsgen.importers.pysource import SourceModule, literal, text
from obsgen.model.metrics import Gauge, Histogram, Label, Metric, Summary, naming_findings

_CLASSES = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram",
            "summary": "Summary", "info": "Info", "untyped": "Gauge"}


def _label(label: Label) -> str:
    if label.values is None and not label.description:
        return literal(label.name)
    args = [literal(label.name)]
    if label.values is not None:
        args.append(f"values={literal(list(label.values))}")
    if label.description:
        args.append(f"description={text(label.description)}")
    return f"Label({', '.join(args)})"


def _arguments(metric: Metric) -> list[str]:
    args = [literal(metric.name)]
    if metric.help:
        args.append(f"help={text(metric.help)}")
    if metric.labels:
        args.append(f"labels=[{', '.join(_label(lab) for lab in metric.labels)}]")
    if metric.unit:
        args.append(f"unit={literal(metric.unit)}")
    if isinstance(metric, Gauge):
        args += [f"{key}={literal(value)}" for key, value in (("min", metric.min),
                                                              ("max", metric.max))
                 if value is not None]
    if isinstance(metric, Histogram):
        args.append(f"buckets={literal(list(metric.buckets))}" if metric.buckets
                    else "buckets=None")
    if isinstance(metric, Summary) and metric.quantiles:
        args.append(f"quantiles={literal(list(metric.quantiles))}")
    return args


def _statement(metric: Metric, constant: str, note: str) -> str:
    codes = sorted({code for code, _, _ in naming_findings(metric)})
    noqa = f"  # obsgen: noqa {', '.join(codes)}" if codes else ""
    head = f"# {note}\n" if note else ""
    body = ",\n".join(f"    {a}" for a in _arguments(metric))
    return f"{head}{constant} = {_CLASSES[metric.kind]}({noqa}\n{body},\n)"


def metrics_module(catalog: ImportedCatalog, described: str) -> Module:
    """The catalog module; `described` says where the catalog came from."""
    module = SourceModule(METRICS_MODULE, f"The metric catalog, {described}.")
    refs = catalog.refs()
    for metric in catalog.metrics:
        module.need("obsgen", _CLASSES[metric.kind])
        if any(_label(lab).startswith("Label(") for lab in metric.labels):
            module.need("obsgen", "Label")
        module.add(_statement(metric, refs[metric.name].name, catalog.notes.get(metric.name, "")))
    return Module(METRICS_MODULE, module.render(), "")
