"""Checks of runbooks: the model, and Markdown pages' links, anchors and size budget."""
