from obsgen import Counter, Gauge, Label, ScrapeJob

API_JOB = ScrapeJob("api", targets=["127.0.0.1:8080", "127.0.0.1:8081"], interval="30s")

REQUESTS = Counter(
    "http_requests_total",
    help="HTTP requests served.",
    labels=[Label("code", values=("200", "404", "500")), Label("route")],
)
QUEUE = Gauge("queue_depth", help="Jobs waiting.", labels=["queue"], min=0)
