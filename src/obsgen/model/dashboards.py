"""Dashboards: folders, links, rows of grafanalib panels, and the dashboard that holds them.

Panels are grafanalib objects (see model/panels.py for the ones that remember their line).
obsgen adds a `$datasource` variable, catalog-typed queries (model/promql.py) and automatic grid
layout; emit/grafana.py turns all of it into current-schema JSON.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from grafanalib import core

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import check_text
from obsgen.model.panel_arguments import check_grafanalib_arguments
from obsgen.model.panels import OWN_PANELS, REPLACED, SUPPORTED, panel_location
from obsgen.model.promql import _Ops
from obsgen.model.raw_panels import RawPanel
from obsgen.model.source import caller_location
from obsgen.model.variables import Variable, check_variables

UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
LAYOUTS = ("auto", "grid")
RELATIVE_TIME = re.compile(r"^now(-\d+[smhdwMy])?(/[smhdwMy])?$")
REFRESH = re.compile(r"^(\d+(ms|s|m|h|d|w|y))?$")


def slug(text: str) -> str:
    """A Grafana uid made from a title: lower case, runs of other characters become '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _uid(value: object, what: str) -> str:
    if not isinstance(value, str) or not UID.match(value):
        raise DefinitionError("OBS601", f"{what} uid {value!r} is not a valid Grafana uid",
                              hint="1 to 40 characters from [a-zA-Z0-9_-], e.g. 'persona-overview'")
    return value


def _strings(values: Iterable[str] | str, what: str) -> tuple[str, ...]:
    items = (values,) if isinstance(values, str) else tuple(values)
    for item in items:
        if not isinstance(item, str):
            raise DefinitionError("OBS004", f"{what} must be strings, got {item!r}",
                                  hint="quote the value")
    return items


@dataclass(frozen=True)
class Folder:
    """A Grafana folder; its uid defaults to a slug of the title, so it stays stable.

    Example:

    ```python
    MY_FOLDER = Folder("My app")  # uid "my-app", derived from the title
    ```
    """

    title: str
    uid: str | None = None

    def __post_init__(self) -> None:
        check_arguments(self)
        check_text(self.title, "folder title")
        object.__setattr__(self, "uid", _uid(self.uid or slug(self.title), "folder"))

    @property
    def key(self) -> str:
        return self.uid or slug(self.title)


@dataclass(frozen=True)
class Link:
    """A dashboard link: to a URL (`url=`), or to the dashboards carrying `tags`.

    Example:

    ```python
    RUNBOOKS = Link("Runbooks", url="https://runbooks.example.org/")
    ```
    """

    title: str
    url: str = ""
    tags: Annotated[tuple[str, ...], Accepts(tuple[str, ...] | str)] = ()
    tooltip: str = ""
    icon: str = "external link"
    as_dropdown: bool = False
    target_blank: bool = False
    include_vars: bool = True
    keep_time: bool = True

    def __post_init__(self) -> None:
        check_arguments(self)
        check_text(self.title, "link title")
        object.__setattr__(self, "tags", _strings(self.tags, "link tags"))
        if bool(self.url) == bool(self.tags):
            raise DefinitionError("OBS609", f"link {self.title!r} needs either url= or tags=",
                                  hint='Link("Runbooks", url="https://...") or '
                                  'Link("Related", tags=["hypertool"])')

    @property
    def type(self) -> str:
        return "link" if self.url else "dashboards"


Panel = Any  # a grafanalib panel object; checked by `check_panel`


def check_panel(panel: Panel, fallback: Location) -> None:
    """Refuse what obsgen cannot emit as a current-schema panel."""
    where = panel_location(panel, fallback)
    if isinstance(panel, RawPanel):
        return
    if isinstance(panel, tuple(REPLACED)):
        modern = next(v for k, v in REPLACED.items() if isinstance(panel, k))
        raise DefinitionError("OBS603", f"{type(panel).__name__} is a legacy Grafana panel kind",
                              hint=f"use {modern} (from obsgen) instead", location=where)
    if isinstance(panel, core.RowPanel) or not isinstance(panel, tuple(SUPPORTED.values())):
        kinds = ", ".join(sorted(c.__name__ for c in SUPPORTED.values()))
        raise DefinitionError("OBS603", f"{panel!r:.80} is not a panel kind obsgen emits",
                              hint=f"use one of grafanalib's {kinds} (RowPanel only between "
                              "rows)", location=where)
    if not isinstance(panel, OWN_PANELS):  # obsgen's own checked theirs when they were made
        check_grafanalib_arguments(panel, where)


