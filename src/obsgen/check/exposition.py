"""A metric catalog read from a Prometheus exposition-format scrape (`curl …/metrics`).

Samples are parsed line by line with prometheus_client's parser, so every syntax error is
reported at its own line; `# HELP` and `# TYPE` lines are read here because the library
renames counter families (it adds `_total` to their samples), and the catalog must hold the
series names exactly as a query names them.

A scrape shows the label values present at one instant, not the set the code can emit, so
every label is open (`values=None`): a query for `result="failed"` must not be an error just
because nothing had failed when the scrape was taken. The values seen are kept in the label's
description. Scrape jobs are not part of an exposition, so the catalog has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from obsgen.diagnostics import DefinitionError, Diagnostic, Location
from obsgen.model.catalog import Catalog
from obsgen.model.metrics import Counter, Gauge, Histogram, Label, Metric, Summary
from obsgen.model.names import METRIC_NAME

TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
_SERIES_SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}
_EXTRA_LABEL = {"histogram": "le", "summary": "quantile"}
_SEEN_SHOWN = 10


@dataclass(frozen=True, eq=False)
class ObservedHistogram(Histogram):
    """A histogram as a scrape shows it: only the buckets present then, possibly none."""

    def __post_init__(self) -> None:
        Metric.__post_init__(self)
        object.__setattr__(self, "buckets", tuple(self.buckets))


@dataclass
class _Family:
    """One metric family while the scrape is read (mutable only inside this module)."""

    name: str
    line: int
    type: str = "untyped"
    help: str = ""
    labels: dict[str, set[str]] = field(default_factory=dict)
    typed: bool = False

    def add(self, labels: dict[str, str]) -> None:
        for name, value in labels.items():
            self.labels.setdefault(name, set()).add(value)


@dataclass(frozen=True)
class Exposition:
    catalog: Catalog
    diagnostics: tuple[Diagnostic, ...]


def _unescape_help(text: str) -> str:
    return text.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\")


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.families: dict[str, _Family] = {}
        self.diagnostics: list[Diagnostic] = []

    def error(self, line: int, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic.of("OBS964", message, Location(self.path, line), hint))

    def family(self, name: str, line: int) -> _Family:
        return self.families.setdefault(name, _Family(name, line))

    def comment(self, text: str, line: int) -> None:
        parts = text[1:].strip().split(None, 2)
        if len(parts) < 2 or parts[0] not in ("HELP", "TYPE"):
            return  # a plain comment, or `# EOF`
        keyword, name = parts[0], parts[1]
        rest = parts[2].strip() if len(parts) > 2 else ""
        if not METRIC_NAME.match(name):
            self.error(line, f"# {keyword} names {name!r}, which is not a metric name",
                       "metric names match [a-zA-Z_:][a-zA-Z0-9_:]*")
            return
        if keyword == "HELP":
            self.family(name, line).help = _unescape_help(rest)
        elif rest not in TYPES:
            self.error(line, f"# TYPE {name} has the unknown type {rest!r}",
                       f"the text format knows: {', '.join(TYPES)}")
        elif self.family(name, line).typed:
            self.error(line, f"second # TYPE line for {name}", "give each family one # TYPE")
        else:
            self.families[name].type, self.families[name].typed = rest, True

    def sample(self, text: str, line: int) -> None:
        try:
            parsed = [s for f in text_string_to_metric_families(text + "\n") for s in f.samples]
        except Exception as exc:  # the library's failure modes are undocumented; none may escape
            self.error(line, f"not a valid sample line: {exc}",
                       'a sample is `name{label="value",...} value [timestamp]`')
            return
        for sample in parsed:
            self.owner(sample.name, line).add(sample.labels)

    def owner(self, series: str, line: int) -> _Family:
        """The family a series belongs to: its own, or the histogram/summary it is part of."""
        own = self.families.get(series)
        if own is not None and own.type != "histogram":
            return own
        for kind, suffixes in _SERIES_SUFFIXES.items():
            for suffix in suffixes:
                base = self.families.get(series.removesuffix(suffix))
                if series.endswith(suffix) and base is not None and base.type == kind:
                    return base
        return self.family(series, line)


def _label(name: str, values: set[str], where: Location) -> Label:
    seen = sorted(values)
    shown = ", ".join(seen[:_SEEN_SHOWN]) + (", …" if len(seen) > _SEEN_SHOWN else "")
    return Label(name, None, f"values seen in the scrape: {shown}", source=where)


def _floats(values: set[str]) -> tuple[float, ...]:
    numbers = []
    for value in values:
        try:
            number = float(value)
        except ValueError:
            continue
        if number not in (float("inf"), float("-inf")) and number == number:
            numbers.append(number)
    return tuple(sorted(numbers))


_PLAIN: dict[str, type[Metric]] = {"counter": Counter, "gauge": Gauge, "untyped": Metric}


def _metric(family: _Family, path: str) -> Metric:
    where = Location(path, family.line)
    extra = _EXTRA_LABEL.get(family.type)
    labels = tuple(_label(name, values, where)
                   for name, values in sorted(family.labels.items()) if name != extra)
    if family.type == "histogram":
        return ObservedHistogram(family.name, family.help, labels, source=where,
                                 buckets=_floats(family.labels.get("le", set())))
    if family.type == "summary":
        return Summary(family.name, family.help, labels, source=where,
                       quantiles=_floats(family.labels.get("quantile", set())))
    return _PLAIN[family.type](family.name, family.help, labels, source=where)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            yield number, stripped


def parse_exposition(text: str, path: str) -> Exposition:
    """The catalog a scrape describes, and a diagnostic for every line that does not parse."""
    reader = _Reader(path)
    for number, line in _lines(text):
        if line.startswith("#"):
            reader.comment(line, number)
        else:
            reader.sample(line, number)
    metrics = []
    for family in reader.families.values():
        try:
            metrics.append(_metric(family, path))
        except DefinitionError as exc:
            reader.error(family.line, f"{family.name}: {exc.message}", exc.hint or "")
    if not metrics and not reader.diagnostics:
        reader.error(1, "the exposition holds no metric",
                     "save a scrape with: curl -s http://HOST:PORT/metrics > metrics.txt")
    ordered = sorted(metrics, key=lambda m: (m.source.line, m.name))
    return Exposition(Catalog(tuple(ordered), ()), tuple(reader.diagnostics))
