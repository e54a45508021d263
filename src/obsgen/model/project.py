"""A loaded project: everything the definitions declared, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.config import Config
from obsgen.model.metrics import Metric
from obsgen.model.pipeline import ScrapeJob
from obsgen.model.rules import RuleGroup
from obsgen.model.ruletests import RuleTest


@dataclass(frozen=True)
class Project:
    config: Config
    metrics: tuple[Metric, ...]
    jobs: tuple[ScrapeJob, ...]
    groups: tuple[RuleGroup, ...]
    tests: tuple[RuleTest, ...]

    def group_of_test(self, test: RuleTest) -> RuleGroup | None:
        if test.group is not None:
            return test.group
        alert = test.alerts[0].alert
        return next((g for g in self.groups if alert in g.rules), None)
