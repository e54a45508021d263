"""Runbooks exercising the emitter: raw and helper queries, multi-line text, pipes and unicode
in table cells, commands, related alerts across pages, and no RunbookGuide (the default)."""

from obsgen import RootCause, Runbook, Step, rate

from .catalog import QUEUE, REQUESTS
from .rules import HIGH_ERRORS, QUEUE_STUCK

HIGH_ERRORS_RUNBOOK = Runbook(
    HIGH_ERRORS,
    description="""\
The recorded error ratio of a route is above 5%.
A second line stays a second line.""",
    impact="Checkout fails for some users.",
    investigation=[
        Step("Which routes fail (raw query).",
             query='sum by (route) (rate(http_requests_total{code=~"5.."}[5m]))'),
        Step("Compare with all traffic.", query=rate(REQUESTS, "5m").sum(by=["route", "code"]),
             command="curl -s 'http://127.0.0.1:8080/healthz' | jq .\nsystemctl status api"),
        Step("See also the [queue runbook](queues.v1.md#queuestuck)."),
    ],
    root_causes=[RootCause("A bad deploy | rollback needed", "`kubectl rollout history`",
                           "Roll back ✓")],
    prevention=["Canary deploys"],
    related=[QUEUE_STUCK],
)

QUEUE_STUCK_RUNBOOK = Runbook(
    QUEUE_STUCK,
    description="Jobs pile up in a queue.",
    investigation=[Step("Depth per queue.", query=QUEUE.selector())],
    quick_fix="Scale the workers.",
    long_term="Autoscale on queue depth.",
    related=[HIGH_ERRORS],
    escalation="Page the queue owner.",
)
