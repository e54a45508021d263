"""Property test of `obsgen lint`'s contract: whatever it is given (random bytes, random text,
and random structures of every kind: rule files, dashboards, Alloy configs, Markdown pages,
Prometheus configs, SLO specs), each kind's reader returns diagnostics or nothing, within a time
and a memory bound, and never raises (OBS968, "the linter failed", and OBS980, "the importer
failed", are obsgen bugs).

Every kind of check/foreign.py's `Kind` is covered: the lint kinds through their linters, the
Prometheus config through its linter (promtool) and the job reader the cross-file checks use,
and "slo", which `obsgen import` reads and lint does not, through both SLO importers' passes."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from typing import Any, get_args

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from obsgen.check.foreign import ForeignFile, Kind, LintContext
from obsgen.check.lint import _linters, decode, lint_files
from obsgen.check.prometheus_config import is_prometheus_config, prometheus_jobs
from obsgen.diagnostics import Diagnostic
from obsgen.importers import slo_specs
from obsgen.importers.contract import ImportEnv
from obsgen.model.catalog import Catalog
from obsgen.model.metrics import Counter, Gauge, Histogram, Label
from obsgen.model.pipeline import ScrapeJob

PEAK_BYTES = 96 * 1024 * 1024  # what one linter may allocate on one small input
BOUNDED = settings(deadline=timedelta(seconds=3), max_examples=400, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MANY = settings(BOUNDED, max_examples=1500)  # random bytes and text: each takes a millisecond
FEW = settings(BOUNDED, max_examples=150)  # each Prometheus config example runs promtool
LINTERS = _linters()
KINDS: tuple[Kind, ...] = get_args(Kind)
NAMES: dict[Kind, str] = {"rules": "r.yml", "dashboard": "d.json", "alloy": "p.alloy",
                          "markdown": "runbook.md", "prometheus-config": "prometheus.yml",
                          "slo": "slo.yml"}
CHEAP = tuple(k for k in KINDS if k != "prometheus-config")
CATALOG = Catalog(
    (Counter("jobs_total", help="Jobs run.", labels=[Label("result", values=("ok", "failed"))]),
     Gauge("queue_depth", help="Waiting jobs.", labels=["queue"]),
     Histogram("job_duration_seconds", help="Job latency.", labels=["queue"], buckets=[1, 10])),
    (ScrapeJob("worker"),))


Reader = Callable[[ForeignFile, LintContext], list[Diagnostic]]


def read_prometheus_config(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """The linter (promtool), and what the cross-file checks read of the file: its kind
    and its jobs (a set, or None when they cannot all be known)."""
    is_prometheus_config(file.text)
    jobs = prometheus_jobs(file.text)
    assert jobs is None or all(isinstance(j, str) for j in jobs), jobs
    return LINTERS["prometheus-config"](file, context)


def import_slo_spec(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """Both passes of the SLO importer the run picks for the text (Sloth's where it
    recognises the text, else OpenSLO's), with the diagnostics they give."""
    del context
    surveyed = slo_specs.survey(file)
    written = slo_specs.write(file, ImportEnv(), "slos.spec")
    assert all(isinstance(m.source, str) for m in written.modules)
    return [*surveyed.diagnostics, *written.diagnostics]


READERS: dict[Kind, Reader] = {**LINTERS, "prometheus-config": read_prometheus_config,
                               "slo": import_slo_spec}


def test_every_kind_has_a_reader_under_test() -> None:
    """A kind added to check/foreign.py must be added here (and to NAMES) before it ships."""
    assert set(READERS) == set(KINDS) == set(NAMES)


def lint(kind: Kind, text: str, catalog: Catalog | None = None,
         others: tuple[ForeignFile, ...] = ()) -> list[Diagnostic]:
    """One kind's reader on `text`, its exceptions propagating (hypothesis shows the input
    and the traceback), under the memory bound; the deadline bounds its time."""
    file = ForeignFile(NAMES[kind], text, kind)
    tracemalloc.start()
    try:
        found = READERS[kind](file, LintContext((file, *others), catalog))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"the {kind} reader allocated {peak:,} bytes"
    assert isinstance(found, list)
    assert all(isinstance(d, Diagnostic) for d in found), found
    assert "OBS968" not in {d.code for d in found}
    return found


# --- building blocks ------------------------------------------------------------------------

WORDS = st.sampled_from(["up", "jobs_total", "queue_depth", "job_duration_seconds_bucket",
                         "rate", "sum", "by", "without", "histogram_quantile", "offset",
                         "on", "ignoring", "group_left", "and", "or", "unless", "bool",
                         "job", "le", "result", "instance", "$__rate_interval", "$var",
                         "${var}", "[[var]]", "5m", "1h", "0.99", "1e9", "NaN", "Inf", "@"])
PUNCTUATION = st.sampled_from([*"(){}[],=!~<>+-*/^%\"'`:#|&$.\\ \n\t", "\u00e9", "\x00"])
PROMQL = st.lists(st.one_of(WORDS, PUNCTUATION, st.text(max_size=4)), max_size=30).map("".join)
NAME = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9_:]{0,12}", fullmatch=True),
                 st.text(max_size=12))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                   PROMQL)
