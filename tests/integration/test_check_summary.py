"""`obsgen check` tells, per artifact kind, what it checked and whether it passed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen


def test_check_reports_every_artifact_kind(obsgen: RunObsgen, example_project: Path) -> None:
    result = obsgen("check", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    # 18 cases of the alerts' own tests and 16 the two SLOs' tiers generate.
    assert "promtool test rules: 34 of 34 cases passed" in result.stderr
    # Two dashboards and the SLO dashboard; the index, three group pages, four SLO pages, the
    # metrics reference and the API page.
    assert ("Dashboards: 3 against obsgen's Grafana schema (strict) and the dashboard lint, "
            "clean; runbooks: 10 pages, links and runbook_url anchors clean.") in result.stderr
    assert ("rule tests: 34 cases; alerts 11/11 fire and stay silent; recording rules 0/0 "
            "(54 of SLOs, tested through their alerts)") in result.stderr
    assert "Alloy: 1 config checked" in result.stderr

