"""How often each job is scraped, as the scrape configs of one `obsgen lint` run say: a
`prometheus.scrape` component of an Alloy config (`job_name`, else the component's id;
`scrape_interval`, else Alloy's 1m) and a `scrape_configs` entry of a Prometheus config (its
`scrape_interval`, else the file's `global`, else Prometheus' 1m).

Without a catalog, the rate-window lint (OBS926) goes by these, so that a project's build (its
rule files beside the Alloy config obsgen wrote for the same jobs) is judged by the intervals
`obsgen check` judges its definitions by. A file that cannot be read gives nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import promql_parser
import yaml

from obsgen.alloy import ast
from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.check import yamlguard
from obsgen.check.foreign import LintContext

JobInterval = tuple[str, float]  # a job's name and its scrape interval in seconds
DEFAULT_INTERVAL = "1m"  # Alloy's and Prometheus' own default `scrape_interval`


@lru_cache(maxsize=16)
def run_intervals(context: LintContext) -> tuple[JobInterval, ...]:
    """Every job the run's Alloy and Prometheus configs scrape, with its interval."""
    found = [*(j for f in context.of_kind("alloy") for j in alloy_intervals(f.text)),
             *(j for f in context.of_kind("prometheus-config")
               for j in prometheus_intervals(f.text))]
    return tuple(sorted(set(found)))


def _seconds(value: object) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return float(promql_parser.parse_duration(value).total_seconds())
    except (ValueError, TypeError, OverflowError):
        return None


def _string(block: ast.Block, name: str) -> str | None:
    value = next((s.value for s in block.body.stmts
                  if isinstance(s, ast.Attribute) and s.name == name), None)
    return value.value if isinstance(value, ast.StringLiteral) else None


def alloy_intervals(text: str) -> Iterator[JobInterval]:
    try:
        body = parse(text)
    except (AlloySyntaxError, RecursionError):
        return
    for block in body.stmts:
        if not isinstance(block, ast.Block) or block.full_name != "prometheus.scrape":
            continue
        job = _string(block, "job_name") or f"prometheus.scrape.{block.label}"
        interval = _seconds(_string(block, "scrape_interval") or DEFAULT_INTERVAL)
        if interval is not None:
            yield job, interval


def prometheus_intervals(text: str) -> Iterator[JobInterval]:
    try:
        data = yamlguard.load(text)
    except yaml.YAMLError:  # yamlguard's refusals included
        return
    if not isinstance(data, dict):
        return
    given: Any = data.get("global")
    default = given.get("scrape_interval") if isinstance(given, dict) else None
    for config in data.get("scrape_configs") or []:
        if not isinstance(config, dict) or not isinstance(config.get("job_name"), str):
            continue
        interval = _seconds(config.get("scrape_interval") or default or DEFAULT_INTERVAL)
        if interval is not None:
            yield config["job_name"], interval
