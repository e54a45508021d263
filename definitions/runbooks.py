"""Runbooks for every hypertool alert, and the on-call guide shown on the runbooks' index page.

Queries are written with the catalog helpers, so a renamed metric or a label value the
collector no longer emits breaks the build here instead of misleading on-call at 3 a.m.
Shell commands assume the on-call host: the app's collector on localhost:9464, Prometheus on
localhost:9090, Langfuse credentials in LANGFUSE_HOST / LANGFUSE_PUBLIC_KEY /
LANGFUSE_SECRET_KEY.
"""

from obsgen import (
    Command,
    CommonIssue,
    RootCause,
    Runbook,
    RunbookGuide,
    Step,
    absent,
    histogram_quantile,
    increase,
    predict_linear,
    rate,
    topk,
    up,
)

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
    PERSONA_DURATION,
    PERSONA_INFO,
    PERSONA_SWITCHES,
    QUALITY_GATE,
    STAGE_DURATION,
    TOKEN_BUDGET_REMAINING,
    TOKENS_USED,
)

PROM = "promtool query instant http://localhost:9090"

TOKEN_BUDGET_EXCEEDED_RUNBOOK = Runbook(
    TOKEN_BUDGET_EXCEEDED,
    description=(
        "The persona named in the alert's `persona` label has used every token of its current "
        "budget window. The collector clamps `hypertool_persona_token_budget_remaining` at 0, "
        "so the alert fires as soon as the gauge reaches 0 and stays there for a minute."
    ),
    impact=(
        "Every LLM request of that persona is refused until the budget window resets: users "
        "who switched to it get errors instead of answers, and workflows whose stages run as "
        "that persona stall at their next LLM call. Other personas are not affected."
    ),
    investigation=[
        Step(
            "Confirm which personas are at 0 and how much they have left elsewhere.",
            query=TOKEN_BUDGET_REMAINING.selector(),
        ),
        Step(
            "Look up the persona's configured budget: the `token_budget` label of its info "
            "metric. A budget that differs from what the team expects means a config change.",
            query=PERSONA_INFO.selector(),
        ),
        Step(
            "Find what burned the tokens: consumption over the last hour by chat mode and "
            "model. One model or chat mode dominating points at a runaway conversation or a "
            "model switched to a more verbose one.",
            query=increase(TOKENS_USED, "1h").sum(by=["persona", "chatmode", "model"]),
        ),
        Step(
            "Check whether the burn is still going on (tokens per second over 5 minutes).",
            query=rate(TOKENS_USED, "5m").sum(by="persona"),
        ),
        Step(
            "Open the persona's latest traces in Langfuse and look for repeated prompts or "
            "unusually long completions (filter by the persona tag).",
            command=(
                'curl -s -u "$LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY" '
                '"$LANGFUSE_HOST/api/public/traces?limit=20&tags=backend-engineer"'
            ),
        ),
    ],
    root_causes=[
        RootCause(
            "A runaway agent loop re-sends the same prompt",
            "Langfuse shows many near-identical traces in a few minutes",
            "Stop the session or workflow run; file a bug with the trace ids",
        ),
        RootCause(
            "Legitimate heavy use (a big refactoring, a long data analysis)",
            "Usage spread over many traces and users, no repetition",
            "Raise the persona's budget for this window, if the cost is approved",
        ),
        RootCause(
            "Budget lowered by a config change",
            "`token_budget` of `hypertool_persona_info` changed recently",
            "Revert the config change or confirm the new budget with the owner",
        ),
        RootCause(
            "A model switch to a more verbose model",
            "The `model` label of the top consumers changed",
            "Switch the chat mode back to the cheaper model",
        ),
    ],
    quick_fix=(
        "Stop the runaway session if there is one. If the use is legitimate and the cost is "
        "approved, raise the persona's budget in the app's persona configuration and restart "
        "the budget window; the gauge and this alert recover within a minute."
    ),
    long_term=(
        "Size budgets from real usage: compare each persona's hourly consumption with its "
        "budget over two weeks, and add per-session limits so one conversation cannot drain "
        "a persona's whole window."
    ),
    prevention=[
        "TokenBudgetDepletionPredicted is routed to the team channel, so exhaustion is seen "
        "an hour ahead",
        "Budget changes go through review like code",
        "Agent loops have a maximum number of LLM calls per task",
    ],
    related=[TOKEN_BUDGET_DEPLETION_PREDICTED, LANGFUSE_INTEGRATION_FAILING],
    escalation=(
        "If the persona is needed for a release or an incident and the budget cannot be "
        "raised by on-call, page the platform lead (see the escalation path on the "
        "[overview](index.md#escalation-path))."
    ),
)

