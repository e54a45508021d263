"""The JSON Schemas shipped in obsgen/schemas/, and YAML artifacts (rule files, promtool tests)
validated against them with the line of each offending node. Dashboards: dashboard_schema.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from obsgen.check import yamlguard

RULES_SCHEMA = "prometheus-rules.schema.json"
TESTS_SCHEMA = "promtool-test.schema.json"
# libyaml's safe loader when the PyYAML wheel has it: the same documents and marks, and several
# times faster on large rule files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SchemaFinding:
    message: str
    line: int
    column: int
    path: str


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("obsgen.schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _node_at(root: yaml.Node, path: list[str | int]) -> yaml.Node:
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            match = node.value[step] if step < len(node.value) else None
        else:
            match = None
        if match is None:
            break
        node = match
    return node


def validate_yaml(text: str, schema_name: str) -> list[SchemaFinding]:
    """Schema findings for a YAML document; a YAML syntax error is one finding."""
    try:
        data = yamlguard.load(text, _LOADER)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [SchemaFinding(f"not valid YAML: {exc}", (mark.line + 1) if mark else 1,
                              (mark.column + 1) if mark else 0, "")]
    validator = jsonschema.Draft7Validator(load_schema(schema_name))
    findings = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        node = _node_at(root, path) if root is not None else None
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 0)
        where = "/".join(map(str, path)) or "(document)"
        findings.append(SchemaFinding(f"{where}: {error.message}", line, col, where))
    return findings
