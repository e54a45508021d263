"""PromQL analysis over real-world queries: every rule expression of the 120 shared rule files
and every panel target of the 41 shared dashboards parses after Grafana macro substitution, and
what the analysis extracts is consistent with the text it came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from obsgen.check.promql.analysis import analyse

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RULE_FILES = sorted((SHARED / "rules").glob("*/*.yml"))
DASHBOARDS = sorted((SHARED / "dashboards").glob("*/*.json"))


def rule_expressions() -> list[tuple[str, str]]:
    found = []
    for path in RULE_FILES:
        for group in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("groups") or []:
            for rule in group.get("rules") or []:
                found.append((f"{path.name}: {rule.get('alert') or rule.get('record')}",
                              str(rule["expr"])))
    return found


def _panels(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in [*(node.get("panels") or []), *(node.get("rows") or [])]:
        yield panel
        yield from _panels(panel)


def panel_targets() -> list[tuple[str, str]]:
    found = []
    for path in DASHBOARDS:
        for panel in _panels(json.loads(path.read_text(encoding="utf-8"))):
            for target in panel.get("targets") or []:
                if isinstance(target.get("expr"), str):
                    found.append((f"{path.name}: {panel.get('title')!r}", target["expr"]))
    return found


def test_every_rule_expression_parses() -> None:
    exprs = rule_expressions()
    failed = [(where, analyse(text).error) for where, text in exprs if not analyse(text).ok]
    print(f"rule expressions parsed: {len(exprs) - len(failed)}/{len(exprs)}")
    assert len(exprs) == 1188
    assert failed == []


def test_every_dashboard_target_parses_after_macro_substitution() -> None:
    targets = panel_targets()
    failed = [(where, analyse(text).error) for where, text in targets if not analyse(text).ok]
    print(f"dashboard targets parsed: {len(targets) - len(failed)}/{len(targets)}")
    assert len(DASHBOARDS) == 41
    assert len(targets) == 870
    assert sum("$__rate_interval" in text for _, text in targets) > 300
    assert failed == []


def test_selector_positions_point_at_the_metric_name_in_the_original_text() -> None:
    misplaced = []
    total = 0
    for where, text in [*rule_expressions(), *panel_targets()]:
        for selector in analyse(text).selectors:
            if selector.name is None:
                continue
            total += 1
            if not text.startswith(selector.name, selector.position):
                misplaced.append((where, selector.name, selector.position))
    assert total > 3000
    assert misplaced == []


def test_macro_ranges_are_reported_as_written() -> None:
    ranges = {s.range_text for _, text in panel_targets() for s in analyse(text).selectors}
    assert "$__rate_interval" in ranges
    assert "1m" not in ranges or any("[1m]" in t for _, t in panel_targets())
