"""Service level objectives of the hypertool platform. Each compiles into recording and
burn-rate alerting rules, their promtool tests, a runbook per alert and the SLO dashboard."""

from obsgen import SLO, Events, Latency

from .metrics import QUALITY_GATE, STAGE_DURATION

QUALITY_GATE_PASS = SLO(
    "quality-gate-pass",
    sli=Events(errors=QUALITY_GATE.where(result="failed"), total=QUALITY_GATE),
    objective=95,
    window="7d",
    description="Quality-gate evaluations that pass: a failed gate sends a stage back.",
)

STAGE_LATENCY = SLO(
    "workflow-stage-latency",
    sli=Latency(STAGE_DURATION, threshold=300),
    objective=99,
    window="30d",
    description="Workflow stages that finish within 300 seconds.",
)
