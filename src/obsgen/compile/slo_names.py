"""The series an SLO's recording rules write, named level:metric:operations."""

from __future__ import annotations

from obsgen.model.names import duration_ms
from obsgen.model.slo import SLO


def error_rate(window: str) -> str:
    return f"slo:sli_error:rate{window}"


def total_rate(window: str) -> str:
    return f"slo:sli_total:rate{window}"


def error_ratio(window: str) -> str:
    return f"slo:sli_error:ratio_rate{window}"


OBJECTIVE = "slo:objective:ratio"
ERROR_BUDGET = "slo:error_budget:ratio"
BUDGET_REMAINING = "slo:period_error_budget_remaining:ratio"
CURRENT_BURN = "slo:current_burn_rate:ratio"
PERIOD_BURN = "slo:period_burn_rate:ratio"


def of(slo: SLO, series: str) -> str:
    """`series{slo="name"}`: one SLO's sample of a shared recorded series."""
    return f'{series}{{slo="{slo.name}"}}'


def base_window(slo: SLO) -> str:
    """The window whose recorded rates the SLO period's ratio sums (the shortest one read)."""
    windows = slo.windows()
    return windows[0] if windows else "5m"


def all_windows(slo: SLO) -> tuple[str, ...]:
    found = set(slo.windows()) | {base_window(slo)}
    return tuple(sorted(found, key=duration_ms))
