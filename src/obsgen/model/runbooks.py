"""Runbooks: what on-call does when an alert fires, attached to the alert object itself.

A `Runbook` belongs to one `AlertRule` (by object, so a renamed alert cannot orphan it); its
investigation steps may carry a PromQL query, written with the catalog helpers or raw, which
is checked like any rule expression. `RunbookGuide` holds the project-wide sections. Every
text field is Markdown; obsgen checks its links and anchors before the docs site is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import check_arguments
from obsgen.model.promql import Expr, Operand, as_expr
from obsgen.model.rules import AlertRule
from obsgen.model.source import caller_location


def _text(value: Any, what: str, required: bool = False) -> str:
    if not isinstance(value, str):
        raise DefinitionError("OBS701", f"{what} must be a string of Markdown, got {value!r}",
                              hint="write the text as a (triple-quoted) string")
    if required and not value.strip():
        raise DefinitionError("OBS701", f"{what} is empty",
                              hint="say in a sentence or two what on-call needs to know")
    return value.strip()


def _items(value: Iterable[Any] | None, kind: type | tuple[type, ...], what: str
           ) -> tuple[Any, ...]:
    items = tuple(value) if value is not None and not isinstance(value, str) else None
    if items is None or not all(isinstance(i, kind) for i in items):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DefinitionError("OBS701", f"{what} must be a list of {names}, got {value!r}",
                              hint=f"write {what}=[...]")
    return items


@dataclass(frozen=True)
class Step:
    """One investigation step: what to do, and optionally the query to run and a command.

    Example:

    ```python
    WHICH_ROUTES = Step("Which routes fail, and how much?",
                        query=rate(REQUESTS.where(status="5xx"), "5m").sum(by="route"))
    LOGS = Step("Read the recent errors.", command="journalctl -u my-app --since -15min")
    ```
    """

    text: str
    query: Operand | None = None
    command: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        object.__setattr__(self, "text", _text(self.text, "a step's text", required=True))
        if self.query is not None:
            object.__setattr__(self, "query", as_expr(self.query))
        object.__setattr__(self, "command", _text(self.command, "a step's command"))

    @property
    def promql(self) -> Expr | None:
        assert self.query is None or isinstance(self.query, Expr)
        return self.query


@dataclass(frozen=True)
class RootCause:
    """One row of a root-cause table.

    Example:

    ```python
    BAD_DEPLOY = RootCause("A bad deploy", confirm="Errors started at the deploy time",
                           fix="Roll back")
    ```
    """

    cause: str
    confirm: str
    fix: str
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        for key in ("cause", "confirm", "fix"):
            object.__setattr__(self, key, _text(getattr(self, key), f"root cause {key}",
                                                required=True))


@dataclass(frozen=True, eq=False)
class Runbook:
    """The runbook of one alert; it lands under the alert's heading on its group's page.

    Its text fields are Markdown and land as written (raw HTML included: it is the project's
    own text). The alert's summary, names, severity, category and component beside it are
    plain text and show literally; a step's command and query land as code, verbatim.
    `notes` is free Markdown shown after the other sections (where `obsgen import` keeps the
    sections of a hand-written runbook that no field takes).

    Example:

    ```python
    HIGH_ERROR_RATE_RUNBOOK = Runbook(
        HIGH_ERROR_RATE,
        description="More than 5% of the requests to one route answered 5xx for 10 minutes.",
        impact="Users of that route see errors.",
        investigation=[WHICH_ROUTES, LOGS],
        root_causes=[BAD_DEPLOY],
        quick_fix="Roll back the last deploy if the errors started with it.",
    )
    ```
    """

    alert: AlertRule
    description: str
    impact: str = ""
    investigation: tuple[Step, ...] = ()
    root_causes: tuple[RootCause, ...] = ()
    quick_fix: str = ""
    long_term: str = ""
    prevention: tuple[str, ...] = ()
    related: tuple[AlertRule, ...] = ()
    escalation: str = ""
    notes: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self, specific=("alert",))
        if not isinstance(self.alert, AlertRule):
            raise DefinitionError("OBS701", f"a runbook's alert must be an AlertRule object, "
                                  f"got {self.alert!r}", hint="pass the alert itself: "
                                  "Runbook(TOKEN_BUDGET_EXCEEDED, ...), not its name")
        name = self.alert.name
        object.__setattr__(self, "description", _text(self.description,
                                                      f"description of {name}'s runbook", True))
        for key in ("impact", "quick_fix", "long_term", "escalation", "notes"):
            object.__setattr__(self, key, _text(getattr(self, key), f"{key} of {name}'s runbook"))
        object.__setattr__(self, "investigation", _items(self.investigation, Step,
                                                         "investigation"))
        object.__setattr__(self, "root_causes", _items(self.root_causes, RootCause,
                                                       "root_causes"))
        prevention = _items(self.prevention, str, "prevention")
        object.__setattr__(self, "prevention", tuple(p.strip() for p in prevention))
        object.__setattr__(self, "related", _items(self.related, AlertRule, "related"))

@dataclass(frozen=True)
class Command:
    """A diagnostic command of the project-wide guide.

    Example:

    ```python
    STATUS_CMD = Command("Is the service running?", "systemctl status my-app")
    ```
    """

    purpose: str
    command: str
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        object.__setattr__(self, "purpose", _text(self.purpose, "a command's purpose", True))
        object.__setattr__(self, "command", _text(self.command, "a command", True))


@dataclass(frozen=True)
class CommonIssue:
    """One row of the guide's common-issues table.

    Example:

    ```python
    STALE = CommonIssue("Dashboards show no data", cause="The scrape job is down",
                        fix='Check up{job="my-app"} and the /metrics of the target')
    ```
    """

    symptom: str
    cause: str
    fix: str
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        for key in ("symptom", "cause", "fix"):
            object.__setattr__(self, key, _text(getattr(self, key), f"common issue {key}", True))


@dataclass(frozen=True, eq=False)
class RunbookGuide:
    """The project-wide sections, shown on the runbooks' index page below the overview;
    `notes` is free Markdown shown last.

    Example:

    ```python
    GUIDE = RunbookGuide(
        title="my-app runbooks",
        troubleshooting=["Start with AppDown: without metrics, the other alerts are blind."],
        commands=[STATUS_CMD],
        common_issues=[STALE],
        escalation_path=["On-call engineer", "Application owner"],
    )
    ```
    """

    title: str = "Runbooks"
    introduction: str = ""
    troubleshooting: tuple[str, ...] = ()
    commands: tuple[Command, ...] = ()
    common_issues: tuple[CommonIssue, ...] = ()
    escalation_path: tuple[str, ...] = ()
    notes: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        object.__setattr__(self, "title", _text(self.title, "the guide's title", True))
        object.__setattr__(self, "introduction", _text(self.introduction, "introduction"))
        object.__setattr__(self, "notes", _text(self.notes, "the guide's notes"))
        object.__setattr__(self, "troubleshooting", tuple(
            t.strip() for t in _items(self.troubleshooting, str, "troubleshooting")))
        object.__setattr__(self, "commands", _items(self.commands, Command, "commands"))
        object.__setattr__(self, "common_issues", _items(self.common_issues, CommonIssue,
                                                         "common_issues"))
        object.__setattr__(self, "escalation_path", tuple(
            e.strip() for e in _items(self.escalation_path, str, "escalation_path")))
