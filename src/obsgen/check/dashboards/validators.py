"""Validators of obsgen's dashboard and panel schemas, each built once a process: the lenient
Draft 7 one, and the strict one that applies obsgen's `x-obsgen-` keywords too."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

from obsgen.check.schemas import SchemaValidator, compiled, load_schema

DASHBOARD_SCHEMA = "grafana-dashboard.schema.json"
PANELS_SCHEMA = "grafana-panels.schema.json"

# Keywords that stand under an `x-obsgen-` prefix in the dashboard schemas: constraints that are
# obsgen's own, or that Grafana's published schema states but Grafana fills in at load time.
# The strict validator applies them; the lenient one ignores them as unknown keywords.
_OBSGEN_KEYWORDS = ("additionalProperties", "const", "enum", "minLength", "pattern", "required",
                    "type")


def _strict_validator_class() -> type[jsonschema.protocols.Validator]:
    base = jsonschema.Draft7Validator
    extra = {f"x-obsgen-{k}": base.VALIDATORS[k] for k in _OBSGEN_KEYWORDS}
    return jsonschema.validators.extend(base, extra)  # type: ignore[no-untyped-call,no-any-return]


# Values of these keywords are data, not schemas: nothing in them is a keyword to rename.
_DATA_KEYWORDS = frozenset({"const", "default", "enum", "examples"})
# These map names (properties, definitions) to schemas: their keys are no keywords either.
_NAMED_SCHEMAS = frozenset({"definitions", "dependencies", "patternProperties", "properties"})


def _with_obsgen_keywords(node: Any) -> Any:
    """The strict schema in standard keywords, for a validator that knows no `x-obsgen-`
    ones: each renamed to its standard twin, or, where that twin stands beside it (both
    apply), added to the schema's allOf."""
    if isinstance(node, list):
        return [_with_obsgen_keywords(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    also: list[dict[str, Any]] = []
    for key, value in node.items():
        keyword = key.removeprefix("x-obsgen-")
        if keyword in _NAMED_SCHEMAS and isinstance(value, dict):
            value = {name: _with_obsgen_keywords(schema) for name, schema in value.items()}
        elif keyword not in _DATA_KEYWORDS:
            value = _with_obsgen_keywords(value)
        if keyword != key and keyword in node:
            # additionalProperties reads the properties beside it: they come along.
            also.append({keyword: value} if keyword != "additionalProperties" else {
                keyword: value, **{k: node[k] for k in ("properties", "patternProperties")
                                   if k in node}})
        else:
            out[keyword] = value
    if also:
        out["allOf"] = [*out.get("allOf", []), *also]
    return out


def _validator(schema: dict[str, Any], strict: bool) -> SchemaValidator:
    if strict:
        return SchemaValidator(_strict_validator_class()(schema),
                               compiled(_with_obsgen_keywords(schema)))
    return SchemaValidator(jsonschema.Draft7Validator(schema), compiled(schema))


@cache
def dashboard_validator(strict: bool) -> SchemaValidator:
    return _validator(load_schema(DASHBOARD_SCHEMA), strict)


@cache
def panel_validator(definition: str, strict: bool) -> SchemaValidator:
    panels = load_schema(PANELS_SCHEMA)
    return _validator({"$ref": f"#/definitions/{definition}",
                       "definitions": panels["definitions"]}, strict)


@cache
def any_panel_validator() -> SchemaValidator:
    definitions = load_schema(DASHBOARD_SCHEMA)["definitions"]
    return _validator({"$ref": "#/definitions/AnyPanel", "definitions": definitions},
                      strict=True)
