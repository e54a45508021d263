"""`obsgen check` on a dashboard whose definition hands obsgen JSON to write as given
(`extra=`, `RawPanel`: what `obsgen import` writes): its schema deviations are the definition's,
checked as `obsgen lint` checks anyone's dashboard, not reported as obsgen bugs (OBS630)."""

from __future__ import annotations

import json

from obsgen.check.dashboards.lint import lint_emitted_dashboard
from obsgen.emit.grafana import dashboard_json
from obsgen.model.dashboards import Dashboard, Folder, Row
from obsgen.model.panels import TimeSeries
from obsgen.model.raw_panels import RawPanel

# A table cell option on a time series: Grafana ignores it, obsgen's strict schema refuses it.
KEPT = {"fieldConfig": {"defaults": {"custom": {"cellOptions": {"type": "auto"}}}}}


def _text(d: Dashboard) -> str:
    return json.dumps(dashboard_json(d), indent=2, sort_keys=True)


def test_a_dashboard_with_escape_hatches_is_checked_leniently() -> None:
    d = Dashboard("kept", "Kept", Folder("F"),
                  rows=[Row("R", [TimeSeries(title="t", targets=["up"], unit="short",
                                             extra=KEPT)])])
    assert d.holds_verbatim
    strict = {f.code for f in lint_emitted_dashboard("kept.json", _text(d))}
    lenient = lint_emitted_dashboard("kept.json", _text(d), verbatim=True)
    assert "OBS630" in strict
    assert {f.code for f in lenient} == {"OBS634"}  # a warning at the option, as lint gives
    assert not [f for f in lenient if "report it as a bug" in (f.hint or "")]


def test_which_dashboards_hold_verbatim_json() -> None:
    plain = Dashboard("plain", "Plain", Folder("F"),
                      rows=[Row("R", [TimeSeries(title="t", targets=["up"])])])
    raw = Dashboard("raw", "Raw", Folder("F"), rows=[Row("R", [RawPanel({"type": "piechart"})])])
    extra = Dashboard("extra", "Extra", Folder("F"), extra={"weekStart": "monday"})
    assert (plain.holds_verbatim, raw.holds_verbatim, extra.holds_verbatim) == (False, True, True)
