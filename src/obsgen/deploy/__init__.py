"""Deploy built artifacts: dashboards into Grafana, rules into Prometheus or a Mimir ruler."""
