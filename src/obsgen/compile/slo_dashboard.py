"""One dashboard per service: for each of its SLOs, the SLI over time, the error budget left,
the burn rate per alert window and the state of its alerts."""

from __future__ import annotations

from typing import Any

from grafanalib.core import Target

from obsgen.compile import slo_names as names
from obsgen.compile.slo_rules import alerts
from obsgen.model import panels
from obsgen.model.dashboards import Dashboard, Folder, Row, slug
from obsgen.model.promql import _num
from obsgen.model.slo import SLO

FOLDER = Folder("SLOs")
# grafanalib's attrs classes: their generated constructors are not visible to mypy.
TimeSeries: Any = panels.TimeSeries
Stat: Any = panels.Stat
StateTimeline: Any = panels.StateTimeline


def _row(slo: SLO, service: str) -> Row:
    src = slo.source
    sli = TimeSeries(
        title=f"{slo.name}: SLI", description=f"Good events / all events; objective "
        f"{_num(slo.objective)}% over {slo.window}.", unit="percentunit", source=src,
        targets=[Target(expr=f"1 - {names.of(slo, names.error_ratio(names.base_window(slo)))}",
                        legendFormat="SLI"),
                 Target(expr=names.of(slo, names.OBJECTIVE), legendFormat="objective")])
    budget = Stat(
        title=f"{slo.name}: error budget left", format="percentunit", source=src,
        description=f"Share of the {slo.window} error budget not yet spent.",
        targets=[Target(expr=names.of(slo, names.BUDGET_REMAINING), legendFormat="left")],
        thresholds=[(None, "red"), (0.25, "yellow"), (0.5, "green")])
    burn = TimeSeries(
        title=f"{slo.name}: burn rate per window", source=src,
        description="Error ratio / error budget over each window the alerts read.",
        targets=[Target(expr=f"{names.of(slo, names.error_ratio(w))} / {_num(slo.budget)}",
                        legendFormat=w) for w in slo.windows()] or [
            Target(expr=names.of(slo, names.CURRENT_BURN), legendFormat="now")])
    state = StateTimeline(
        title=f"{slo.name}: alerts", source=src, description="Page and ticket alert state.",
        targets=[Target(expr=f'ALERTS{{alertname="{a.name}", alertstate="firing"}}',
                        legendFormat=a.name) for a in alerts(slo, service)] or [
            Target(expr=names.of(slo, names.OBJECTIVE), legendFormat="no alerts")])
    return Row(slo.name, [sli, budget, burn, state], source=src)


def dashboard(service: str, slos: list[SLO]) -> Dashboard:
    return Dashboard(uid=slug(f"slo-{service}"), title=f"SLOs: {service}", folder=FOLDER,
                     tags=("slo", service), description=f"Service level objectives of {service}.",
                     time_from="now-7d", rows=[_row(s, service) for s in slos],
                     source=slos[0].source)