ANY = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly what a real file holds, sometimes anything at all (the wrong type)."""
    return st.one_of(strategy, strategy, strategy, ANY)


def spliced(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A text with random bytes put into it somewhere (mostly: no change)."""
    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(texts)
        if not text or draw(st.integers(0, 3)):
            return text
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(max_size=6)) + text[at:]
    return build()


# --- rule files -----------------------------------------------------------------------------

@st.composite
def rule_documents(draw: st.DrawFn) -> Any:
    shared = draw(maybe(st.dictionaries(NAME, SCALAR, max_size=3)))  # dumped as an anchor
    rules = draw(st.lists(st.fixed_dictionaries({}, optional={
        "alert": maybe(NAME), "record": maybe(NAME), "expr": maybe(PROMQL),
        "for": maybe(st.sampled_from(["5m", "0s", "1h30m", "x"])),
        "labels": st.one_of(st.just(shared), maybe(st.dictionaries(NAME, SCALAR, max_size=3))),
        "annotations": maybe(st.dictionaries(
            st.sampled_from(["summary", "description", "runbook_url", "runbook"]),
            st.one_of(st.text(max_size=30), st.just("https://x.example/runbook.md#step")),
            max_size=3))}), max_size=4))
    groups = draw(st.lists(st.fixed_dictionaries({"name": maybe(NAME)}, optional={
        "rules": maybe(st.just(rules)), "interval": maybe(st.sampled_from(["1m", "30s"]))}),
        max_size=3))
    if draw(st.booleans()):
        return {"groups": groups}
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "spec": {"groups": groups}}


RULE_FILES = spliced(rule_documents().map(
    lambda doc: yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)))


# --- dashboards -----------------------------------------------------------------------------

TARGET = st.fixed_dictionaries({}, optional={
    "expr": maybe(PROMQL), "refId": maybe(st.sampled_from(["A", "B"])),
    "datasource": maybe(st.one_of(st.just("${datasource}"), st.fixed_dictionaries(
        {"type": st.just("prometheus"), "uid": st.sampled_from(["$datasource", "abc"])}))),
    "legendFormat": maybe(st.text(max_size=10))})
PANEL = st.recursive(st.fixed_dictionaries({}, optional={
    "type": maybe(st.sampled_from(["timeseries", "stat", "graph", "row", "text", "gauge"])),
    "title": maybe(st.text(max_size=10)), "targets": maybe(st.lists(TARGET, max_size=3)),
    "gridPos": maybe(st.fixed_dictionaries({k: st.integers(-1, 30) for k in "xywh"})),
    "id": maybe(st.integers()), "datasource": maybe(st.just("$datasource")),
    "fieldConfig": maybe(st.just({"defaults": {"unit": "s"}}))}),
    lambda inner: st.fixed_dictionaries({"type": st.just("row"),
                                         "panels": st.lists(inner, max_size=3)}),
    max_leaves=6)
