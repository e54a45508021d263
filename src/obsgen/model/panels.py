"""grafanalib's panel classes, each remembering the line that created it.

Users keep grafanalib's whole surface (every argument of `TimeSeries`, `Stat`, ...); obsgen only
adds `source`, so a problem found in a panel is reported at the panel's own line.
"""

from __future__ import annotations

from typing import Any

import attr
from grafanalib import core

from obsgen.diagnostics import Location
from obsgen.model.source import caller_location


def _source() -> Any:
    return attr.ib(factory=caller_location, kw_only=True, eq=False, repr=False)


@attr.s
class TimeSeries(core.TimeSeries):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class Stat(core.Stat):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class GaugePanel(core.GaugePanel):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class BarGauge(core.BarGauge):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class BarChart(core.BarChart):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class Heatmap(core.Heatmap):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class Table(core.Table):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class Text(core.Text):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class StateTimeline(core.StateTimeline):  # type: ignore[misc]
    source: Location = _source()


@attr.s
class RowPanel(core.RowPanel):  # type: ignore[misc]
    source: Location = _source()


# The grafanalib classes obsgen emits, by the panel type each produces.
SUPPORTED: dict[str, type] = {
    "timeseries": core.TimeSeries, "stat": core.Stat, "gauge": core.GaugePanel,
    "bargauge": core.BarGauge, "barchart": core.BarChart, "heatmap": core.Heatmap,
    "table": core.Table, "text": core.Text, "state-timeline": core.StateTimeline,
}
# Legacy kinds grafanalib still builds, with what to use instead.
REPLACED = {core.Graph: "TimeSeries", core.SingleStat: "Stat"}


def panel_location(panel: object, fallback: Location) -> Location:
    found = getattr(panel, "source", None)
    return found if isinstance(found, Location) else fallback
