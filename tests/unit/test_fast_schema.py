r"""The compiled JSON Schema validator (jsonschema-rs) only decides that a document has no
errors; Python jsonschema words the errors of one that has. Over every dashboard of the corpus,
of build/, of the golden kitchen sink and of the lint fixtures, every rule and test file of
build/ and the corpus rule files, and variants of them broken on purpose (wrong types, missing
keys, unknown keys, strings the schema's patterns refuse, YAML values JSON has no type for),
obsgen's findings are the same with and without the compiled validator, and both validators
give the same pass/fail but where Python's `re` is laxer than the ECMA-262 regex JSON Schema
names (`$` before a final newline, `\d` on a non-ASCII digit): there the compiled one refuses,
so the full check runs and decides, as it did before."""

from __future__ import annotations

import copy
import datetime
import json
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from obsgen.check.dashboards.schema import (
    iter_panels,
    panel_errors_strict,
    validate_dashboard_lenient,
    validate_dashboard_strict,
)
from obsgen.check.dashboards.validators import (
    any_panel_validator,
    dashboard_validator,
    panel_validator,
)
from obsgen.check.schemas import (
    RULES_SCHEMA,
    TESTS_SCHEMA,
    SchemaValidator,
    load_schema,
    schema_validator,
    validate_yaml,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
BUILD = ROOT / "build"
DASHBOARDS = sorted([*CORPUS.glob("dashboards/*/*.json"), *BUILD.glob("grafana/*/*.json"),
                     *ROOT.glob("tests/golden/projects/*/expected/grafana/*/*.json"),
                     *ROOT.glob("tests/fixtures/lint/**/*.json")])
RULE_FILES = sorted([*BUILD.glob("prometheus/*.rules.yml"), *CORPUS.glob("rules/*/*.yml")])
TEST_FILES = sorted(BUILD.glob("prometheus/tests/*.test.yml"))
EXTRA_KEY = "obsgenUnknownKey"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    items = (value.items() if isinstance(value, dict) else
             enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        yield from _strings(key)
        yield from _strings(item)


def _lax_in_python_re(data: Any) -> bool:
    r"""A string Python's `re` matches and ECMA-262's does not: a final newline before `$`,
    or a digit outside ASCII for `\d`."""
    return any(s.endswith("\n") or any(c.isdigit() and not c.isascii() for c in s)
               for s in _strings(data))


def assert_alike(validator: SchemaValidator, data: Any) -> None:
    """The compiled validator says valid exactly when Python jsonschema finds no error, but
    that it may refuse what Python's laxer `re` lets through; a value it has no JSON type for
    (a YAML date) counts as refused."""
    fast = validator._known_valid(data)
    full = not any(True for _ in validator.full.iter_errors(data))
    assert fast == full or (full and _lax_in_python_re(data)), (fast, full, data)


def _wrong_type(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return ["true", 1]
    if isinstance(value, str):
        return [7, None, "", value + "\n", "٣" + value, ["x"]]
    if isinstance(value, int | float):
        return [str(value), True, 1.5, -1]
    if isinstance(value, list):
        return [{"a": 1}, "x", [None]]
    if isinstance(value, dict):
        return [["x"], 3, {**value, EXTRA_KEY: 1}]
    return [{}, "null", 0]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = (value.items() if isinstance(value, dict) else
             enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        yield from _paths(item, (*path, key))


def _replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    out = copy.deepcopy(data)
    if not path:
        return new
    holder = out
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return out


def _removed(data: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(data)
    holder = out
    for step in path[:-1]:
        holder = holder[step]
    del holder[path[-1]]
    return out


def variants(data: Any, every: int = 1) -> Iterator[Any]:
    """`data` broken at each `every`-th place: each value of a wrong type (or a string the
    patterns refuse), each key removed, each object given an unknown key."""
    for index, path in enumerate(_paths(data)):
        if index % every:
            continue
        holder = data
        for step in path:
            holder = holder[step]
        for new in _wrong_type(holder):
            yield _replaced(data, path, new)
        if path and isinstance(path[-1], str):
            yield _removed(data, path)


@cache
def _dashboard(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _dashboard_texts() -> Iterator[str]:
    for path in DASHBOARDS:
        yield path.read_text(encoding="utf-8")
    for path in DASHBOARDS:
        data = _dashboard(path)
        if not isinstance(data, dict):
            continue
        top = {k: v for k, v in data.items() if k not in ("panels", "rows")}
        # obsgen's own dashboards broken at every fifth place, the corpus at every fortieth
        for variant in variants(top, every=40 if "corpus" in path.parts else 5):
            whole = {**variant, "panels": (data.get("panels") or [])[:2]} if isinstance(
                variant, dict) else variant
            yield json.dumps(whole, indent=2)


def _panels() -> Iterator[dict[str, Any]]:
    for path in DASHBOARDS:
        data = _dashboard(path)
        if isinstance(data, dict):
            yield from (panel for _, panel in iter_panels(data))


def _panel_variants() -> Iterator[Any]:
    """Every panel as it is, and each distinct panel kind of build/ and the kitchen sink
    broken at every place."""
    seen: set[str] = set()
    for panel in _panels():
        yield panel
    for path in DASHBOARDS:
        if "corpus" in path.parts or "fixtures" in path.parts:
            continue
        for _, panel in iter_panels(_dashboard(path)):
            if panel.get("type") in seen:
                continue
            seen.add(str(panel.get("type")))
            yield from (v for v in variants(panel) if isinstance(v, dict))


def test_sources_are_there() -> None:
    # A test over nothing proves nothing: the corpus, build/ and the golden kitchen sink.
    assert len([p for p in DASHBOARDS if "corpus" in p.parts]) == 41
    assert len([p for p in DASHBOARDS if p.parts[-4] == "build"]) >= 3
    assert len(RULE_FILES) > 100 and len(TEST_FILES) >= 5


def test_dashboard_findings_are_the_same_with_and_without_the_compiled_validator() -> None:
    strict_only = checked = 0
    for text in _dashboard_texts():
        strict = validate_dashboard_strict(text, fast=True)
        lenient = validate_dashboard_lenient(text, fast=True)
        assert strict == validate_dashboard_strict(text, fast=False), text[:200]
        assert lenient == validate_dashboard_lenient(text, fast=False), text[:200]
        strict_only += bool(strict) and not lenient
        checked += 1
    # The variants reach obsgen's own `x-obsgen-` constraints, which only the strict schema
    # holds: a compiled strict schema that dropped them would differ here.
    assert strict_only > 20 and checked > 500


def test_panel_guard_findings_are_the_same_with_and_without_the_compiled_validator() -> None:
    failing = 0
    for panel in _panel_variants():
        found = panel_errors_strict(panel, fast=True)
        assert found == panel_errors_strict(panel, fast=False), panel
        failing += bool(found)
    assert failing > 300


def test_dashboard_validators_pass_and_fail_alike() -> None:
    for strict in (True, False):
        for text in _dashboard_texts():
            assert_alike(dashboard_validator(strict), json.loads(text))
    kinds = load_schema("grafana-panels.schema.json")["kinds"]
    for panel in _panel_variants():
        assert_alike(any_panel_validator(), panel)
        kind = panel.get("type")
        if not isinstance(kind, str) or kind not in kinds:
            continue
        defaults = (panel.get("fieldConfig") or {}).get("defaults") if isinstance(
            panel.get("fieldConfig"), dict) else None
        parts = {"options": panel.get("options"),
                 "custom": defaults.get("custom") if isinstance(defaults, dict) else None}
        for part, value in parts.items():
            for strict in (True, False):
                if value is not None:
                    assert_alike(panel_validator(kinds[kind][part], strict), value)


def _yaml_variants(path: Path) -> Iterator[str]:
    """The file, and a cut of it (first group, first three rules; first test) broken at every
    place, with YAML values JSON has no type for among the breakages."""
    text = path.read_text(encoding="utf-8")
    yield text
    data = yaml.safe_load(text)
    sampled = "corpus" not in path.parts or zlib.crc32(path.name.encode()) % 16 == 0
    if not isinstance(data, dict) or not sampled:
        return  # every corpus file as it is; a sixteenth of them broken too
    if isinstance(data.get("groups"), list) and data["groups"]:
        group = data["groups"][0]
        cut = {**data, "groups": [{**group, "rules": (group.get("rules") or [])[:3]}]}
    elif isinstance(data.get("tests"), list) and data["tests"]:
        cut = {**data, "tests": data["tests"][:1]}
    else:
        cut = data
    odd = [datetime.date(2024, 1, 1), float("nan"), float("inf"), 2**70, b"\x00", {1: "x"},
           {None: "x"}, {"k": datetime.datetime(2024, 1, 1, 12)}]
    for variant in variants(cut, every=2):
        yield yaml.safe_dump(variant, sort_keys=False, allow_unicode=True)
    for index, place in enumerate(list(_paths(cut))[1::5]):
        yield yaml.safe_dump(_replaced(cut, place, odd[index % len(odd)]), sort_keys=False)


@pytest.mark.parametrize(("schema", "files"), [(RULES_SCHEMA, RULE_FILES),
                                                (TESTS_SCHEMA, TEST_FILES)])
def test_yaml_findings_are_the_same_with_and_without_the_compiled_validator(
        schema: str, files: list[Path]) -> None:
    failing = 0
    for path in files:
        for text in _yaml_variants(path):
            found = validate_yaml(text, schema, fast=True)
            assert found == validate_yaml(text, schema, fast=False), text[:300]
            assert_alike(schema_validator(schema), yaml.safe_load(text))
            failing += bool(found)
    assert failing > 50