HIGH_QUALITY_GATE_FAILURE_RATE_RUNBOOK = Runbook(
    HIGH_QUALITY_GATE_FAILURE_RATE,
    description=(
        "More than 20% of the quality-gate evaluations at the end of one stage of one workflow "
        "failed over 5 minutes, for 5 minutes. The `workflow` and `stage` labels of the alert "
        "name the gate."
    ),
    impact=(
        "Work produced in that stage is rejected and retried or sent back to the user: "
        "workflows take longer and burn more tokens, and if the gate is wrongly failing, good "
        "work is being thrown away."
    ),
    investigation=[
        Step(
            "See which gates fail, and how often, per workflow and stage.",
            query=(
                rate(QUALITY_GATE.where(result="failed"), "5m").sum(by=["workflow", "stage"])
                / rate(QUALITY_GATE, "5m").sum(by=["workflow", "stage"])
            ),
        ),
        Step(
            "Compare with the volume of evaluations: a high ratio over a handful of "
            "evaluations is less urgent than over hundreds.",
            query=increase(QUALITY_GATE, "1h").sum(by=["workflow", "stage", "result"]),
        ),
        Step(
            "Check whether the stage has also become slow (p95 seconds): slow and failing "
            "together usually means the model behind the stage is struggling.",
            query=histogram_quantile(0.95, STAGE_DURATION, "5m", by=["workflow", "stage"]),
        ),
        Step(
            "Read the failing evaluations in Langfuse: the gate's verdict and reason are on "
            "the stage's trace. Look for one repeated reason.",
            command=(
                'curl -s -u "$LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY" '
                '"$LANGFUSE_HOST/api/public/traces?limit=20&name=quality-gate"'
            ),
        ),
    ],
    root_causes=[
        RootCause(
            "The model behind the stage changed or degraded",
            "Failures start at a model change; `model` label of the stage's tokens changed",
            "Pin the previous model for the stage's persona",
        ),
        RootCause(
            "A gate threshold or rubric was tightened",
            "Recent change to the workflow's gate configuration",
            "Revert, or adjust the stage's prompt to the new rubric",
        ),
        RootCause(
            "Bad input upstream (an earlier stage produces broken output)",
            "The previous stage passes its gate but its output is visibly wrong in traces",
            "Fix the earlier stage; its gate is too lax",
        ),
    ],
    quick_fix=(
        "If a recent model or gate change lines up with the start of the failures, roll it "
        "back. Otherwise pause the affected workflow so it stops burning tokens on retries."
    ),
    long_term=(
        "Give every gate a test set of known-good and known-bad outputs and run it on every "
        "model or rubric change before it ships."
    ),
    prevention=[
        "Gate rubrics and model pins are versioned and reviewed",
        "Model changes are rolled out per persona, one at a time",
    ],
    related=[SLOW_WORKFLOW_STAGE],
    escalation="Page the owner of the workflow if failures stay above 50% for 30 minutes.",
)

EXCESSIVE_PERSONA_SWITCHING_RUNBOOK = Runbook(
    EXCESSIVE_PERSONA_SWITCHING,
    description=(
        "The platform switched personas more than twice per second on average over 5 "
        "minutes. Normal use is a few switches per minute; a storm of switches means "
        "something switches automatically and in a loop."
    ),
    impact=(
        "Each switch reloads the persona's context, so answers slow down and tokens are "
        "spent on context instead of work. Persona durations collapse to fractions of a "
        "second, and per-persona cost figures become meaningless."
    ),
    investigation=[
        Step(
            "Find the pairs of personas that switch back and forth: a loop shows as two "
            "pairs with the same high rate in opposite directions.",
            query=topk(10, rate(PERSONA_SWITCHES, "5m").sum(by=["from_persona", "to_persona"])),
        ),
        Step(
            "See which chat mode drives the switching.",
            query=rate(PERSONA_SWITCHES, "5m").sum(by="chatmode"),
        ),
        Step(
            "Check how long personas stay active (median seconds); values near 0.1 s confirm "
            "an automatic loop rather than users.",
            query=histogram_quantile(0.5, PERSONA_DURATION, "5m", by=["persona", "chatmode"]),
        ),
        Step(
            "Look at the router's decisions in the application log.",
            command='journalctl -u hypertool --since "15 min ago" | grep -i "persona switch"',
        ),
    ],
    root_causes=[
        RootCause(
            "Two personas hand work to each other in a loop",
            "Top pairs are A to B and B to A at the same rate",
            "Disable automatic hand-over for that chat mode",
        ),
        RootCause(
            "A flapping chat-mode detection",
            "One `chatmode` carries almost all switches",
            "Pin the chat mode's persona until the detection is fixed",
        ),
        RootCause(
            "A client retrying a switch request",
            "Switches come from one client and `from_persona` equals `to_persona` often",
            "Block or fix the client; make switch requests idempotent",
        ),
    ],
    quick_fix=(
        "Pin the persona of the chat mode that switches most (see step 2) so that the router "
        "stops switching it, then watch the switch rate drop below 2/s."
    ),
    long_term=(
        "Give the router hysteresis: a minimum time a persona stays active, and a cap on "
        "hand-overs per task."
    ),
    prevention=[
        "Router changes are tested against recorded conversations",
        "Automatic hand-over has a per-task limit",
    ],
    related=[SLOW_WORKFLOW_STAGE, TOKEN_BUDGET_DEPLETION_PREDICTED],
    escalation="Page the persona-router owner if pinning does not stop the storm in 15 minutes.",
)

