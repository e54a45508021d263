"""The component table against the struct-tag facts of grafana/alloy in the shared corpus, so
that a drift between our Python table and the extract is caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from obsgen.alloy.component_types import Attr, Block, Member
from obsgen.alloy.components import BY_NAME, GO_TYPES

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "alloy"
FACTS: list[dict[str, Any]] = json.loads((CORPUS / "components.json").read_text("utf-8"))
REQUIRED_COMPONENTS = (
    "prometheus.scrape", "prometheus.remote_write", "prometheus.relabel", "discovery.relabel",
    "loki.source.journal", "loki.process", "loki.write", "otelcol.receiver.otlp",
    "otelcol.processor.batch", "otelcol.exporter.otlp", "otelcol.exporter.otlphttp",
    "otelcol.auth.basic",
)


def _kind(member: Member) -> str:
    if isinstance(member, Attr):
        return "attr"
    return "enum" if member.enum else "block"


def _compare(facts: list[dict[str, Any]], ours: tuple[Member, ...], where: str) -> list[str]:
    problems = []
    if facts and "unresolved" in facts[0]:
        # The extract could not follow this type; our members come from the reference docs.
        return [] if ours else [f"{where}: no members for an unresolved type"]
    names = [f["name"] for f in facts]
    if names != [m.name for m in ours]:
        return [f"{where}: members {names} in the facts, {[m.name for m in ours]} in our table"]
    for fact, member in zip(facts, ours, strict=True):
        path = f"{where} > {member.name}"
        if fact["kind"] != _kind(member):
            problems.append(f"{path}: kind {fact['kind']} vs {_kind(member)}")
        if fact["required"] != member.required:
            problems.append(f"{path}: required {fact['required']} vs {member.required}")
        if fact["go_type"] != member.go_type:
            problems.append(f"{path}: Go type {fact['go_type']} vs {member.go_type}")
        children = fact.get("children", [])
        if isinstance(member, Block):
            if children and "note" in children[0]:
                assert member.recursive, f"{path}: the facts stop a recursion here"
            else:
                problems += _compare(children, member.members, path)
    return problems


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f["component"])
def test_table_matches_the_struct_tag_facts(fact: dict[str, Any]) -> None:
    component = BY_NAME[fact["component"]]
    assert component.go_file == fact["file"]
    assert _compare(fact["arguments"], component.arguments, component.name) == []
    assert [(e["name"], e["go_type"]) for e in fact["exports"]] == [
        (e.name, e.go_type) for e in component.exports]


def test_every_component_obsgen_emits_is_modelled() -> None:
    assert set(REQUIRED_COMPONENTS) <= set(BY_NAME)


def _attrs(members: tuple[Member, ...]) -> list[Attr]:
    found: list[Attr] = []
    for m in members:
        found += [m] if isinstance(m, Attr) else _attrs(m.members)
    return found


def test_every_attribute_type_has_a_value_type() -> None:
    missing = {a.go_type for c in BY_NAME.values()
               for a in (*_attrs(c.arguments), *c.exports)
               if a.go_type.lstrip("*") not in GO_TYPES}
    assert missing == set()


def test_deprecations_of_otelcol_auth_basic_point_at_client_auth() -> None:
    by_name = {m.name: m for m in BY_NAME["otelcol.auth.basic"].arguments}
    username, password = by_name["username"], by_name["password"]
    assert isinstance(username, Attr) and "client_auth" in username.deprecated
    assert isinstance(password, Attr) and "client_auth" in password.deprecated
