"""Rule unit tests: input series and expected alerts or samples, run by `promtool test rules`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import check_duration
from obsgen.model.promql import Expr, Operand, Selector, as_expr
from obsgen.model.rules import AlertRule, RuleGroup
from obsgen.model.source import caller_location


@dataclass(frozen=True, eq=False)
class Series:
    """One input series in promtool notation, e.g. values="0+10x30" or "1 1 _ 0".

    Example:

    ```python
    FAILING = Series(REQUESTS.where(route="/checkout", status="5xx"), "0+10x30")
    ```
    """

    selector: str | Selector
    values: str
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not self.values.strip():
            raise DefinitionError("OBS208", f"series {self.text} has no values",
                                  hint='e.g. values="0+10x30" (start 0, +10 each step, 30 steps)')

    @property
    def text(self) -> str:
        return self.selector if isinstance(self.selector, str) else self.selector.expr().text


@dataclass(frozen=True)
class Firing:
    """One alert expected to fire: its labels beyond the rule's own, and the expanded text of
    any annotation obsgen cannot expand offline (anything beyond {{ $labels.x }}).

    Example:

    ```python
    CHECKOUT = Firing({"route": "/checkout"})  # a plain dict works as well
    ```
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        check_arguments(self)


@dataclass(frozen=True, eq=False)
class ExpectAlert:
    """At `at`, `alert` fires exactly the `firing` alerts (none: it must stay silent).

    Example:

    ```python
    FIRES = ExpectAlert(HIGH_ERROR_RATE, at="20m", firing=[CHECKOUT])
    SILENT = ExpectAlert(HIGH_ERROR_RATE, at="20m")  # no firing: expected to stay silent
    ```
    """

    alert: AlertRule
    at: str
    firing: Annotated[tuple[Firing, ...], Accepts(tuple[Firing | Mapping[str, str], ...])] = ()
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self, specific=("alert",))
        if not isinstance(self.alert, AlertRule):
            raise DefinitionError("OBS209", f"ExpectAlert needs an AlertRule, got {self.alert!r}",
                                  hint="pass the alert object, not its name")
        check_duration(self.at, "eval time")
        firing = tuple(f if isinstance(f, Firing) else Firing(MappingProxyType(dict(f)))
                       for f in self.firing)
        object.__setattr__(self, "firing", firing)


@dataclass(frozen=True, eq=False)
class ExpectSamples:
    """At `at`, `expr` returns exactly these (series, value) samples.

    Example:

    ```python
    RECORDED = ExpectSamples(ROUTE_RATE, at="10m",
                             samples=[('route:myapp_http_requests:rate5m{route="/checkout"}', 1)])
    ```
    """

    expr: Operand
    at: str
    samples: tuple[tuple[str | Selector, float], ...] = ()
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        object.__setattr__(self, "expr", as_expr(self.expr))
        check_duration(self.at, "eval time")
        object.__setattr__(self, "samples", tuple(self.samples))

    @property
    def query(self) -> Expr:
        assert isinstance(self.expr, Expr)
        return self.expr


Expectation = ExpectAlert | ExpectSamples


@dataclass(frozen=True, eq=False)
class RuleTest:
    """One promtool test case; it lands in the test file of `group` (default: the group of
    its first expected alert).

    Example:

    ```python
    ERRORS_FIRE = RuleTest(
        "10% errors for 10 minutes fires",
        series=[FAILING, Series(REQUESTS.where(route="/checkout", status="2xx"), "0+90x30")],
        expect=[FIRES],
    )
    ```
    """

    name: str
    series: tuple[Series, ...]
    expect: tuple[Expectation, ...]
    interval: str = "1m"
    group: RuleGroup | None = None
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        object.__setattr__(self, "series", tuple(self.series))
        object.__setattr__(self, "expect", tuple(self.expect))
        check_duration(self.interval, f"interval of test {self.name!r}")
        if not self.expect:
            raise DefinitionError("OBS212", f"rule test {self.name!r} expects nothing",
                                  hint="add ExpectAlert(...) or ExpectSamples(...)")
        if self.group is None and not self.alerts:
            raise DefinitionError("OBS209", f"rule test {self.name!r} tests no alert; "
                                  "name the group its expressions need", hint="group=MY_GROUP")

    @property
    def alerts(self) -> tuple[ExpectAlert, ...]:
        return tuple(e for e in self.expect if isinstance(e, ExpectAlert))