VARIABLE = st.fixed_dictionaries({}, optional={
    "name": maybe(NAME), "type": maybe(st.sampled_from(["query", "custom", "datasource"])),
    "query": maybe(st.one_of(PROMQL, st.just("label_values(up, job)"))),
    "datasource": maybe(st.just("$datasource"))})


@st.composite
def dashboards(draw: st.DrawFn) -> str:
    model = draw(st.fixed_dictionaries({}, optional={
        "panels": maybe(st.lists(PANEL, max_size=4)),
        "templating": maybe(st.fixed_dictionaries({"list": maybe(st.lists(VARIABLE,
                                                                          max_size=3))})),
        "schemaVersion": maybe(st.integers(0, 40)), "title": maybe(st.text(max_size=10)),
        "uid": maybe(st.text(max_size=45)), "rows": maybe(st.lists(ANY, max_size=2)),
        "tags": maybe(st.lists(st.text(max_size=5), max_size=2))}))
    if draw(st.booleans()):
        model = {"dashboard": model, "meta": {}}
    return json.dumps(model)  # NaN and Infinity as Python writes them: not JSON, yet seen


DASHBOARDS = spliced(dashboards())


# --- Alloy ----------------------------------------------------------------------------------

ALLOY_TOKENS = st.sampled_from([
    "prometheus.scrape", "prometheus.remote_write", "discovery.relabel", "loki.write",
    "otelcol.receiver.otlp", "local.file_match", '"default"', '"x"', "{", "}", "[", "]", "(",
    ")", "=", ",", ".", "targets", "forward_to", "url", "endpoint", "receiver", "sys.env",
    '"http://x:9090/api/v1/write"', "true", "null", "1", "1.5e3", "-", "+", "==", "&&",
    "// comment\n", "/* c */", "\n", " ", "\t", '"\\u00e9"', '"\\q"', "`raw`", "0x1F", "#",
    ".receiver", "prometheus.remote_write.default.receiver", "argument", "export", "declare",
    "import.file", "logging", "level", '"debug"'])
ALLOY_FLAT = st.lists(ALLOY_TOKENS, max_size=40).map(" ".join)
IDENTIFIER = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True)


@st.composite
def alloy_blocks(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(st.sampled_from(["prometheus.scrape", "discovery.relabel", "loki.write",
                                 "prometheus.remote_write", "rule", "endpoint", "basic_auth",
                                 "otelcol.exporter.otlp", "client"]))
    label = draw(st.sampled_from(["", ' "a"', ' "default"', ' "b c"']))
    lines = [f"{draw(IDENTIFIER)} = {draw(ALLOY_FLAT)}"
             for _ in range(draw(st.integers(0, 3)))]
    if depth < 2:
        lines += [draw(alloy_blocks(depth + 1)) for _ in range(draw(st.integers(0, 2)))]
    return f"{name}{label} {{\n" + "\n".join(lines) + "\n}"


ALLOY = spliced(st.one_of(ALLOY_FLAT, st.lists(alloy_blocks(), max_size=3).map("\n\n".join)))


# --- Markdown -------------------------------------------------------------------------------

TARGETS = st.sampled_from(["#step", "#missing", "other.md", "other.md#x", "./", "../up.md",
                           "https://x.example/#a", "/abs", "", "#", "a b", "runbook.md#fix",
                           "%zz", "x.md#%E9", "\\", "<>"])
MD_PIECES = st.one_of(
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), st.text(max_size=12)),
    st.builds(lambda t, u: f"[{t}]({u})", st.text(max_size=8), TARGETS),
    st.builds(lambda t, u: f"[{t}]: {u}", st.text(max_size=5), TARGETS),
    st.builds(lambda u: f'<a href="{u}">x</a>', TARGETS),
    st.builds(lambda c, n: c * n, st.sampled_from(["[", "]", "(", "<", "`", "*", "_", "\\", "|"]),
              st.integers(1, 60)),
    st.sampled_from(["```", "~~~", "- ", "1. ", "> ", "| a | b |", "|---|---|", "    ", "",
                     "<!-- obsgen: noqa -->", "{#id}", "- [ ] task", "&amp;", "<div>"]),
    st.text(max_size=20))
