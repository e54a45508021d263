"""The metrics reference page of the runbook site (`runbooks/reference/metrics.md`): every
catalog metric with its type, unit, help, labels and their values, buckets or bounds, and every
alert, recording rule, dashboard panel and runbook step that reads it, linked where the site
has a page for it.

The page lives in a sub-folder so that it can never take the name of a group page (those are
`<file>.md` at the site's root). Like the runbook pages, it is a fixed point of mdformat.
"""

from __future__ import annotations

from markdown.extensions.toc import slugify

from obsgen.emit import mdtext
from obsgen.emit.grafana import dashboard_path
from obsgen.emit.prometheus import rules_path
from obsgen.emit.python import emitted_metrics
from obsgen.emit.runbooks import RUNBOOKS_DIR, table
from obsgen.emit.usage import Use, uses
from obsgen.model.links import anchor, runbook_page
from obsgen.model.metrics import Gauge, Histogram, Metric, Summary
from obsgen.model.project import Project

PAGE = "reference/metrics.md"
NAV_TITLE = "Metrics reference"
_UP = "../"  # from the page's folder back to the site's root, where group pages are


def metric_anchor(metric: Metric) -> str:
    return slugify(metric.name, "-")


def _number(value: float) -> str:
    return f"{value:g}"


def _alert_link(use: Use) -> str:
    if use.alert is None or use.group is None:  # an alert's group has a page: it holds one
        return mdtext.text(use.name)
    return f"[{mdtext.text(use.name)}]({_UP}{runbook_page(use.group)}#{anchor(use.alert)})"


def describe(use: Use) -> str:
    """One reader as a line of Markdown."""
    if use.kind == "alert":
        return f"Alert {_alert_link(use)}"
    if use.kind == "runbook step":
        return f"Runbook of {_alert_link(use)}, step {use.step}"
    if use.kind == "recording rule":
        group = use.group.name if use.group else ""
        file = rules_path(use.group) if use.group else ""
        return (f"Recording rule {mdtext.code_span(use.name)} (group {mdtext.text(group)}, "
                f"{mdtext.code_span(file)})")
    board = use.dashboard
    where = (f" on dashboard {mdtext.text(board.title)} ({mdtext.code_span(dashboard_path(board))})"
             if board else "")
    title = mdtext.text(use.name, '"', '"')
    return f'Panel "{title}"{where}'


def _facts(metric: Metric, generated: bool) -> list[str]:
    facts = [f"- Type: {metric.kind}"]
    if metric.unit:
        facts.append(f"- Unit: {mdtext.text(metric.unit)}")
    if isinstance(metric, Histogram) and metric.buckets:
        facts.append(f"- Buckets: {', '.join(_number(b) for b in metric.buckets)} (and +Inf)")
    if isinstance(metric, Summary) and metric.quantiles:
        facts.append(f"- Quantiles: {', '.join(_number(q) for q in metric.quantiles)}")
    if isinstance(metric, Gauge) and (metric.min is not None or metric.max is not None):
        low = _number(metric.min) if metric.min is not None else "-Inf"
        high = _number(metric.max) if metric.max is not None else "+Inf"
        facts.append(f"- Bounds: {low} to {high}; a value outside is "
                     f"{'clamped' if metric.out_of_bounds == 'clamp' else 'refused'} by the "
                     "generated instrumentation")
    if not generated:
        facts.append("- Not in the generated instrumentation module (its buckets are unknown)")
    return facts


def _labels(metric: Metric) -> list[str]:
    if not metric.labels:
        return ["No labels."]
    rows = [[mdtext.code_span(lab.name),
             ", ".join(mdtext.code_span(v) for v in lab.values) if lab.values is not None
             else "any (open set)", mdtext.text(lab.description) or "-"]
            for lab in metric.labels]
    return [table(["Label", "Values", "Description"], rows)]


def section(metric: Metric, readers: list[Use], generated: bool) -> list[str]:
    lines = [f"## {mdtext.text(metric.name)}", ""]
    if metric.help.strip():
        lines += [mdtext.text(metric.help), ""]
    lines += [*_facts(metric, generated), "", *_labels(metric), "", "Read by:", ""]
    if readers:
        lines += [f"- {describe(use)}" for use in readers]
    else:
        lines.append("- nothing: no alert, recording rule, panel or runbook step reads this "
                     "metric (dead instrumentation, OBS118)")
    return [*lines, ""]


def _unique(project: Project) -> list[Metric]:
    seen: dict[str, Metric] = {}
    for metric in project.metrics:
        seen.setdefault(metric.name, metric)
    return list(seen.values())


def page(project: Project, read: dict[str, list[Use]] | None = None) -> str:
    """The metrics reference page; `read`: `uses(project)`, if already worked out."""
    metrics = _unique(project)
    read = uses(project) if read is None else read
    generated = {m.name for m in emitted_metrics(project)}
    lines = ["# Metrics reference", "",
             "Every metric of the catalog: what it means, its labels and their values, and "
             "what reads it.", ""]
    if not metrics:
        return "\n".join([*lines, "No metrics are declared yet."]) + "\n"
    overview = [[f"[{mdtext.text(m.name)}](#{metric_anchor(m)})", m.kind,
                 mdtext.text(m.unit) or "-", str(len(read[m.name]))] for m in metrics]
    lines += [table(["Metric", "Type", "Unit", "Readers"], overview), ""]
    for metric in metrics:
        lines += section(metric, read[metric.name], metric.name in generated)
    return "\n".join(lines).rstrip("\n") + "\n"


def artifacts(project: Project, read: dict[str, list[Use]] | None = None) -> dict[str, str]:
    return {f"{RUNBOOKS_DIR}/{PAGE}": page(project, read)}
