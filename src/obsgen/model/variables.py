"""Dashboard template variables and the rules for their `$name` uses, kept apart from the layout."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import check_arguments
from obsgen.model.metrics import Metric
from obsgen.model.names import check_text
from obsgen.model.promql import Match, Selector
from obsgen.model.source import caller_location

DATASOURCE_VARIABLE = "datasource"
VARIABLE_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
# $name, ${name}, ${name:format}, ${name.field}, [[name]], [[name:format]] (the forms the
# dashboard lint reads); names starting with __ are Grafana's own macros, timeFilter InfluxDB's.
VARIABLE_USE = re.compile(r"\$\{([a-zA-Z_]\w*)(?:[.:][^}]*)?\}|\$([a-zA-Z_]\w*)"
                          r"|\[\[([a-zA-Z_]\w*)(?::[^\]]*)?\]\]")
BUILT_IN_VARIABLES = frozenset({"timeFilter"})


def variables_used(text: str) -> tuple[str, ...]:
    """Template variables a text refers to, without Grafana's own `$__...` macros."""
    names = (next(g for g in m.groups() if g) for m in VARIABLE_USE.finditer(text))
    return tuple(dict.fromkeys(n for n in names
                               if not n.startswith("__") and n not in BUILT_IN_VARIABLES))


@dataclass(frozen=True, eq=False)
class Variable:
    """A query variable; `Variable.from_label` builds the usual `label_values(...)` one.

    In a query, `metric.where(label=variable)` renders `label=~"$name"`, which matches one value,
    several (multi) or all of them (include_all).

    Example:

    ```python
    ROUTE_VAR = Variable.from_label(REQUESTS, "route", title="Route", multi=True,
                                    include_all=True)
    ```
    """

    name: str
    query: str
    label: str = ""
    multi: bool = False
    include_all: bool = False
    all_value: str | None = None
    sort: int = 1  # alphabetical, ascending
    refresh: int = 2  # on time-range change
    description: str = ""
    # Variable JSON obsgen does not model (another variable type, saved options), merged over
    # what it emits; see `TimeSeries(extra=...)`.
    extra: Mapping[str, Any] = field(default_factory=dict)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not VARIABLE_NAME.match(self.name) or (
                self.name.startswith("__") or self.name == DATASOURCE_VARIABLE):
            raise DefinitionError("OBS606", f"variable name {self.name!r} is not usable",
                                  hint="a name like 'workflow': [a-zA-Z_][a-zA-Z0-9_]*, not "
                                  "starting with '__', and not 'datasource' (obsgen's own)")
        check_text(self.query, f"query of variable {self.name!r}")
        if self.sort not in range(9) or self.refresh not in (0, 1, 2):
            raise DefinitionError("OBS606", f"variable {self.name!r}: sort must be 0-8 and "
                                  "refresh 0, 1 or 2", hint="see Grafana's VariableSort/Refresh")

    @classmethod
    def from_label(cls, source: Metric | Selector, label: str, *, name: str | None = None,
                   title: str = "", multi: bool = False, include_all: bool = False,
                   all_value: str | None = None, description: str = "") -> Variable:
        """`label_values(<series>, <label>)` over a catalog metric or a selector on one; the
        label must be declared on the metric."""
        selector = source if isinstance(source, Selector) else Selector(source)
        if not isinstance(selector, Selector) or not isinstance(selector.metric, Metric):
            raise DefinitionError("OBS004", f"from_label() needs a catalog metric, got {source!r}",
                                  hint='Variable.from_label(QUALITY_GATE, "workflow")')
        selector.metric.label(label)
        kind = selector.metric.kind
        if kind in ("histogram", "summary") and not selector.suffix:
            selector = Selector(selector.metric, selector.matchers, "_count")
        query = f"label_values({selector.expr().text}, {label})"
        return cls(name or label, query, label=title, multi=multi, include_all=include_all,
                   all_value=all_value, description=description, source=caller_location())

    def as_match(self) -> Match:
        return Match("=~", f"${self.name}")

    def __str__(self) -> str:
        return f"${self.name}"


def check_variables(dashboard: str, variables: tuple[Variable, ...],
                    queries: Iterable[tuple[str, Location]]) -> None:
    """Refuse a variable defined twice, a use of one the dashboard does not define (in another
    variable's query or in a panel's `queries`), and variables that depend on each other."""
    defined = {DATASOURCE_VARIABLE}
    for variable in variables:
        if variable.name in defined:
            raise DefinitionError("OBS606", f"variable {variable.name!r} is defined twice "
                                  f"on dashboard {dashboard!r}", hint="keep one definition",
                                  location=variable.source)
        defined.add(variable.name)
    # Grafana resolves variables in the order their queries depend on each other, not in
    # the order they are listed; only a loop has no order.
    for variable in variables:
        _require(dashboard, variables_used(variable.query), defined, variable.source,
                 f"variable {variable.name!r}")
    _refuse_loops(dashboard, variables)
    for text, where in queries:
        _require(dashboard, variables_used(text), defined, where, "query")


def _refuse_loops(dashboard: str, variables: tuple[Variable, ...]) -> None:
    uses = {v.name: set(variables_used(v.query)) for v in variables}
    for variable in variables:
        seen, todo = set(), list(uses[variable.name])
        while todo:
            name = todo.pop()
            if name == variable.name:
                raise DefinitionError(
                    "OBS606", f"variable {variable.name!r} of dashboard {dashboard!r} "
                    "depends on itself through the variables its query uses",
                    hint="break the loop: one of them must not use the other",
                    location=variable.source)
            if name not in seen:
                seen.add(name)
                todo.extend(uses.get(name, ()))


def _require(dashboard: str, used: Iterable[str], defined: set[str], where: Location,
             what: str) -> None:
    missing = [name for name in used if name not in defined]
    if missing:
        have = ", ".join(sorted(defined))
        raise DefinitionError(
            "OBS605", f"{what} uses ${missing[0]}, which dashboard {dashboard!r} does not "
            "define", hint=f"add it to variables=[...]; defined: {have}",
            location=where)
