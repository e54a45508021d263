"""Unit tests for every alert: each fires where it must and stays silent where it must not.
Run by `obsgen check` through `promtool test rules`."""

from obsgen import ExpectAlert, RuleTest, Series, up

from .alerts import (
    EXCESSIVE_PERSONA_SWITCHING,
    HIGH_QUALITY_GATE_FAILURE_RATE,
    HYPERTOOL_METRICS_NOT_REPORTED,
    LANGFUSE_INTEGRATION_FAILING,
    SLOW_WORKFLOW_STAGE,
    TOKEN_BUDGET_DEPLETION_PREDICTED,
    TOKEN_BUDGET_EXCEEDED,
)
from .metrics import (
    HYPERTOOL_JOB,
    LANGFUSE_TRACES,
    PERSONA_SWITCHES,
    QUALITY_GATE,
    STAGE_DURATION,
    TOKEN_BUDGET_REMAINING,
    TOKENS_USED,
)

TESTER = {"persona": "testing-specialist"}
REVIEW = {"workflow": "feature-delivery", "stage": "review"}
IMPLEMENTATION = {"workflow": "feature-delivery", "stage": "implementation"}


def budget(persona: str, values: str) -> Series:
    return Series(TOKEN_BUDGET_REMAINING.where(persona=persona), values)


def gates(failed: str, passed: str) -> list[Series]:
    return [
        Series(QUALITY_GATE.where(**REVIEW, result="failed"), failed),
        Series(QUALITY_GATE.where(**REVIEW, result="passed"), passed),
    ]


def stage_buckets(counts: dict[str, str]) -> list[Series]:
    buckets = STAGE_DURATION.series("bucket")
    return [
        Series(buckets.where(**IMPLEMENTATION, persona="backend-engineer", le=le), values)
        for le, values in counts.items()
    ]


# TokenBudgetExceeded -------------------------------------------------------------------------
BUDGET_EXHAUSTED = RuleTest(
    "token budget exhausted for over a minute fires",
    series=[budget("testing-specialist", "300 100 0 0 0 0")],
    expect=[
        ExpectAlert(TOKEN_BUDGET_EXCEEDED, at="1m"),
        ExpectAlert(TOKEN_BUDGET_EXCEEDED, at="4m", firing=[TESTER]),
    ],
)
BUDGET_LOW_BUT_LEFT = RuleTest(
    "token budget low but not exhausted stays silent",
    series=[budget("testing-specialist", "1500 1000 500 100 50 10")],
    expect=[ExpectAlert(TOKEN_BUDGET_EXCEEDED, at="5m")],
)
BUDGET_BRIEFLY_EMPTY = RuleTest(
    "token budget empty for less than the for-duration stays silent",
    series=[budget("testing-specialist", "1500 0 800 800 800")],
    expect=[ExpectAlert(TOKEN_BUDGET_EXCEEDED, at="3m")],
)

# HighQualityGateFailureRate ------------------------------------------------------------------
GATES_FAILING = RuleTest(
    "30% of quality gates failing fires per workflow and stage",
    series=gates(failed="0+3x20", passed="0+7x20"),
    expect=[ExpectAlert(HIGH_QUALITY_GATE_FAILURE_RATE, at="10m", firing=[REVIEW])],
)
GATES_HEALTHY = RuleTest(
    "10% of quality gates failing stays silent",
    series=gates(failed="0+1x20", passed="0+9x20"),
    expect=[ExpectAlert(HIGH_QUALITY_GATE_FAILURE_RATE, at="10m")],
)

# ExcessivePersonaSwitching -------------------------------------------------------------------
SWITCH = PERSONA_SWITCHES.where(
    from_persona="backend-engineer", to_persona="frontend-engineer", chatmode="agent"
)
SWITCHING_STORM = RuleTest(
    "3 persona switches per second fires",
    series=[Series(SWITCH, "0+180x20")],
    expect=[ExpectAlert(EXCESSIVE_PERSONA_SWITCHING, at="10m", firing=[{}])],
)
SWITCHING_NORMAL = RuleTest(
    "1 persona switch per second stays silent",
    series=[Series(SWITCH, "0+60x20")],
    expect=[ExpectAlert(EXCESSIVE_PERSONA_SWITCHING, at="10m")],
)

