"""Checks of Grafana dashboards: lint rules, JSON positions, schemas, panel queries."""