@dataclass(frozen=True, eq=False)
class Row:
    """A row of panels, laid out left to right in equal widths (a panel's own
    `gridPos=GridPos(h, w, 0, 0)` keeps its size); a row without title has no header.

    Example:

    ```python
    TRAFFIC_ROW = Row("Traffic", [TRAFFIC, ERROR_SHARE])
    ```
    """

    title: str
    panels: Sequence[Panel] = ()
    height: int = 8
    collapsed: bool = False
    # The RowPanel that started the row in a flat list: its gridPos places the header in a
    # dashboard with layout="grid", its `extra` is merged into the header's JSON.
    header: core.RowPanel | None = None
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        panels = tuple(self.panels)
        for panel in panels:
            check_panel(panel, self.source)
        if not 1 <= self.height <= 64:
            raise DefinitionError("OBS609", f"row {self.title!r}: height {self.height!r} is not "
                                  "a grid height", hint="a whole number of grid units, 1-64")
        object.__setattr__(self, "panels", panels)


def rows_of(items: Sequence[Row | Panel], fallback: Location) -> tuple[Row, ...]:
    """Rows from a flat list where a grafanalib RowPanel starts a new titled row."""
    rows: list[Row] = []
    current: list[Panel] = []
    title, where, collapsed, header = "", fallback, False, None
    for item in items:
        if isinstance(item, Row):
            if current or title or header is not None:
                rows.append(Row(title, current, collapsed=collapsed, header=header,
                                source=where))
            rows.append(item)
            current, title, collapsed, header = [], "", False, None
        elif isinstance(item, core.RowPanel):
            if not isinstance(item, OWN_PANELS):
                check_grafanalib_arguments(item, panel_location(item, fallback))
            if current or title or header is not None:
                rows.append(Row(title, current, collapsed=collapsed, header=header,
                                source=where))
            current, title, header = [], item.title or "", item
            where, collapsed = panel_location(item, fallback), item.collapsed
        else:
            check_panel(item, fallback)
            current.append(item)
    if current or title or header is not None:
        rows.append(Row(title, current, collapsed=collapsed, header=header, source=where))
    return tuple(rows)


def target_text(target: object) -> str | None:
    """The PromQL text of a panel target, or None when the target is not a query."""
    if isinstance(target, _Ops | str):
        return str(target)
    if isinstance(target, core.Target):
        return str(target.expr) if isinstance(target.expr, _Ops | str) else None
    if isinstance(target, dict) and isinstance(target.get("expr"), _Ops | str):
        return str(target["expr"])
    return None


