"""The JSON Schemas shipped in obsgen/schemas/, and YAML artifacts (rule files, promtool tests)
validated against them with the line of each offending node. Dashboards: dashboard_schema.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import jsonschema_rs
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


@dataclass(frozen=True)
class SchemaValidator:
    """One schema twice: compiled (jsonschema-rs) to decide quickly that a document has no
    errors, as nearly all checked documents have none, and Python jsonschema to word the errors
    of one that does, so findings read as they always have. The compiled one is never trusted
    with a "no": a document it refuses, or cannot take, gets the full check."""

    full: jsonschema.protocols.Validator
    fast: jsonschema_rs.Validator

    def iter_errors(self, data: Any, fast: bool = True) -> Iterator[jsonschema.ValidationError]:
        """`full`'s errors; `fast=False` skips the compiled answer (tests compare the two)."""
        if fast and self._known_valid(data):
            return iter(())
        return self.full.iter_errors(data)

    def _known_valid(self, data: Any) -> bool:
        try:
            return self.fast.is_valid(data)
        except ValueError:  # a value JSON has no type for (a YAML date, a non-string key)
            return False


def compiled(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """`schema` compiled as Draft 7 with what Python jsonschema checks by default: no
    `format` assertions."""
    return jsonschema_rs.Draft7Validator(schema, validate_formats=False)


@cache
def schema_validator(name: str) -> SchemaValidator:
    """The Draft 7 validator of one shipped schema, built once a process."""
    schema = load_schema(name)
    return SchemaValidator(jsonschema.Draft7Validator(schema), compiled(schema))


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


def validate_yaml(text: str, schema_name: str, *, fast: bool = True) -> list[SchemaFinding]:
    """Schema findings for a YAML document; a YAML syntax error is one finding. `fast=False`:
    without the compiled validator's first answer (the findings are the same)."""
    try:
        data = yamlguard.load(text, _LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [SchemaFinding(f"not valid YAML: {exc}", (mark.line + 1) if mark else 1,
                              (mark.column + 1) if mark else 0, "")]
    errors = sorted(schema_validator(schema_name).iter_errors(data, fast),
                    key=lambda e: list(map(str, e.path)))
    if not errors:
        return []
    # The nodes only place the errors; the same loader composes what it has just loaded.
    root = yaml.compose(text, Loader=_LOADER)
    findings = []
    for error in errors:
        path = list(error.absolute_path)
        node = _node_at(root, path) if root is not None else None
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 0)
        where = "/".join(map(str, path)) or "(document)"
        findings.append(SchemaFinding(f"{where}: {error.message}", line, col, where))
    return findings
