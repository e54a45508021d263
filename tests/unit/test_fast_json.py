"""Dashboard files are written by orjson where it writes what json.dumps(sort_keys=True,
indent=2, ensure_ascii=False) writes, and by json itself where it would not: byte-identical
over every dashboard of build/, the golden projects, the lint fixtures and the corpus
(re-serialised), and over the values where the two libraries differ."""

from __future__ import annotations

import enum
import json
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest

from obsgen.emit.jsontext import dashboard_text as _text

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
DASHBOARDS = sorted([*CORPUS.glob("dashboards/*/*.json"), *ROOT.glob("build/grafana/*/*.json"),
                     *ROOT.glob("tests/golden/projects/*/expected/grafana/*/*.json"),
                     *ROOT.glob("tests/fixtures/lint/**/*.json")])


def by_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_every_dashboard_is_written_byte_for_byte_as_json_writes_it() -> None:
    assert len([p for p in DASHBOARDS if "corpus" in p.parts]) == 41
    for path in DASHBOARDS:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert _text(data) == by_json(data), path
        if "corpus" not in path.parts and "fixtures" not in path.parts:
            assert _text(data) == text, path  # obsgen's own files, as json wrote them


def test_the_orjson_path_is_taken_exactly_where_orjson_writes_the_same() -> None:
    # Otherwise the test above would prove only that json writes what json writes. Where the
    # tokens differ (the example's heatmap writes `"le": 1e-09`, orjson `1e-9`), so does the
    # indented text, and json writes it.
    taken = 0
    for path in DASHBOARDS:
        data = json.loads(path.read_text(encoding="utf-8"))
        same_tokens = orjson.dumps(data, option=orjson.OPT_SORT_KEYS) == json.dumps(
            data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        indented = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
        assert same_tokens == (indented.decode("utf-8") + "\n" == by_json(data)), path
        taken += same_tokens
    assert taken >= len(DASHBOARDS) - 5


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


ODD: list[Any] = [
    1e-05, 9.99e-05, 2.5e-07, -1.2e-09, 0.0001, 1e16, 1.5e22, 5e-324, -0.0, 0.1 + 0.2,
    1.7976931348623157e308, float("nan"), float("inf"), -float("inf"),
    2**63, 2**64, -(2**63) - 1, 10**30, True, None,
    "é ü 漢字 😀", "\u2028\u2029", "\x00\x1f\x7f", "tab\tquote\"back\\slash", "\ud800",
    {}, [], {"": [{}, [[]]]}, {"b": 1, "a": 2, "B": 3, "é": 4, "😀": 5, "z": {"y": [], "x": {}}},
    (1, 2), {1: "int key"}, {"k": Colour.RED}, {"k": Level.HIGH}, [1.0, 2, 3.25e-5],
]


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_values_where_the_libraries_differ_are_written_as_json_writes_them(value: Any) -> None:
    data = {"panels": [{"value": value, "options": {"nested": [value]}}], "title": "t"}
    assert _text(data) == by_json(data)


def test_what_json_cannot_write_still_fails_as_it_did() -> None:
    # orjson writes UUIDs, dataclasses and datetimes, which json refuses
    with pytest.raises(TypeError, match="UUID is not JSON serializable"):
        _text({"uid": uuid.UUID(int=1)})
