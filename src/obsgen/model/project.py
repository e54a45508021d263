"""A loaded project: everything the definitions declared, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from obsgen.config import Config
from obsgen.model.dashboards import Dashboard
from obsgen.model.metrics import Metric
from obsgen.model.pipeline import Pipeline, ScrapeJob
from obsgen.model.rules import RecordingRule, Rule, RuleGroup
from obsgen.model.ruletests import RuleTest
from obsgen.model.runbooks import Runbook, RunbookGuide
from obsgen.model.slo import SLO


@dataclass(frozen=True)
class Project:
    config: Config
    metrics: tuple[Metric, ...]
    jobs: tuple[ScrapeJob, ...]
    groups: tuple[RuleGroup, ...]
    tests: tuple[RuleTest, ...]
    dashboards: tuple[Dashboard, ...] = ()
    runbooks: tuple[Runbook, ...] = ()
    guides: tuple[RunbookGuide, ...] = ()  # at most one; OBS7xx reports the others
    pipelines: tuple[Pipeline, ...] = ()
    slos: tuple[SLO, ...] = ()  # compiled into groups, tests, runbooks and dashboards

    @cached_property
    def _group_by_rule(self) -> dict[int, RuleGroup]:
        return {id(rule): group for group in self.groups for rule in group.rules}

    @cached_property
    def recorded_series(self) -> frozenset[str]:
        """Series the recording rules produce: queryable although not in the catalog."""
        return frozenset(r.name for g in self.groups for r in g.rules
                         if isinstance(r, RecordingRule))

    def group_of(self, rule: Rule) -> RuleGroup | None:
        """The group that evaluates `rule` (rules are compared by identity)."""
        return self._group_by_rule.get(id(rule))

    def group_of_test(self, test: RuleTest) -> RuleGroup | None:
        return test.group if test.group is not None else self.group_of(test.alerts[0].alert)