SLOW_WORKFLOW_STAGE_RUNBOOK = Runbook(
    SLOW_WORKFLOW_STAGE,
    description=(
        "The 95th percentile duration of one stage of one workflow has been above 300 "
        "seconds (5 minutes) for 10 minutes. The `workflow` and `stage` labels name it."
    ),
    impact=(
        "Workflows through that stage take much longer; users wait, and runs may hit their "
        "overall timeouts. Slow stages also hold their persona active, which delays other "
        "work of that persona."
    ),
    investigation=[
        Step(
            "Confirm the slow stage and how slow (p95 seconds per workflow and stage).",
            query=histogram_quantile(0.95, STAGE_DURATION, "5m", by=["workflow", "stage"]),
        ),
        Step(
            "Check which persona runs the slow executions.",
            query=histogram_quantile(0.95, STAGE_DURATION, "5m", by=["workflow", "stage",
                                                                     "persona"]),
        ),
        Step(
            "Compare with the number of executions: a traffic spike can queue stages.",
            query=rate(STAGE_DURATION.series("count"), "5m").sum(by=["workflow", "stage"]),
        ),
        Step(
            "Check whether the model is slow for everyone: token throughput per model.",
            query=rate(TOKENS_USED, "5m").sum(by="model"),
        ),
        Step(
            "Open the slowest traces of the stage in Langfuse and see which span takes the "
            "time: the LLM call, a tool call, or waiting.",
            command=(
                'curl -s -u "$LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY" '
                '"$LANGFUSE_HOST/api/public/observations?type=GENERATION&limit=20"'
            ),
        ),
    ],
    root_causes=[
        RootCause(
            "The LLM provider is slow or rate-limiting",
            "Generation spans in Langfuse take most of the stage time",
            "Switch the persona to a fallback model",
        ),
        RootCause(
            "A tool the stage calls (tests, build, search) is slow",
            "Tool spans dominate the trace",
            "Fix or scale the tool; raise the stage timeout meanwhile",
        ),
        RootCause(
            "Too many runs at once",
            "Execution count of the stage rose with the duration",
            "Lower workflow concurrency",
        ),
    ],
    quick_fix=(
        "If the LLM provider is the cause, switch the affected persona to its fallback model; "
        "if a tool is, raise the stage timeout so runs finish instead of failing."
    ),
    long_term="Set a duration budget per stage and alert on its trend, not only on p95 > 5m.",
    prevention=["Stage duration budgets are part of workflow reviews"],
    related=[HIGH_QUALITY_GATE_FAILURE_RATE, EXCESSIVE_PERSONA_SWITCHING],
    escalation="Page the workflow owner if p95 stays above 10 minutes for 30 minutes.",
)

