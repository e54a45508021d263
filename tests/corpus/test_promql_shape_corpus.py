"""The pre-parse scan (obsgen.check.promql.shape) over real-world queries: its depth bound is
never below the parsed tree's depth, and every query split into a chain, as finely as the
splitter can, analyses exactly as the whole tree does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import promql_parser as pp
import yaml

from obsgen.check.promql import analysis as promql
from obsgen.check.promql import parse as guard
from obsgen.check.promql.analysis import substitute
from obsgen.check.promql.shape import scan, split

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _exprs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return own + [e for value in node.values() for e in _exprs(value)]
    if isinstance(node, list):
        return [e for value in node for e in _exprs(value)]
    return []


def corpus() -> list[str]:
    found = []
    for path in sorted((SHARED / "rules").glob("*/*.yml")):
        found += _exprs(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((SHARED / "dashboards").glob("*/*.json")):
        found += _exprs(json.loads(path.read_text(encoding="utf-8")))
    return sorted(set(found))


def tree_depth(expr: pp.Expr) -> int:
    deepest, pending = 0, [(expr, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        children = [getattr(node, name) for name in ("lhs", "rhs", "expr", "param",
                                                     "vector_selector")
                    if isinstance(getattr(node, name, None), pp.Expr)]
        pending += [(child, depth + 1) for child in [*children, *(getattr(node, "args", None)
                                                                  or [])]]
    return deepest


def test_the_scan_bounds_the_depth_of_every_parsed_query() -> None:
    texts = corpus()
    assert len(texts) > 1900
    below = []
    for text in texts:
        sub = substitute(text).text
        depth = tree_depth(pp.parse(sub))
        if scan(sub).depth < depth:
            below.append((scan(sub).depth, depth, text))
    assert below == []


def test_every_query_split_as_finely_as_possible_analyses_as_the_whole() -> None:
    compared = 0
    different = []
    for text in corpus():
        sub = substitute(text)
        chain = split(scan(sub.text), worth=0)
        if chain is None:
            continue
        compared += 1
        if promql._analysed(text, sub, guard.Plan(chain.depth, chain)) != promql._analysed(
                text, sub, None):
            different.append(text)
    assert compared > 1200
    assert different == []
