"""Checks of Alloy configs and the pipeline model, without the Alloy binary."""
