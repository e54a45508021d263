"""`prometheus.yml` as an `obsgen lint` kind: told by its top-level keys, checked with
`promtool check config --syntax-only` where promtool is installed, and read for the scrape jobs
it defines (the `job` values `up{job=...}` may name; see check/estate.py).

`--syntax-only` because a config names files of the machine it runs on (rule_files,
credential files, TLS certificates): linted elsewhere they are missing, which says nothing
about the file.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from obsgen.check import yamlguard
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.rules import promtool
from obsgen.check.rules.promtool import Promtool, PromtoolTimeoutError, find_promtool
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location, UsageError

# Every top-level key of Prometheus' configuration file (config.Config); a file with any other
# key is no Prometheus config (promtool refuses unknown fields), whatever else it shares.
TOP_LEVEL_KEYS = frozenset({"global", "scrape_configs", "scrape_config_files", "rule_files",
                            "alerting", "remote_write", "remote_read", "storage", "tracing",
                            "otlp", "runtime"})
# `global` alone is not enough: Alertmanager configs and Helm values files have one too.
_TELLING = re.compile(r"^[\"']?(scrape_configs|scrape_config_files|rule_files|alerting|"
                      r"remote_write)[\"']?\s*:", re.MULTILINE)
_FAILED_LINE = re.compile(r"line (\d+):\s*(.*)")
_UNKNOWN_FIELD = re.compile(r"field (\w+) not found in type")
# Configuration fields of Prometheus releases after the promtool obsgen is tested with (2.42).
NEWER_FIELDS = frozenset({
    "keep_dropped_targets", "scrape_native_histograms", "always_scrape_classic_histograms",
    "convert_classic_histograms_to_nhcb", "scrape_protocols", "enable_compression",
    "track_timestamps_staleness", "metric_name_validation_scheme",
    "metric_name_escaping_scheme", "fallback_scrape_protocol", "scrape_failure_log_file",
    "native_histogram_bucket_limit", "native_histogram_min_bucket_factor", "enable_http2",
    "scrape_config_files", "otlp", "runtime", "http_headers", "proxy_from_environment",
    "no_proxy", "proxy_connect_header", "promote_resource_attributes",
    "keep_identifying_resource_attributes", "translation_strategy", "protobuf_message",
    "round_robin_dns", "convert_histograms_to_nhcb", "promote_all_resource_attributes",
    "ignore_resource_attributes", "extra_scrape_metrics", "google_iam",
    # limits that `global` takes since 2.45 (scrape configs took them before), tsdb options
    "body_size_limit", "sample_limit", "target_limit", "label_limit", "label_name_length_limit",
    "label_value_length_limit", "stale_series_compaction_threshold", "retention",
})
_DUPLICATE_JOB = re.compile(r'multiple scrape configs with job name "([^"]*)"')
HINT = "see the configuration reference: https://prometheus.io/docs/prometheus/latest/" \
       "configuration/configuration/"


def is_prometheus_config(text: str) -> bool:
    """A YAML mapping whose keys are all Prometheus config keys, one of them telling."""
    if not _TELLING.search(text):
        return False
    try:
        node = yamlguard.compose(text)
    except yaml.YAMLError:
        return False
    return isinstance(node, yaml.MappingNode) and all(
        isinstance(k, yaml.ScalarNode) and k.value in TOP_LEVEL_KEYS for k, _ in node.value)


def literal_job(action: Any, replacement: Any) -> str | None:
    """The `job` a relabel rule writing `target_label: job` sets, when it is a literal; None
    when it depends on the target (a `$1` capture, the default replacement, another action)."""
    if (action or "replace") != "replace" or not isinstance(replacement, str):
        return None
    return None if "$" in replacement or not replacement else replacement


def _relabel_jobs(rules: Any) -> Iterator[str | None]:
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and rule.get("target_label") == "job":
            yield literal_job(rule.get("action"), rule.get("replacement", "$1"))
        elif isinstance(rule, dict) and rule.get("action") == "labelmap" and "job" in str(
                rule.get("replacement", "")):
            yield None


def _scrape_jobs(config: dict[str, Any]) -> Iterable[str] | None:
    name = config.get("job_name")
    # honor_labels keeps the `job` the target exposes; file and HTTP discovery may set any.
    if not isinstance(name, str) or config.get("honor_labels") is True or any(
            key in config for key in ("file_sd_configs", "http_sd_configs")):
        return None
    jobs = {name}
    statics = config.get("static_configs")
    for static in statics if isinstance(statics, list) else []:
        labels = static.get("labels") if isinstance(static, dict) else None
        if isinstance(labels, dict) and "job" in labels:
            jobs.add(str(labels["job"]))
    for key in ("relabel_configs", "metric_relabel_configs"):
        for job in _relabel_jobs(config.get(key)):
            if job is None:
                return None
            jobs.add(job)
    return jobs


def prometheus_jobs(text: str) -> frozenset[str] | None:
    """The `job` values a Prometheus config gives its series; None when they cannot all be
    known from the file (scrape_config_files, discovery that brings labels, relabelling from
    target metadata)."""
    try:
        data = yamlguard.load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or data.get("scrape_config_files"):
        return None
    jobs: set[str] = set()
    configs = data.get("scrape_configs") or []
    if not isinstance(configs, list):
        return None  # promtool's finding; the jobs cannot be known
    for config in configs:
        found = _scrape_jobs(config) if isinstance(config, dict) else None
        if found is None:
            return None
        jobs.update(found)
    return frozenset(jobs)


def _findings(path: str, text: str, output: str) -> list[Diagnostic]:
    """promtool prints `FAILED: parsing YAML file F: yaml: unmarshal errors:` and then one
    `line N: ...` per problem: each of those is a finding at its line."""
    messages: list[tuple[int, str]] = []
    for raw in output.splitlines():
        line = raw.strip().removeprefix("FAILED:").strip()
        if not line or line.startswith(("Checking ", "SUCCESS")):
            continue
        at = _FAILED_LINE.match(line)
        if at is not None:
            messages.append((int(at.group(1)), at.group(2)))
        elif not line.endswith("unmarshal errors:"):
            messages.append((1, line))
    return [_finding(path, message, _job_line(text, message) or line)
            for line, message in messages]


def _finding(path: str, message: str, line: int) -> Diagnostic:
    """An error, unless promtool only does not know a field that a newer Prometheus (or a
    build with every service discovery: Debian's lacks Kubernetes') has: then the file was
    not checked, which is a notice."""
    field = _UNKNOWN_FIELD.search(message)
    name = field.group(1) if field else ""
    if name.endswith("_sd_configs") or name in NEWER_FIELDS:
        return Diagnostic.of("OBS950", f"not checked: this promtool does not know `{name}` "
                             f"(promtool says: {message})", Location(path, line),
                             "a Prometheus newer than promtool, or a service discovery this "
                             "promtool was built without: check it with the Prometheus that "
                             "runs it", Severity.INFO)
    return Diagnostic.of("OBS950", f"promtool check config: {message}", Location(path, line),
                         HINT)


def _job_line(text: str, message: str) -> int | None:
    """The line of the second `job_name: X` when promtool says X is there twice."""
    named = _DUPLICATE_JOB.search(message)
    if named is None:
        return None
    wanted = re.compile(rf"^\s*-?\s*job_name:\s*[\"']?{re.escape(named.group(1))}[\"']?\s*(#.*)?$")
    lines = [n for n, t in enumerate(text.splitlines(), 1) if wanted.match(t)]
    return lines[1] if len(lines) > 1 else None


def check_config(tool: Promtool, file: ForeignFile) -> list[Diagnostic]:
    """`promtool check config --syntax-only` on the text as read (the file on disk may have
    changed since, or be a FIFO); findings at the file."""
    with tempfile.TemporaryDirectory(prefix="obsgen-promcfg-") as folder:
        copy = Path(folder, "prometheus.yml")
        copy.write_text(file.text, encoding="utf-8")
        try:
            result = promtool.check_config(tool, copy.name, Path(folder))
        except PromtoolTimeoutError as exc:
            return [Diagnostic.of(exc.diagnostic.code, exc.diagnostic.message,
                                  Location(file.path), exc.diagnostic.hint)]
    if result.returncode == 0:
        return []
    output = (result.stderr + result.stdout).replace(copy.name, Path(file.path).name)
    return _findings(file.path, file.text, output) or [Diagnostic.of(
        "OBS950", f"promtool check config exited {result.returncode}", Location(file.path, 1),
        HINT)]


def lint_prometheus_config(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """`obsgen lint` on a Prometheus config: promtool's verdict when promtool is installed
    (without it there is nothing to say; the jobs are read for the estate all the same)."""
    del context
    try:
        tool = find_promtool()
    except UsageError:
        return []
    return check_config(tool, file)