TOKEN_BUDGET_DEPLETION_PREDICTED_RUNBOOK = Runbook(
    TOKEN_BUDGET_DEPLETION_PREDICTED,
    description=(
        "At the rate of the last 30 minutes, the persona's remaining token budget reaches 0 "
        "within the hour. This is a heads-up: nothing is refused yet."
    ),
    impact=(
        "None yet. If nothing changes, TokenBudgetExceeded fires for this persona within the "
        "hour and its requests are refused until the window resets."
    ),
    investigation=[
        Step(
            "See the remaining budget of each persona.",
            query=TOKEN_BUDGET_REMAINING.selector(),
        ),
        Step(
            "See the forecast: the remaining budget in one hour at the current rate (negative "
            "means exhausted before then).",
            query=predict_linear(TOKEN_BUDGET_REMAINING, "30m", 3600),
        ),
        Step(
            "Find who is consuming: tokens over 30 minutes by chat mode and model.",
            query=increase(TOKENS_USED, "30m").sum(by=["persona", "chatmode", "model"]),
        ),
        Step(
            "Compare with the persona's configured budget (`token_budget` label).",
            query=PERSONA_INFO.selector(),
        ),
    ],
    root_causes=[
        RootCause(
            "A busy period for that persona",
            "Consumption spread over many traces",
            "Tell the users, or raise the budget if the cost is approved",
        ),
        RootCause(
            "One session consuming most of the budget",
            "One chat mode or model dominates step 3",
            "Contact the user or stop the session",
        ),
    ],
    quick_fix="Nothing urgent: find the consumer and decide before the budget runs out.",
    long_term="Adjust budgets to real usage patterns per persona.",
    prevention=["Weekly review of budget consumption per persona"],
    related=[TOKEN_BUDGET_EXCEEDED],
    escalation="None needed unless TokenBudgetExceeded follows.",
)

HYPERTOOL_METRICS_NOT_REPORTED_RUNBOOK = Runbook(
    HYPERTOOL_METRICS_NOT_REPORTED,
    description=(
        "Prometheus cannot scrape the `hypertool` job (localhost:9464/metrics): the target is "
        "down (`up == 0`) or the job has disappeared from Prometheus altogether."
    ),
    impact=(
        "Every other hypertool alert is blind while this one fires: token budgets, quality "
        "gates, switching storms and slow stages go unnoticed. The platform itself may be "
        "fine; what is certain is that nobody can see it."
    ),
    investigation=[
        Step(
            "Check the scrape target's state (1 up, 0 down, no result: the job is gone).",
            query=up(HYPERTOOL_JOB),
        ),
        Step(
            "Check whether the job exists at all in Prometheus (1 means it is missing).",
            query=absent(up(HYPERTOOL_JOB)),
        ),
        Step(
            "See when the collector last reported token use (no result: no samples in 15m).",
            query=rate(TOKENS_USED, "15m").sum(),
        ),
        Step(
            "Fetch the endpoint by hand from the Prometheus host.",
            command="curl -sS -m 10 http://localhost:9464/metrics | head -20",
        ),
        Step(
            "Check the service and its recent logs.",
            command='systemctl status hypertool; journalctl -u hypertool --since "30 min ago"',
        ),
        Step(
            "Read Prometheus' own view of the target (last error, last scrape).",
            command="curl -s http://localhost:9090/api/v1/targets | grep -A5 hypertool",
        ),
    ],
    root_causes=[
        RootCause(
            "The hypertool service is stopped or crashed",
            "`systemctl status hypertool` is not active",
            "`systemctl restart hypertool`; read the crash log",
        ),
        RootCause(
            "The collector listens on another port or path",
            "curl to localhost:9464/metrics fails while the service runs",
            "Restore the port/path, or update the scrape job in the definitions",
        ),
        RootCause(
            "The scrape job was removed from Prometheus' configuration",
            "`absent(up{job=\"hypertool\"})` returns 1",
            "Redeploy the Prometheus configuration with the job",
        ),
        RootCause(
            "Scrapes time out (more than 10 s)",
            "Target page shows `context deadline exceeded`",
            "Find the slow collector; raise the timeout only as a stopgap",
        ),
    ],
    quick_fix="Restart the hypertool service and confirm `up` returns to 1 within a minute.",
    long_term=(
        "Run the collector in its own process so that a crash of the app does not take the "
        "metrics down, and keep the scrape job in the definitions (it is, as `HYPERTOOL_JOB`)."
    ),
    prevention=[
        "Prometheus configuration is generated from the definitions, never edited by hand",
        "The service has a restart policy",
    ],
    related=[LANGFUSE_INTEGRATION_FAILING],
    escalation=(
        "Critical: if the service does not come back after a restart, page the platform "
        "on-call immediately (see [escalation path](index.md#escalation-path))."
    ),
)

