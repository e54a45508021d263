"""YAML aliases and nesting from foreign input: an alias bomb of under 1 KB, recursive
aliases, too many aliases and deep nesting are refused (OBS971/OBS974) before anything is
composed or walked, in every place obsgen reads YAML it did not write; real anchors pass."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from bounded_cli import bounded_obsgen

from obsgen.check import yamlguard
from obsgen.check.rules.rulefile import read_rule_file
from obsgen.check.schemas import RULES_SCHEMA, validate_yaml
from obsgen.deploy.built import read_rule_files
from obsgen.diagnostics import UsageError

RULE = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels: *top\n"


def bomb(levels: int, width: int = 9) -> str:
    """`levels` lists of `width` aliases to the list before: width**levels nodes expanded;
    the file expands past 100,000 nodes (the sum over its lines) at the first alias of l5."""
    lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    lines.append(f"top: &top {{k: *l{levels - 1}}}")
    return "\n".join(lines) + "\n" + RULE


def test_a_billion_laughs_of_under_1_kb_is_refused_at_its_alias(tmp_path: Path) -> None:
    text = bomb(9)  # 9**9 = 387 million nodes expanded
    assert len(text) < 1024
    (tmp_path / "bomb.yml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = bounded_obsgen("lint", "bomb.yml", "--output-format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 30, result.describe()
    assert result.exit_code == 1, result.describe()
    # l0..l4 expand to 74,732 nodes; the first *l4 of l5 (line 6) takes the file past 100,000
    assert result.found() == {("OBS971", "bomb.yml", 6)}
    assert "expands the file past 100,000 nodes" in result.diagnostics()[0]["message"]


def test_a_moderate_bomb_is_refused_before_the_rule_file_is_read() -> None:
    parsed = read_rule_file("bomb.yml", bomb(6))  # 531,441 nodes: seconds, not minutes
    assert parsed.groups == ()
    assert [(code, line) for code, _, _, line in parsed.problems] == [("OBS971", 6)]


def test_a_recursive_alias_is_refused() -> None:
    parsed = read_rule_file("loop.yml", "a: &a [1, *a]\n" + RULE.replace("*top", "{}"))
    assert [(code, line) for code, _, _, line in parsed.problems] == [("OBS971", 1)]
    assert "refers to a node it is inside" in parsed.problems[0][1]


def test_more_aliases_than_the_budget_are_refused() -> None:
    many = "\n".join(f"k{n}: *one" for n in range(yamlguard.ALIAS_BUDGET + 1))
    parsed = read_rule_file("many.yml", f"one: &one 1\n{many}\n" + RULE.replace("*top", "{}"))
    assert [(code, line) for code, _, _, line in parsed.problems] == [
        ("OBS971", yamlguard.ALIAS_BUDGET + 2)]


def test_many_small_documents_share_one_budget() -> None:
    document = bomb(5, width=8)  # 32,768 nodes each: under the bound alone, not together
    parsed = read_rule_file("docs.yml", "\n---\n".join([document] * 5))
    assert [code for code, _, _, _ in parsed.problems] == ["OBS971"]


@pytest.mark.parametrize("depth", [300, 990, 5000])
def test_deep_nesting_is_refused_not_a_recursion_error(depth: int) -> None:
    text = "groups: " + "[" * depth + "]" * depth + "\n"
    parsed = read_rule_file(f"deep{depth}.yml", text)
    assert [(code, line) for code, _, _, line in parsed.problems] == [("OBS974", 1)]


@pytest.mark.parametrize("text", ["[" * 1054, "{" * 5000, "a: " + "[" * 3000 + "]" * 3000])
def test_nesting_past_libyamls_own_limit_is_refused_without_the_slow_parser(text: str) -> None:
    """libyaml stops at 1,000 levels with an error of its own; that is this refusal too, not
    a reason to parse the text again with the pure-Python parser (0.1 s per 1,000 brackets,
    ten times that under a memory tracer)."""
    start = time.process_time()
    with pytest.raises(yamlguard.Refused) as refused:
        yamlguard.compose_all(text)
    assert refused.value.code == "OBS974" and refused.value.line == 1
    assert time.process_time() - start < 0.02


def test_anchors_as_rule_files_use_them_are_read() -> None:
    first = "  - alert: A\n    expr: up == 0\n    labels: &common {severity: page, team: core}\n"
    rules = "".join(f"  - alert: A{n}\n    expr: up == {n}\n    labels: *common\n"
                    for n in range(299))
    text = f"groups:\n- name: g\n  rules:\n{first}{rules}"
    parsed = read_rule_file("anchors.yml", text)
    assert parsed.problems == ()
    assert len(parsed.groups[0].rules) == 300
    assert parsed.groups[0].rules[299].labels == {"severity": "page", "team": "core"}


def test_the_real_corpus_is_under_every_bound() -> None:
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "rules"
    files = sorted(corpus.rglob("*.y*ml"))
    assert len(files) > 100
    for path in files:
        yamlguard.check(path.read_text(encoding="utf-8"))  # raises Refused if tripped


def test_schema_validation_refuses_a_bomb() -> None:
    [finding] = validate_yaml(bomb(6), RULES_SCHEMA)
    assert "expands the file past 100,000 nodes" in finding.message
    assert finding.line == 6


def test_deploy_refuses_a_built_rule_file_with_a_bomb(tmp_path: Path) -> None:
    (tmp_path / "prometheus").mkdir()
    (tmp_path / "prometheus" / "g.rules.yml").write_text(bomb(6), encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_rule_files(tmp_path)
    assert raised.value.diagnostic.code == "OBS519"
    assert "expands the file past 100,000 nodes" in raised.value.diagnostic.message


def test_refused_is_a_yaml_error_with_its_place() -> None:
    with pytest.raises(yaml.YAMLError) as raised:
        yamlguard.compose(bomb(6))
    assert isinstance(raised.value, yamlguard.Refused)
    assert (raised.value.code, raised.value.line, raised.value.column) == ("OBS971", 6, 10)


def test_a_syntax_error_is_left_to_the_composer() -> None:
    with pytest.raises(yaml.YAMLError) as raised:
        yamlguard.compose_all("a: [unclosed\n", yaml.SafeLoader)
    assert not isinstance(raised.value, yamlguard.Refused)


def test_a_tag_no_safe_loader_knows_is_a_finding_not_a_crash() -> None:
    text = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: !Ref up\n"
    parsed = read_rule_file("tag.yml", text)
    assert [(code, line) for code, _, _, line in parsed.problems] == [("OBS940", 5)]
    assert "could not determine a constructor for the tag '!Ref'" in parsed.problems[0][1]


def test_a_rules_file_read_back_for_a_rollback_check_is_guarded_too() -> None:
    """deploy rules reads the previous files of the rules folder back (anyone may have written
    them): an alias bomb there counts as no groups, quickly, instead of expanding."""
    from obsgen.deploy.rules_verify import groups_of

    start = time.process_time()  # CPU time: a busy machine does not stretch it
    assert groups_of({"bomb.rules.yml": bomb(9)}) == [{"name": "bomb.rules.yml", "groups": []}]
    assert time.process_time() - start < 5
