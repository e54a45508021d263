"""grafanalib's panel classes, each remembering the line that created it.

Users keep grafanalib's whole surface (every argument of `TimeSeries`, `Stat`, ...); obsgen only
adds `source`, so a problem found in a panel is reported at the panel's own line, and turns the
errors grafanalib's own argument validators raise into OBS004 diagnostics.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import attr
from grafanalib import core

from obsgen.diagnostics import Location
from obsgen.model.panel_arguments import check_grafanalib_arguments, from_attrs_error
from obsgen.model.source import caller_location

T = TypeVar("T", bound=type)


def _source() -> Any:
    return attr.ib(factory=caller_location, kw_only=True, eq=False, repr=False)


def _extra() -> Any:
    """`extra={...}`: panel JSON obsgen does not model, merged over what it emits (a nested
    mapping merges key by key; None removes a key). `obsgen import` keeps what it cannot map
    here, so nothing of an imported panel is lost."""
    return attr.ib(factory=dict, kw_only=True, eq=False, repr=False)


def _checked(cls: T) -> T:
    """`cls` whose constructor checks its arguments (OBS004 at the user's line, where the
    loader places it), attrs' own TypeErrors included."""
    made = vars(cls)["__init__"]  # the one attrs generated for this class

    @functools.wraps(made)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            made(self, *args, **kwargs)
        except (TypeError, ValueError) as exc:
            error = from_attrs_error(self, exc)
            if error is None:
                raise
            raise error from None
        check_grafanalib_arguments(self)

    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses assigning to a method
    return cls


@_checked
@attr.s
class TimeSeries(core.TimeSeries):  # type: ignore[misc]
    """grafanalib's `core.TimeSeries` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    TRAFFIC = TimeSeries(
        title="Requests per second by status",
        targets=[Target(expr=rate(REQUESTS.where(route=ROUTE_VAR)).sum(by="status"),
                        legendFormat="{{status}}")],
        unit="reqps",
    )
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class Stat(core.Stat):  # type: ignore[misc]
    """grafanalib's `core.Stat` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    ERROR_SHARE = Stat(
        title="Share of 5xx answers",
        targets=[Target(expr=rate(REQUESTS.where(status="5xx")).sum() / rate(REQUESTS).sum(),
                        instant=True)],
        format="percentunit",
        thresholds=[(None, "green"), (0.01, "yellow"), (0.05, "red")],
    )
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class GaugePanel(core.GaugePanel):  # type: ignore[misc]
    """grafanalib's `core.GaugePanel` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    QUEUE_GAUGE = GaugePanel(title="Queued jobs", targets=[Target(expr=QUEUE.sum())],
                             max=1000)
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class BarGauge(core.BarGauge):  # type: ignore[misc]
    """grafanalib's `core.BarGauge` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    QUEUE_BARS = BarGauge(title="Requests by route",
                          targets=[Target(expr=rate(REQUESTS, "1h").sum(by="route"),
                                          legendFormat="{{route}}")])
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class BarChart(core.BarChart):  # type: ignore[misc]
    """grafanalib's `core.BarChart` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    BY_STATUS = BarChart(title="Requests by status",
                         targets=[Target(expr=increase(REQUESTS, "1h").sum(by="status"),
                                         legendFormat="{{status}}", instant=True)])
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class Heatmap(core.Heatmap):  # type: ignore[misc]
    """grafanalib's `core.Heatmap` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    LATENCY_MAP = Heatmap(title="Request durations",
                          targets=[Target(expr=rate(LATENCY.series("bucket")).sum(by="le"),
                                          format="heatmap", legendFormat="{{le}}")])
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class Table(core.Table):  # type: ignore[misc]
    """grafanalib's `core.Table` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    TOP_ROUTES = Table(title="Busiest routes",
                       targets=[Target(expr=topk(5, rate(REQUESTS, "1h").sum(by="route")),
                                       instant=True, format="table")])
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class Text(core.Text):  # type: ignore[misc]
    """grafanalib's `core.Text` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    HELP = Text(title="About", content="Runbooks: https://runbooks.example.org/")
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class StateTimeline(core.StateTimeline):  # type: ignore[misc]
    """grafanalib's `core.StateTimeline` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    UP = StateTimeline(title="Target up", targets=[Target(expr=up(APP_JOB))])
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


@_checked
@attr.s
class RowPanel(core.RowPanel):  # type: ignore[misc]
    """grafanalib's `core.RowPanel` panel, checked as it is made (arguments, queries against
    the catalog) and emitted in Grafana's current schema.

    Example:

    ```python
    TRAFFIC_HEADER = RowPanel(title="Traffic", collapsed=False)
    ```
    """

    source: Location = _source()
    extra: dict[str, Any] = _extra()


# obsgen's own panel classes: they check their arguments as they are made.
OWN_PANELS = (TimeSeries, Stat, GaugePanel, BarGauge, BarChart, Heatmap, Table, Text,
              StateTimeline, RowPanel)
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
