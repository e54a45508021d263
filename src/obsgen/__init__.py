"""obsgen: observability as code. Definitions import what they need from here."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from obsgen.model.pipeline_values import Env
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

# Where each public name is defined. A name's module is imported when the name is first
# used, not with the package: every `obsgen` command imports this package, and one with
# nothing to do (an unchanged project) must not pay for loading the whole model.
_WHERE = {
    "AlertRule": "obsgen.model.rules",
    "AlloyBlock": "obsgen.model.alloy_block",
    "BarChart": "obsgen.model.panels",
    "BarGauge": "obsgen.model.panels",
    "Batch": "obsgen.model.pipeline",
    "BurnRate": "obsgen.model.slo_windows",
    "Command": "obsgen.model.runbooks",
    "CommonIssue": "obsgen.model.runbooks",
    "Counter": "obsgen.model.metrics",
    "Dashboard": "obsgen.model.dashboards",
    "DefinitionError": "obsgen.diagnostics",
    "Env": "obsgen.model.pipeline_values",
    "Events": "obsgen.model.sli",
    "ExpectAlert": "obsgen.model.ruletests",
    "ExpectSamples": "obsgen.model.ruletests",
    "Expr": "obsgen.model.promql",
    "Firing": "obsgen.model.ruletests",
    "Folder": "obsgen.model.dashboards",
    "Gauge": "obsgen.model.metrics",
    "GaugePanel": "obsgen.model.panels",
    "Heatmap": "obsgen.model.panels",
    "Histogram": "obsgen.model.metrics",
    "Info": "obsgen.model.metrics",
    "JournalSource": "obsgen.model.pipeline",
    "Label": "obsgen.model.metrics",
    "Latency": "obsgen.model.sli",
    "Link": "obsgen.model.dashboards",
    "LogProcess": "obsgen.model.pipeline",
    "LokiWrite": "obsgen.model.pipeline",
    "Match": "obsgen.model.promql",
    "OtlpExporter": "obsgen.model.pipeline",
    "OtlpReceiver": "obsgen.model.pipeline",
    "Pipeline": "obsgen.model.pipeline",
    "RawRatio": "obsgen.model.sli",
    "RecordingRule": "obsgen.model.rules",
    "RemoteWrite": "obsgen.model.pipeline",
    "RootCause": "obsgen.model.runbooks",
    "Row": "obsgen.model.dashboards",
    "RowPanel": "obsgen.model.panels",
    "RuleGroup": "obsgen.model.rules",
    "RuleTest": "obsgen.model.ruletests",
    "Runbook": "obsgen.model.runbooks",
    "RunbookGuide": "obsgen.model.runbooks",
    "SLO": "obsgen.model.slo",
    "Scrape": "obsgen.model.pipeline",
    "ScrapeJob": "obsgen.model.pipeline",
    "Series": "obsgen.model.ruletests",
    "Stat": "obsgen.model.panels",
    "StateTimeline": "obsgen.model.panels",
    "Step": "obsgen.model.runbooks",
    "Summary": "obsgen.model.metrics",
    "Table": "obsgen.model.panels",
    "Text": "obsgen.model.panels",
    "Tier": "obsgen.model.slo_windows",
    "TimeSeries": "obsgen.model.panels",
    "Variable": "obsgen.model.variables",
    "absent": "obsgen.model.promql_functions",
    "histogram_quantile": "obsgen.model.promql_functions",
    "increase": "obsgen.model.promql_functions",
    "irate": "obsgen.model.promql_functions",
    "not_": "obsgen.model.promql",
    "not_regex": "obsgen.model.promql",
    "predict_linear": "obsgen.model.promql_functions",
    "rate": "obsgen.model.promql_functions",
    "regex": "obsgen.model.promql",
    "topk": "obsgen.model.promql_functions",
    "up": "obsgen.model.promql_functions",
}

if not TYPE_CHECKING:  # for type checkers, the imports above say what each name is

    def __getattr__(name: str) -> object:
        module = _WHERE.get(name)
        if module is None:
            raise AttributeError(f"module 'obsgen' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # found once; later uses do not come here
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})

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
