"""Name and duration grammars, and the non-empty text check, shared by the model's constructors."""

from __future__ import annotations

import re

from obsgen.diagnostics import DefinitionError

METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DURATION = re.compile(r"^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$")
_UNIT_MS = {"y": 365 * 86_400_000, "w": 7 * 86_400_000, "d": 86_400_000, "h": 3_600_000,
            "m": 60_000, "s": 1000, "ms": 1}
_DURATION_PART = re.compile(r"(\d+)(ms|y|w|d|h|m|s)")


def check_duration(value: str, what: str) -> str:
    """Return `value` if it is a Prometheus duration, else raise OBS201 naming `what`."""
    if not isinstance(value, str) or not value or not DURATION.match(value):
        raise DefinitionError(
            "OBS201",
            f"{what} {value!r} is not a Prometheus duration",
            hint="write a number and a unit with no space: 30s, 5m, 1h30m (units ms s m h d w y)",
        )
    return value


def duration_ms(value: str) -> int:
    return sum(int(n) * _UNIT_MS[unit] for n, unit in _DURATION_PART.findall(value))


def check_label_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not LABEL_NAME.match(name):
        raise DefinitionError(
            "OBS207",
            f"{what} {name!r} is not a valid label name",
            hint="label names match [a-zA-Z_][a-zA-Z0-9_]*",
        )
    return name


def check_text(value: object, what: str) -> str:
    """Return `value` if it is a non-empty string, else raise OBS004 naming `what`."""
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError("OBS004", f"{what} must be a non-empty string, got {value!r}",
                              hint="give it a human-readable text")
    return value
