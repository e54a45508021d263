"""Catalog checks: naming conventions and uniqueness of metrics and scrape jobs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.metrics import naming_findings, series_names
from obsgen.model.project import Project


class _Sourced(Protocol):
    @property
    def source(self) -> Location: ...


def at(obj: _Sourced) -> str:
    """`file:line` of a definition, for messages that point at a second place."""
    return f"{Path(obj.source.path).name}:{obj.source.line}"


def duplicates(items: Iterable[tuple[str, _Sourced]], code: str, what: str, hint: str
               ) -> Iterator[Diagnostic]:
    """One diagnostic per later definition of a key already defined."""
    first: dict[str, _Sourced] = {}
    for key, obj in items:
        if key in first:
            yield Diagnostic.of(code, f"{what} {key!r} is already defined at {at(first[key])}",
                                obj.source, hint)
        else:
            first[key] = obj


def check_catalog(project: Project) -> list[Diagnostic]:
    found = [
        Diagnostic.of(code, message, metric.source, hint)
        for metric in project.metrics for code, message, hint in naming_findings(metric)
    ]
    series = ((name, m) for m in project.metrics for name in series_names(m))
    found += duplicates(series, "OBS106", "metric series",
                        "each metric (and each histogram's _bucket/_sum/_count) needs its own name")
    found += duplicates(((j.name, j) for j in project.jobs), "OBS113", "scrape job",
                        "declare the job once and import it where it is used")
    return found
