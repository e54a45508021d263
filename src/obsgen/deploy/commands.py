"""`obsgen deploy grafana` and `obsgen deploy rules`: options, credentials from the
environment, and the exit status (0 done, 1 something failed or was refused, 2 usage)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit, urlunsplit

import click

from obsgen import redact
from obsgen.check.rules import promtool
from obsgen.config import Config, load_config
from obsgen.deploy import built
from obsgen.deploy.grafana import GrafanaOptions, deploy_grafana
from obsgen.deploy.http import RetryPolicy, Session
from obsgen.deploy.identity import with_identity
from obsgen.deploy.output import Progress, show
from obsgen.deploy.plan import Report
from obsgen.deploy.ruler import RulerOptions, deploy_ruler
from obsgen.deploy.rules import PrometheusOptions, deploy_prometheus
from obsgen.diagnostics import Diagnostic, UsageError
from obsgen.redact import sensitive_params
from obsgen.report import FORMATS, render, use_color

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
TOKEN_HINT = ("export GRAFANA_TOKEN=<service-account token> (Grafana: Administration > Users "
              "and access > Service accounts, role Editor); it is read only from the "
              "environment, never from a flag")


def options(func: F) -> F:
    """Options both deploy commands take."""
    for option in reversed((
        click.option("-C", "--project", "project_dir", default=Path(), show_default=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Project folder (holds obsgen.toml); its build/ is deployed."),
        click.option("--dry-run", is_flag=True,
                     help="Print what would change (with diffs) and change nothing."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0,
                     show_default=True, help="Seconds to wait for one HTTP answer."),
        click.option("--retries", type=click.IntRange(min=0, max=20), default=5,
                     show_default=True,
                     help="Retries of one request on 429/5xx/timeouts, with backoff."),
        click.option("--output-format", "fmt", type=click.Choice(FORMATS), default="full",
                     show_default=True, help="json: the plan/result as one JSON object."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]),
                     default="auto", show_default=True),
    )):
        func = option(func)
    return func


def usage(code: str, message: str, hint: str) -> UsageError:
    return UsageError(Diagnostic.of(code, message, None, hint))


def guard(run: Callable[[], int], fmt: str, color: str) -> None:
    try:
        status = run()
    except UsageError as exc:
        text = render([exc.diagnostic], fmt, use_color(color))
        click.echo(text, nl=False, err=fmt != "json")
        sys.exit(2)
    sys.exit(status)


EXAMPLES = {"--url": "https://<stack>.grafana.net", "--prometheus-url": "http://localhost:9090",
            "--ruler-url": "http://mimir:8080/prometheus"}


def check_url(url: str | None, option: str, env: str) -> str:
    """The target's base URL without surrounding space or trailing slash. Refused when it
    carries credentials (user:password@, ?token=...) or a query; a message shows a URL only
    through redact.url, so no refusal echoes what it refuses."""
    text = (url or "").strip()
    if not text:
        raise usage("OBS511", f"no target URL: pass {option} or set {env}",
                    f"e.g. {option} {EXAMPLES[option]}")
    try:
        parts: SplitResult | None = urlsplit(text)
    except ValueError:  # e.g. an unclosed [IPv6] host
        parts = None
    credentials = ("put them in the environment: GRAFANA_TOKEN, or MIMIR_API_USER and "
                   "MIMIR_API_KEY")
    if parts is not None and "@" in parts.netloc:
        raise usage("OBS511", f"{option} must not carry credentials (user:password@)",
                    credentials)
    if parts is not None and (parts.query or parts.fragment):
        secret = sensitive_params(f"{parts.query}&{parts.fragment}")
        raise usage("OBS511", f"{option} {redact.url(text)!r} has a query string or fragment; "
                    "a base URL takes none",
                    credentials if secret else "drop it: obsgen appends the API paths")
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise usage("OBS511", f"{option} {redact.url(text)!r} is not an http(s) URL",
                    f"e.g. {option} {EXAMPLES[option]}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def policy(timeout: float, retries: int) -> RetryPolicy:
    return RetryPolicy(attempts=retries + 1, timeout=timeout)


@click.group(context_settings=CONTEXT)
def deploy() -> None:
    """Deploy what `obsgen build` wrote: dashboards into Grafana, rules into Prometheus or a
    Mimir / Grafana Cloud ruler. Safe to rerun: only what differs is changed."""


@deploy.command(context_settings=CONTEXT)
@options
@click.option("--url", envvar="GRAFANA_URL", help="Grafana base URL [env: GRAFANA_URL].")
@click.option("--prune", is_flag=True,
              help="Delete this project's dashboards in its folders that are no longer "
                   "defined and unchanged since obsgen wrote them. Others (edited, copies, "
                   "other projects') are reported and left.")
@click.option("--force", is_flag=True,
              help="Overwrite dashboards changed in Grafana since the last deploy (drift), "
                   "not deployed by obsgen or by another project, and rename folders.")
@click.option("--message", default="Deployed by obsgen", show_default=True,
              help="Version-history message of every dashboard saved.")
def grafana(project_dir: Path, dry_run: bool, timeout: float, retries: int, fmt: str,
            color: str, url: str | None, prune: bool, force: bool, message: str) -> None:
    """Create the folders and upsert the dashboards of build/grafana/ through Grafana's HTTP
    API. The token is read from GRAFANA_TOKEN (a service-account token).

    Unchanged dashboards are not posted again. Every dashboard written carries the tags
    `obsgen`, `obsgen-project:<project>` and `obsgen-sha256:<fingerprint>`; one edited in
    Grafana since, or another project's, is reported and left alone unless --force.
    """

    def run() -> int:
        token = os.environ.get("GRAFANA_TOKEN", "").strip()
        base = check_url(url, "--url", "GRAFANA_URL")
        if not token:
            raise usage("OBS511", "GRAFANA_TOKEN is not set", TOKEN_HINT)
        config = load_config(project_dir)
        dashboards = built.read_dashboards(config.build, built.project_definitions(config))
        progress = Progress(fmt, use_color(color))
        session = Session(base, {"Authorization": f"Bearer {token}",
                                 "Accept": "application/json"},
                          policy=policy(timeout, retries), notify=progress.note)
        with session:
            report = deploy_grafana(session, dashboards, GrafanaOptions(
                base, dry_run, prune, force, message, config.project), progress.action)
        return show(with_identity(report, config), fmt, use_color(color))

    guard(run, fmt, color)


@deploy.command(context_settings=CONTEXT)
@options
@click.option("--prometheus-dir", envvar="PROMETHEUS_RULES_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder the Prometheus server loads rule files from (its rule_files glob) "
                   "[env: PROMETHEUS_RULES_DIR].")
@click.option("--prometheus-url", envvar="PROMETHEUS_URL",
              help="That server, for POST /-/reload and /api/v1/rules [env: PROMETHEUS_URL].")
@click.option("--verify-timeout", type=click.FloatRange(min=0), default=30.0,
              show_default=True,
              help="Seconds to wait for the deployed groups to load and run healthy. A "
                   "changed group with a longer interval is waited for up to its interval "
                   "+ 15 s, unless --allow-unverified.")
@click.option("--allow-unverified", is_flag=True,
              help="Accept changed groups not yet evaluated after --verify-timeout (a "
                   "warning) instead of waiting for their first evaluation (else an error).")
@click.option("--force", is_flag=True,
              help="Overwrite rule files edited by hand since obsgen wrote them (drift), of "
                   "another project, or not obsgen's, and prune this project's edited ones. "
                   "Ruler: overwrite or prune this project's groups changed in the ruler, "
                   "overwrite groups obsgen did not write, take over a namespace it builds.")
@click.option("--ruler-url", envvar="RULER_URL",
              help="A Mimir / Cortex / Grafana Cloud ruler, with its Prometheus prefix, e.g. "
                   "https://prometheus-prod-01-eu-west-0.grafana.net/prometheus or "
                   "http://mimir:8080/prometheus [env: RULER_URL]. Tenant from MIMIR_TENANT, "
                   "basic auth from MIMIR_API_USER / MIMIR_API_KEY.")
@click.option("--namespace-prefix", default="obsgen-", show_default=True,
              help="Ruler namespaces are <prefix><project>-<rule file>. obsgen writes only "
                   "namespaces whose manifest names this project, and deletes there only "
                   "groups it wrote that are unchanged and no longer built.")
def rules(project_dir: Path, dry_run: bool, timeout: float, retries: int, fmt: str,
          color: str, prometheus_dir: Path | None, prometheus_url: str | None,
          verify_timeout: float, allow_unverified: bool, force: bool, ruler_url: str | None,
          namespace_prefix: str) -> None:
    """Deploy build/prometheus/*.rules.yml to a Prometheus (--prometheus-dir and
    --prometheus-url) or to a Mimir / Grafana Cloud ruler (--ruler-url).

    \b
    Prometheus: promtool check rules first; only this project's files, unchanged since
    obsgen wrote them, are overwritten or pruned (others are reported and left unless
    --force); the previous files are kept beside the folder until the deploy is verified;
    files written atomically; POST /-/reload; every group confirmed loaded and healthy, and
    every changed group evaluated once, through /api/v1/rules; on any failure, or in the next
    run after a kill, the previous files are restored and Prometheus reloaded again.
    Ruler: one namespace per rule file, holding obsgen's manifest (its project and the
    fingerprint of each group it wrote); groups created or updated one by one; only this
    project's groups, unchanged since obsgen wrote them, are overwritten or deleted (others
    are reported and left unless --force).
    """

    def run() -> int:
        config = load_config(project_dir)
        progress = Progress(fmt, use_color(color))
        if ruler_url and (prometheus_dir or prometheus_url):
            raise usage("OBS511", "choose one target: --ruler-url, or --prometheus-dir with "
                        "--prometheus-url", "pass the options of one target only")
        if ruler_url:
            url = check_url(ruler_url, "--ruler-url", "RULER_URL")
            return _to_ruler(config, RulerOptions(url, dry_run, namespace_prefix,
                                                  config.project, force),
                             policy(timeout, retries), progress, fmt, color)
        if not prometheus_dir:
            raise usage("OBS511", "no target: pass --prometheus-dir DIR --prometheus-url URL, "
                        "or --ruler-url URL", "see `obsgen deploy rules --help`")
        url = check_url(prometheus_url, "--prometheus-url", "PROMETHEUS_URL")
        tool = promtool.find_promtool()
        files = built.read_rule_files(config.build)
        with Session(url, policy=policy(timeout, retries), notify=progress.note) as session:
            report = deploy_prometheus(session, files, PrometheusOptions(
                prometheus_dir, url, dry_run, verify_timeout, project=config.project,
                force=force, allow_unverified=allow_unverified), tool, progress.action)
        return show(report, fmt, use_color(color))

    guard(run, fmt, color)


def ruler_credentials() -> tuple[dict[str, str], tuple[str, str] | None]:
    """X-Scope-OrgID from MIMIR_TENANT; basic auth from MIMIR_API_USER and MIMIR_API_KEY."""
    headers = {"Accept": "application/yaml, application/json"}
    tenant = os.environ.get("MIMIR_TENANT", "").strip()
    if tenant:
        headers["X-Scope-OrgID"] = tenant
    user = os.environ.get("MIMIR_API_USER", "").strip()
    key = os.environ.get("MIMIR_API_KEY", "").strip()
    if bool(user) != bool(key):
        raise usage("OBS511", "set both MIMIR_API_USER and MIMIR_API_KEY, or neither",
                    "Grafana Cloud: the user is the Prometheus instance's user id, the key an "
                    "access-policy token with rules:write")
    return headers, (user, key) if user else None


def _to_ruler(config: Config, options: RulerOptions, retry: RetryPolicy,
              progress: Progress, fmt: str, color: str) -> int:
    files = built.read_rule_files(config.build)
    headers, auth = ruler_credentials()
    with Session(options.url, headers, auth, retry, notify=progress.note) as session:
        report: Report = deploy_ruler(session, files, options, progress.action)
    return show(with_identity(report, config), fmt, use_color(color))
