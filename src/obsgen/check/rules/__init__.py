"""Checks of Prometheus rule files and rule tests: the model, foreign files, promtool."""
