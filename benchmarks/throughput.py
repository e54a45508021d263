"""PromQL analysis throughput: obsgen.check.promql.analysis.analyse over every distinct rule
expression and dashboard target of a build, in this process (target >= 30,000/CPU-s)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import yaml

TARGET = 30_000


def expressions(build: Path) -> list[str]:
    """Every distinct rule expression and dashboard target expression in a build folder
    (distinct: analyse memoises by text, and repeats would time cache hits)."""
    found: set[str] = set()
    for path in sorted(build.rglob("*.rules.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            found.update(rule["expr"] for rule in group["rules"])
    for path in sorted(build.rglob("*.json")):
        found.update(_targets(json.loads(path.read_text())))
    return sorted(found)


def _targets(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return own + [e for value in node.values() for e in _targets(value)]
    if isinstance(node, list):
        return [e for value in node for e in _targets(value)]
    return []


def analysis_throughput(texts: list[str], rounds: int = 3) -> tuple[float, int] | str:
    """Expressions analysed per CPU second (the best of `rounds`, so that other work on a
    shared machine counts as little as possible), and how many failed; or why it cannot be
    measured."""
    try:
        from obsgen.check.promql.analysis import analyse
    except ImportError as exc:
        return f"not measured: obsgen.check.promql.analysis.analyse is not available ({exc})"
    analyser: Callable[[str], object] = analyse
    clear = getattr(analyse, "cache_clear", None)
    best, failed = 0.0, 0
    for _ in range(rounds):
        if clear is not None:
            clear()  # analyse may memoise by text: measure parsing, not cache hits
        failed = 0
        start = time.process_time()
        for text in texts:
            try:
                analyser(text)
            except Exception:  # a failure counts, it must not stop the measurement
                failed += 1
        best = max(best, len(texts) / max(time.process_time() - start, 1e-9))
    return best, failed


def line(build: Path) -> str:
    texts = expressions(build)
    measured = analysis_throughput(texts)
    if isinstance(measured, str):
        return measured
    rate, failed = measured
    verdict = "meets" if rate >= TARGET else "MISSES"
    return (f"{rate:,.0f} expressions/CPU-s over {len(texts):,} distinct expressions "
            f"({failed} failed) [{verdict} target: >= {TARGET:,}/s]")
