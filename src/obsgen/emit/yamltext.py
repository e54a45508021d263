"""Deterministic YAML: insertion order kept (callers order keys), block scalars for multi-line
strings, no aliases, no line folding."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's emitter, when the PyYAML wheel has it, is several times faster and writes the same
# bytes as the pure-Python one (checked over the shared rule corpus and our golden files).
_BASE: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BASE):  # type: ignore[valid-type,misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


# PyYAML writes these unicode line breaks raw, and reads them back as spaces.
_UNSAFE = ("\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in _UNSAFE) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Any, header: str = "") -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=10_000, indent=2)
    return header + body
