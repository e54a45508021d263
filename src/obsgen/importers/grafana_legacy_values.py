"""What Grafana's legacy panel migrations share: reducer names and lenient JSON reading."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
# Legacy names of reducers (legend values, singlestat valueName) -> Grafana's reducer ids.
REDUCERS = {"avg": "mean", "current": "lastNotNull", "total": "sum", "mean": "mean",
            "lastNotNull": "lastNotNull", "sum": "sum", "min": "min", "max": "max",
            "first": "first", "last": "last", "delta": "delta", "diff": "diff",
            "range": "range", "count": "count", "firstNotNull": "firstNotNull",
            "median": "median", "logmin": "logmin"}

def take(panel: Json, keys: tuple[str, ...]) -> Json:
    return {k: panel.pop(k) for k in keys if k in panel}


def number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return int(number) if number.is_integer() else number
    return None


def no_nulls(values: Json) -> Json:
    return {k: v for k, v in values.items() if v is not None}




def obj(value: Any) -> Json:
    """`value` where it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list[Any]:
    """`value` where it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []
