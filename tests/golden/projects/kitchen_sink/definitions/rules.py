from obsgen import (
    AlertRule,
    ExpectAlert,
    ExpectSamples,
    Firing,
    RecordingRule,
    RuleGroup,
    RuleTest,
    Series,
    rate,
    regex,
)

from .catalog import QUEUE, REQUESTS

ERROR_RATIO = RecordingRule(
    "route:http_requests:error_ratio5m",
    expr=rate(REQUESTS.where(code=regex("5..")), "5m").sum(by="route")
    / rate(REQUESTS, "5m").sum(by="route"),
    labels={"source": "obsgen"},
)

HIGH_ERRORS = AlertRule(
    "HighErrorRatio",
    expr="route:http_requests:error_ratio5m\n  > 0.05",
    for_="10m",
    keep_firing_for="5m",
    severity="page",
    category="availability",
    labels={"team": "api"},
    summary='Route {{ $labels.route }} fails "often"',
    description="Error ratio on {{ $labels.route }} is {{ $value | humanizePercentage }}.",
    annotations={"dashboard": "https://grafana.example.org/d/api"},
)

QUEUE_STUCK = AlertRule(
    "QueueStuck",
    expr=QUEUE.selector() > 100,
    severity="ticket",
    summary="Queue {{.Labels.queue}} is backed up ✋",
    description="More than 100 jobs wait in {{ $labels.queue }}.",
)

API = RuleGroup("api", interval="1m", limit=10, rules=[ERROR_RATIO, HIGH_ERRORS])
QUEUES = RuleGroup("queues", file="queues.v1", rules=[QUEUE_STUCK])

ROUTE = {"route": "/checkout"}
ERRORS_TEST = RuleTest(
    "error ratio recorded and alerted",
    interval="30s",
    series=[
        Series(REQUESTS.where(code="500", route="/checkout"), "0+6x60"),
        Series(REQUESTS.where(code="200", route="/checkout"), "0+54x60"),
    ],
    expect=[
        ExpectSamples(
            "route:http_requests:error_ratio5m", at="10m",
            samples=[('route:http_requests:error_ratio5m{route="/checkout",source="obsgen"}',
                      0.1)],
        ),
        ExpectAlert(HIGH_ERRORS, at="20m", firing=[Firing(
            labels={**ROUTE, "source": "obsgen"},
            annotations={"description": "Error ratio on /checkout is 10%."},
        )]),
    ],
)
QUEUE_TEST = RuleTest(
    "queue backed up",
    series=[Series(QUEUE.where(queue="mail"), "150x5")],
    expect=[ExpectAlert(QUEUE_STUCK, at="1m", firing=[{"queue": "mail"}])],
)