LANGFUSE_INTEGRATION_FAILING_RUNBOOK = Runbook(
    LANGFUSE_INTEGRATION_FAILING,
    description=(
        "Tokens are being consumed but the Langfuse integration created no traces over 5 "
        "minutes, for 5 minutes: LLM calls go untraced."
    ),
    impact=(
        "No traces means no way to debug the other alerts (budgets, quality gates, slow "
        "stages) and no cost attribution per trace. The platform keeps serving users."
    ),
    investigation=[
        Step(
            "Compare token use and trace creation per persona: which personas are untraced.",
            query=(
                rate(TOKENS_USED, "5m").sum(by="persona")
                .unless(rate(LANGFUSE_TRACES, "5m").sum(by="persona") > 0)
            ),
        ),
        Step(
            "See when traces stopped (traces per second over the last hours).",
            query=rate(LANGFUSE_TRACES, "5m").sum(),
        ),
        Step(
            "Check that Langfuse itself is healthy.",
            command='curl -s "$LANGFUSE_HOST/api/public/health"',
        ),
        Step(
            "Check that the credentials the app uses are accepted (HTTP 200, not 401).",
            command=(
                'curl -s -o /dev/null -w "%{http_code}\\n" -u '
                '"$LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY" '
                '"$LANGFUSE_HOST/api/public/traces?limit=1"'
            ),
        ),
        Step(
            "Look for Langfuse errors in the application log.",
            command='journalctl -u hypertool --since "30 min ago" | grep -i langfuse',
        ),
    ],
    root_causes=[
        RootCause(
            "Langfuse is down or unreachable",
            "The health endpoint fails",
            "Restore Langfuse; traces resume by themselves",
        ),
        RootCause(
            "Rotated or expired API keys",
            "The traces API answers 401",
            "Put the new keys in the app's environment and restart it",
        ),
        RootCause(
            "Tracing disabled by a config change",
            "No Langfuse errors in the log, no traces either",
            "Re-enable tracing",
        ),
    ],
    quick_fix="Fix reachability or credentials, restart the app, and watch traces resume.",
    long_term="Alert on Langfuse's health separately, and buffer traces when it is down.",
    prevention=["Key rotation is scripted and updates the app's environment"],
    related=[HYPERTOOL_METRICS_NOT_REPORTED, TOKEN_BUDGET_EXCEEDED],
    escalation="Page the observability owner if traces are missing for more than an hour.",
)

GUIDE = RunbookGuide(
    title="Hypertool runbooks",
    introduction=(
        "What to do when a hypertool alert fires. Each alert's `runbook_url` opens its "
        "section below; every query here is checked against the metric catalog at build "
        "time, so it runs as written in Prometheus (paste it into the expression browser or "
        "`promtool query instant`)."
    ),
    troubleshooting=[
        "Check that Prometheus can see the platform at all: if HypertoolMetricsNotReported "
        "fires, start there, since every other alert is blind without it.",
        "Read the alert's labels: `persona`, `workflow` and `stage` tell you where to look.",
        "Open the alert's section, run the investigation queries in order, and compare with "
        "the root-cause table.",
        "Use Langfuse traces for the why: the metrics tell what and where.",
        "Write down what you did in the incident channel as you go.",
    ],
    commands=[
        Command("Scrape the collector by hand",
                "curl -sS http://localhost:9464/metrics | grep ^hypertool_"),
        Command("Run a query from the command line",
                f"{PROM} 'hypertool_persona_token_budget_remaining'"),
        Command("List firing alerts",
                "curl -s http://localhost:9090/api/v1/alerts"),
        Command("Service state and recent logs",
                'systemctl status hypertool; journalctl -u hypertool --since "1 hour ago"'),
        Command("Langfuse health",
                'curl -s "$LANGFUSE_HOST/api/public/health"'),
    ],
    common_issues=[
        CommonIssue("All hypertool alerts went quiet at once",
                    "The scrape job is down", "Follow HypertoolMetricsNotReported"),
        CommonIssue("A persona refuses every request",
                    "Its token budget is exhausted", "Follow TokenBudgetExceeded"),
        CommonIssue("Workflows retry stages over and over",
                    "A quality gate fails most evaluations",
                    "Follow HighQualityGateFailureRate"),
        CommonIssue("Answers are slow and personas flicker in the UI",
                    "Persona switching storm", "Follow ExcessivePersonaSwitching"),
        CommonIssue("Traces missing in Langfuse",
                    "Langfuse down or keys rotated", "Follow LangfuseIntegrationFailing"),
    ],
    escalation_path=[
        "On-call engineer: acknowledge within 5 minutes (critical) or 30 minutes (warning).",
        "Platform lead: if a critical alert is not mitigated within 30 minutes.",
        "Owner of the affected area (persona router, workflow engine, observability): for "
        "root-cause fixes, during working hours unless the platform is down.",
        "Engineering manager: for cost decisions, such as raising token budgets beyond the "
        "approved amount.",
    ],
)
