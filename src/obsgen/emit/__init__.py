"""Emitters: pure functions from the model to artifact text."""
