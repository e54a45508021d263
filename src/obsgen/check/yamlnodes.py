"""Reading composed YAML (`yaml.Node` trees), where the line of each value matters."""

from __future__ import annotations

import yaml


def value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of `key` in a mapping node; None for anything else or a missing key."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
                None)


def scalar_text(node: yaml.Node | None) -> str | None:
    """A scalar node's text; None for anything else."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None
