"""The catalog as a lookup: which series exist, which labels they carry, which values."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from obsgen.diagnostics import DefinitionError
from obsgen.model.metrics import Finding, Label, Metric, series_names
from obsgen.model.pipeline import ScrapeJob
from obsgen.model.promql import did_you_mean, regex_hits


@dataclass(frozen=True)
class SeriesInfo:
    metric: Metric | None  # None for `up`, which Prometheus writes itself
    labels: dict[str, Label | None]  # None: the label exists, its values are open


@dataclass(frozen=True)
class Catalog:
    metrics: tuple[Metric, ...]
    jobs: tuple[ScrapeJob, ...]

    def _job_label(self) -> Label | None:
        return Label("job", values=tuple(j.name for j in self.jobs)) if self.jobs else None

    @cached_property
    def series(self) -> dict[str, SeriesInfo]:
        job = self._job_label()
        table = {"up": SeriesInfo(None, {"job": job, "instance": None})}
        for metric in self.metrics:
            for name, extra in series_names(metric).items():
                labels: dict[str, Label | None] = {lab.name: lab for lab in metric.labels}
                labels.update(dict.fromkeys(extra))
                labels.update({"job": job, "instance": None})
                # The first definition wins; OBS106 blames the later duplicates.
                table.setdefault(name, SeriesInfo(metric, labels))
        return table

    def check_selector(self, name: str, matchers: Sequence[tuple[str, str, str]]
                       ) -> Iterator[Finding]:
        """Findings for `name{matchers}`; each matcher is (label, op, value)."""
        table = self.series
        info = table.get(name)
        if info is None:
            close = difflib.get_close_matches(name, list(table), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "declare it in the catalog"
            yield ("OBS116", f"metric {name!r} is not in the catalog", hint)
            return
        for label, op, value in matchers:
            if label == "__name__":
                continue
            if label not in info.labels:
                have = ", ".join(sorted(info.labels))
                yield ("OBS109", f"{name} has no label {label!r}", f"declared labels: {have}")
                continue
            declared = info.labels[label]
            if declared is None or declared.values is None or "$" in value:
                continue
            values = ", ".join(declared.values)
            if op in ("=", "!=") and value not in declared.values:
                yield ("OBS110", f"{name}{{{label}{op}{value!r}}}: {value!r} is not a declared "
                       f"value of {label!r}", f"declared values: {values}"
                       + did_you_mean(value, declared.values))
            elif op in ("=~", "!~"):
                try:
                    hits = regex_hits(value, declared.values)
                except DefinitionError as exc:
                    yield (exc.code, exc.message, exc.hint or "")
                    continue
                if not hits:
                    yield ("OBS110", f"{name}{{{label}{op}{value!r}}}: the regex matches no "
                           f"declared value of {label!r}", f"declared values: {values}")

