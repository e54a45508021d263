"""The example's SLOs written out as OpenSLO v1 (build/openslo/) and read back by obsgen's
OpenSLO importer: same objective, window and event queries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from obsgen.check.foreign import ForeignFile
from obsgen.importers import openslo

if TYPE_CHECKING:
    from tests.conftest import RunObsgen


def test_example_slos_round_trip_through_openslo(example_project: Path,
                                                 obsgen: RunObsgen) -> None:
    done = obsgen("build", cwd=example_project)
    assert done.exit_code == 0, done.describe()
    folder = example_project / "build" / "openslo"
    assert sorted(p.name for p in folder.iterdir()) == ["quality-gate-pass.yaml",
                                                        "workflow-stage-latency.yaml"]
    gate = yaml.safe_load((folder / "quality-gate-pass.yaml").read_text())
    assert gate["apiVersion"] == "openslo/v1" and gate["kind"] == "SLO"
    assert gate["spec"]["objectives"] == [{"displayName": "quality-gate-pass", "target": 0.95}]
    assert gate["spec"]["timeWindow"] == [{"duration": "7d", "isRolling": True}]
    latency = yaml.safe_load((folder / "workflow-stage-latency.yaml").read_text())
    good = latency["spec"]["indicator"]["spec"]["ratioMetric"]["good"]
    assert good["metricSource"]["spec"]["query"] == (
        'hypertool_workflow_stage_duration_seconds_bucket{le="300"}')

    specs = {}
    for path in sorted(folder.iterdir()):
        read, problems = openslo.read(ForeignFile(str(path), path.read_text(), "rules"))
        assert not problems
        specs.update({s.name: s for s in read})
    back = specs["quality-gate-pass"]
    # No service= on the SLO: the project's name (this copy's folder) is its service.
    assert (back.objective, back.window, back.service) == (95.0, "7d", example_project.name)
    assert back.errors == ('sum(rate(hypertool_workflow_quality_gate_total{result="failed"}'
                           "[{{window}}]))")
    assert back.total == "sum(rate(hypertool_workflow_quality_gate_total[{{window}}]))"
    stages = specs["workflow-stage-latency"]
    assert (stages.objective, stages.window) == (99.0, "30d")
    assert stages.errors == (
        "sum(rate(hypertool_workflow_stage_duration_seconds_count[{{window}}])) - "
        'sum(rate(hypertool_workflow_stage_duration_seconds_bucket{le="300"}[{{window}}]))')
