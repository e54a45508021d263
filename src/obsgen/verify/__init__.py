"""`obsgen verify`: the catalog and every query against live systems, read-only: an app's
metrics endpoint (scrape.py) and a Prometheus (prometheus.py, queries.py), read through
client.py."""
