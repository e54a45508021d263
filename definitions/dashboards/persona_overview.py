"""Persona Overview: how often personas switch, how long they stay, what they spend."""

from grafanalib.core import GridPos, Target

from obsgen import (
    BarChart,
    Dashboard,
    GaugePanel,
    Heatmap,
    Row,
    Table,
    TimeSeries,
    Variable,
    increase,
    rate,
    topk,
)

from ..metrics import (
    PERSONA_DURATION,
    PERSONA_SWITCHES,
    TOKEN_BUDGET_REMAINING,
    TOKENS_USED,
)
from .folders import HYPERTOOL

PERSONA = Variable.from_label(TOKENS_USED, "persona", title="Persona", multi=True,
                              include_all=True)

SWITCH_RATE = TimeSeries(
    title="Persona switch rate by transition and chat mode",
    description="Switches per second into the selected personas.",
    targets=[Target(
        expr=rate(PERSONA_SWITCHES.where(to_persona=PERSONA))
        .sum(by=("from_persona", "to_persona", "chatmode")),
        legendFormat="{{from_persona}} → {{to_persona}} ({{chatmode}})",
    )],
    unit="ops",
    legendDisplayMode="table",
    legendPlacement="right",
    legendCalcs=["mean", "max"],
    tooltipMode="multi",
    tooltipSort="desc",
)

DURATION_HEATMAP = Heatmap(
    title="Persona duration distribution",
    description="How long a persona stays active before the next switch, per bucket.",
    dataFormat="tsbuckets",
    yBucketBound="upper",
    hideZeroBuckets=True,
    targets=[Target(
        expr=rate(PERSONA_DURATION.where(persona=PERSONA)).sum(by="le"),
        legendFormat="{{le}}",
        format="heatmap",
    )],
)

TOKEN_USAGE = BarChart(
    title="Token usage by persona",
    description="Tokens consumed in the selected time range.",
    orientation="horizontal",
    showValue="always",
    showLegend=False,
    targets=[Target(
        expr=increase(TOKENS_USED.where(persona=PERSONA), "$__range").sum(by="persona"),
        legendFormat="{{persona}}",
        format="table",
        instant=True,
    )],
    extraJson={"options": {"xField": "persona"}},
)

TOKEN_BUDGET = GaugePanel(
    title="Token budget remaining",
    description="Tokens left in each persona's current budget window.",
    targets=[Target(
        expr=TOKEN_BUDGET_REMAINING.where(persona=PERSONA).min(by="persona"),
        legendFormat="{{persona}}",
        instant=True,
    )],
    calc="lastNotNull",
    min=0,
    max=2000,
    thresholds=[(None, "red"), (200, "yellow"), (500, "green")],
)

TOP_TRANSITIONS = Table(
    title="Top persona transitions in the last hour",
    description="The ten most frequent from → to switches over the last hour.",
    timeFrom="1h",
    targets=[Target(
        expr=topk(10, increase(PERSONA_SWITCHES.where(to_persona=PERSONA), "$__range")
                  .sum(by=("from_persona", "to_persona"))),
        format="table",
        instant=True,
    )],
    unit="short",
    gridPos=GridPos(h=8, w=24, x=0, y=0),
)

PERSONA_OVERVIEW = Dashboard(
    uid="hypertool-persona-overview",
    title="Persona Overview",
    folder=HYPERTOOL,
    tags=("hypertool", "personas"),
    description="Persona switching, time in persona and token spend of the hypertool platform.",
    variables=(PERSONA,),
    rows=[
        Row("Switching", [SWITCH_RATE, DURATION_HEATMAP]),
        Row("Tokens", [TOKEN_USAGE, TOKEN_BUDGET]),
        Row("Transitions", [TOP_TRANSITIONS]),
    ],
)
