"""A dashboard that uses every panel kind and layout feature obsgen emits."""

from grafanalib.core import GridPos, Target, Threshold, ValueMap

from obsgen import (
    BarGauge,
    Dashboard,
    Folder,
    GaugePanel,
    Heatmap,
    Histogram,
    Link,
    Row,
    RowPanel,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
    Variable,
    histogram_quantile,
    rate,
)

from .catalog import QUEUE, REQUESTS

LATENCY = Histogram("http_request_duration_seconds", help="Request latency.",
                    labels=["route"], buckets=[0.05, 0.1, 0.5, 1, 5])
RESPONSE_SIZE = Histogram("http_response_size_bytes", help="Response sizes.",
                          labels=["route"], buckets=[100, 1000, 10000])

ROUTE = Variable.from_label(REQUESTS, "route")
JOB = Variable("job", "label_values(up, job)", sort=0, refresh=1)
QUEUE_NAME = Variable.from_label(QUEUE, "queue", name="queue_name", title="Queue",
                                 multi=True, include_all=True, all_value=".*",
                                 description="Queues to show")

KITCHEN_SINK = Dashboard(
    uid="kitchen-sink",
    title="Kitchen Sink",
    folder=Folder("Ops / Platform"),
    tags=("ops",),
    time_from="now-24h",
    refresh="30s",
    timezone="utc",
    graph_tooltip=2,
    links=(Link("Runbooks", url="https://runbooks.example.org/ops", target_blank=True),
           Link("Related", tags=("ops",), as_dropdown=True)),
    variables=(ROUTE, QUEUE_NAME, JOB),
    rows=[
        Row("", [Text(title="About", content="# Kitchen sink\n\nEvery panel kind.")],
            height=3),
        Row("Traffic", [
            TimeSeries(title="Requests by code",
                       targets=[rate(REQUESTS.where(route=ROUTE)).sum(by="code")],
                       mappings={"0": ("idle", "blue")}),
            TimeSeries(title="p99 latency",
                       targets=[histogram_quantile(0.99, LATENCY.where(route=ROUTE))]),
            TimeSeries(title="Response bytes (raw PromQL)",
                       targets=['sum(rate(http_response_size_bytes_sum{route=~"$route"}'
                                "[$__rate_interval]))"]),
        ]),
        RowPanel(title="Saturation"),
        Stat(title="Queue depth", targets=[Target(expr=QUEUE.where(queue=QUEUE_NAME).max(),
                                                  instant=True)],
             mappings=[ValueMap(text="empty", value="0")], reduceCalc="last"),
        GaugePanel(title="Queue gauge", targets=[QUEUE.where(queue=QUEUE_NAME).max()],
                   thresholds=[Threshold("green", 0, 0.0), Threshold("red", 1, 100.0)],
                   label="depth"),
        BarGauge(title="Per queue", targets=[QUEUE.where(queue=QUEUE_NAME).max(by="queue")],
                 displayMode="basic", format="short", max=500, label="depth"),
        Row("Details", [
            Heatmap(title="Latency buckets", dataFormat="tsbuckets", reverseYBuckets=True,
                    targets=[rate(LATENCY.where(route=ROUTE)).sum(by="le")]),
            StateTimeline(title="Scrape health",
                          targets=[Target(expr=f'up{{job=~"{JOB}"}}',
                                          legendFormat="{{instance}}")],
                          mappings=[{"type": "value", "options": {
                              "0": {"text": "down", "color": "red"},
                              "1": {"text": "up", "color": "green"}}}]),
            Table(title="Codes", targets=[rate(REQUESTS).sum(by=("route", "code"))],
                  displayMode="color-text", gridPos=GridPos(h=6, w=16, x=0, y=0)),
        ], collapsed=True, height=6),
    ],
)
