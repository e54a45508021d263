"""Property tests: escaping survives a real parser, YAML text survives a round trip."""

import promql_parser
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from obsgen import Counter, Label
from obsgen.emit.annotations import expand
from obsgen.emit.yamltext import dump

METRIC = Counter("events_total", help="h", labels=[Label("path")])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(TEXT)
def test_label_values_survive_promql_parsing(value: str) -> None:
    parsed = promql_parser.parse(str(METRIC.where(path=value)))
    assert parsed.matchers.matchers[0].value == value


@given(st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True), TEXT,
                      max_size=5))
@example({"summary": "next\x85line"})
@example({"description": "two\nlines \n"})
def test_yaml_dump_round_trips_strings(data: dict[str, str]) -> None:
    assert yaml.safe_load(dump({"annotations": data}))["annotations"] == data


@given(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), TEXT)
@example("persona", "{{ not an action }}")
def test_label_references_expand_to_the_label_value(name: str, value: str) -> None:
    assert expand(f"<{{{{ $labels.{name} }}}}>", {name: value}) == f"<{value}>"
    assert expand(f"<{{{{ $labels.{name} }}}}>", {}) == "<>"
