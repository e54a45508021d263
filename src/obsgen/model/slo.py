"""Service level objectives: an SLI, an objective over a time window, and the page and ticket
alerts that watch how fast the error budget burns (see model/slo_windows.py).

An SLO compiles into what obsgen already emits and checks (compile/slo.py): a rule group of
recording and alerting rules, promtool tests of its alerts, a runbook per alert, and a
dashboard per service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import check_duration, check_label_name, duration_ms
from obsgen.model.sli import Events, Latency, RawRatio
from obsgen.model.slo_windows import (
    PAGE_DEFAULTS,
    TICKET_DEFAULTS,
    BurnRate,
    Tier,
    format_duration,
    resolved,
    tier_of,
)
from obsgen.model.source import caller_location

NAME = re.compile(r"^[a-z0-9]([a-z0-9_-]{0,62}[a-z0-9])?$")
TIERS = ("page", "ticket")
DEFAULT_SEVERITY = {"page": "critical", "ticket": "warning"}


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]+", name))


@dataclass(frozen=True, eq=False)
class SLO:
    """`objective` is a percentage (99.9); `window` the period the budget spans (30d);
    `page=`/`ticket=` a Tier, or False for no such alert.

    Example:

    ```python
    API_AVAILABILITY = SLO(
        "api-availability",
        sli=SERVER_ERRORS,
        objective=99.9,
        window="30d",
        description="Requests answered without a server error.",
        page=PAGE,
    )
    API_LATENCY = SLO("api-latency", sli=SLOW_REQUESTS, objective=99, ticket=False)
    ```
    """

    name: str
    sli: Events | Latency | RawRatio
    objective: float
    window: str = "30d"
    service: str = ""
    description: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    page: Annotated[Tier, Accepts(Tier | bool | None)] = field(default_factory=Tier)
    ticket: Annotated[Tier, Accepts(Tier | bool | None)] = field(default_factory=Tier)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not NAME.match(self.name):
            raise DefinitionError("OBS219", f"SLO name {self.name!r} is not valid",
                                  hint="lower-case letters, digits, '-' and '_', e.g. "
                                       "'quality-gate-pass'")
        if not 0 < self.objective < 100:
            raise DefinitionError(
                "OBS214", f"SLO {self.name}: objective {self.objective} is outside (0, 100)",
                hint="the objective is a percentage of good events, e.g. 99.9")
        check_duration(self.window, f"window of SLO {self.name}")
        for key in self.labels:
            check_label_name(key, f"label of SLO {self.name}")
        object.__setattr__(self, "labels", MappingProxyType(dict(sorted(self.labels.items()))))
        object.__setattr__(self, "page", tier_of(self.page, "page"))
        object.__setattr__(self, "ticket", tier_of(self.ticket, "ticket"))
        self._check_windows()

    def _check_windows(self) -> None:
        longest = max((r for t in TIERS for r in self.rates(t)),
                      key=lambda r: duration_ms(r.long), default=None)
        if longest is not None and duration_ms(longest.long) > duration_ms(self.window):
            raise DefinitionError(
                "OBS215", f"SLO {self.name}: its window {self.window} is shorter than the "
                f"alert window {longest.long}", hint="lengthen the SLO window, or give the "
                "tier shorter rates: Tier(rates=[BurnRate(...)])")

    @property
    def budget(self) -> float:
        """The error budget as a ratio (99.9 -> 0.001)."""
        return round(1 - self.objective / 100, 12)

    @property
    def target(self) -> float:
        """The objective as a ratio (99.9 -> 0.999)."""
        return round(self.objective / 100, 12)

    def tier(self, name: str) -> Tier:
        value = getattr(self, name)
        assert isinstance(value, Tier)
        return value

    def rates(self, tier: str) -> tuple[BurnRate, ...]:
        defaults = PAGE_DEFAULTS if tier == "page" else TICKET_DEFAULTS
        return resolved(self.tier(tier), defaults, self.window)

    def alert_name(self, tier: str) -> str:
        return self.tier(tier).name or f"{camel(self.name)}{camel(tier)}BurnRate"

    def for_(self, tier: str) -> str:
        """The tier's `for`: as given, else half its shortest short window (the short window
        already asks the burn to last; the wait rides out one bad scrape)."""
        given = self.tier(tier).for_
        if given is not None:
            return given
        shortest = min((duration_ms(r.short) for r in self.rates(tier)), default=0)
        return format_duration(shortest // 2 // 1000 * 1000)

    def severity(self, tier: str) -> str:
        return self.tier(tier).severity or DEFAULT_SEVERITY[tier]

    def windows(self) -> tuple[str, ...]:
        """Every window an alert reads, shortest first."""
        found = {w for t in TIERS for r in self.rates(t) for w in (r.long, r.short)}
        return tuple(sorted(found, key=duration_ms))

    def service_name(self, default: str) -> str:
        return self.service or default
