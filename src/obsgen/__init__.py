"""obsgen: observability as code. Definitions import what they need from here."""

from obsgen.diagnostics import DefinitionError
from obsgen.model.metrics import Counter, Gauge, Histogram, Info, Label, Summary
from obsgen.model.pipeline import ScrapeJob
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
    "AlertRule", "Command", "CommonIssue", "Counter", "DefinitionError", "ExpectAlert",
    "ExpectSamples", "Expr", "Firing", "Gauge", "Histogram", "Info", "Label", "Match",
    "RecordingRule", "RootCause", "RuleGroup", "RuleTest", "Runbook", "RunbookGuide",
    "ScrapeJob", "Series", "Step", "Summary", "absent", "histogram_quantile", "increase",
    "irate", "not_", "not_regex", "predict_linear", "rate", "regex", "topk", "up",
]
