"""Workflow Performance: stage latency, quality-gate outcomes and the slowest stages."""

from grafanalib.core import GridPos, Target

from obsgen import (
    BarChart,
    Dashboard,
    Row,
    Stat,
    Table,
    TimeSeries,
    Variable,
    histogram_quantile,
    increase,
    rate,
    topk,
)

from ..metrics import QUALITY_GATE, STAGE_DURATION
from .folders import HYPERTOOL

WORKFLOW = Variable.from_label(QUALITY_GATE, "workflow", title="Workflow", multi=True,
                               include_all=True)
PERSONA = Variable.from_label(STAGE_DURATION.where(workflow=WORKFLOW), "persona",
                              title="Persona", multi=True, include_all=True)

STAGES = STAGE_DURATION.where(workflow=WORKFLOW, persona=PERSONA)
GATES = QUALITY_GATE.where(workflow=WORKFLOW)
PASSED = QUALITY_GATE.where(workflow=WORKFLOW, result="passed")
FAILED = QUALITY_GATE.where(workflow=WORKFLOW, result="failed")

STAGE_LATENCY = TimeSeries(
    title="Stage duration p50 and p95 by stage",
    description="Median and 95th percentile of one stage execution.",
    targets=[
        Target(expr=histogram_quantile(0.5, STAGES, by="stage"), legendFormat="p50 {{stage}}"),
        Target(expr=histogram_quantile(0.95, STAGES, by="stage"), legendFormat="p95 {{stage}}"),
    ],
    legendDisplayMode="table",
    legendPlacement="right",
    legendCalcs=["mean", "max"],
    tooltipMode="multi",
    tooltipSort="desc",
)

SUCCESS_RATE = Stat(
    title="Quality gate success rate",
    description="Share of quality-gate evaluations that passed in the time range: overall, "
                "then per workflow.",
    targets=[
        Target(expr=increase(PASSED, "$__range").sum() / increase(GATES, "$__range").sum(),
               legendFormat="overall", instant=True),
        Target(expr=increase(PASSED, "$__range").sum(by="workflow")
               / increase(GATES, "$__range").sum(by="workflow"),
               legendFormat="{{workflow}}", instant=True),
    ],
    format="percentunit",
    decimals=1,
    reduceCalc="lastNotNull",
    graphMode="none",
    colorMode="background",
    thresholds=[(None, "red"), (0.9, "yellow"), (0.97, "green")],
)

FAILED_GATES = BarChart(
    title="Failed quality gates: top 10 stages",
    description="Stages whose quality gate failed most often in the time range.",
    orientation="horizontal",
    showValue="always",
    showLegend=False,
    colorMode="fixed",
    fixedColor="red",
    targets=[Target(
        expr=topk(10, increase(FAILED, "$__range").sum(by="stage")),
        legendFormat="{{stage}}",
        format="table",
        instant=True,
    )],
    extraJson={"options": {"xField": "stage"}},
)

SLOWEST_STAGES = Table(
    title="Slowest stages: p95 by workflow, stage and persona",
    description="The 95th percentile stage duration over the time range, slowest first.",
    targets=[Target(
        expr=topk(20, histogram_quantile(0.95, STAGES, "$__range",
                                         by=("workflow", "stage", "persona"))),
        format="table",
        instant=True,
    )],
    unit="s",
    sortBy=[],
    gridPos=GridPos(h=10, w=24, x=0, y=0),
    extraJson={"options": {"sortBy": [{"desc": True, "displayName": "Value"}]}},
)

EXECUTION_TRENDS = TimeSeries(
    title="Execution trends: passed vs failed",
    description="Quality-gate evaluations per second, by result.",
    targets=[Target(expr=rate(GATES).sum(by="result"), legendFormat="{{result}}")],
    unit="ops",
    fillOpacity=20,
    overrides=[
        {"matcher": {"id": "byName", "options": result},
         "properties": [{"id": "color", "value": {"fixedColor": color, "mode": "fixed"}}]}
        for result, color in (("passed", "green"), ("failed", "red"))
    ],
)

WORKFLOW_PERFORMANCE = Dashboard(
    uid="hypertool-workflow-performance",
    title="Workflow Performance",
    folder=HYPERTOOL,
    tags=("hypertool", "workflows"),
    description="Stage latency and quality gates of the hypertool multi-stage workflows.",
    variables=(WORKFLOW, PERSONA),
    rows=[
        Row("Latency", [STAGE_LATENCY, SUCCESS_RATE]),
        Row("Quality gates", [FAILED_GATES, EXECUTION_TRENDS]),
        Row("Slowest stages", [SLOWEST_STAGES]),
    ],
)
