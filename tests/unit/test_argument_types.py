"""Wrong types in definitions: every public constructor refuses a wrong-typed argument with an
OBS-coded diagnostic at the user's line (OBS004 naming the argument and the type it wants, or
the more specific code that argument already had), never a traceback, and no definition that
builds yields a dashboard `obsgen check` would call an obsgen bug.

Layers: every argument of every public model class in-process (VALID holds a correct call of
each, written by hand; each argument in turn gets a value of another type); one wrong argument
per public class through the loader (one definitions module per case, the error at its marked
line); grafanalib panels, `$variables` and the strict-schema guard through the dashboard
emitter; the issue's own examples through the real CLI.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attr
import pytest
from grafanalib.core import GridPos, Target

import obsgen
from obsgen import (
    AlertRule,
    BarChart,
    BurnRate,
    Command,
    CommonIssue,
    Counter,
    Dashboard,
    DefinitionError,
    Env,
    Events,
    ExpectAlert,
    ExpectSamples,
    Firing,
    Folder,
    Histogram,
    Label,
    Link,
    LogProcess,
    LokiWrite,
    OtlpExporter,
    RemoteWrite,
    RootCause,
    Row,
    RuleGroup,
    Scrape,
    ScrapeJob,
    Series,
    Stat,
    Step,
    Text,
    Tier,
    TimeSeries,
    Variable,
    rate,
)
from obsgen.check.dashboards.lint import lint_emitted_dashboard
from obsgen.check.dashboards.schema import validate_dashboard_strict
from obsgen.config import load_config
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit import grafana
from obsgen.load import load_project
from obsgen.model.project import Project

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

MARK = "# <-- BAD"
JSON = ("--output-format", "json")

EVENTS = Counter("app_events_total", help="Events.")
ALERT = AlertRule("AppDown", expr="up == 0", severity="critical", summary="s", description="d")
GROUP = RuleGroup("app", rules=[ALERT])
SERIES = Series('up{job="app"}', values="1x10")
EXPECT = ExpectAlert(ALERT, at="5m")
STEP = Step("Look at the dashboard.")
ROOT = RootCause(cause="c", confirm="c", fix="f")
COMMAND = Command(purpose="p", command="c")
ISSUE = CommonIssue(symptom="s", cause="c", fix="f")
JOB = ScrapeJob("app", targets=["localhost:9464"])
REMOTE = RemoteWrite("cloud", url="https://prom.example/api/prom/push", username=Env("U"),
                     password=Env("P"))
LOKI = LokiWrite("logs", url="https://loki.example/loki/api/v1/push", username=Env("U"),
                 password=Env("P"))
EXPORTER = OtlpExporter("tempo", endpoint="tempo.example:443", username=Env("U"),
                        password=Env("P"))
PROCESS = LogProcess("levels", forward_to=[LOKI])
FOLDER = Folder("App", uid="app")
PANEL = TimeSeries(title="Events", targets=[rate(EVENTS).sum()])
ROW = Row("Traffic", [PANEL])
LINK = Link("Docs", url="https://docs.example")
VARIABLE = Variable("job", "label_values(up, job)")
REQUESTS = Counter("app_requests_total", help="Requests.", labels=["code"])
LATENCY = Histogram("app_request_seconds", help="Time.", buckets=[0.1, 0.5, 1.0])
BURN = BurnRate(14.4, long="1h", short="5m")
SLI = Events(errors=REQUESTS.where(code="500"), total=REQUESTS)

# A correct call of every public model class, every argument given.
VALID: dict[str, dict[str, Any]] = {
    "Counter": {"name": "app_events_total", "help": "Events.", "labels": ["kind"],
                "unit": "events"},
    "Gauge": {"name": "app_depth", "help": "Depth.", "labels": [Label("queue")], "unit": "",
              "min": 0.0, "max": 10.0, "out_of_bounds": "clamp"},
    "Histogram": {"name": "app_seconds", "help": "Time.", "labels": [], "unit": "seconds",
                  "buckets": [0.1, 1.0]},
    "Summary": {"name": "app_size_bytes", "help": "Size.", "labels": [], "unit": "bytes",
                "quantiles": [0.5, 0.9]},
    "Info": {"name": "app_build_info", "help": "Build.", "labels": ["version"], "unit": ""},
    "Label": {"name": "kind", "values": ["a", "b"], "description": "Kind."},
    "AlertRule": {"name": "AppDown", "expr": "up == 0", "severity": "critical", "summary": "s",
                  "description": "d", "for_": "5m", "keep_firing_for": "1m",
                  "category": "availability", "component": "api",
                  "labels": {"team": "platform"},
                  "annotations": {"dashboard": "https://grafana.example"},
                  "runbook_url": "https://runbooks.example/app#appdown", "noqa": ("OBS203",)},
    "RecordingRule": {"name": "job:up:sum", "expr": "sum(up)", "labels": {"team": "platform"}},
    "RuleGroup": {"name": "app", "rules": [ALERT], "interval": "1m", "file": "app", "limit": 10,
                  "query_offset": "30s", "noqa": ("OBS204",)},
    "Series": {"selector": 'up{job="app"}', "values": "1x10"},
    "Firing": {"labels": {"job": "app"}, "annotations": {"summary": "s"}},
    "ExpectAlert": {"alert": ALERT, "at": "5m", "firing": [Firing({"job": "app"})]},
    "ExpectSamples": {"expr": "up", "at": "1m", "samples": [("up", 1.0)]},
    "RuleTest": {"name": "t", "series": [SERIES], "expect": [EXPECT], "interval": "1m",
                 "group": GROUP},
    "Step": {"text": "Look.", "query": "up", "command": "kubectl get pods"},
    "RootCause": {"cause": "c", "confirm": "c", "fix": "f"},
    "Runbook": {"alert": ALERT, "description": "d", "impact": "i", "investigation": [STEP],
                "root_causes": [ROOT], "quick_fix": "q", "long_term": "l", "prevention": ["p"],
                "related": [ALERT], "escalation": "e", "notes": "n"},
    "Command": {"purpose": "p", "command": "c"},
    "CommonIssue": {"symptom": "s", "cause": "c", "fix": "f"},
    "RunbookGuide": {"title": "T", "introduction": "i", "troubleshooting": ["t"],
                     "commands": [COMMAND], "common_issues": [ISSUE], "escalation_path": ["e"],
                     "notes": "n"},
    "ScrapeJob": {"name": "app", "targets": ["localhost:9464"], "interval": "15s",
                  "timeout": "10s", "path": "/metrics"},
    "Env": {"name": "API_KEY"},
    "RemoteWrite": {"label": "cloud", "url": "https://prom.example/api/prom/push",
                    "username": Env("U"), "password": Env("P")},
    "LokiWrite": {"label": "logs", "url": "https://loki.example/loki/api/v1/push",
                  "username": Env("U"), "password": Env("P")},
    "Scrape": {"job": JOB, "forward_to": [REMOTE], "label": "app"},
    "OtlpExporter": {"label": "tempo", "endpoint": "tempo.example:443", "username": Env("U"),
                     "password": Env("P"), "protocol": "grpc"},
    "Batch": {"label": "batch", "forward_to": [EXPORTER], "timeout": "5s"},
    "OtlpReceiver": {"label": "otlp", "forward_to": [EXPORTER], "grpc": "127.0.0.1:4317",
                     "http": "127.0.0.1:4318"},
    "LogProcess": {"label": "levels", "forward_to": [LOKI],
                   "level_regex": r"level=(?P<level>\w+)"},
    "JournalSource": {"label": "journal", "forward_to": [PROCESS], "max_age": "12h",
                      "labels": [("job", "journal")]},
    "Pipeline": {"components": [REMOTE], "name": "config"},
    "AlloyBlock": {"text": 'discovery.kubernetes "pods" { role = "pod" }'},
    "Folder": {"title": "App", "uid": "app"},
    "Link": {"title": "Docs", "url": "https://docs.example", "tags": (), "tooltip": "t",
             "icon": "external link", "as_dropdown": False, "target_blank": False,
             "include_vars": True, "keep_time": True},
    "Variable": {"name": "job", "query": "label_values(up, job)", "label": "Job",
                 "multi": False, "include_all": True, "all_value": ".*", "sort": 1,
                 "refresh": 2, "description": "d", "extra": {"hide": 2}},
    "Row": {"title": "Traffic", "panels": [PANEL], "height": 8, "collapsed": False,
            "header": None},
    "Dashboard": {"uid": "app", "title": "App", "folder": FOLDER, "rows": [ROW],
                  "tags": ["app"], "variables": [VARIABLE], "description": "d",
                  "time_from": "now-6h", "time_to": "now", "refresh": "1m",
                  "timezone": "browser", "links": [LINK], "graph_tooltip": 1, "editable": True,
                  "layout": "auto", "extra": {"weekStart": "monday"}},
    "Expr": {"text": "up", "labels": frozenset({"job"}), "binary": False, "scalar": False},
    "Match": {"op": "=", "value": "app"},
    "Events": {"total": REQUESTS, "errors": REQUESTS.where(code="500"), "good": None},
    "Latency": {"histogram": LATENCY, "threshold": 0.5},
    "RawRatio": {"errors": 'sum(rate(app_requests_total{code="500"}[{{window}}]))',
                 "total": "sum(rate(app_requests_total[{{window}}]))", "ratio": ""},
    "BurnRate": {"factor": 14.4, "long": "1h", "short": "5m"},
    "Tier": {"enabled": True, "rates": (BURN,), "name": "AppPage", "severity": "critical",
             "for_": "2m", "labels": {"team": "platform"},
             "annotations": {"dashboard": "https://grafana.example"}},
    "SLO": {"name": "app-availability", "sli": SLI, "objective": 99.9, "window": "30d",
            "service": "app", "description": "d", "labels": {"team": "platform"},
            "page": Tier(rates=[BURN]), "ticket": False},
}
# Arguments whose own check was already more specific than "wrong type", by its code.
SPECIFIC = {
    ("Env", "name"): "OBS841",
    ("RemoteWrite", "username"): "OBS841", ("RemoteWrite", "password"): "OBS841",
    ("LokiWrite", "username"): "OBS841", ("LokiWrite", "password"): "OBS841",
    ("OtlpExporter", "username"): "OBS841", ("OtlpExporter", "password"): "OBS841",
    ("RemoteWrite", "url"): "OBS840", ("LokiWrite", "url"): "OBS840",
    ("OtlpExporter", "endpoint"): "OBS845",
    ("Runbook", "alert"): "OBS701", ("ExpectAlert", "alert"): "OBS209",
}
# Where the rule in `wrong_value` would pick a value the argument also accepts.
WRONG: dict[tuple[str, str], Any] = {
    ("Scrape", "job"): 42, ("AlertRule", "expr"): ["up"], ("RecordingRule", "expr"): ["up"],
    ("ExpectSamples", "expr"): ["up"], ("Step", "query"): ["up"],
    # One code as text instead of a tuple of codes (`in` would then test its substrings).
    ("AlertRule", "noqa"): "OBS203", ("RuleGroup", "noqa"): "OBS204"}


def wrong_value(valid: Any) -> Any:
    """A value of another type than `valid`."""
    if isinstance(valid, bool):
        return "yes"
    if isinstance(valid, int):
        return "3"
    if isinstance(valid, float):
        return "x"
    if isinstance(valid, str):
        return 42
    if isinstance(valid, list | tuple | frozenset):
        return 7
    if isinstance(valid, dict):
        return ["x"]
    return "by-name"  # an object given by its name


def public_classes() -> list[str]:
    return [name for name in obsgen.__all__
            if isinstance(getattr(obsgen, name), type) and name != "DefinitionError"]


def arguments() -> list[tuple[str, str]]:
    return [(name, f.name) for name, kwargs in VALID.items()
            for f in dataclasses.fields(getattr(obsgen, name)) if f.init and f.name != "source"]


# Every argument of every public model class --------------------------------------------------


def test_the_table_covers_every_public_model_class_and_argument() -> None:
    models = {n for n in public_classes() if dataclasses.is_dataclass(getattr(obsgen, n))}
    assert models == set(VALID)
    for name, arg in arguments():
        assert arg in VALID[name], f"VALID[{name!r}] does not give {arg}="


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_calls_are_accepted(name: str) -> None:
    getattr(obsgen, name)(**VALID[name])


@pytest.mark.parametrize(("name", "arg"), arguments())
def test_a_wrong_typed_argument_is_refused_with_its_name_and_type(name: str, arg: str) -> None:
    wrong = WRONG.get((name, arg), wrong_value(VALID[name][arg]))
    with pytest.raises(DefinitionError) as caught:
        getattr(obsgen, name)(**{**VALID[name], arg: wrong})
    error = caught.value
    assert error.code == SPECIFIC.get((name, arg), "OBS004"), error.message
    assert error.location is None  # the loader places it at the user's line
    assert error.hint
    if error.code == "OBS004":
        assert error.message.startswith(f"{name}({arg}=...): {arg}"), error.message
        assert " must be " in error.message
        assert f"got {type(wrong).__name__} {wrong!r}" in error.message


def test_a_credential_given_as_text_is_never_echoed() -> None:
    with pytest.raises(DefinitionError) as caught:
        RemoteWrite("cloud", url="https://prom.example/push", username="glc_0123456789abcdef",
                    password=Env("P"))
    assert caught.value.code == "OBS841"
    assert "glc_" not in caught.value.message + str(caught.value.hint)


@pytest.mark.parametrize(("call", "says", "not_says"), [
    (lambda: AlertRule("A", expr="up", severity="w", summary=1, description="d"),
     "summary must be text", "has no summary"),
    (lambda: AlertRule("A", expr="up", severity="w", summary="s", description="d",
                       category=["availability"]),
     "category must be text", None),
    (lambda: Label("kind", values="a"), "values must be a list of strings", None),
    (lambda: Counter("app_x_total", help="h", labels=["kind", 3]),
     "labels[1] must be", None),
    (lambda: Scrape(JOB, forward_to=[REMOTE, "cloud"]), "forward_to[1] must be", None),
    (lambda: Firing({"job": 5}), "labels['job'] must be text", None),
    (lambda: ExpectSamples("up", at="1m", samples=[("up", "one")]),
     "samples[0][1] must be a number", None),
    (lambda: Variable("v", "q", sort=True), "sort must be a whole number (int), got bool", None),
])
def test_messages_say_what_is_wrong(call: Any, says: str, not_says: str | None) -> None:
    with pytest.raises(DefinitionError) as caught:
        call()
    assert says in caught.value.message
    if not_says:
        assert not_says not in caught.value.message


def test_hints_show_the_fix_for_a_list_given_one_value_and_the_reverse() -> None:
    with pytest.raises(DefinitionError) as one:
        AlertRule("A", expr="up", severity="w", summary="s", description="d",
                  category=["availability"])
    assert one.value.hint == "one value, not a list: AlertRule(..., category='availability')"
    with pytest.raises(DefinitionError) as many:
        Label("kind", values="a")
    assert many.value.hint == "a list, even of one: Label(..., values=['a'])"


def test_what_a_constructor_accepts_beyond_what_it_stores_still_works() -> None:
    assert Link("Related", tags="app").tags == ("app",)
    assert ScrapeJob("app", targets="localhost:9464").targets == ("localhost:9464",)
    assert Counter("app_x_total", help="h", labels=["kind"]).labels[0].name == "kind"
    assert ExpectAlert(ALERT, at="1m", firing=[{"job": "app"}]).firing[0].labels == {
        "job": "app"}
    assert AlertRule("A", expr=EVENTS, severity="w", summary="s", description="d").query.text \
        == "app_events_total"


# One wrong argument per public class, through the loader -------------------------------------

PRELUDE = """\
from grafanalib.core import Target

