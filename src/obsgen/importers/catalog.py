"""The catalog of an imported project: the one given with `--catalog` (a scrape, or an obsgen
project's), or else inferred from what every imported query reads.

Inference can only know what the queries show: a metric's name, the labels it is matched,
grouped or joined by (and those its alerts' templates read), and its type from its suffix and
the functions applied to it. Each inferred entry therefore carries a review note saying what it
was inferred from, and leaves label values and help open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from obsgen.check.promql.analysis import Analysis, analyse
from obsgen.check.promql.references import COUNTER_FUNCTIONS, SYNTHETIC_SERIES
from obsgen.diagnostics import Diagnostic
from obsgen.importers.contract import Ref
from obsgen.importers.pysource import Names, constant_name
from obsgen.model.metrics import Counter, Gauge, Histogram, Label, Metric, Summary

# Labels every scraped series carries (the catalog adds them itself), and the ones a
# histogram's or summary's series carry by their type.
TARGET_LABELS = frozenset({"job", "instance"})
TYPE_LABELS = frozenset({"le", "quantile"})
METRICS_MODULE = "metrics"


@dataclass(frozen=True)
class Query:
    """A query to infer from: its text, the input it came from, and labels its result is
    expected to carry (an alert's templates read them)."""

    text: str
    origin: str
    expected: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedCatalog:
    metrics: tuple[Metric, ...]
    notes: Mapping[str, str] = field(default_factory=dict)  # metric name -> review note
    diagnostics: tuple[Diagnostic, ...] = ()

    def refs(self) -> dict[str, Ref]:
        """Each metric's constant in the metrics module, in catalog order."""
        names = Names()
        return {m.name: Ref(METRICS_MODULE, names.claim(constant_name(m.name, "METRIC")))
                for m in self.metrics}


@dataclass
class _Reading:
    """What the queries show of one series name (built up inside `infer` only)."""

    labels: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    origins: list[str] = field(default_factory=list)


def _labels_of(analysis: Analysis, index: int, shared: set[str]) -> set[str]:
    selector = analysis.selectors[index]
    found = {m.label for m in selector.matchers if m.label != "__name__"} | shared
    for agg in analysis.aggregations:
        if index in agg.selectors:
            found |= set(agg.by or ()) | set(agg.without or ())
    return found


def _readings(queries: Iterable[Query], recorded: frozenset[str]) -> dict[str, _Reading]:
    seen: dict[str, _Reading] = {}
    for query in queries:
        analysis = analyse(query.text)
        if not analysis.ok:
            continue
        shared = set(query.expected)
        for matching in analysis.matchings:
            shared |= set(matching.on or ()) | set(matching.ignoring or ()) | set(matching.include)
        for index, selector in enumerate(analysis.selectors):
            name = selector.name
            if (name is None or selector.templated or ":" in name or name in recorded
                    or name in SYNTHETIC_SERIES or name == "up"):
                continue
            reading = seen.setdefault(name, _Reading())
            reading.labels |= _labels_of(analysis, index, shared)
            reading.functions |= set(selector.functions[:1])
            if "histogram_quantile" in selector.functions:
                reading.functions.add("histogram_quantile")
            if query.origin not in reading.origins:
                reading.origins.append(query.origin)
    return seen


def _base(name: str, suffix: str) -> str:
    return name[: -len(suffix)] if name.endswith(suffix) else name


def _families(seen: Mapping[str, _Reading]) -> dict[str, tuple[str, list[str]]]:
    """Series names grouped into metrics: name -> (kind, the series names it covers)."""
    families: dict[str, tuple[str, list[str]]] = {}
    histograms = {_base(n, "_bucket") for n, r in seen.items() if n.endswith("_bucket")
                  and ("histogram_quantile" in r.functions or "le" in r.labels)}
    summaries = {_base(_base(n, "_sum"), "_count") for n, r in seen.items()
                 if n.endswith(("_sum", "_count")) and r.functions & COUNTER_FUNCTIONS} - histograms
    summaries |= {n for n, r in seen.items() if "quantile" in r.labels} - histograms
    for name in seen:
        base = next((b for b in (_base(name, s) for s in ("_bucket", "_sum", "_count"))
                     if b in histograms), None)
        if base is None and name in summaries:
            base = name
        if base is None:
            base = next((b for b in (_base(name, s) for s in ("_sum", "_count"))
                         if b in summaries and b != name), None)
        if base is not None:
            kind = "histogram" if base in histograms else "summary"
            families.setdefault(base, (kind, []))[1].append(name)
            continue
        counter = name.endswith("_total") or bool(seen[name].functions & COUNTER_FUNCTIONS)
        families[name] = ("counter" if counter else "gauge", [name])
    return families


def _why(kind: str, name: str, readings: list[_Reading]) -> str:
    functions = sorted({f for r in readings for f in r.functions} - {"histogram_quantile"})
    if kind == "histogram":
        return "histogram_quantile() or le on its _bucket series"
    if kind == "summary":
        return "rate() on its _sum/_count, or a quantile matcher"
    if kind == "counter":
        read = f"read with {', '.join(f + '()' for f in functions if f in COUNTER_FUNCTIONS)}"
        return "the _total suffix" if name.endswith("_total") else read
    return "default (no counter suffix or function)"


def _note(kind: str, name: str, readings: list[_Reading]) -> str:
    origins: list[str] = []
    for reading in readings:
        origins += [o for o in reading.origins if o not in origins]
    files = [Path(o).name for o in origins]
    where = ", ".join(files[:2]) + (f" and {len(files) - 2} more" if len(files) > 2 else "")
    labels = sorted({lab for r in readings for lab in r.labels} - TARGET_LABELS - TYPE_LABELS)
    said = f"labels {', '.join(labels)} (values open)" if labels else "no labels"
    return (f"review: inferred from {where}: {kind} by {_why(kind, name, readings)}; "
            f"{said}; help unknown")


def _metric(kind: str, name: str, names: tuple[str, ...]) -> Metric:
    labels = tuple(Label(n) for n in names)
    if kind == "histogram":
        return Histogram(name, labels=labels, buckets=None)  # type: ignore[arg-type]
    if kind == "summary":
        return Summary(name, labels=labels)
    return Counter(name, labels=labels) if kind == "counter" else Gauge(name, labels=labels)


def infer(queries: Iterable[Query], recorded: frozenset[str]) -> ImportedCatalog:
    """Every metric the queries read, in name order, with a review note each."""
    seen = _readings(queries, recorded)
    metrics, notes = [], {}
    for base, (kind, names) in sorted(_families(seen).items()):
        readings = [seen[n] for n in names]
        labels = tuple(sorted({lab for r in readings for lab in r.labels}
                              - TARGET_LABELS - TYPE_LABELS))
        metrics.append(_metric(kind, base, labels))
        notes[base] = _note(kind, base, readings)
    return ImportedCatalog(tuple(metrics), notes)


def given(metrics: Iterable[Metric], diagnostics: Iterable[Diagnostic] = ()) -> ImportedCatalog:
    """A catalog given with --catalog, in its own order; nothing in it is inferred."""
    return ImportedCatalog(tuple(metrics), {}, tuple(diagnostics))
