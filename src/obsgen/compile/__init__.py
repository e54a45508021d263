"""Definitions that compile into other definitions (an SLO into rules, tests, runbooks and a
dashboard), so that every emitter and checker applies to what they produce."""