from obsgen import *

JOB = ScrapeJob("app", targets=["localhost:9464"])
ALERT = AlertRule("AppDown", expr="up == 0", severity="critical", summary="s", description="d")
FOLDER = Folder("App")
REMOTE = RemoteWrite("cloud", url="https://prom.example/api/prom/push", username=Env("U"),
                     password=Env("P"))
LOKI = LokiWrite("logs", url="https://loki.example/push", username=Env("U"), password=Env("P"))
EXPORTER = OtlpExporter("tempo", endpoint="tempo.example:443", username=Env("U"),
                        password=Env("P"))
REQUESTS = Counter("app_requests_total", help="Requests.", labels=["code"])
LATENCY = Histogram("app_request_seconds", help="Time.", buckets=[0.1, 0.5, 1.0])
SLI = Events(errors=REQUESTS.where(code="500"), total=REQUESTS)
"""
LOADER_CASES: dict[str, tuple[str, str]] = {
    "AlertRule": ("OBS004", 'AlertRule("Bad", expr="up", severity=2, summary="s", '
                            'description="d")'),
    "RecordingRule": ("OBS004", 'RecordingRule("job:up:sum", expr="sum(up)", labels={"a": 1})'),
    "RuleGroup": ("OBS004", 'RuleGroup("bad", rules=[ALERT], limit="10")'),
    "Counter": ("OBS004", 'Counter("app_bad_total", help=20)'),
    "Gauge": ("OBS004", 'Gauge("app_bad", help="h", max="10")'),
    "Histogram": ("OBS004", 'Histogram("app_bad_seconds", help="h", buckets="0.1,1")'),
    "Summary": ("OBS004", 'Summary("app_bad_bytes", help="h", quantiles=0.5)'),
    "Info": ("OBS004", 'Info("app_bad_info", help="h", unit=1)'),
    "Label": ("OBS004", 'Label("kind", values=[1, 2])'),
    "Series": ("OBS004", 'Series("up", values=10)'),
    "Firing": ("OBS004", 'Firing(labels={"job": 5})'),
    "ExpectAlert": ("OBS004", "ExpectAlert(ALERT, at=300)"),
    "ExpectSamples": ("OBS004", 'ExpectSamples("up", at="1m", samples=[("up", "one")])'),
    "RuleTest": ("OBS004", 'RuleTest("t", series=Series("up", "1x5"), expect=[])'),
    "Step": ("OBS004", 'Step("Look.", command=["kubectl", "get", "pods"])'),
    "RootCause": ("OBS004", 'RootCause(cause="c", confirm="c", fix=None)'),
    "Runbook": ("OBS004", 'Runbook(ALERT, description="d", prevention="Watch it.")'),
    "Command": ("OBS004", 'Command(purpose="p", command=1)'),
    "CommonIssue": ("OBS004", 'CommonIssue(symptom="s", cause=2, fix="f")'),
    "RunbookGuide": ("OBS004", 'RunbookGuide(title="T", troubleshooting="Restart it.")'),
    "ScrapeJob": ("OBS004", 'ScrapeJob("bad", interval=15)'),
    "Env": ("OBS841", "Env(42)"),
    "RemoteWrite": ("OBS841", 'RemoteWrite("bad", url="https://x.example/push", '
                              'username="glc_0123456789", password=Env("P"))'),
    "LokiWrite": ("OBS840", 'LokiWrite("bad", url=42, username=Env("U"), password=Env("P"))'),
    "Scrape": ("OBS004", "Scrape(JOB, forward_to=[REMOTE], label=5)"),
    "OtlpExporter": ("OBS004", 'OtlpExporter("bad", endpoint="tempo.example:443", '
                               'username=Env("U"), password=Env("P"), protocol=2)'),
    "Batch": ("OBS004", 'Batch("bad", forward_to=[EXPORTER], timeout=5)'),
    "OtlpReceiver": ("OBS004", 'OtlpReceiver("bad", forward_to=EXPORTER, grpc=4317)'),
    "LogProcess": ("OBS004", 'LogProcess("bad", forward_to=LOKI, level_regex=None)'),
    "JournalSource": ("OBS004", 'JournalSource("bad", forward_to=LOKI, max_age=12)'),
    "Pipeline": ("OBS004", 'Pipeline([REMOTE], name=["config"])'),
    "Folder": ("OBS004", 'Folder("Bad", uid=7)'),
    "Link": ("OBS004", 'Link("Docs", url="https://x.example", target_blank="yes")'),
    "Variable": ("OBS004", 'Variable("env", "label_values(up, env)", multi="yes")'),
    "Row": ("OBS004", 'Row("r", [], height="8")'),
    "Dashboard": ("OBS004", 'Dashboard("bad", "Bad", FOLDER, editable="no")'),
    "Expr": ("OBS004", "Expr(42)"),
    "Match": ("OBS004", 'Match("=", 5)'),
    "TimeSeries": ("OBS004", "TimeSeries(title=42)"),
    "Stat": ("OBS004", 'Stat(title="s", decimals="2")'),
    "GaugePanel": ("OBS004", 'GaugePanel(title="g", min="0")'),
    "BarGauge": ("OBS004", 'BarGauge(title="b", displayMode="fancy")'),
    "BarChart": ("OBS004", 'BarChart(title="b", barWidth=1)'),
    "Heatmap": ("OBS004", 'Heatmap(title="h", hideZeroBuckets="yes")'),
    "Table": ("OBS004", 'Table(title="t", showHeader="no")'),
    "Text": ("OBS004", 'Text(title="t", content=5)'),
    "StateTimeline": ("OBS004", 'StateTimeline(title="s", rowHeight="tall")'),
    "RowPanel": ("OBS004", "RowPanel(title=42)"),
    "AlloyBlock": ("OBS004", 'AlloyBlock(["discovery.kubernetes", "pods"])'),
    "Events": ("OBS004", 'Events(errors="app_requests_total", total=REQUESTS)'),
    "Latency": ("OBS004", 'Latency(LATENCY, threshold="0.5")'),
    "RawRatio": ("OBS004", "RawRatio(ratio=0.01)"),
    "BurnRate": ("OBS004", 'BurnRate(14.4, long=3600, short="5m")'),
    "Tier": ("OBS004", 'Tier(rates=BurnRate(14.4, long="1h", short="5m"))'),
    "SLO": ("OBS004", 'SLO("app-availability", sli=SLI, objective="99.9")'),
}


def test_the_loader_cases_cover_every_public_class() -> None:
    assert set(LOADER_CASES) == set(public_classes())


def test_each_wrong_argument_is_reported_at_its_line_by_the_loader(tmp_path: Path) -> None:
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    (tmp_path / "obsgen.toml").write_text('definitions = "definitions"\n', encoding="utf-8")
    (definitions / "prelude.py").write_text(PRELUDE, encoding="utf-8")
    for name, (_, line) in LOADER_CASES.items():
        (definitions / f"case_{name.lower()}.py").write_text(
            f"from .prelude import *\n\n\nBAD = {line}  {MARK}\n", encoding="utf-8")
    project, found = load_project(load_config(tmp_path))
    assert project is None
    by_file = {Path(d.location.path).stem: d for d in found if d.location is not None}
    assert len(found) == len(LOADER_CASES), [d.message for d in found]
    for name, (code, _) in LOADER_CASES.items():
        diagnostic = by_file[f"case_{name.lower()}"]
        assert (diagnostic.code, diagnostic.location.line) == (code, 4), (name, diagnostic)
        assert diagnostic.hint
    assert "glc_" not in by_file["case_remotewrite"].message


def test_a_grafanalib_class_refusing_an_argument_is_explained_by_the_loader(
        tmp_path: Path) -> None:
    """grafanalib's own Target validates `instant` with attrs; its raw error text (a tuple
    holding an attrs Attribute) must not reach the user."""
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    (tmp_path / "obsgen.toml").write_text('definitions = "definitions"\n', encoding="utf-8")
    (definitions / "targets.py").write_text(
        'from grafanalib.core import Target\n\nT = Target(expr="up", instant="yes")\n',
        encoding="utf-8")
    project, found = load_project(load_config(tmp_path))
    assert project is None
    assert [(d.code, d.location.line if d.location else 0) for d in found] == [("OBS004", 3)]
    assert found[0].message == "Target(instant=...): instant must be True or False, got str 'yes'"
    assert "Attribute(" not in found[0].message


# grafanalib panels ---------------------------------------------------------------------------


def test_grafanalib_validator_errors_become_obs004() -> None:
    with pytest.raises(DefinitionError) as unit:
        TimeSeries(title="t", unit=5)
    assert unit.value.code == "OBS004"
    assert unit.value.message == "TimeSeries(unit=...): unit must be text (a str), got int 5"
    with pytest.raises(DefinitionError) as width:
        BarChart(title="t", barWidth=1)
    assert "barWidth must be a float (1.0, not 1), got int 1" in width.value.message


def test_target_arguments_are_checked_at_the_panel() -> None:
    with pytest.raises(DefinitionError) as caught:
        TimeSeries(title="t", targets=[Target(expr="up", legendFormat=5)])
    assert caught.value.message == ("TimeSeries(targets=...): targets[0].legendFormat must be "
                                    "text (a str), got int 5")
    assert caught.value.hint == 'e.g. Target(..., legendFormat="...")'


def test_a_grafanalib_panel_not_made_by_obsgen_is_checked_at_the_row() -> None:
    from grafanalib import core

    where = Location("definitions/board.py", 12)
    with pytest.raises(DefinitionError) as caught:
        Row("r", [core.Stat(title=["Uptime"])], source=where)
    assert caught.value.code == "OBS004"
    assert caught.value.location == where
    assert "title must be text" in caught.value.message


def test_grid_positions_must_be_whole_numbers() -> None:
    with pytest.raises(DefinitionError) as caught:
        Stat(title="s", gridPos=GridPos(h="8", w=12, x=0, y=0))
    assert "gridPos.h must be a whole number" in caught.value.message
    where = Location("definitions/board.py", 3)
    panel = Stat(title="s", gridPos={"w": "12", "h": 4}, source=where)
    found = problems(board(Row("r", [panel])))
    assert [(d.code, d.location) for d in found] == [("OBS609", where)]


# The emitted dashboard: $variables and the strict-schema guard --------------------------------

HERE = Location("definitions/board.py", 5)
BOARD_LINE = Location("definitions/board.py", 1)
EVENTS_RATE = rate(EVENTS).sum()


def board(*rows: Row, **kw: Any) -> Dashboard:
    return Dashboard("app", kw.pop("title", "App"), FOLDER, rows=list(rows),
                     variables=kw.pop("variables", [VARIABLE]), source=BOARD_LINE, **kw)


def problems(d: Dashboard) -> list[Diagnostic]:
    config = load_config(Path(__file__).resolve().parents[2])
    project = Project(config=config, metrics=(), jobs=(), groups=(), tests=(), dashboards=(d,))
    return grafana.problems(project)


def panel(**kw: Any) -> TimeSeries:
    return TimeSeries(**{"title": "Events", "targets": [EVENTS_RATE], "source": HERE, **kw})


@pytest.mark.parametrize(("make", "where", "path"), [
    (lambda: board(Row("r", [panel(title="${HOME} events")])), HERE, "title"),
    (lambda: board(Row("r", [panel(description="see $HOME")])), HERE, "description"),
    (lambda: board(Row("r", [panel(targets=[Target(expr="up", legendFormat="{{job}} $HOME")])])),
     HERE, "targets[0].legendFormat"),
    (lambda: board(Row("r", [panel(links=[{"title": "x", "url": "https://x/$HOME"}])])), HERE,
     "links[0].url"),
    (lambda: board(Row("r", [panel()]), title="App on $HOST"), BOARD_LINE, "title"),
    (lambda: board(Row("r", [panel()]), description="[[HOST]]"), BOARD_LINE, "description"),
    (lambda: board(Row("r", [panel()]), links=[Link("Docs", url="https://x/${HOST}")]),
     BOARD_LINE, "links[0].url"),
    (lambda: board(Row("r", [panel()]), variables=[Variable("job", "q", label="$HOST")]),
     BOARD_LINE, "templating.list[1].label"),
    (lambda: board(Row("$HOST traffic", [panel()], source=HERE)), HERE, "title"),
])
def test_an_undefined_variable_in_emitted_text_is_obs605(make: Any, where: Location,
                                                          path: str) -> None:
    found = problems(make())
    assert [(d.code, d.location) for d in found] == [("OBS605", where)], found
    assert f": {path} uses $" in found[0].message


def test_defined_variables_macros_and_prose_are_fine() -> None:
    d = board(Row("r", [
        panel(title="$job events over $__range", description="${datasource} ${job:csv}",
              targets=[Target(expr="up", legendFormat="{{job}} [[job]]")]),
        Text(title="Costs", content="Prices are in $USD.", source=HERE)]))
    assert problems(d) == []
    assert validate_dashboard_strict(grafana.render(d)) == []


def test_the_strict_schema_guard_reports_at_the_panel_line_with_the_json_path() -> None:
    found = problems(board(Row("r", [panel(tooltipMode="sideways")])))
    assert [(d.code, d.location) for d in found] == [("OBS004", HERE)]
    assert "options.tooltip.mode: 'sideways' is not one of" in found[0].message


def test_an_option_of_an_unforeseen_shape_is_obs604_not_a_traceback() -> None:
    stat = Stat(title="Up", targets=[EVENTS_RATE], mappings={"0": 5}, source=HERE)
    found = problems(board(Row("r", [stat])))
    assert [(d.code, d.location) for d in found] == [("OBS604", HERE)]


def test_check_calls_only_what_obsgen_guarantees_an_obsgen_bug() -> None:
    d = board(Row("r", [panel(title="")]), variables=[Variable("unused", "label_values(up, x)")])
    assert problems(d) == []  # builds: an untitled panel and an unused variable are lint
    text = grafana.render(d)
    found = {x.code: x.hint or "" for x in lint_emitted_dashboard("build/x.json", text)}
    assert set(found) == {"OBS643", "OBS645"}
    assert not any("bug" in hint for hint in found.values()), found
    broken = text.replace('"schemaVersion"', '"surprise": 1,\n  "schemaVersion"', 1)
    [strict] = [x for x in lint_emitted_dashboard("build/x.json", broken) if x.code == "OBS630"]
    assert "report it as a bug" in (strict.hint or "")


PANEL_KINDS = ("TimeSeries", "Stat", "GaugePanel", "BarGauge", "BarChart", "Heatmap", "Table",
               "Text", "StateTimeline")
ODD_VALUES = (42, "x", True, None, 1.5, -1, "", [1], ["x"], [{"a": 1}], {"a": 1})
# checked by their own tests (`extra` is JSON obsgen does not model: tests/unit/test_import_grafana)
OBSGEN_OWN = {"source", "targets", "dataSource", "id", "gridPos", "extra"}


@pytest.mark.parametrize("kind", PANEL_KINDS)
def test_no_single_wrong_panel_argument_builds_into_an_invalid_dashboard(kind: str) -> None:
    """Each argument of each panel kind, each odd value: refused with a diagnostic at the
    panel's line, or emitted as a dashboard obsgen's strict schema accepts; nothing else."""
    cls = getattr(obsgen, kind)
    escaped = []
    for field in attr.fields(cls):
        if field.name in OBSGEN_OWN:
            continue
        for value in ODD_VALUES:
            try:
                args = {"title": "t", "targets": [EVENTS_RATE], field.name: value}
                made = cls(source=HERE, **args)
                d = board(Row("r", [made]))
            except DefinitionError:
                continue
            found = problems(d)
            if found:
                assert {x.location for x in found} == {HERE}, (field.name, value, found)
                continue
            bad = validate_dashboard_strict(grafana.render(d))
            if bad:
                escaped.append(f"{field.name}={value!r}: {bad[0].message}")
    assert not escaped, "\n".join(escaped)


# The issue's examples, through the real CLI -------------------------------------------------

ISSUE_EXAMPLES = {
    "severity=2": ("OBS004", "alerts_bad.py", """
