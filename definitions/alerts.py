"""The hypertool platform's alerts, in three groups by evaluation cadence."""

from obsgen import AlertRule, RuleGroup, absent, histogram_quantile, predict_linear, rate, up

from .metrics import (
    HYPERTOOL_JOB,
    LANGFUSE_TRACES,
    PERSONA_SWITCHES,
    QUALITY_GATE,
    STAGE_DURATION,
    TOKEN_BUDGET_REMAINING,
    TOKENS_USED,
)

TOKEN_BUDGET_EXCEEDED = AlertRule(
    "TokenBudgetExceeded",
    # The collector clamps the gauge at 0, so "exhausted" is == 0; "< 0" could never fire.
    expr=TOKEN_BUDGET_REMAINING.selector() <= 0,
    for_="1m",
    severity="critical",
    category="cost",
    component="token-budget",
    summary="Persona {{ $labels.persona }} has exhausted its token budget",
    description=(
        "Persona {{ $labels.persona }} has no tokens left in its current budget window; "
        "its requests are being refused until the window resets."
    ),
)

HIGH_QUALITY_GATE_FAILURE_RATE = AlertRule(
    "HighQualityGateFailureRate",
    expr=(
        rate(QUALITY_GATE.where(result="failed"), "5m").sum(by=["workflow", "stage"])
        / rate(QUALITY_GATE, "5m").sum(by=["workflow", "stage"])
    )
    > 0.2,
    for_="5m",
    severity="warning",
    category="quality",
    component="quality-gates",
    summary="Quality gates fail often in {{ $labels.workflow }}/{{ $labels.stage }}",
    description=(
        "More than 20% of quality-gate evaluations failed over the last 5 minutes in "
        "stage {{ $labels.stage }} of workflow {{ $labels.workflow }}."
    ),
)

EXCESSIVE_PERSONA_SWITCHING = AlertRule(
    "ExcessivePersonaSwitching",
    expr=rate(PERSONA_SWITCHES, "5m").sum() > 2,
    for_="5m",
    severity="warning",
    category="performance",
    component="persona-router",
    summary="Personas are switching more than twice per second",
    description=(
        "The platform switched personas more than 2 times per second on average over 5 "
        "minutes; a routing loop or a flapping chat mode is likely."
    ),
)

SLOW_WORKFLOW_STAGE = AlertRule(
    "SlowWorkflowStage",
    expr=histogram_quantile(0.95, STAGE_DURATION, "5m", by=["workflow", "stage"]) > 300,
    for_="10m",
    severity="warning",
    category="performance",
    component="workflow-engine",
    summary="Stage {{ $labels.stage }} of {{ $labels.workflow }} is slow",
    description=(
        "The 95th percentile duration of stage {{ $labels.stage }} in workflow "
        "{{ $labels.workflow }} has been above 300 seconds for 10 minutes."
    ),
)

TOKEN_BUDGET_DEPLETION_PREDICTED = AlertRule(
    "TokenBudgetDepletionPredicted",
    expr=(predict_linear(TOKEN_BUDGET_REMAINING, "30m", 3600) <= 0).and_(
        TOKEN_BUDGET_REMAINING.selector() > 0
    ),
    for_="10m",
    severity="info",
    category="cost",
    component="token-budget",
    summary="Persona {{ $labels.persona }} will run out of tokens within the hour",
    description=(
        "At the rate of the last 30 minutes, the token budget of persona "
        "{{ $labels.persona }} reaches 0 within 1 hour."
    ),
)

HYPERTOOL_METRICS_NOT_REPORTED = AlertRule(
    "HypertoolMetricsNotReported",
    expr=up(HYPERTOOL_JOB).eq(0).or_(absent(up(HYPERTOOL_JOB))),
    for_="2m",
    severity="critical",
    category="availability",
    component="metrics-exporter",
    summary="Prometheus cannot scrape the hypertool metrics endpoint",
    description=(
        "The scrape job {{ $labels.job }} is down or has disappeared; every other hypertool "
        "alert is blind until it is back."
    ),
)

LANGFUSE_INTEGRATION_FAILING = AlertRule(
    "LangfuseIntegrationFailing",
    expr=(rate(TOKENS_USED, "5m").sum() > 0).unless(rate(LANGFUSE_TRACES, "5m").sum() > 0),
    for_="5m",
    severity="warning",
    category="observability",
    component="langfuse",
    summary="LLM tokens are being used but Langfuse creates no traces",
    description=(
        "Tokens were consumed over the last 5 minutes but the Langfuse integration created "
        "no traces: LLM calls are going untraced."
    ),
)

PERSONA_ALERTS = RuleGroup(
    "hypertool-persona-alerts",
    interval="30s",
    file="persona",
    rules=[
        TOKEN_BUDGET_EXCEEDED,
        HIGH_QUALITY_GATE_FAILURE_RATE,
        EXCESSIVE_PERSONA_SWITCHING,
        SLOW_WORKFLOW_STAGE,
    ],
)

TOKEN_FORECASTING = RuleGroup(
    "hypertool-token-forecasting",
    interval="5m",
    file="token-forecasting",
    rules=[TOKEN_BUDGET_DEPLETION_PREDICTED],
)

SYSTEM_HEALTH = RuleGroup(
    "hypertool-system-health",
    interval="1m",
    file="system-health",
    rules=[HYPERTOOL_METRICS_NOT_REPORTED, LANGFUSE_INTEGRATION_FAILING],
)
