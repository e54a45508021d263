"""Every class `from obsgen import ...` gives carries a short example in its docstring (the API
reference page shows it), and the examples run: in the order below, in one namespace, as a
reader would type them one after another (issue 18, item 3)."""

from __future__ import annotations

import inspect
import re

import obsgen

# Dependency order: an example may use what an earlier one defined (REQUESTS, APP_JOB...).
ORDER = (
    "Label", "Counter", "Histogram", "Gauge", "Summary", "Info", "Events", "Latency",
    "RawRatio", "BurnRate", "Tier", "SLO", "ScrapeJob", "Match", "Expr",
    "AlertRule", "RecordingRule", "RuleGroup", "Series", "Firing", "ExpectAlert",
    "ExpectSamples", "RuleTest", "Step", "RootCause", "Runbook", "Command", "CommonIssue",
    "RunbookGuide", "Variable", "Folder", "Link", "TimeSeries", "Stat", "GaugePanel",
    "BarGauge", "BarChart", "Heatmap", "Table", "Text", "StateTimeline", "RowPanel", "Row",
    "Dashboard", "Env", "RemoteWrite", "Scrape", "OtlpExporter", "Batch", "OtlpReceiver",
    "LokiWrite", "LogProcess", "JournalSource", "AlloyBlock", "Pipeline", "DefinitionError",
)
EXAMPLE = re.compile(r"^Example:\n\n```python\n(.*?)\n```$", re.MULTILINE | re.DOTALL)


def example(name: str) -> str | None:
    found = EXAMPLE.search(inspect.getdoc(getattr(obsgen, name)) or "")
    return found[1] if found else None


def test_every_public_class_is_in_the_order() -> None:
    classes = {n for n in obsgen.__all__ if inspect.isclass(getattr(obsgen, n))}
    assert classes == set(ORDER)


def test_the_examples_run_in_order() -> None:
    namespace: dict[str, object] = {}
    exec("from obsgen import *\nfrom grafanalib.core import Target", namespace)
    for name in ORDER:
        code = example(name)
        assert code, f"{name}'s docstring has no Example: ```python block"
        exec(compile(code, f"<example of {name}>", "exec"), namespace)
    assert isinstance(namespace["PIPELINE"], obsgen.Pipeline)
    assert isinstance(namespace["MY_APP"], obsgen.Dashboard)
