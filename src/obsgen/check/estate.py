"""What the files of one `obsgen lint` run hold together, as a project holds its parts: the
scrape jobs of its Alloy and Prometheus configs, the series its recording rules record, its
dashboards' uids. Computed once per run (cached by the run's files), read by the checks across
files (check/crossfile.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from obsgen.check.alloy.jobs import alloy_jobs
from obsgen.check.dashboards.schema import ParsedJson, parse_json, unwrap_envelope
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.prometheus_config import prometheus_jobs
from obsgen.check.rules.rulefile import read_rule_file


@dataclass(frozen=True)
class Estate:
    jobs: frozenset[str] | None  # None: no scrape config in the run, or one with open jobs
    configs: tuple[str, ...]  # the scrape configs of the run, for hints
    recorded: frozenset[str] | None  # None: no rule file of the run records anything
    uids: frozenset[str]  # every dashboard uid of the run
    dashboards: int


def _jobs(files: tuple[ForeignFile, ...]) -> frozenset[str] | None:
    jobs: set[str] = set()
    for file in files:
        found = alloy_jobs(file.text) if file.kind == "alloy" else prometheus_jobs(file.text)
        if found is None:
            return None
        jobs |= found
    # Configs that scrape nothing (logs and traces only) leave the metrics' jobs to others.
    return frozenset(jobs) if jobs else None


def _recorded(files: tuple[ForeignFile, ...]) -> frozenset[str] | None:
    """Names the run's recording rules record; None when they record nothing (a mixin whose
    rules.yaml is a placeholder says nothing of its series, some of which have colons:
    `tensorflow:serving:request_count` is exported as such)."""
    names = frozenset(entry.name for file in files
                      for group in read_rule_file(file.path, file.text).groups
                      for entry in group.rules if entry.kind == "record")
    return names or None


@lru_cache(maxsize=256)
def dashboard_model(text: str) -> ParsedJson | None:
    """A dashboard's model (inside an API envelope), None when the text is no JSON object."""
    parsed = parse_json(text)
    if not isinstance(parsed, ParsedJson) or not isinstance(parsed.data, dict):
        return None
    return unwrap_envelope(parsed)


def _uids(files: tuple[ForeignFile, ...]) -> Iterator[str]:
    for file in files:
        model = dashboard_model(file.text)
        uid = model.data.get("uid") if model is not None else None
        if isinstance(uid, str) and uid:
            yield uid


@lru_cache(maxsize=16)
def estate_of(context: LintContext) -> Estate:
    configs = (*context.of_kind("alloy"), *context.of_kind("prometheus-config"))
    dashboards = context.of_kind("dashboard")
    return Estate(_jobs(configs), tuple(f.path for f in configs),
                  _recorded(context.of_kind("rules")), frozenset(_uids(dashboards)),
                  len(dashboards))
