"""`obsgen verify`: the project against a live app endpoint and a live Prometheus."""

from __future__ import annotations

from pathlib import Path

import click

from obsgen.cli_output import Output, common, finish, guard
from obsgen.config import load_config
from obsgen.deploy.http import RetryPolicy
from obsgen.diagnostics import Diagnostic, UsageError, has_errors
from obsgen.load import load_project
from obsgen.model.metrics import Metric
from obsgen.verify.client import read_scrape, target
from obsgen.verify.prometheus import verify_prometheus
from obsgen.verify.scrape import compare, parse

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _scrape(metrics: tuple[Metric, ...], source: str, policy: RetryPolicy, out: Output
            ) -> list[Diagnostic]:
    text, where = read_scrape(source, policy)
    report = compare(parse(text, where), metrics, where)
    out.status(f"Scrape {where}: {report.families} families, {report.checked} in the catalog, "
               f"{report.skipped} skipped (runtime and _created series).")
    return report.diagnostics


@click.command(context_settings=CONTEXT)
@common
@click.option("--metrics", "metrics_source", metavar="URL|FILE",
              help="An app's metrics endpoint (http://host:port/metrics) or a scrape saved to "
                   "a file: every metric, label, value, type and bucket against the catalog.")
@click.option("--prometheus", "prometheus_url", metavar="URL", envvar="PROMETHEUS_URL",
              help="A Prometheus base URL: rule groups loaded and healthy, scrape jobs up, "
                   "every query runs, closed label sets hold [env: PROMETHEUS_URL].")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds per request, and per query on Prometheus.")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Retries of a request that timed out or got a 429/5xx answer.")
def verify(project_dir: Path, fmt: str, color: str, select: tuple[str, ...],
           ignore: tuple[str, ...], metrics_source: str | None, prometheus_url: str | None,
           timeout: float, retries: int) -> None:
    """Check the catalog and every query against live systems, read-only.

    \b
    Examples:
      obsgen verify --metrics http://localhost:9464/metrics
      obsgen verify --metrics scrape.txt
      obsgen verify --prometheus http://localhost:9090
      PROMETHEUS_USER=123456 PROMETHEUS_TOKEN=glc_... \\
        obsgen verify --prometheus https://prometheus-prod-01-eu-west-0.grafana.net/api/prom

    Credentials come from the environment only: PROMETHEUS_TOKEN (bearer), or PROMETHEUS_USER
    and PROMETHEUS_TOKEN (basic auth, Grafana Cloud); METRICS_TOKEN for the app endpoint.

    Exit status: 0 clean (warnings allowed), 1 drift or failures found, 2 usage or environment
    problem (no target given, unreachable, TLS, 401/403, not a Prometheus, unparseable scrape).
    """

    def run(out: Output) -> None:
        if not metrics_source and not prometheus_url:
            raise UsageError(Diagnostic.of(
                "OBS003", "nothing to verify: pass --metrics URL|FILE, --prometheus URL, or both",
                None, "e.g. obsgen verify --metrics http://localhost:9464/metrics"))
        config = load_config(project_dir)
        project, found = load_project(config)
        if project is None or has_errors(found):
            finish(out, found)
            return
        policy = RetryPolicy(attempts=retries + 1, timeout=timeout, budget=timeout * 4 + 10)
        if metrics_source:
            found += _scrape(project.metrics, metrics_source, policy, out)
        if prometheus_url:
            prometheus = target(prometheus_url, "--prometheus", "PROMETHEUS", policy,
                                "Prometheus")
            with prometheus.session:
                report = verify_prometheus(project, prometheus, timeout)
            out.status(f"Prometheus {prometheus.url}: {report.groups} rule groups, {report.jobs} "
                       f"scrape jobs, {report.queries} queries, {report.labels} closed labels "
                       "checked.")
            found += report.diagnostics
        finish(out, found)

    guard(run, fmt, color, select, ignore)
