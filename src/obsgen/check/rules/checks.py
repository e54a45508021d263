"""Rule checks: on the project (severities from the project's set, unique groups and files,
every expression valid PromQL before anything is written) and the rule lint, one
implementation run on foreign rule files (`obsgen lint`) and on the project's own rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

import promql_parser

from obsgen.check.catalog import duplicates
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.promql.analysis import Analysis, Selector, analyse
from obsgen.check.promql.references import check_query, locate, range_position
from obsgen.check.rules.dialect import Dialect
from obsgen.check.rules.rulefile import Entry, Group, read_rule_file
from obsgen.check.rules.scrape_intervals import JobInterval, run_intervals
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location, sorted_unique
from obsgen.emit.annotations import alert_annotations
from obsgen.model.catalog import Catalog
from obsgen.model.project import Project
from obsgen.model.rules import DEFAULT_SEVERITIES, AlertRule, Rule, RuleGroup
from obsgen.model.ruletests import ExpectSamples


def _expressions(project: Project) -> Iterator[tuple[str, str, Location]]:
    for group in project.groups:
        for rule in group.rules:
            yield rule.name, rule.query.text, rule.source
    for test in project.tests:
        for item in test.expect:
            if isinstance(item, ExpectSamples):
                yield f"test {test.name!r}", item.query.text, item.source


def check_promql(project: Project) -> list[Diagnostic]:
    """Every rule and rule-test expression parses and passes every reference check against
    the project's catalog; every rule passes the rule lint of foreign files."""
    catalog = Catalog(project.metrics, project.jobs)
    found = []
    for owner, text, source in _expressions(project):
        found += check_query(text, source, catalog, recorded=project.recorded_series,
                             owner=owner)
    return found + own_rule_lint(project, catalog)


def own_rule_lint(project: Project, catalog: Catalog) -> list[Diagnostic]:
    """The rule lint `obsgen lint` runs on a foreign rule file, run on each rule as obsgen
    emits it and reported at its definition, so that linting our own build finds nothing new.
    The project's severity set is checked by OBS202, not against the conventional one."""
    linter = _RuleLinter(catalog, project.recorded_series, severities=None)
    return [_as_own(d) for group in project.groups for rule in group.rules
            for d in linter.lint(_own_entry(project, group, rule))]


def _own_entry(project: Project, group: RuleGroup, rule: Rule) -> Entry:
    """A rule as its emitted YAML reads, every part of it placed at the definition."""
    kind, for_, labels, annotations = "record", None, dict(rule.labels), {}
    if isinstance(rule, AlertRule):
        kind, for_, labels = "alert", rule.for_ or None, rule.all_labels()
        annotations = alert_annotations(project, rule)
    return Entry(kind, rule.name, rule.source.line, rule.query.text, rule.source, group.name,
                 for_, labels, annotations)


