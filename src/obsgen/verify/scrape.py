"""An app's scrape against the catalog: metrics the catalog does not declare (OBS554), labels and
closed-set values it does not declare (OBS555), a wrong type or other histogram buckets
(OBS556), and declared metrics the scrape lacks (OBS557, a warning: they may not have happened
yet, though a prometheus_client metric shows its HELP and TYPE before its first sample).

The scrape is parsed by prometheus_client's parser, which names a counter family without its
`_total` and an info family without its `_info`. Families an app's client library adds on its
own (process_*, python_*, go_*, promhttp_*), a declared metric's `_created` series, and the
instrumentation module's own obsgen_instrumentation_dropped_total are not the catalog's to
judge; they are counted as skipped.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit.python_prelude import DROPPED_METRIC
from obsgen.model.metrics import Histogram, Metric
from obsgen.verify.client import usage

RUNTIME_PREFIXES = ("process_", "python_", "go_", "promhttp_")
# The exposition type each catalog kind shows as; the text format has no info type.
EXPOSED_AS = {"counter": ("counter",), "gauge": ("gauge",), "histogram": ("histogram",),
              "summary": ("summary",), "info": ("gauge", "info"), "untyped": ()}
_EXTRA = {"histogram": "le", "summary": "quantile"}


@dataclass(frozen=True)
class Family:
    name: str  # as the exposition names it: the catalog's name, `_total`/`_info` restored
    type: str
    samples: tuple[Sample, ...]
    raw: str  # as prometheus_client's parser names it


@dataclass(frozen=True)
class ScrapeReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    families: int = 0
    skipped: int = 0
    checked: int = 0  # families matched to the catalog


def parse(text: str, where: str) -> list[Family]:
    """The families of a scrape; a body that does not parse ends the run (OBS553)."""
    try:
        parsed = list(text_string_to_metric_families(text))
    except Exception as exc:  # the parser's failures are undocumented; none may escape
        raise usage("OBS553", f"{where} is not Prometheus exposition text: {exc}",
                    "point --metrics at the app's /metrics endpoint (text format 0.0.4)",
                    where) from None
    return [Family(_exposed_name(f.name, f.type, f.samples), f.type, tuple(f.samples), f.name)
            for f in parsed]


def _exposed_name(name: str, kind: str, samples: list[Sample]) -> str:
    if kind == "counter" and (not samples or any(s.name == f"{name}_total" for s in samples)):
        return f"{name}_total"
    return f"{name}_info" if kind == "info" else name


def _lookup(family: Family, catalog: dict[str, Metric]) -> Metric | None:
    for name in (family.name, family.raw, f"{family.raw}_total", f"{family.raw}_info"):
        if name in catalog:
            return catalog[name]
    return None


def _skipped(family: Family, stems: set[str]) -> bool:
    """A runtime family, or the `_created` series of another family (that one is judged)."""
    if family.name.startswith(RUNTIME_PREFIXES) or family.name == DROPPED_METRIC:
        return True
    return family.name.endswith("_created") and family.name.removesuffix("_created") in stems


def _stems(families: list[Family], catalog: dict[str, Metric]) -> set[str]:
    """Names whose `<name>_created` series belongs to them: counters without `_total`,
    histograms and summaries, in the scrape or in the catalog."""
    found = {f.name.removesuffix("_total") for f in families
             if f.type in ("counter", "histogram", "summary")}
    return found | {m.name.removesuffix("_total") for m in catalog.values()
                    if m.kind in ("counter", "histogram", "summary")}


def _undeclared(family: Family, catalog: dict[str, Metric], where: str) -> Diagnostic:
    close = difflib.get_close_matches(family.name, list(catalog), n=1)
    hint = f"did you mean {close[0]}?" if close else "declare it in the catalog, or stop " \
        "emitting it"
    return Diagnostic.of("OBS554", f"{where} exposes {family.type} {family.name}, which is not "
                         "in the catalog", _place(where), hint)


def _place(where: str) -> Location | None:
    """A scrape saved to a file is a place; a URL is named in the message instead."""
    return None if where.startswith(("http://", "https://")) else Location(where)


def _label_findings(metric: Metric, family: Family) -> Iterator[Diagnostic]:
    where = metric.source
    declared = {lab.name: lab for lab in metric.labels}
    extra = _EXTRA.get(metric.kind)
    reported: set[tuple[str, str]] = set()
    for sample in family.samples:
        if sample.name.endswith("_created"):
            continue
        for label, value in sorted(sample.labels.items()):
            if label == extra and (metric.kind != "summary" or sample.name == metric.name):
                continue
            lab = declared.get(label)
            key = (label, "" if lab is None else value)
            if key in reported or (lab is not None and lab.allows(value)):
                continue
            reported.add(key)
            if lab is None:
                have = ", ".join(declared) or "none"
                yield Diagnostic.of("OBS555", f"the scrape has {metric.name} with label "
                                    f"{label!r}, which the catalog does not declare", where,
                                    f"declared labels: {have}")
            else:
                said = json.dumps(value, ensure_ascii=False)
                yield Diagnostic.of("OBS555", f"the scrape has {metric.name}{{{label}={said}}}: "
                                    f"{said} is not a declared value of {label!r}", where,
                                    f"declared values: {', '.join(lab.values or ())}; fix the "
                                    "code that emits it, or declare the value")


def _buckets(metric: Histogram, family: Family) -> tuple[float, ...]:
    seen = {float(s.labels["le"]) for s in family.samples
            if s.name.endswith("_bucket") and "le" in s.labels}
    return tuple(sorted(b for b in seen if b != float("inf")))


def _shape_findings(metric: Metric, family: Family) -> Iterator[Diagnostic]:
    where = metric.source
    wanted = EXPOSED_AS[metric.kind]
    if wanted and family.type not in wanted:
        yield Diagnostic.of("OBS556", f"{metric.name} is exposed with type {family.type}; the "
                            f"catalog declares type {metric.kind}", where,
                            "emit it with the declared type (the generated module does)")
        return
    if isinstance(metric, Histogram) and metric.buckets:
        seen = _buckets(metric, family)
        if seen and seen != tuple(float(b) for b in metric.buckets):
            missing = sorted(set(map(float, metric.buckets)) - set(seen))
            more = sorted(set(seen) - set(map(float, metric.buckets)))
            yield Diagnostic.of("OBS556", f"{metric.name} has buckets {_list(seen)}; the "
                                f"catalog declares {_list(metric.buckets)}", where,
                                f"missing: {_list(missing) or '-'}; undeclared: "
                                f"{_list(more) or '-'}")


def _list(values: tuple[float, ...] | list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def compare(families: list[Family], metrics: tuple[Metric, ...], where: str) -> ScrapeReport:
    """Every drift between a scrape and the catalog."""
    catalog: dict[str, Metric] = {}
    for metric in metrics:
        catalog.setdefault(metric.name, metric)
    found: list[Diagnostic] = []
    seen: set[str] = set()
    skipped = 0
    stems = _stems(families, catalog)
    for family in families:
        matched = _lookup(family, catalog)
        if matched is None:
            if _skipped(family, stems):
                skipped += 1
            else:
                found.append(_undeclared(family, catalog, where))
            continue
        seen.add(matched.name)
        found += _shape_findings(matched, family)
        found += _label_findings(matched, family)
    for metric in catalog.values():
        if metric.name not in seen:
            found.append(Diagnostic.of("OBS557", f"{metric.kind} {metric.name} is declared but "
                                       f"not in the scrape of {where}", metric.source,
                                       "it may not have happened yet; register it at start-up "
                                       "(the generated module's Metrics() does)"))
    return ScrapeReport(found, len(families), skipped, len(seen))