from obsgen import AlertRule, RuleGroup

BAD = AlertRule("BadSeverity", expr="up == 0", severity=2, summary="s", description="d")  {MARK}
GROUP = RuleGroup("bad", rules=[BAD])
"""),
    "help=20": ("OBS004", "metrics_bad.py", """
from obsgen import Counter

BAD = Counter("hypertool_bad_total", help=20)  {MARK}
"""),
    "category=[...]": ("OBS004", "alerts_bad.py", """
from obsgen import AlertRule, RuleGroup

BAD = AlertRule("BadCategory", expr="up == 0", severity="warning",  {MARK}
                category=["availability"], summary="s", description="d")
GROUP = RuleGroup("bad", rules=[BAD])
"""),
    "title=42": ("OBS004", "dashboards/bad.py", """
from obsgen import Dashboard, Row, TimeSeries, rate

from ..metrics import TOKENS_USED
from .folders import HYPERTOOL

PANEL = TimeSeries(title=42, targets=[rate(TOKENS_USED).sum()])  {MARK}
BAD = Dashboard(uid="bad", title="Bad", folder=HYPERTOOL, rows=[Row("r", [PANEL])])
"""),
    "legendFormat=5": ("OBS004", "dashboards/bad.py", """
from grafanalib.core import Target

from obsgen import Dashboard, Row, TimeSeries, rate

