"""The metric catalog of the hypertool AI-agent platform: what its collector exports on
localhost:9464, and the scrape job that collects it."""

from obsgen import Counter, Gauge, Histogram, Info, Label, ScrapeJob

# Personas and their token budgets (tokens per budget window), as configured in the app.
TOKEN_BUDGETS = {
    "backend-engineer": 2000,
    "frontend-engineer": 1800,
    "devops-engineer": 1800,
    "testing-specialist": 1500,
    "observability-expert": 2000,
    "data-scientist": 1700,
}
PERSONAS = tuple(TOKEN_BUDGETS)

# The one declaration of the job name: alerts use it in up{job=...}, the pipeline scrapes it.
HYPERTOOL_JOB = ScrapeJob(
    "hypertool",
    targets=["localhost:9464"],
    interval="15s",
    timeout="10s",
    path="/metrics",
)

persona = Label("persona", values=PERSONAS, description="The active persona.")
chatmode = Label("chatmode", description="The chat mode the persona runs in (open set).")
model = Label("model", description="The LLM model that served the request (open set).")
workflow = Label("workflow", description="The multi-stage workflow being executed.")
stage = Label("stage", description="The stage of the workflow.")

PERSONA_SWITCHES = Counter(
    "hypertool_persona_switches_total",
    help="Persona switches, by previous persona, new persona and chat mode.",
    labels=[
        Label(
            "from_persona",
            values=("none", *PERSONAS),
            description="The persona switched away from; `none` on the first switch.",
        ),
        Label("to_persona", values=PERSONAS, description="The persona switched to."),
        chatmode,
    ],
)

PERSONA_DURATION = Histogram(
    "hypertool_persona_duration_seconds",
    help="How long a persona stayed active before the next switch.",
    labels=[persona, chatmode],
    unit="seconds",
    buckets=[0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
)

TOKENS_USED = Counter(
    "hypertool_persona_tokens_used_total",
    help="LLM tokens consumed, by persona, chat mode and model.",
    labels=[persona, chatmode, model],
)

TOKEN_BUDGET_REMAINING = Gauge(
    "hypertool_persona_token_budget_remaining",
    help="Tokens left in the persona's current budget window; the collector clamps it at 0.",
    labels=[persona],
    min=0,
)

STAGE_DURATION = Histogram(
    "hypertool_workflow_stage_duration_seconds",
    help="Duration of one workflow stage execution.",
    labels=[workflow, stage, persona],
    unit="seconds",
    buckets=[0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
)

QUALITY_GATE = Counter(
    "hypertool_workflow_quality_gate_total",
    help="Quality-gate evaluations at the end of a workflow stage, by result.",
    labels=[workflow, stage, Label("result", values=("passed", "failed"))],
)

PERSONA_INFO = Info(
    "hypertool_persona_info",
    help="Static facts about each persona; value is always 1.",
    labels=[
        persona,
        Label(
            "token_budget",
            values=tuple(sorted({str(b) for b in TOKEN_BUDGETS.values()})),
            description="The persona's configured token budget.",
        ),
    ],
)

LANGFUSE_TRACES = Counter(
    "langfuse_traces_created_total",
    help="Traces the Langfuse LLM-tracing integration created.",
    labels=[persona],
)