MARKDOWN = st.lists(st.lists(MD_PIECES, max_size=5).map(" ".join), max_size=12).map("\n".join)


# --- Prometheus configs ---------------------------------------------------------------------

RELABEL = st.fixed_dictionaries({}, optional={
    "action": maybe(st.sampled_from(["replace", "keep", "drop", "labelmap", "x"])),
    "target_label": maybe(st.sampled_from(["job", "instance", "__address__"])),
    "source_labels": maybe(st.lists(st.sampled_from(["__meta_x", "job"]), max_size=2)),
    "replacement": maybe(st.one_of(NAME, st.just("$1"))), "regex": maybe(st.just("(.*)"))})
SCRAPE_CONFIG = st.fixed_dictionaries({}, optional={
    "job_name": maybe(NAME), "scrape_interval": maybe(st.sampled_from(["15s", "1m", "x"])),
    "static_configs": maybe(st.lists(st.fixed_dictionaries({}, optional={
        "targets": maybe(st.lists(st.sampled_from(["localhost:9090", "x", ""]), max_size=2)),
        "labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2))}), max_size=2)),
    "relabel_configs": maybe(st.lists(RELABEL, max_size=3)),
    "kubernetes_sd_configs": maybe(st.just([{"role": "pod"}])),
    "metrics_path": maybe(st.just("/metrics"))})
PROMETHEUS_CONFIGS = spliced(st.fixed_dictionaries({"scrape_configs": maybe(st.lists(
    SCRAPE_CONFIG, max_size=3))}, optional={
    "global": maybe(st.fixed_dictionaries({}, optional={
        "scrape_interval": maybe(st.sampled_from(["15s", "1m", "0s"])),
        "external_labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2))})),
    "rule_files": maybe(st.lists(st.text(max_size=8), max_size=2)),
    "scrape_config_files": maybe(st.lists(st.text(max_size=8), max_size=1)),
    "remote_write": maybe(st.lists(st.fixed_dictionaries({"url": maybe(st.just(
        "http://x:9090/api/v1/write"))}), max_size=1))}).map(
    lambda doc: yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)))


# --- SLO specs (Sloth, its Kubernetes form, OpenSLO) ---------------------------------------

QUERY = st.one_of(PROMQL, st.just('sum(rate(jobs_total{result="failed"}[{{.window}}]))'))
SLOTH_ALERT = st.fixed_dictionaries({}, optional={
    "disable": maybe(st.booleans()), "labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2)),
    "annotations": maybe(st.dictionaries(NAME, SCALAR, max_size=2))})
SLOTH_SLO = st.fixed_dictionaries({}, optional={
    "name": maybe(NAME), "objective": maybe(st.one_of(st.floats(), st.just("99.9"))),
    "description": maybe(st.text(max_size=10)),
    "labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2)),
    "sli": maybe(st.fixed_dictionaries({}, optional={
        "events": maybe(st.fixed_dictionaries({}, optional={
            "error_query": maybe(QUERY), "totalQuery": maybe(QUERY)})),
        "raw": maybe(st.fixed_dictionaries({}, optional={"error_ratio_query": maybe(QUERY)})),
        "plugin": maybe(st.just({"id": "x"}))})),
    "alerting": maybe(st.fixed_dictionaries({}, optional={
        "name": maybe(NAME), "labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2)),
        "page_alert": maybe(SLOTH_ALERT), "ticketAlert": maybe(SLOTH_ALERT)}))})
SLOTH_BODY = st.fixed_dictionaries({}, optional={
    "service": maybe(NAME), "labels": maybe(st.dictionaries(NAME, SCALAR, max_size=2)),
    "slos": maybe(st.lists(SLOTH_SLO, max_size=3))})
SLOTH_DOC = st.one_of(
    SLOTH_BODY.map(lambda body: {"version": "prometheus/v1", **body}),
    st.builds(lambda spec: {"apiVersion": "sloth.slok.dev/v1", "kind": "PrometheusServiceLevel",
                            "spec": spec}, maybe(SLOTH_BODY)))
SOURCE = st.fixed_dictionaries({"metricSource": maybe(st.fixed_dictionaries({}, optional={
    "type": maybe(st.sampled_from(["Prometheus", "prometheus", "Datadog"])),
    "spec": maybe(st.fixed_dictionaries({"query": maybe(QUERY)}))}))})
INDICATOR = st.fixed_dictionaries({}, optional={
    "ratioMetric": maybe(st.fixed_dictionaries({}, optional={
        "counter": maybe(st.booleans()), "good": maybe(SOURCE), "bad": maybe(SOURCE),
        "total": maybe(SOURCE)})),
    "thresholdMetric": maybe(SOURCE)})
OPENSLO_DOC = st.one_of(
    st.fixed_dictionaries({"apiVersion": st.just("openslo/v1"), "kind": st.just("SLO")},
                          optional={
        "metadata": maybe(st.fixed_dictionaries({"name": maybe(NAME)})),
        "spec": maybe(st.fixed_dictionaries({}, optional={
            "service": maybe(NAME), "description": maybe(st.text(max_size=10)),
            "indicator": maybe(st.fixed_dictionaries({"spec": maybe(INDICATOR)})),
            "indicatorRef": maybe(NAME),
            "objectives": maybe(st.lists(st.fixed_dictionaries({}, optional={
                "target": maybe(st.floats()), "targetPercent": maybe(st.floats()),
                "op": maybe(st.sampled_from(["lt", "gte", "eq"])), "value": maybe(SCALAR)}),
                max_size=2)),
            "timeWindow": maybe(st.lists(st.fixed_dictionaries({"duration": maybe(
                st.sampled_from(["28d", "1w", "x", ""]))}), max_size=2))}))}),
    st.fixed_dictionaries({"apiVersion": st.just("openslo/v1"), "kind": st.just("SLI"),
                           "metadata": maybe(st.fixed_dictionaries({"name": maybe(NAME)})),
                           "spec": maybe(INDICATOR)}))
SLO_SPECS = spliced(st.lists(st.one_of(SLOTH_DOC, OPENSLO_DOC, ANY), min_size=1,
                             max_size=3).map(
    lambda docs: yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)))


# --- hostile shapes: the same few characters many times over (deep nesting, long runs) ----

CHUNKS = st.sampled_from([
    "[", "]", "{", "(", "- ", "  - ", "> ", "*", "_", "`", "<a ", "\\[", "a: ", "- a: ",
    "&a [*a, ", '{"panels": [', '{"a":', "x = ", "a.", "sum(", "up + ", "!", "1. ", "|", "#",
    "\n", " ", '"', "\\", "/*", "//", "<!--", "&"])
REPEATED = st.builds(lambda parts, n: "".join(parts) * n, st.lists(CHUNKS, min_size=1,
                                                                    max_size=3),
                     st.integers(1, 2500))


# --- the properties -------------------------------------------------------------------------

@MANY
@given(st.binary(max_size=3000), st.sampled_from(CHEAP))
@example(b"\xef\xbb\xbfgroups: []", "rules")
@example(b"\x00" * 100, "dashboard")
def test_random_bytes(data: bytes, kind: Kind) -> None:
    text = decode(NAMES[kind], data)
    if isinstance(text, str):
        lint(kind, text)


@MANY
@given(st.text(max_size=2000), st.sampled_from(CHEAP), st.sampled_from([None, CATALOG]))
def test_random_text(text: str, kind: Kind, catalog: Catalog | None) -> None:
    lint(kind, text, catalog)


@FEW
@given(st.one_of(st.binary(max_size=3000).map(lambda b: b.decode("utf-8", "replace")),
                 st.text(max_size=2000)))
@example("000\xa0\U00010000\xa0")  # promtool's quote of it ends mid-character: not UTF-8
def test_random_text_as_a_prometheus_config(text: str) -> None:
    if text.strip():
        lint("prometheus-config", text)


@BOUNDED
@given(REPEATED, st.sampled_from(KINDS))
@example("  - " * 1500, "markdown")  # lists nested 1,500 deep: Python-Markdown recursed out
@example("groups: " + "[" * 990, "rules")  # the YAML composer recursed out
@example("version: prometheus/v1\nslos: " + "[" * 990, "slo")  # ... in the SLO importers too
def test_repeated_chunks(text: str, kind: Kind) -> None:
    lint(kind, text)


@BOUNDED
@given(RULE_FILES, st.sampled_from([None, CATALOG]))
@example("groups:\n- name: g\n  rules:\n  - record: r\n    expr: !foo up\n", None)  # a tag
def test_random_rule_files(text: str, catalog: Catalog | None) -> None:
    lint("rules", text, catalog)


@BOUNDED
@given(DASHBOARDS, st.sampled_from([None, CATALOG]))
def test_random_dashboards(text: str, catalog: Catalog | None) -> None:
    lint("dashboard", text, catalog)


@BOUNDED
@given(ALLOY)
def test_random_alloy(text: str) -> None:
    lint("alloy", text)


@FEW
@given(PROMETHEUS_CONFIGS)
@example("scrape_configs: 1\n")  # the job reader iterated it
@example("scrape_configs:\n- job_name: A\n  static_configs: true\n")
def test_random_prometheus_configs(text: str) -> None:
    lint("prometheus-config", text)


@BOUNDED
@given(SLO_SPECS)
@example("version: prometheus/v1\nslos: [1, x]\n")
@example("kind: PrometheusServiceLevel\nspec: x\n")
@example("version: prometheus/v1\nlabels: &a [&b [x, x, x], *b, *b]\n"
         "slos: [{name: s, labels: {a: *a}}]\n")
def test_random_slo_specs(text: str) -> None:
    lint("slo", text)


@BOUNDED
@given(st.sampled_from(["version: prometheus/v1\n", "kind: PrometheusServiceLevel\n",
                        "apiVersion: openslo/v1\n"]), st.one_of(st.text(max_size=500), REPEATED))
def test_random_text_after_an_slo_header(header: str, text: str) -> None:
    """Random text that each importer is picked for (random text alone goes to OpenSLO's)."""
    lint("slo", header + text)


def test_an_alias_bomb_in_an_slo_spec_is_refused_in_bounded_time_and_memory() -> None:
    """Nine levels of nine aliases (under 1 KB) in a Sloth spec's labels: every label
    value written out would be 9**9 items."""
    lines = ["version: prometheus/v1", 'l0: &l0 ["lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    lines += ["service: s", "labels: {bomb: *l9}", "slos: [{name: s, objective: 99}]"]
    found = lint("slo", "\n".join(lines) + "\n")
    assert found and all(d.code == "OBS980" for d in found), found


@BOUNDED
@given(MARKDOWN, RULE_FILES)
def test_random_markdown_with_the_rule_files_of_its_run(text: str, rules: str) -> None:
    lint("markdown", text, others=(ForeignFile("r.yml", rules, "rules"),))


@BOUNDED
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.one_of(
    RULE_FILES, DASHBOARDS, ALLOY, MARKDOWN, PROMETHEUS_CONFIGS, SLO_SPECS)), max_size=4))
@example([("dashboard", "{}"), ("dashboard", '{"panels": [{"fieldConfig": "0"}]}')])  # links
@example([("dashboard", "{}"), ("dashboard", '{"links": 1, "panels": [{"links": {}}]}')])
@example([("prometheus-config", "scrape_configs: 1\n"), ("rules", "groups: []\n")])
def test_a_run_of_mixed_files_never_reports_a_linter_failure(
        picks: list[tuple[Kind, str]]) -> None:
    files = tuple(ForeignFile(f"f{n}{NAMES[kind][1:]}", text, kind)
                  for n, (kind, text) in enumerate(picks))
    found = lint_files(files, CATALOG, LINTERS)
    assert [d for d in found if d.code == "OBS968"] == []
