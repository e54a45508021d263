"""The closing line of `obsgen lint`: what was read, counted the way a reviewer counts it
(rules, not rule files; queries, not dashboards; and the targets that were not PromQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from obsgen.check.dashboards.configmap import written_path
from obsgen.check.dashboards.targets import dashboard_queries
from obsgen.check.foreign import ForeignFile
from obsgen.check.rules.rulefile import read_rule_file


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


@dataclass(frozen=True)
class Summary:
    files: int = 0
    rule_files: int = 0
    rules: int = 0
    dashboards: int = 0
    queries: int = 0
    skipped: int = 0  # dashboard targets of other datasources than Prometheus
    alloy: int = 0
    prometheus: int = 0
    markdown: int = 0

    def parts(self) -> list[str]:
        parts = []
        if self.rule_files:
            parts.append(f"{_count(self.rule_files, 'rule file')}, {_count(self.rules, 'rule')}")
        if self.dashboards:
            parts.append(", ".join([_count(self.dashboards, "dashboard"),
                                    _count(self.queries, "query", "queries"),
                                    *([_count(self.skipped, "skipped non-Prometheus target")]
                                      if self.skipped else [])]))
        for n, one in ((self.alloy, "Alloy config"), (self.prometheus, "Prometheus config"),
                       (self.markdown, "Markdown file")):
            if n:
                parts.append(_count(n, one))
        return parts

    def line(self) -> str:
        """`Linted 8 files (8 rule files, 234 rules; 33 dashboards, 870 queries, ...).`"""
        parts = self.parts()
        detail = f" ({'; '.join(parts)})" if parts else ""
        return f"Linted {_count(self.files, 'file')}{detail}."


def summarise(files: Iterable[ForeignFile]) -> Summary:
    counts = {"files": 0, "rule_files": 0, "rules": 0, "dashboards": 0, "queries": 0,
              "skipped": 0, "alloy": 0, "prometheus": 0, "markdown": 0}
    paths = set()  # the dashboards of a ConfigMap file are one file
    for file in files:
        paths.add(written_path(file.path))
        if file.kind == "rules":
            counts["rule_files"] += 1
            counts["rules"] += sum(len(g.rules) for g in read_rule_file(file.path,
                                                                         file.text).groups)
        elif file.kind == "dashboard":
            queries = dashboard_queries(file.text)
            counts["dashboards"] += 1
            counts["queries"] += len(queries.queries)
            counts["skipped"] += queries.skipped_targets
        else:
            counts[{"alloy": "alloy", "prometheus-config": "prometheus",
                    "markdown": "markdown"}[file.kind]] += 1
    counts["files"] = len(paths)
    return Summary(**counts)
