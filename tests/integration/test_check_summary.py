"""`obsgen check` tells, per artifact kind, what it checked and whether it passed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen


def test_check_reports_every_artifact_kind(obsgen: RunObsgen, example_project: Path) -> None:
    result = obsgen("check", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    assert "promtool test rules: 18 of 18 cases passed" in result.stderr
    assert ("Dashboards: 2 against obsgen's Grafana schema (strict) and the dashboard lint, "
            "clean; runbooks: 4 pages, links and runbook_url anchors clean.") in result.stderr
    assert "Alloy: 1 config checked" in result.stderr