def _as_own(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.code != "OBS923":
        return diagnostic
    return replace(diagnostic, hint="set runbook_base_url in the project config: obsgen "
                   "derives every alert's runbook_url from it")


def _catalog_labels(catalog: Catalog) -> Callable[[Selector], frozenset[str] | None]:
    def labels_of(selector: Selector) -> frozenset[str] | None:
        info = catalog.series.get(selector.name or "")
        return frozenset(info.labels) if info is not None else None
    return labels_of


def check_rules(project: Project) -> list[Diagnostic]:
    allowed = project.config.severities
    found = [
        Diagnostic.of("OBS202", f"alert {alert.name} has severity {alert.severity!r}",
                      alert.source, f"use one of: {', '.join(allowed)} (set `severities` in the "
                      "project config to change the set)")
        for group in project.groups for alert in group.alerts if alert.severity not in allowed
    ]
    found += duplicates(((g.name, g) for g in project.groups), "OBS205", "rule group",
                        "group names must be unique across the project")
    found += duplicates(((g.file, g) for g in project.groups), "OBS205", "rule file",
                        "give one of the groups another file=")
    return found + check_promql(project)


# --- rule lint: foreign rule files (obsgen lint) and the project's own rules -------------------

ALERT_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
DEFAULT_SCRAPE_INTERVAL = 60.0  # Prometheus' own default `scrape_interval` (1m)
FOREIGN_SEVERITIES = (*DEFAULT_SEVERITIES, "none")  # `none`: the always-firing Watchdog's
_TEMPLATE_LABEL = re.compile(r"\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\.Labels\.([A-Za-z_]\w*)"
                             r"|index\s+\$labels\s+\"([^\"]+)\"")
_RANGE_FUNCTIONS = {"rate": 4, "increase": 4, "irate": 2}  # samples each needs, in intervals
_ALERT_STATE = ("ALERTS", "ALERTS_FOR_STATE")  # the alerts' own series, not a scrape's
# For an expression obsgen does not parse (MetricsQL, LogsQL, Graphite): its quoted strings,
# and the words that name no series (calls, keywords and operators of those languages).
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`")
# Label names, not series: a selector's matchers after its name, and a grouping's list.
_LABEL_LISTS = re.compile(r"(?<=[\w:])\s*\{[^{}]*\}|\b(?:by|without|on|ignoring|group_left"
                          r"|group_right)\s*\([^()]*\)")
_WORD = re.compile(r"(?<![\w.$])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()")
_NOT_SERIES = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right", "bool",
                         "and", "or", "unless", "offset", "default", "if", "ifnot", "with",
                         "keep_metric_names", "limit", "inf", "nan", "Inf", "NaN", "atan2",
                         *_ALERT_STATE})


def lint_rule_file(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """Rule lint on one foreign rule file (plain or a PrometheusRule): structure, names,
    annotations, templates, ranges, duplicates, and, when `context.catalog` is given, every
    reference check on each expression. Never raises."""
    parsed = read_rule_file(file.path, file.text)
    found = [Diagnostic.of(code, message, Location(file.path, line), hint)
             for code, message, hint, line in parsed.problems]
    recorded = _recorded_names(context)
    intervals = None if context.catalog else run_intervals(context)
    linter = _RuleLinter(context.catalog, recorded, intervals=intervals)
    if parsed.dialect is not None:  # not PromQL: none of its expressions is parsed
        found.append(dialect_notice(file.path, parsed.dialect))
    for group in parsed.groups:
        for entry in group.rules:
            found += linter.entry(entry) if parsed.dialect is None else linter.unparsed(entry)
    found += _duplicate_findings(file.path, parsed.groups)
    return sorted_unique(_as_foreign(d) for d in found)


def _as_foreign(diagnostic: Diagnostic) -> Diagnostic:
    """An annotation naming a label the result lacks renders as an empty string: an error in
    our own definitions; in files obsgen did not generate it warns, because shared rule sets
    carry it widely (awesome-prometheus-alerts names `instance` in every alert's summary,
    aggregated or not) and it degrades a message rather than breaking an alert."""
    if diagnostic.code != "OBS927":
        return diagnostic
    return replace(diagnostic, severity=Severity.WARNING,
                   hint=f"{diagnostic.hint}; the text renders with an empty value there")


def dialect_notice(path: str, dialect: Dialect) -> Diagnostic:
    languages = " and ".join(dialect.languages)
    return Diagnostic.of(
        "OBS976", f"a {dialect.engine} rule file ({dialect.evidence}): its expressions are "
        f"{languages}, not parsed as PromQL; names, `for`, labels and annotations are checked",
        Location(path, dialect.line),
        f"check the expressions with {dialect.engine} itself, e.g. `vmalert -dryRun -rule=FILE`")


@lru_cache(maxsize=16)
def _recorded_names(context: LintContext) -> frozenset[str]:
    names: set[str] = set()
    for other in context.of_kind("rules"):
        for group in read_rule_file(other.path, other.text).groups:
            names.update(e.name for e in group.rules if e.kind == "record")
    return frozenset(names)


def _duplicate_findings(path: str, groups: Iterable[Group]) -> Iterator[Diagnostic]:
    seen_groups: dict[str, int] = {}
    seen_rules: dict[tuple[str, str, str, tuple[tuple[str, str], ...]], int] = {}
    for group in groups:
        if group.name in seen_groups:
            yield Diagnostic.of("OBS928", f"group {group.name!r} is already defined at line "
                                f"{seen_groups[group.name]}", Location(path, group.line),
                                "group names must be unique within a file; rename or merge")
        seen_groups.setdefault(group.name, group.line)
        for entry in group.rules:
            key = (entry.kind, entry.name, entry.expr.strip(), tuple(sorted(entry.labels.items())))
            if key in seen_rules:
                yield Diagnostic.of("OBS929", f"{entry.kind} {entry.name} with the same "
                                    f"expression and labels is already defined at line "
                                    f"{seen_rules[key]}", Location(path, entry.line),
                                    "delete one copy; both would produce the same series")
            seen_rules.setdefault(key, entry.line)


class _RuleLinter:
    """The rule lint of one rule: `severities` is the set its severity label is held to
    (None: checked elsewhere)."""

    def __init__(self, catalog: Catalog | None, recorded: Collection[str],
                 severities: tuple[str, ...] | None = FOREIGN_SEVERITIES,
                 intervals: Sequence[JobInterval] | None = None) -> None:
        self.catalog = catalog
        self.recorded = recorded
        self.severities = severities
        self.intervals = catalog_intervals(catalog) if intervals is None else intervals

    @staticmethod
    def at(entry: Entry, key: str = "") -> Location:
        return Location(entry.expr_at.path, entry.lines.get(key, entry.line))

    def entry(self, entry: Entry) -> list[Diagnostic]:
        """Every reference check on the expression, then the rule lint."""
        return check_query(entry.expr, entry.expr_at, self.catalog, recorded=self.recorded,
                           owner=f"{entry.kind} {entry.name}") + self.lint(entry)

    def unparsed(self, entry: Entry) -> list[Diagnostic]:
        """The rule lint that holds whatever language the expression is in."""
        if entry.kind == "record":
            return self.recording(entry)
        return self.alert_fields(entry, reads_series_text(entry.expr))

    def lint(self, entry: Entry) -> list[Diagnostic]:
        owner = f"{entry.kind} {entry.name}"
        found: list[Diagnostic] = []
        analysis = analyse(entry.expr)
        if analysis.ok:
            found += scrape_range_findings(analysis, entry.expr_at, self.intervals, owner)
        if entry.kind == "record":
            return found + self.recording(entry)
        found += self.alert_fields(entry, analysis.ok and any(
            s.name not in _ALERT_STATE for s in analysis.selectors))
        if analysis.ok:
            labels_of = _catalog_labels(self.catalog) if self.catalog else _unknown_labels
            found += template_findings(analysis, labels_of, entry.annotations,
                                       entry.labels, lambda key: self.at(entry, key), owner)
        return found

    def recording(self, entry: Entry) -> list[Diagnostic]:
        parts = entry.name.split(":")
        if len(parts) >= 2 and all(parts[1:]):
            return []
        return [Diagnostic.of("OBS925", f"recording rule {entry.name} is not named "
                              "level:metric:operations", self.at(entry),
                              "e.g. job:http_requests:rate5m (level: the labels kept; metric: "
                              "the source metric; operations: what was applied)")]

    def alert_fields(self, entry: Entry, reads_series: bool) -> list[Diagnostic]:
        found = []
        at = self.at(entry)
        if not ALERT_NAME.match(entry.name):
            found.append(Diagnostic.of("OBS920", f"alert name {entry.name!r} is not CamelCase",
                                       at, "use letters and digits only, e.g. HighErrorRate; "
                                       "put variants in labels, not in the name"))
        if entry.for_ is None and reads_series:
            found.append(Diagnostic.of("OBS921", f"alert {entry.name} has no `for`: a single "
                                       "evaluation fires it", at, "add e.g. `for: 5m` so one "
                                       "scrape glitch does not page anyone"))
        missing = [k for k in ("summary", "description") if not entry.annotations.get(k, "")
                   .strip()]
        if missing:
            found.append(Diagnostic.of("OBS922", f"alert {entry.name} has no "
                                       f"{' or '.join(missing)} annotation", at,
                                       "on-call reads them in the notification"))
        found += self.runbook(entry, at)
        severity = entry.labels.get("severity")
        if self.severities is not None and severity not in self.severities:
            what = f"severity {severity!r}" if severity is not None else "no severity label"
            found.append(Diagnostic.of("OBS931", f"alert {entry.name} has {what}",
                                       self.at(entry, "labels.severity"),
                                       f"routing usually expects one of: "
                                       f"{', '.join(self.severities)}"))
        return found

    def runbook(self, entry: Entry, at: Location) -> list[Diagnostic]:
        url = entry.annotations.get("runbook_url")
        if url is None:
            return [Diagnostic.of("OBS923", f"alert {entry.name} has no runbook_url", at,
                                  "link the page that tells on-call what to do")]
        if not re.match(r"^https?://[^\s/]+", url.strip()) and "{{" not in url:
            return [Diagnostic.of("OBS924", f"runbook_url {url!r} of alert {entry.name} is not "
                                  "an http(s) URL", self.at(
                                      entry, "annotations.runbook_url"),
                                  "give the full address, https://...")]
        return []


def reads_series_text(expr: str) -> bool:
    """Whether an expression in a language obsgen does not parse names a series, read from its
    words alone (a constant `vector(1)` or `time() > 0` names none)."""
    words = _LABEL_LISTS.sub(" ", _QUOTED.sub('""', expr))
    return any(m.group(1) not in _NOT_SERIES for m in _WORD.finditer(words))


def _unknown_labels(selector: Selector) -> frozenset[str] | None:
    return None


def template_findings(analysis: Analysis,
                      labels_of: Callable[[Selector], frozenset[str] | None],
                      annotations: Mapping[str, str], labels: Mapping[str, str],
                      where: Callable[[str], Location], owner: str) -> list[Diagnostic]:
    """`$labels.x` in an alert's annotations or labels where x can never be on the result
    (OBS927), or is missing from the series one side of an `or` returns (OBS932)."""
    assert analysis.output is not None
    carried = analysis.carried(analysis.output, labels_of)
    found = []
    for prefix, values in (("annotations", annotations), ("labels", labels)):
        for key, value in sorted(values.items()):
            for match in _TEMPLATE_LABEL.finditer(value):
                label = next(g for g in match.groups() if g)
                uses = f"{owner}: {prefix[:-1]} {key} uses $labels.{label}"
                if carried.lacks(label):
                    have = ", ".join(sorted(carried.upper)) if carried.upper is not None else ""
                    found.append(Diagnostic.of(
                        "OBS927", f"{uses}, but the expression's result never carries "
                        f"{label!r}", where(f"{prefix}.{key}"),
                        f"result labels: {have or 'none'}; keep {label!r} in the aggregation "
                        "(by (...)) or drop it from the text"))
                elif carried.one_sided(label):
                    found.append(Diagnostic.of(
                        "OBS932", f"{uses}, but only some sides of its `or` carry {label!r}: "
                        "when another side fires, the text shows an empty value",
                        where(f"{prefix}.{key}"),
                        f"carry {label!r} on every side of the `or` (absent() keeps only the "
                        "labels of its equality matchers; vector() and scalars carry none), "
                        "or drop it from the text"))
    return found


def scrape_range_findings(analysis: Analysis, where: Location, jobs: Sequence[JobInterval],
                          owner: str) -> list[Diagnostic]:
    """rate/increase over fewer than 4 scrape intervals (irate: 2) sees too few samples;
    `jobs`: each job's scrape interval, from the catalog or else the run's scrape configs."""
    found = []
    for selector in analysis.selectors:
        fn = selector.functions[0] if selector.functions else ""
        needed = _RANGE_FUNCTIONS.get(fn)
        if needed is None or selector.range is None or (selector.range_text or "$")[0] == "$":
            continue
        interval = scrape_interval(selector, jobs)
        if selector.range < needed * interval:
            found.append(Diagnostic.of(
                "OBS926", f"{owner}: {fn}() over [{selector.range_text}] covers fewer than "
                f"{needed} scrape intervals of {_seconds(interval)}",
                locate(where, analysis, range_position(analysis.text, selector)),
                f"use at least [{_seconds(needed * interval)}] (scrape interval: the job's, "
                f"from the catalog or the run's scrape configs, else Prometheus' default 1m)"))
    return found


def catalog_intervals(catalog: Catalog | None) -> tuple[JobInterval, ...]:
    return tuple((j.name, promql_parser.parse_duration(j.interval).total_seconds())
                 for j in (catalog.jobs if catalog is not None else ()))


def scrape_interval(selector: Selector, jobs: Sequence[JobInterval]) -> float:
    """The scrape interval behind a selector: its `job`'s, else the slowest of all jobs',
    else Prometheus' default 1m."""
    job = selector.matcher("job")
    named = [s for name, s in jobs if job is not None and job.op == "=" and name == job.value]
    pool = named or [s for _, s in jobs]
    return max(pool) if pool else DEFAULT_SCRAPE_INTERVAL


def _seconds(value: float) -> str:
    if value >= 60 and value % 60 == 0:
        return f"{int(value // 60)}m"
    return f"{value:g}s"
