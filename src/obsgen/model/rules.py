"""Prometheus alerting and recording rules, grouped as they will be evaluated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import check_arguments
from obsgen.model.names import METRIC_NAME, check_duration, check_label_name
from obsgen.model.promql import Expr, Operand, as_expr
from obsgen.model.source import caller_location

DEFAULT_SEVERITIES = ("critical", "warning", "info")
# Labels and annotations obsgen sets itself from dedicated fields.
MANAGED_LABELS = ("severity", "category", "component")
MANAGED_ANNOTATIONS = ("summary", "description", "runbook_url")
# The group obsgen keeps in the ruler to record what it deployed; no user group may take it.
MANIFEST_GROUP = "obsgen-manifest"
_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def _frozen_map(value: Mapping[str, str], what: str) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise DefinitionError("OBS004", f"{what} must be a mapping of strings",
                              hint='write {"team": "platform"}')
    for key, item in value.items():
        check_label_name(key, f"{what} name")
        if not isinstance(item, str):
            raise DefinitionError("OBS004", f"{what} {key!r} must be a string, got {item!r}",
                                  hint="quote the value")
    return MappingProxyType(dict(sorted(value.items())))


def _expr(value: Operand, rule: str) -> Expr:
    expr = as_expr(value)
    if not expr.text.strip():
        raise DefinitionError("OBS211", f"rule {rule!r} has an empty expression",
                              hint="give the PromQL expression the rule evaluates")
    return expr


@dataclass(frozen=True, eq=False)
class AlertRule:
    """An alerting rule. `runbook_url` is derived from the project's runbook_base_url unless
    one is given here (a runbook kept elsewhere, as imported rule files carry it).

    `noqa` names constructor checks this alert is exempt from, for rules obsgen did not
    write that Prometheus accepts: OBS203 (no summary or description; the missing one is not
    emitted) and OBS206 (an alert name that is no metric name, such as `Foo(v1)`).

    Example:

    ```python
    HIGH_ERROR_RATE = AlertRule(
        "HighErrorRate",
        expr=rate(REQUESTS.where(status="5xx"), "5m").sum(by="route")
        / rate(REQUESTS, "5m").sum(by="route") > 0.05,
        for_="10m",
        severity="warning",
        summary="Route {{ $labels.route }} fails more than 5% of requests",
        description="More than 5% of requests to {{ $labels.route }} answered 5xx.",
    )
    ```
    """

    name: str
    expr: Operand
    severity: str
    summary: str = ""
    description: str = ""
    for_: str | None = None
    keep_firing_for: str | None = None
    category: str = ""
    component: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    runbook_url: str = ""
    noqa: tuple[str, ...] = ()
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not (METRIC_NAME.match(self.name) or ("OBS206" in self.noqa and self.name.strip())):
            raise DefinitionError("OBS206", f"alert name {self.name!r} is not valid",
                                  hint="use CamelCase letters and digits: obsgen turns alert "
                                  "names into runbook anchors and file names")
        object.__setattr__(self, "expr", _expr(self.expr, self.name))
        for key in ("summary", "description"):
            if not getattr(self, key).strip() and "OBS203" not in self.noqa:
                raise DefinitionError(
                    "OBS203", f"alert {self.name} has no {key}",
                    hint=f"add {key}=\"...\"; on-call reads it in the notification",
                )
        for key in ("for_", "keep_firing_for"):
            value = getattr(self, key)
            if value is not None:
                check_duration(value, f"{key.rstrip('_')} of alert {self.name}")
        labels = _frozen_map(self.labels, "label")
        annotations = _frozen_map(self.annotations, "annotation")
        _refuse_managed(self.name, labels, MANAGED_LABELS, "label")
        _refuse_managed(self.name, annotations, MANAGED_ANNOTATIONS, "annotation")
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "annotations", annotations)

    @property
    def query(self) -> Expr:
        assert isinstance(self.expr, Expr)
        return self.expr

    def all_labels(self) -> dict[str, str]:
        """The static labels the rule attaches to every alert it fires."""
        managed = {"severity": self.severity, "category": self.category,
                   "component": self.component}
        return dict(sorted({**self.labels, **{k: v for k, v in managed.items() if v}}.items()))


def _refuse_managed(rule: str, given: Mapping[str, str], managed: Iterable[str],
                    what: str) -> None:
    for key in managed:
        if key in given:
            arg = "runbook_base_url in the project config" if key == "runbook_url" else f"{key}="
            raise DefinitionError("OBS207", f"alert {rule} sets the {what} {key!r} directly",
                                  hint=f"use {arg} instead; obsgen fills that {what}")


@dataclass(frozen=True, eq=False)
class RecordingRule:
    """A recording rule; by convention its name is level:metric:operations.

    Example:

    ```python
    ROUTE_RATE = RecordingRule("route:myapp_http_requests:rate5m",
                               rate(REQUESTS, "5m").sum(by="route"))
    ```
    """

    name: str
    expr: Operand
    labels: Mapping[str, str] = field(default_factory=dict)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not METRIC_NAME.match(self.name):
            raise DefinitionError("OBS206", f"recording rule name {self.name!r} is not valid",
                                  hint="use level:metric:operations, e.g. job:http_requests:rate5m")
        object.__setattr__(self, "expr", _expr(self.expr, self.name))
        object.__setattr__(self, "labels", _frozen_map(self.labels, "label"))

    @property
    def query(self) -> Expr:
        assert isinstance(self.expr, Expr)
        return self.expr


Rule = AlertRule | RecordingRule


@dataclass(frozen=True, eq=False)
class RuleGroup:
    """Rules evaluated together every `interval`; emitted to prometheus/<file>.rules.yml.
    `noqa=("OBS204",)` lets alerts share a name (one per severity, as the monitoring mixins
    write them), which Prometheus accepts.

    Example:

    ```python
    APP_ALERTS = RuleGroup("my-app", interval="1m", rules=[HIGH_ERROR_RATE, ROUTE_RATE])
    ```
    """

    name: str
    rules: tuple[Rule, ...]
    interval: str | None = None
    file: str = ""
    limit: int | None = None
    query_offset: str | None = None
    noqa: tuple[str, ...] = ()
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not isinstance(self.name, str) or not self.name.strip():
            raise DefinitionError("OBS205", "a rule group needs a non-empty name",
                                  hint='RuleGroup("persona-alerts", rules=[...])')
        if self.name == MANIFEST_GROUP:
            raise DefinitionError("OBS205", f"the rule group name {MANIFEST_GROUP!r} is reserved",
                                  hint="the name is obsgen's own in the ruler (it records what "
                                  "obsgen deployed there); give the group another name")
        rules = tuple(self.rules)
        for rule in rules:
            if not isinstance(rule, AlertRule | RecordingRule):
                raise DefinitionError("OBS004", f"group {self.name!r} holds {rule!r}, "
                                      "which is not a rule", hint="list AlertRule/RecordingRule")
        object.__setattr__(self, "rules", rules)
        for key in ("interval", "query_offset"):
            value = getattr(self, key)
            if value is not None:
                check_duration(value, f"{key} of group {self.name!r}")
        file = self.file or re.sub(r"[^a-z0-9_.-]+", "-", self.name.lower()).strip("-")
        if not _FILE_NAME.match(file):
            raise DefinitionError("OBS205", f"group file name {file!r} is not a plain file name",
                                  hint="use lower-case letters, digits, '-', '_' and '.'")
        object.__setattr__(self, "file", file)
        if "OBS204" not in self.noqa:
            _refuse_duplicates(self.name, rules)

    @property
    def alerts(self) -> tuple[AlertRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, AlertRule))


def _refuse_duplicates(group: str, rules: tuple[Rule, ...]) -> None:
    seen: dict[tuple[type, str], Rule] = {}
    for rule in rules:
        key = (type(rule), rule.name)
        if key in seen:
            first = seen[key].source
            raise DefinitionError(
                "OBS204", f"group {group!r} defines {rule.name} twice "
                f"(first at {first.path}:{first.line})",
                hint="rename one of them, or move it to another group", location=rule.source,
            )
        seen[key] = rule
