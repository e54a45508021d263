"""obsgen: observability as code. Definitions import what they need from here."""

from obsgen.diagnostics import DefinitionError
from obsgen.model.dashboards import Dashboard, Folder, Link, Row, Variable
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
from obsgen.model.promql import (
    Expr,
    Match,
    absent,
    histogram_quantile,
    increase,
    irate,
    not_,
    not_regex,
    predict_linear,
    rate,
    regex,
    topk,
    up,
)
from obsgen.model.rules import AlertRule, RecordingRule, RuleGroup
from obsgen.model.ruletests import ExpectAlert, ExpectSamples, Firing, RuleTest, Series
from obsgen.model.runbooks import Command, CommonIssue, RootCause, Runbook, RunbookGuide, Step

__all__ = [
    "BarChart", "BarGauge", "Dashboard", "Folder", "GaugePanel", "Heatmap", "Link", "Row",
    "RowPanel", "Stat", "StateTimeline", "Table", "Text", "TimeSeries", "Variable",
    "AlertRule", "Command", "CommonIssue", "Counter", "DefinitionError", "ExpectAlert",
    "ExpectSamples", "Expr", "Firing", "Gauge", "Histogram", "Info", "Label", "Match",
    "RecordingRule", "RootCause", "RuleGroup", "RuleTest", "Runbook", "RunbookGuide",
    "ScrapeJob", "Series", "Step", "Summary", "absent", "histogram_quantile", "increase",
    "irate", "not_", "not_regex", "predict_linear", "rate", "regex", "topk", "up",
    "Batch", "Env", "JournalSource", "LogProcess", "LokiWrite", "OtlpExporter", "OtlpReceiver",
    "Pipeline", "RemoteWrite", "Scrape",
]
