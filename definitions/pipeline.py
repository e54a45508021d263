"""The telemetry pipeline of the hypertool platform, emitted to build/alloy/config.alloy.

Metrics: the app's collector on localhost:9464, scraped every 15s under the catalog's job name
(the `job` that `up{job="hypertool"}` in the alerts selects), remote-written to Grafana Cloud
Prometheus. Traces: OTLP from local processes only (127.0.0.1), batched, exported to Grafana
Cloud Tempo. Logs: the systemd journal, with the log level extracted as the `level` label,
written to Grafana Cloud Loki.

The URLs are those of the stack (Grafana Cloud US West, prod-us-west-0); the credentials are
environment variables that Alloy reads when it starts (see README, "Point the pipeline at your
Grafana Cloud stack").
"""

from obsgen import (
    Batch,
    Env,
    JournalSource,
    LogProcess,
    LokiWrite,
    OtlpExporter,
    OtlpReceiver,
    Pipeline,
    RemoteWrite,
    Scrape,
)

from .metrics import HYPERTOOL_JOB

# One access-policy token with metrics:write, logs:write and traces:write serves all three.
API_KEY = Env("GRAFANA_CLOUD_API_KEY")

PROMETHEUS = RemoteWrite(
    "grafana_cloud",
    url="https://prometheus-prod-36-prod-us-west-0.grafana.net/api/prom/push",
    username=Env("GRAFANA_CLOUD_PROMETHEUS_USERNAME"),
    password=API_KEY,
)
SCRAPE = Scrape(HYPERTOOL_JOB, forward_to=PROMETHEUS)

TEMPO = OtlpExporter(
    "grafana_cloud",
    endpoint="tempo-prod-15-prod-us-west-0.grafana.net:443",
    username=Env("GRAFANA_CLOUD_TEMPO_USERNAME"),
    password=API_KEY,
)
BATCH = Batch("default", forward_to=TEMPO)
OTLP = OtlpReceiver("default", forward_to=BATCH)  # 127.0.0.1:4317 (gRPC) and :4318 (HTTP)

LOKI = LokiWrite(
    "grafana_cloud",
    url="https://logs-prod-021.grafana.net/loki/api/v1/push",
    username=Env("GRAFANA_CLOUD_LOKI_USERNAME"),
    password=API_KEY,
)
LEVELS = LogProcess("levels", forward_to=LOKI)
JOURNAL = JournalSource("journal", forward_to=LEVELS)

PIPELINE = Pipeline([SCRAPE, PROMETHEUS, OTLP, BATCH, TEMPO, JOURNAL, LEVELS, LOKI])
