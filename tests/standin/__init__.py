"""Stand-in HTTP servers of ours for the APIs obsgen deploys to (Grafana, a Mimir ruler):
stdlib http.server in a thread on 127.0.0.1, keeping state, with faults on a schedule."""
