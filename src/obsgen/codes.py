"""The registry of diagnostic codes: one stable code, one severity, one line of doc each.

Ranges: OBS0xx loading and project, OBS1xx metric catalog, OBS2xx rules and rule tests,
OBS3xx promtool, OBS4xx schemas, OBS5xx build output and deploy, OBS6xx dashboards,
OBS7xx runbooks, OBS8xx Alloy, OBS9xx cross-checks, rule lint and `obsgen lint` inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str
    # The line it points at may hold a credential: excerpts mask the string literals on it.
    secret_line: bool = False


def _registry(*codes: Code) -> dict[str, Code]:
    table = {c.code: c for c in codes}
    assert len(table) == len(codes), "duplicate code in the registry"
    return table


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: notice

CODES: dict[str, Code] = _registry(
    # loading and project
    Code("OBS001", E, "A definitions file has a Python syntax error."),
    Code("OBS002", E, "An exception was raised while a definitions file was being imported."),
    Code("OBS003", E, "The project configuration is missing or invalid."),
    Code("OBS004", E, "A definition was given a value of the wrong type."),
    Code("OBS005", W, "A definition object is not reachable from any definitions module."),
    Code("OBS006", W, "The project identity comes from the folder name; set `project`."),
    # metric catalog
    Code("OBS101", E, "A metric or label name is not snake_case ASCII."),
    Code("OBS102", E, "A counter's name does not end in `_total`."),
    Code("OBS103", E, "A metric name uses a non-base unit (use seconds and bytes)."),
    Code("OBS104", E, "A metric name repeats its type (`_counter`, `_gauge`, ...)."),
    Code("OBS105", E, "A label name is reserved (`le`, `quantile`, `__*`) for this metric."),
    Code("OBS106", E, "Two metrics share one name."),
    Code("OBS107", E, "A label is declared twice on one metric."),
    Code("OBS108", E, "A metric has no help text."),
    Code("OBS109", E, "A query names a label that the metric does not declare."),
    Code("OBS110", E, "A query uses a label value outside the label's declared set."),
    Code("OBS111", E, "A query applies a function to a metric of the wrong type."),
    Code("OBS112", E, "Histogram buckets are empty, unsorted or not finite."),
    Code("OBS113", E, "Two scrape jobs share one name."),
    Code("OBS114", E, "A non-counter metric name ends in `_total`."),
    Code("OBS115", E, "An info metric's name does not end in `_info`."),
    Code("OBS116", E, "A query names a metric that is not in the catalog."),
    Code("OBS117", E, "A gauge declares bounds with min above max."),
    Code("OBS118", W, "A catalog metric is read by no alert, rule, panel or runbook step."),
    Code("OBS119", E, "The generated instrumentation module does not load (an obsgen bug)."),
    # rules and rule tests
    Code("OBS201", E, "A duration is not a Prometheus duration (`30s`, `5m`, `1h30m`)."),
    Code("OBS202", E, "An alert's severity is outside the project's set."),
    Code("OBS203", E, "An alert lacks its `summary` or `description` annotation."),
    Code("OBS204", E, "Two rules in one group share a name."),
    Code("OBS205", E, "Two rule groups share a name or an output file."),
    Code("OBS206", E, "An alert or recording rule name is not valid."),
    Code("OBS207", E, "A rule label or annotation name is not a valid label name."),
    Code("OBS208", E, "A rule test's input series is not a valid series selector."),
    Code("OBS209", E, "A rule test expects an alert that is in no rule group."),
    Code("OBS210", E, "A rule test cannot expand an alert's annotation offline; give its text."),
    Code("OBS211", E, "A rule has an empty expression."),
    Code("OBS212", E, "A rule test has no expectations."),
    Code("OBS213", E, "A rule or rule-test expression is not valid PromQL."),
    Code("OBS214", E, "An SLO's objective is outside (0, 100)."),
    Code("OBS215", E, "An SLO's window is shorter than its longest alert window, or invalid."),
    Code("OBS216", E, "A latency SLI's threshold is not one of the histogram's buckets."),
    Code("OBS217", E, "An SLI reads a metric of the wrong kind (events need counters)."),
    Code("OBS218", E, "An SLI's error or good selector is no subset of its total selector."),
    Code("OBS219", E, "Two SLOs share one name, or an SLO's name or tier is invalid."),
    # promtool
    Code("OBS301", E, "promtool was not found."),
    Code("OBS302", W, "promtool's version is older than the one obsgen is tested with."),
    Code("OBS303", E, "promtool rejected a rule (`promtool check rules`)."),
    Code("OBS304", E, "A rule unit test failed (`promtool test rules`)."),
    Code("OBS305", E, "promtool failed in a way obsgen could not attribute to a rule."),
    Code("OBS306", E, "promtool ran past its time limit and was stopped."),
    # rule-test coverage (`obsgen check`; an error with rule_test_coverage = "error")
    Code("OBS220", W, "An alert has no rule test where it fires."),
    Code("OBS221", W, "An alert has no rule test where it stays silent."),
    Code("OBS222", W, "A recording rule has no samples test (and no tested alert reads it)."),
    Code("OBS223", E, "The JUnit report (--junit FILE) could not be written."),
    # schemas
    Code("OBS401", E, "A rule file does not match the Prometheus rule-file schema."),
    Code("OBS402", E, "A rule test file does not match the promtool unit-test schema."),
    # build output
    Code("OBS501", E, "The build directory could not be written."),
    Code("OBS502", E, "The build folder is not one obsgen may replace (outside the project, "
                      "holding it, or not obsgen's)."),
    Code("OBS503", N, "Leftovers of an interrupted build were removed."),

    # deploy (OBS51x-OBS53x)
    Code("OBS511", E, "A deploy credential or target is missing (GRAFANA_TOKEN, --url, ...)."),
    Code("OBS512", E, "The deploy target could not be reached (DNS, TLS, refused, timeout)."),
    Code("OBS513", E, "The deploy target rejected the credentials (HTTP 401)."),
    Code("OBS514", E, "The deploy credentials lack a permission (HTTP 403)."),
    Code("OBS515", E, "Grafana rejected a dashboard or folder; its message is shown."),
    Code("OBS516", E, "A deployed dashboard, rule group or rule file was edited since obsgen "
                      "wrote it (drift)."),
    Code("OBS517", E, "A dashboard, rule group or rule file at a name obsgen writes is not this "
                      "project's."),
    Code("OBS518", E, "The deploy target kept failing after every retry."),
    Code("OBS519", E, "Built artifacts to deploy are missing or unreadable; run `obsgen build`."),
    Code("OBS521", E, "promtool rejected the rule files; nothing was deployed."),
    Code("OBS522", E, "The rules directory could not be written."),
    Code("OBS523", E, "Prometheus failed to reload the new rules; the old ones were restored."),
    Code("OBS524", E, "A deployed rule group did not load or is unhealthy; old rules restored."),
    Code("OBS525", E, "Restoring the previous rules failed; the rules directory needs attention."),
    Code("OBS526", W, "A deployed rule was not evaluated before the verify timeout."),
    Code("OBS527", E, "The ruler rejected a rule group; its message is shown."),
    Code("OBS528", W, "An object of another project, or not obsgen's, was left alone."),
    Code("OBS529", W, "An interrupted deploy was found and rolled back first."),
    Code("OBS530", E, "A rule group has the name obsgen reserves for its ruler manifest."),
    Code("OBS535", E, "A changed rule group was not evaluated within its interval after reload."),
    # obsgen verify (OBS55x): a live app endpoint and a live Prometheus against the catalog
    Code("OBS550", E, "A query failed on Prometheus (an error, or it timed out)."),
    Code("OBS551", E, "The verify target could not be reached (DNS, refused, TLS, timeout)."),
    Code("OBS552", E, "The verify target rejected the credentials (HTTP 401 or 403)."),
    Code("OBS553", E, "The verify target is not a metrics endpoint or Prometheus as expected."),
    Code("OBS554", E, "The app exposes a metric that is not in the catalog."),
    Code("OBS555", E, "A series carries a label, or a label value, the catalog does not declare."),
    Code("OBS556", E, "A metric's type or histogram buckets differ from the catalog."),
    Code("OBS557", W, "A declared metric, or a queried series, has no samples (yet)."),
    Code("OBS558", E, "A rule group of the project is not loaded, or its last evaluation failed."),
    Code("OBS559", E, "A scrape job of the catalog has no targets, or a target is down."),

    # dashboards: model and emit (OBS60x-OBS62x)
    Code("OBS601", E, "A dashboard or folder uid is not a valid Grafana uid."),
    Code("OBS602", E, "Two dashboards share one uid."),
    Code("OBS603", E, "A panel is not a kind obsgen emits (a supported grafanalib panel)."),
    Code("OBS604", E, "A panel option holds a value that cannot be written as JSON."),
    Code("OBS605", E, "A dashboard query uses a variable the dashboard does not define."),
    Code("OBS606", E, "A dashboard variable has an unusable name, settings, or is defined twice."),
    Code("OBS607", E, "A panel target is not a query (helper expression, PromQL or Target)."),
    Code("OBS608", E, "A panel names a datasource instead of the dashboard's `$datasource`."),
    Code("OBS609", E, "A dashboard setting is invalid (time, refresh, link, grid, thresholds)."),
    Code("OBS610", E, "A dashboard panel query is not valid PromQL."),
    Code("OBS611", E, "A dashboard variable query (`label_values(...)`, ...) is not valid."),

    # dashboards: schema validation and dashboard lint (OBS63x-OBS66x)
    Code("OBS630", E, "A dashboard obsgen emitted does not match obsgen's dashboard schema."),
    Code("OBS631", E, "A dashboard file is not valid JSON, or not a JSON object."),
    Code("OBS632", W, "A dashboard deviates from the dashboard schema in a way Grafana tolerates."),
    Code("OBS633", W, "A dashboard holds legacy or export content that Grafana migrates on load."),
    Code("OBS634", W, "A panel's options or custom field config do not match its panel kind."),
    Code("OBS640", W, "A panel, target or variable names a datasource directly, not by variable."),
    Code("OBS641", W, "rate/irate/increase over a fixed range instead of `$__rate_interval`."),
    Code("OBS642", W, "A panel uses a deprecated panel type (graph, singlestat, ...)."),
    Code("OBS643", W, "A dashboard variable is defined but never used."),
    Code("OBS644", E, "A dashboard references a variable that is not defined."),
    Code("OBS645", W, "A panel has no title."),
    Code("OBS646", W, "A timeseries, stat or gauge panel sets no unit."),
    Code("OBS647", W, "A dashboard uid is missing or not stable (empty, too long, odd chars)."),
    Code("OBS648", W, "A query hard-codes a `job` or `instance` label value."),
    Code("OBS649", W, "A dashboard or panel link names a dashboard uid no file of the run has."),

    # runbooks and the docs site (OBS70x-OBS74x)
    Code("OBS701", E, "A runbook (or the runbook guide) was given a value of the wrong shape."),
    Code("OBS702", E, "An alert in a rule group has no runbook."),
    Code("OBS703", E, "A runbook belongs to an alert that is in no rule group."),
    Code("OBS704", E, "A runbook names a related alert that is in no rule group."),
    Code("OBS705", E, "Two runbooks are attached to one alert, or two runbook guides exist."),
    Code("OBS706", E, "A runbook query is not valid PromQL."),
    Code("OBS707", E, "Two alerts on one runbook page get the same heading anchor."),
    Code("OBS708", E, "A Markdown link points at a page that does not exist."),
    Code("OBS709", E, "A Markdown link points at an anchor that is not on its page."),
    Code("OBS710", W, "A runbook has no investigation step."),
    Code("OBS711", E, "mkdocs --strict rejected the runbook site."),
    Code("OBS712", E, "mkdocs or mkdocs-material is not installed."),
    Code("OBS713", E, "A runbook_url/runbook annotation points at a heading that is not there."),
    Code("OBS714", E, "The docs server could not listen on the requested address."),
    Code("OBS715", W, "A runbook annotation names a Markdown file neither in the run nor on disk."),

    # Alloy syntax (OBS80x-OBS81x)
    Code("OBS801", E, "An Alloy file is not valid Alloy syntax (error at line:column)."),
    Code("OBS802", W, "An Alloy file is not in canonical `alloy fmt` layout."),

    # Alloy components, validator and pipeline (OBS82x-OBS89x)
    Code("OBS820", E, "An Alloy block names a component that does not exist."),
    Code("OBS821", E, "An Alloy block has an argument or block its component does not accept."),
    Code("OBS822", E, "An Alloy block lacks a required argument or block."),
    Code("OBS823", E, "An Alloy argument has a value of the wrong type."),
    Code("OBS824", E, "An Alloy expression references a component or export that does not exist."),
    Code("OBS825", E, "Two Alloy blocks share one name and label."),
    Code("OBS826", E, "Alloy components reference each other in a cycle."),
    Code("OBS827", W, "An Alloy config uses a deprecated function or argument."),
    Code("OBS828", W, "A credential is written into an Alloy config as a literal.", True),
    Code("OBS829", W, "An Alloy listener binds to every interface (0.0.0.0)."),
    Code("OBS830", E, "An Alloy component block lacks its label, or has one it must not."),
    Code("OBS831", E, "An Alloy block that may appear once appears more than once."),
    Code("OBS832", E, "An Alloy argument's value is outside its allowed set or syntax."),
    Code("OBS834", E, "The alloy binary rejected or reformatted the emitted config."),
    Code("OBS835", W, "An Alloy component name shadows a standard-library name."),
    Code("OBS840", E, "A pipeline URL is not a valid http(s) URL."),
    Code("OBS841", E, "A pipeline credential is not an environment variable reference.", True),
    Code("OBS842", E, "A pipeline forwards to a component that is not part of it."),
    Code("OBS843", E, "Two pipeline components share one Alloy label."),
    Code("OBS844", E, "A pipeline scrapes a job that is not the catalog's."),
    Code("OBS845", E, "A pipeline listen address is not host:port."),
    Code("OBS846", E, "A pipeline component label is not an Alloy identifier."),
    Code("OBS847", W, "A catalog scrape job is scraped by no pipeline."),

    # cross-checks against the catalog and rule lint (OBS90x-OBS95x)
    Code("OBS901", E, "A query reads `_bucket`/`_sum`/`_count` of a non-histogram/summary."),
    Code("OBS902", E, "histogram_quantile() is given series that no longer carry the `le` label."),
    Code("OBS903", E, "An aggregation groups `by` a label its input series never carry."),
    Code("OBS904", W, "An aggregation drops (`without`) a label its input series never carry."),
    Code("OBS905", E, "A comparison can never be true for a gauge with declared min/max bounds."),
    Code("OBS906", E, "A `job` matcher names no scrape job of the pipeline."),
    Code("OBS907", W, "A query reads a `level:metric:ops` series no rule file of the run records."),
    Code("OBS920", W, "An alert name is not CamelCase."),
    Code("OBS921", W, "An alert that reads series has no `for`, so one bad sample fires it."),
    Code("OBS922", W, "An alert lacks its `summary` or `description` annotation."),
    Code("OBS923", W, "An alert has no `runbook_url` annotation."),
    Code("OBS924", E, "An alert's `runbook_url` is not an http(s) URL."),
    Code("OBS925", W, "A recording rule name is not `level:metric:operations`."),
    Code("OBS926", W, "rate/irate/increase over a range shorter than 4x the scrape interval."),
    Code("OBS927", E, "A rule template uses a `$labels.x` the expression's result never carries."),
    Code("OBS928", E, "Two rule groups in one file share a name."),
    Code("OBS929", W, "The same rule (name and labels) is defined twice."),
    Code("OBS930", W, "A function is applied to a series whose name marks the wrong metric type."),
    Code("OBS931", W, "An alert's `severity` label is missing or outside the expected set."),
    Code("OBS932", W, "A template uses a `$labels.x` that only one side of `or`/`unless` carries."),
    Code("OBS940", E, "A rule file is not valid YAML."),
    Code("OBS941", E, "A YAML file holds no rule groups (`groups`, or a PrometheusRule's spec)."),
    Code("OBS942", N, "A rule file holds no rules (`null`, `{}` or `groups: []`): a placeholder."),
    Code("OBS950", E, "A Prometheus configuration file is not valid (promtool check config)."),

    # obsgen lint inputs: file kinds, exposition catalogs, output (OBS96x-OBS99x)
    Code("OBS960", W, "A file named to `obsgen lint` is of no kind obsgen lints; it was skipped."),
    Code("OBS961", E, "A file is not UTF-8 text."),
    Code("OBS962", E, "A file is empty."),
    Code("OBS963", E, "A YAML file is not a rule file, or a JSON file not a dashboard."),
    Code("OBS964", E, "A metrics exposition (`--catalog FILE`) has a syntax error."),
    Code("OBS965", E, "A file or folder could not be read."),
    Code("OBS966", E, "A path given on the command line does not exist."),
    Code("OBS967", E, "`--select` or `--ignore` names no registered code or prefix."),
    Code("OBS968", E, "A kind's linter failed on a file (a bug in obsgen)."),
    Code("OBS969", E, "A path is not a regular file (a FIFO, device or socket); it was not read."),
    Code("OBS970", E, "A file is larger than the size limit; it was not read."),
    Code("OBS971", E, "A YAML file uses more aliases, or expands to more nodes, than allowed."),
    Code("OBS972", W, "An expression is too deep or too long to analyse; it was not checked."),
    Code("OBS973", W, "A Markdown line is too long or bracket-heavy to check links in."),
    Code("OBS974", E, "A YAML file nests deeper than obsgen reads; it was not read further."),
    Code("OBS975", E, "An OBSGEN_* environment variable has a value obsgen cannot use."),
    Code("OBS976", N, "Part of a file is not checked: vmalert's MetricsQL, v2 dashboard schema."),
    # obsgen import
    Code("OBS980", E, "An input is of a kind `obsgen import` does not read, or does not parse."),
    Code("OBS981", W, "A panel kind or field obsgen cannot model was kept verbatim."),
    Code("OBS982", W, "A non-Prometheus query (Loki, SQL, ...) was kept verbatim."),
    Code("OBS983", E, "Two inputs would make the same module, dashboard uid or rule group."),
    Code("OBS984", E, "The import's output folder already holds definitions (`--force`)."),
    Code("OBS985", E, "A literal secret in an imported config; it is not copied into Python."),
    Code("OBS986", W, "Part of an input was not mapped onto definitions; it was kept as text."),
    Code("OBS987", E, "One SLO of a spec cannot be imported (an SLI plugin, not Prometheus)."),

)


def lookup(code: str) -> Code:
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(f"unregistered diagnostic code {code!r}") from None