def _finite(value: object, path: str) -> Iterator[str]:
    """Paths under `value` that JSON cannot hold (grafanalib objects are expanded)."""
    if hasattr(value, "to_json_data"):
        yield from _finite(value.to_json_data(), path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool):
                yield f"{path} key {key!r}"
            yield from _finite(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _finite(item, f"{path}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"{path} = {value!r}"
    elif not isinstance(value, str | int | float | bool | _Ops) and value is not None:
        yield f"{path} = {value!r:.60}"


def _plain(value: object) -> object:
    if hasattr(value, "to_json_data"):
        return value.to_json_data()
    if isinstance(value, _Ops):
        return str(value)
    raise TypeError(type(value).__name__)


def _surely_serialisable(panel: Panel) -> bool:
    """True only when `_finite` would find nothing, decided by the C JSON encoder (a panel is
    walked in Python only when this cannot tell). A None key is the one thing it lets through
    that `_finite` refuses; it is written "null", so that text sends the panel to the walk."""
    try:
        text = json.dumps(panel, default=_plain, allow_nan=False)
    except Exception:  # whatever failed, the walk below finds it and says what
        return False
    return '"null":' not in text


def check_serialisable(panel: Panel, where: Location) -> None:
    if _surely_serialisable(panel):
        return
    try:
        bad = next(_finite(panel, "panel"), None)
    except Exception as exc:  # grafanalib's own to_json_data failing on a bad option
        bad = f"panel ({type(exc).__name__}: {exc})"
    if bad is not None:
        raise DefinitionError("OBS604", f"{panel.title or type(panel).__name__!r}: {bad} "
                              "cannot be written as JSON", hint="panel options take strings, "
                              "numbers, booleans, lists and dicts of them", location=where)


@dataclass(frozen=True, eq=False)
class Dashboard:
    """A dashboard, emitted as `build/grafana/<folder.uid>/<uid>.json`.

    `rows` is a list of `Row`s, or a flat list of panels where a grafanalib `RowPanel` starts
    a new titled row. Every query runs on the `$datasource` variable obsgen adds.

    Example:

    ```python
    MY_APP = Dashboard(
        uid="my-app-overview",
        title="My app",
        folder=MY_FOLDER,
        tags=("my-app",),
        variables=(ROUTE_VAR,),
        rows=[TRAFFIC_ROW, Row("Latency", [LATENCY_MAP])],
        links=(RUNBOOKS,),
    )
    ```
    """

    uid: str
    title: str
    folder: Folder
    rows: Sequence[Row | Panel] = ()
    tags: Annotated[tuple[str, ...], Accepts(tuple[str, ...] | str)] = ()
    variables: tuple[Variable, ...] = ()
    description: str = ""
    time_from: str = "now-6h"
    time_to: str = "now"
    refresh: str = "1m"
    timezone: str = "browser"
    links: tuple[Link, ...] = ()
    graph_tooltip: int = 1  # shared crosshair
    editable: bool = True
    # "auto": rows laid out left to right; "grid": every panel keeps its gridPos (x and y
    # included) and every row header its RowPanel's, as an imported dashboard had them.
    layout: str = "auto"
    # Dashboard JSON obsgen does not model, merged over what it emits (see TimeSeries(extra=)).
    extra: Mapping[str, Any] = field(default_factory=dict)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        _uid(self.uid, f"dashboard {self.title!r}")
        check_text(self.title, "dashboard title")
        object.__setattr__(self, "tags", _strings(self.tags, "dashboard tags"))
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "links", tuple(self.links))
        object.__setattr__(self, "rows", rows_of(tuple(self.rows), self.source))
        self._check_settings()
        for row in self.rows:
            for panel in row.panels:
                check_serialisable(panel, panel_location(panel, row.source))
        check_variables(self.uid, self.variables, self.queries())

    def _check_settings(self) -> None:
        for value, what in ((self.time_from, "time_from"), (self.time_to, "time_to")):
            if not isinstance(value, str) or not RELATIVE_TIME.match(value):
                raise DefinitionError("OBS609", f"dashboard {self.uid!r}: {what} {value!r} is "
                                      "not a relative time", hint="e.g. now-6h, now-7d, now")
        if not isinstance(self.refresh, str) or not REFRESH.match(self.refresh):
            raise DefinitionError("OBS609", f"dashboard {self.uid!r}: refresh {self.refresh!r} "
                                  "is not an interval", hint='e.g. "30s", "1m"; "" for off')
        if self.layout not in LAYOUTS:
            raise DefinitionError("OBS609", f"dashboard {self.uid!r}: layout {self.layout!r} "
                                  "is not a layout", hint='"auto" (rows) or "grid" (gridPos '
                                  'as given)')
        if self.graph_tooltip not in (0, 1, 2):
            raise DefinitionError("OBS609", f"graph_tooltip must be 0, 1 or 2, got "
                                  f"{self.graph_tooltip!r}", hint="1 shares the crosshair")

    @property
    def holds_verbatim(self) -> bool:
        """Whether the definition hands obsgen JSON to write as given (`extra=`, a RawPanel,
        a row header's extra), as an imported dashboard does."""
        from obsgen.model.raw_panels import RawPanel

        return bool(self.extra) or any(v.extra for v in self.variables) or any(
            row.header is not None and getattr(row.header, "extra", None) for row in self.rows
        ) or any(isinstance(p, RawPanel) or getattr(p, "extra", None) for p, _ in self.panels())

    def panels(self) -> Iterator[tuple[Panel, Location]]:
        for row in self.rows:
            for panel in row.panels:
                yield panel, panel_location(panel, row.source)

    def queries(self) -> tuple[tuple[str, Location], ...]:
        """Every panel target's PromQL as emitted, with the panel's definition line."""
        found = []
        for panel, where in self.panels():
            for target in getattr(panel, "targets", None) or ():
                text = target_text(target)
                if text is not None:
                    found.append((text, where))
        return tuple(found)
