"""Multi-window multi-burn-rate alerting: the burn-rate conditions of an SLO's page and ticket
tiers, and how their windows follow the SLO's time window.

The defaults are the Google SRE workbook's for a 30-day SLO (page: 14.4x over 1h and 5m, 6x
over 6h and 30m; ticket: 3x over 1d and 2h, 1x over 3d and 6h). Each pair spends a fixed share
of the error budget before it fires: factor x long window / SLO window (2%, 5%, 10%, 10% of a
30-day budget), which is how Sloth derives its burn-rate factors from budget shares. For an SLO
window other than 30 days obsgen keeps both the factors and those shares, so the windows scale
with the SLO window (7d: 14.4x over 14m and 1m); windows given explicitly are used as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import check_duration, duration_ms
from obsgen.model.source import caller_location

REFERENCE_WINDOW_MS = duration_ms("30d")
_MINUTE_MS = 60_000
SHORTEST_MS = 5 * _MINUTE_MS


@dataclass(frozen=True)
class BurnRate:
    """One alert condition: the error ratio is above `factor` x the error budget over both the
    `long` window and the `short` one (the short one lets the alert resolve soon after).

    Example:

    ```python
    FAST_BURN = BurnRate(14.4, long="1h", short="5m")
    ```
    """

    factor: float
    long: str
    short: str

    def __post_init__(self) -> None:
        check_arguments(self)
        check_duration(self.long, "long burn-rate window")
        check_duration(self.short, "short burn-rate window")
        if not self.factor > 0:
            raise DefinitionError("OBS219", f"burn-rate factor {self.factor} is not positive",
                                  hint="e.g. BurnRate(14.4, long=\"1h\", short=\"5m\")")
        if duration_ms(self.short) >= duration_ms(self.long):
            raise DefinitionError(
                "OBS219", f"short window {self.short} is not shorter than long window {self.long}",
                hint="the short window is usually 1/12 of the long one (1h and 5m)")

    def budget_share(self, slo_window: str) -> float:
        """The share of the SLO window's error budget spent when this condition starts firing."""
        return self.factor * duration_ms(self.long) / duration_ms(slo_window)


PAGE_DEFAULTS = (BurnRate(14.4, "1h", "5m"), BurnRate(6, "6h", "30m"))
TICKET_DEFAULTS = (BurnRate(3, "1d", "2h"), BurnRate(1, "3d", "6h"))


def format_duration(ms: int) -> str:
    """A Prometheus duration for `ms`, largest units first (5400000 -> 1h30m)."""
    out = ""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        count, ms = divmod(ms, size)
        if count:
            out += f"{count}{unit}"
    return out + (f"{ms}ms" if ms else "") or "0s"


def _scaled(window: str, slo_window: str) -> int:
    ms = duration_ms(window) * duration_ms(slo_window) / REFERENCE_WINDOW_MS
    return max(SHORTEST_MS, round(ms / _MINUTE_MS) * _MINUTE_MS)


def scale(rates: Iterable[BurnRate], slo_window: str) -> tuple[BurnRate, ...]:
    """The 30-day `rates` for `slo_window`: same factors and budget shares, windows scaled
    (rounded to whole minutes, at least 5m: a rate() over less misses samples at common
    scrape intervals)."""
    if duration_ms(slo_window) == REFERENCE_WINDOW_MS:
        return tuple(rates)
    scaled = []
    for r in rates:
        long, short = _scaled(r.long, slo_window), _scaled(r.short, slo_window)
        if short >= long:
            raise DefinitionError(
                "OBS215", f"SLO window {slo_window} is too short for the default burn-rate "
                f"windows ({r.factor:g}x over {r.long} and {r.short} scale to "
                f"{format_duration(long)} and {format_duration(short)})",
                hint="give the tiers rates of their own: "
                     "Tier(rates=[BurnRate(14.4, long=\"30m\", short=\"5m\")])")
        scaled.append(BurnRate(r.factor, format_duration(long), format_duration(short)))
    return tuple(scaled)


@dataclass(frozen=True)
class Tier:
    """One alert of an SLO: page or ticket. `rates=None` takes the workbook's pairs, scaled to
    the SLO window; `enabled=False` emits no alert for the tier. `name` defaults to
    <SLO name in CamelCase><Page|Ticket>BurnRate, `severity` to critical (page) or warning,
    `for_` to half the tier's shortest short window ("0s": fire at the first evaluation).

    Example:

    ```python
    PAGE = Tier(rates=[FAST_BURN, BurnRate(6, long="6h", short="30m")],
                labels={"team": "web"})
    ```
    """

    enabled: bool = True
    rates: Annotated[tuple[BurnRate, ...] | None, Accepts(tuple[BurnRate, ...] | None)] = None
    name: str = ""
    severity: str = ""
    for_: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if self.rates is not None:
            rates = tuple(self.rates)
            if not rates:
                raise DefinitionError("OBS219", "a tier's rates are empty",
                                      hint="give at least one BurnRate, or enabled=False")
            object.__setattr__(self, "rates", rates)
        if self.for_ is not None:
            check_duration(self.for_, "for of an SLO tier")
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "annotations", MappingProxyType(dict(self.annotations)))


def resolved(tier: Tier, defaults: tuple[BurnRate, ...], slo_window: str
             ) -> tuple[BurnRate, ...]:
    """The tier's conditions for an SLO over `slo_window` (none when the tier is off)."""
    if not tier.enabled:
        return ()
    return tier.rates if tier.rates is not None else scale(defaults, slo_window)


def tier_of(value: Tier | bool | None, what: str) -> Tier:
    """`page=False` switches the tier off, `page=True` or None keeps its defaults."""
    if isinstance(value, Tier):
        return value
    if value is None or isinstance(value, bool):
        return Tier(enabled=value is not False)
    raise DefinitionError("OBS004", f"{what} must be a Tier or True/False, got {value!r}",
                          hint=f"{what}=Tier(rates=[BurnRate(14.4, long=\"1h\", short=\"5m\")])")