from ..metrics import TOKENS_USED
from .folders import HYPERTOOL

PANEL = TimeSeries(title="Tokens", unit="short",  {MARK}
                   targets=[Target(expr=rate(TOKENS_USED).sum(), legendFormat=5)])
BAD = Dashboard(uid="bad", title="Bad", folder=HYPERTOOL, rows=[Row("r", [PANEL])])
"""),
    'multi="yes"': ("OBS004", "dashboards/bad.py", """
from obsgen import Dashboard, Row, TimeSeries, Variable, rate

from ..metrics import TOKENS_USED
from .folders import HYPERTOOL

PERSONA = Variable.from_label(TOKENS_USED, "persona")
MODEL = Variable("model", "label_values(up, model)", multi="yes")  {MARK}
PANEL = TimeSeries(title="Tokens", targets=[rate(TOKENS_USED.where(persona=PERSONA)).sum()])
BAD = Dashboard(uid="bad", title="Bad", folder=HYPERTOOL, variables=[PERSONA, MODEL],
                rows=[Row("r", [PANEL])])
"""),
    "${HOME} in a title": ("OBS605", "dashboards/bad.py", """
from obsgen import Dashboard, Row, TimeSeries, rate

from ..metrics import TOKENS_USED
from .folders import HYPERTOOL

PANEL = TimeSeries(title="Tokens of ${HOME}", targets=[rate(TOKENS_USED).sum()])  {MARK}
BAD = Dashboard(uid="bad", title="Bad", folder=HYPERTOOL, rows=[Row("r", [PANEL])])
"""),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("example", sorted(ISSUE_EXAMPLES))
def test_the_issue_examples_fail_the_build_at_their_line(example: str, example_project: Path,
                                                         obsgen: RunObsgen) -> None:
    code, file, body = ISSUE_EXAMPLES[example]
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    before = snapshot(example_project / "build")
    text = body.lstrip("\n").replace("{MARK}", MARK)
    (example_project / "definitions" / file).write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if MARK in t)
    result = obsgen("build", *JSON, cwd=example_project)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.output, result.describe()
    errors = [d for d in result.diagnostics() if d["severity"] == "error"]
    assert [(e["code"], e["location"]["line"]) for e in errors] == [(code, line)], \
        result.describe()
    assert errors[0]["location"]["path"].endswith(f"definitions/{file}")
    assert errors[0]["hint"]
    assert snapshot(example_project / "build") == before


def test_the_signature_of_obsgen_panels_is_grafanalibs() -> None:
    assert "title" in inspect.signature(TimeSeries).parameters