# SlowWorkflowStage ---------------------------------------------------------------------------
STAGE_SLOW = RuleTest(
    "p95 stage duration between 300 s and 600 s fires",
    series=stage_buckets({"300": "0x30", "600": "0+10x30", "+Inf": "0+10x30"}),
    expect=[
        ExpectAlert(SLOW_WORKFLOW_STAGE, at="5m"),
        ExpectAlert(SLOW_WORKFLOW_STAGE, at="20m", firing=[IMPLEMENTATION]),
    ],
)
STAGE_FAST = RuleTest(
    "p95 stage duration under 10 s stays silent",
    series=stage_buckets({"5": "0x30", "10": "0+10x30", "+Inf": "0+10x30"}),
    expect=[ExpectAlert(SLOW_WORKFLOW_STAGE, at="20m")],
)

# TokenBudgetDepletionPredicted ---------------------------------------------------------------
DATA_SCIENTIST = {"persona": "data-scientist"}
DEPLETION_AHEAD = RuleTest(
    "budget falling 20 tokens a minute from 1700 is predicted to run out",
    series=[budget("data-scientist", "1700-20x60")],
    expect=[ExpectAlert(TOKEN_BUDGET_DEPLETION_PREDICTED, at="45m", firing=[DATA_SCIENTIST])],
)
DEPLETION_SLOW = RuleTest(
    "budget falling 1 token a minute is not predicted to run out",
    series=[budget("data-scientist", "1700-1x60")],
    expect=[ExpectAlert(TOKEN_BUDGET_DEPLETION_PREDICTED, at="45m")],
)
DEPLETION_ALREADY_EMPTY = RuleTest(
    "an already exhausted budget is left to TokenBudgetExceeded",
    series=[budget("data-scientist", "0x60")],
    expect=[ExpectAlert(TOKEN_BUDGET_DEPLETION_PREDICTED, at="45m")],
)

# HypertoolMetricsNotReported -----------------------------------------------------------------
UP = up(HYPERTOOL_JOB).where(instance="localhost:9464")
TARGET = {"job": "hypertool", "instance": "localhost:9464"}
SCRAPE_DOWN = RuleTest(
    "scrape target down for two minutes fires",
    series=[Series(UP, "1 1 0 0 0 0 0")],
    expect=[ExpectAlert(HYPERTOOL_METRICS_NOT_REPORTED, at="5m", firing=[TARGET])],
)
SCRAPE_GONE = RuleTest(
    "scrape job missing entirely fires",
    series=[Series(TOKEN_BUDGET_REMAINING.where(**TESTER), "1000x10")],
    expect=[ExpectAlert(HYPERTOOL_METRICS_NOT_REPORTED, at="5m", firing=[{"job": "hypertool"}])],
)
SCRAPE_UP = RuleTest(
    "scrape target up stays silent",
    series=[Series(UP, "1x10")],
    expect=[ExpectAlert(HYPERTOOL_METRICS_NOT_REPORTED, at="5m")],
)

# LangfuseIntegrationFailing ------------------------------------------------------------------
TOKENS = TOKENS_USED.where(**TESTER, chatmode="agent", model="claude-sonnet")
TRACES = LANGFUSE_TRACES.where(**TESTER)
TRACES_FLAT = RuleTest(
    "tokens used while trace count stays flat fires",
    series=[Series(TOKENS, "0+100x20"), Series(TRACES, "40x20")],
    expect=[ExpectAlert(LANGFUSE_INTEGRATION_FAILING, at="10m", firing=[{}])],
)
TRACES_MISSING = RuleTest(
    "tokens used with no trace counter at all fires",
    series=[Series(TOKENS, "0+100x20")],
    expect=[ExpectAlert(LANGFUSE_INTEGRATION_FAILING, at="10m", firing=[{}])],
)
TRACES_FLOWING = RuleTest(
    "tokens used and traces created stays silent",
    series=[Series(TOKENS, "0+100x20"), Series(TRACES, "0+5x20")],
    expect=[ExpectAlert(LANGFUSE_INTEGRATION_FAILING, at="10m")],
)
