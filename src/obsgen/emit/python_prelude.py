"""The fixed part of the generated instrumentation module: its imports, the errors it raises,
the policy that raises or counts-and-drops, and the base every metric's class extends.

Kept as text (not imported by obsgen) because it lands verbatim in the user's code base, where
obsgen is not installed: the module depends on prometheus_client alone.
"""

from __future__ import annotations

DROPPED_METRIC = "obsgen_instrumentation_dropped_total"

IMPORTS = """\
from __future__ import annotations

import math
from typing import ClassVar, Final, Literal, get_args

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
{classes})

__all__ = [
{names}]

OnViolation = Literal["raise", "drop"]
"""

BASE = '''

class CatalogViolationError(ValueError):
    """A sample the catalog does not allow; `metric` names the metric it was for."""

    def __init__(self, metric: str, message: str) -> None:
        super().__init__(f"{metric}: {message}")
        self.metric = metric


class UndeclaredLabelValueError(CatalogViolationError):
    """A label value outside the closed set the catalog declares for that label."""


class OutOfBoundsError(CatalogViolationError):
    """A gauge value outside the bounds the catalog declares (or NaN)."""


class _Policy:
    """What a violation does: raise it, or count it and drop the sample."""

    def __init__(self, registry: CollectorRegistry, on_violation: OnViolation) -> None:
        if on_violation not in ("raise", "drop"):
            wanted = "on_violation must be 'raise' or 'drop'"
            raise ValueError(f"{wanted}, not {on_violation!r}")
        self._dropped: Counter | None = None
        if on_violation == "drop":
            self._dropped = Counter(
                "{dropped}",
                "Samples the instrumentation dropped because the catalog does not "
                "allow them, by metric and reason (undeclared_value, out_of_bounds).",
                labelnames=("metric", "reason"),
                registry=registry,
            )

    def violated(self, error: CatalogViolationError, reason: str) -> None:
        if self._dropped is None:
            raise error
        self._dropped.labels(error.metric, reason).inc()


def _values(alias: object) -> tuple[str, ...]:
    return get_args(alias)


class _Instrument:
    """The checks every metric's class runs before it touches prometheus_client."""

    name: ClassVar[str]

    def __init__(self, policy: _Policy) -> None:
        self._policy = policy

    def _accepts(self, *checks: tuple[str, str, tuple[str, ...]]) -> bool:
        """True when every (label, value, declared values) holds a declared value."""
        for label, value, declared in checks:
            if value not in declared:
                allowed = ", ".join(declared)
                error = UndeclaredLabelValueError(
                    self.name,
                    f"{value!r} is not a declared value of label {label!r} "
                    f"(declared: {allowed})",
                )
                self._policy.violated(error, "undeclared_value")
                return False
        return True

    def _bounded(
        self, value: float, low: float, high: float, clamp: bool
    ) -> float | None:
        """`value` within [low, high] (clamped if the catalog says so), else None."""
        if low <= value <= high:
            return value
        if clamp and not math.isnan(value):
            return min(max(value, low), high)
        error = OutOfBoundsError(
            self.name, f"{value!r} is outside the declared bounds [{low!r}, {high!r}]"
        )
        self._policy.violated(error, "out_of_bounds")
        return None
'''.replace("{dropped}", DROPPED_METRIC)
