"""Our shipped rule-file schema against 120 real rule files that promtool 2.42 accepts: no
false errors, and a real defect planted into one of them is found at its line."""

from pathlib import Path

import pytest

from obsgen.check.schemas import RULES_SCHEMA, validate_yaml

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "rules"
FILES = sorted(CORPUS.glob("*/*.yml"))


def test_corpus_is_present() -> None:
    assert len(FILES) == 120, f"expected the 120 shared rule files under {CORPUS}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_accepts_every_corpus_rule_file(path: Path) -> None:
    assert validate_yaml(path.read_text(encoding="utf-8"), RULES_SCHEMA) == []


def test_schema_finds_a_planted_defect_at_its_line() -> None:
    path = CORPUS / "kube-prometheus" / "alertmanager.rules.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("for:"))
    indent = lines[target][: len(lines[target]) - len(lines[target].lstrip())]
    lines[target] = f"{indent}for: 10 minutes"
    findings = validate_yaml("\n".join(lines) + "\n", RULES_SCHEMA)
    assert [f.line for f in findings] == [target + 1]
    assert "10 minutes" in findings[0].message


def test_promql_parser_accepts_every_corpus_expression() -> None:
    """`obsgen build` refuses expressions promql-parser rejects (OBS213); promtool accepts all
    of these, so none of them may be refused."""
    import promql_parser
    import yaml

    refused = []
    count = 0
    for path in FILES:
        for group in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("groups") or []:
            for rule in group.get("rules") or []:
                count += 1
                try:
                    promql_parser.parse(str(rule["expr"]))
                except ValueError as exc:
                    refused.append(f"{path.name}: {rule.get('alert') or rule.get('record')}: {exc}")
    assert count > 1000
    assert refused == []
