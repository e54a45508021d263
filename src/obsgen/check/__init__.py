"""Checkers: each takes a model or artifacts and returns diagnostics; none prints."""
