"""obsgen: observability as code. Definitions import what they need from here."""

from obsgen.diagnostics import DefinitionError
from obsgen.model.alloy_block import AlloyBlock
from obsgen.model.dashboards import Dashboard, Folder, Link, Row
from obsgen.model.metrics import Counter, Gauge, Histogram, Info, Label, Summary
from obsgen.model.panels import (
    BarChart,
    BarGauge,
    GaugePanel,
    Heatmap,
    RowPanel,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
)
from obsgen.model.pipeline import (
    Batch,
    Env,
    JournalSource,
    LogProcess,
    LokiWrite,
    OtlpExporter,
    OtlpReceiver,
    Pipeline,
    RemoteWrite,
    Scrape,
    ScrapeJob,
)
from obsgen.model.promql import Expr, Match, not_, not_regex, regex
from obsgen.model.promql_functions import (
    absent,
    histogram_quantile,
    increase,
    irate,
    predict_linear,
    rate,
    topk,
    up,
)
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup
from obsgen.model.ruletests import ExpectAlert, ExpectSamples, Firing, RuleTest, Series
from obsgen.model.runbooks import Command, CommonIssue, RootCause, Runbook, RunbookGuide, Step
from obsgen.model.sli import Events, Latency, RawRatio
from obsgen.model.slo import SLO
from obsgen.model.slo_windows import BurnRate, Tier
from obsgen.model.variables import Variable

__all__ = [
    "SLO",
    "AlertRule",
    "AlloyBlock",
    "BarChart",
    "BarGauge",
    "Batch",
    "BurnRate",
    "Command",
    "CommonIssue",
    "Counter",
    "Dashboard",
    "DefinitionError",
    "Env",
    "Events",
    "ExpectAlert",
    "ExpectSamples",
    "Expr",
    "Firing",
    "Folder",
    "Gauge",
    "GaugePanel",
    "Heatmap",
    "Histogram",
    "Info",
    "JournalSource",
    "Label",
    "Latency",
    "Link",
    "LogProcess",
    "LokiWrite",
    "Match",
    "OtlpExporter",
    "OtlpReceiver",
    "Pipeline",
    "RawRatio",
    "RecordingRule",
    "RemoteWrite",
    "RootCause",
    "Row",
    "RowPanel",
    "RuleGroup",
    "RuleTest",
    "Runbook",
    "RunbookGuide",
    "Scrape",
    "ScrapeJob",
    "Series",
    "Stat",
    "StateTimeline",
    "Step",
    "Summary",
    "Table",
    "Text",
    "Tier",
    "TimeSeries",
    "Variable",
    "absent",
    "histogram_quantile",
    "increase",
    "irate",
    "not_",
    "not_regex",
    "predict_linear",
    "rate",
    "regex",
    "topk",
    "up",
]
