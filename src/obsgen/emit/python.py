"""The instrumentation module: one Python file for prometheus_client, made from the catalog, that
an application imports to emit exactly the metrics the catalog declares.

Nothing is registered when the module is imported: `Metrics(registry)` creates and registers
every metric in the registry it is given (prometheus_client's global one by default), so an
application owns when registration happens, and each test can use a registry of its own. Each
catalog metric is an attribute named as the metric, whose methods take the labels as keyword
arguments; a closed label is typed `Literal[...]` (mypy rejects an undeclared value) and checked
at run time: an undeclared value raises `UndeclaredLabelValueError`, or, with
`Metrics(on_violation="drop")`, is counted in obsgen_instrumentation_dropped_total and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.config import Config
from obsgen.emit import pysource as src
from obsgen.emit.python_prelude import BASE, DROPPED_METRIC, IMPORTS
from obsgen.model.metrics import Gauge, Histogram, Metric
from obsgen.model.project import Project

PYTHON_DIR = "python"
FIXED_NAMES = ("CatalogViolationError", "Metrics", "OnViolation", "OutOfBoundsError",
               "UndeclaredLabelValueError", "ClassVar", "Final", "Literal", "REGISTRY",
               "CollectorRegistry", "Counter", "Gauge", "Histogram", "Info", "Summary", "math",
               "get_args")
EXPORTED = ("CatalogViolationError", "Metrics", "OnViolation", "OutOfBoundsError",
            "UndeclaredLabelValueError")
_CLASSES = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram",
            "summary": "Summary", "info": "Info"}
_INDENT = "        "


def module_name(config: Config) -> str:
    """The module's name: the `python.module` setting, else `<project>_metrics`."""
    if config.python_module:
        return config.python_module
    base = config.project.replace("-", "_")
    return f"{base}_metrics" if base[:1].isalpha() else f"metrics_{base}"


def module_path(config: Config) -> str:
    """Where the module lands in build/: python/<package folders>/<module>.py."""
    package = "/".join(p for p in config.python_package.split(".") if p)
    return "/".join(p for p in (PYTHON_DIR, package, f"{module_name(config)}.py") if p)


@dataclass(frozen=True)
class Closed:
    """A closed label's Literal alias and the frozenset constant checked at run time."""

    alias: str
    constant: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Names:
    classes: dict[str, str]  # metric name → its class
    closed: dict[tuple[str, str], Closed]  # (metric, label) → its alias


def emitted_metrics(project: Project) -> tuple[Metric, ...]:
    """The metrics the module can hold: one per name (the first; OBS106 reports the others),
    histograms only with known buckets."""
    seen: dict[str, Metric] = {}
    for metric in project.metrics:
        if isinstance(metric, Histogram) and not metric.buckets:
            continue
        seen.setdefault(metric.name, metric)
    return tuple(seen.values())


def _names(metrics: tuple[Metric, ...]) -> Names:
    namer = src.Namer(FIXED_NAMES)
    classes = {m.name: namer.take(src.cap_words(m.name)) for m in metrics}
    by_label: dict[str, set[tuple[str, ...]]] = {}
    for metric in metrics:
        for lab in metric.labels:
            if lab.values is not None:
                by_label.setdefault(lab.name, set()).add(lab.values)
    aliases: dict[tuple[str, tuple[str, ...]], str] = {}
    closed: dict[tuple[str, str], Closed] = {}
    for metric in metrics:
        for lab in metric.labels:
            if lab.values is None:
                continue
            # A label name with one value set everywhere gets one alias named for the label.
            shared = len(by_label[lab.name]) == 1
            key = (lab.name if shared else f"{metric.name}:{lab.name}", lab.values)
            if key not in aliases:
                wanted = src.cap_words(lab.name if shared else f"{metric.name}_{lab.name}")
                aliases[key] = namer.take(wanted)
            alias = aliases[key]
            closed[(metric.name, lab.name)] = Closed(alias, f"_{src.upper_snake(alias)}",
                                                     lab.values)
    return Names(classes, closed)


def _aliases(names: Names) -> list[str]:
    lines: list[str] = []
    done: set[str] = set()
    for entry in names.closed.values():
        if entry.alias in done:
            continue
        done.add(entry.alias)
        literals = [src.string(v) for v in entry.values]
        lines += ["", *_subscript(f"{entry.alias} = Literal", literals)]
        lines.append(f"{entry.constant}: Final = _values({entry.alias})")
    return ["", *lines] if lines else lines


def _subscript(head: str, items: list[str]) -> list[str]:
    flat = f"{head}[{', '.join(items)}]"
    if len(flat) <= src.LINE:
        return [flat]
    return [f"{head}[", *(f"    {i}," for i in items), "]"]


def _constructor(metric: Metric) -> list[str]:
    name = metric.name.removesuffix("_info") if metric.kind == "info" else metric.name
    args = [src.string(name)]
    help_lines = src.string_lines(metric.help, src.LINE - len(_INDENT) - 8)
    args.append(help_lines[0] if len(help_lines) == 1 else
                "(\n" + "\n".join(f"{_INDENT}        {h}" for h in help_lines) +
                f"\n{_INDENT}    )")
    if metric.labels:
        args.append(f"labelnames={_tuple([src.string(n) for n in metric.label_names])}")
    stem = metric.name.removesuffix("_total") if metric.kind == "counter" else metric.name
    if metric.unit and metric.kind != "info" and stem.endswith(f"_{metric.unit}"):
        args.append(f"unit={src.string(metric.unit)}")
    if isinstance(metric, Histogram) and metric.buckets:
        args.append(f"buckets={_tuple([src.number(b) for b in metric.buckets])}")
    args.append("registry=registry")
    head = f"{_INDENT}self.metric: Final = {_CLASSES[metric.kind]}("
    return [head, *(f"{_INDENT}    {a}," for a in args), f"{_INDENT})"]


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _label_params(metric: Metric, names: Names) -> list[str]:
    params = []
    for lab in metric.labels:
        closed = names.closed.get((metric.name, lab.name))
        params.append(f"{src.parameter(lab.name)}: {closed.alias if closed else 'str'}")
    return ["*", *params] if params else []


def _checks(metric: Metric, names: Names) -> list[str]:
    return [f"({src.string(lab.name)}, {src.parameter(lab.name)}, "
            f"{names.closed[(metric.name, lab.name)].constant})"
            for lab in metric.labels if (metric.name, lab.name) in names.closed]


def _series(metric: Metric) -> str:
    if not metric.labels:
        return "self.metric"
    return f"self.metric.labels({', '.join(src.parameter(lab.name) for lab in metric.labels)})"


@dataclass(frozen=True)
class Method:
    name: str
    first: str  # the positional-only parameter, or ""
    doc: str
    action: str  # the prometheus_client call on the series, e.g. "inc(amount)"


def _methods(metric: Metric) -> list[Method]:
    if metric.kind == "counter":
        return [Method("inc", "amount: float = 1", "Add `amount` (default 1).", "inc(amount)")]
    if metric.kind in ("histogram", "summary"):
        return [Method("observe", "value: float", "Record one observation.", "observe(value)")]
    if metric.kind == "info":
        return [Method("set", "", "Expose this combination of label values (value 1).",
                       "info({})")]
    methods = [Method("set", "value: float", "Set the value.", "set(value)")]
    if _bounds(metric) is None:  # a bounded gauge is only set, so every value is checked
        methods += [Method("inc", "amount: float = 1", "Add `amount` (default 1).",
                           "inc(amount)"),
                    Method("dec", "amount: float = 1", "Subtract `amount` (default 1).",
                           "dec(amount)")]
    return methods


def _bounds(metric: Metric) -> tuple[str, str, str] | None:
    """(low, high, clamp) literals of a bounded gauge."""
    if not isinstance(metric, Gauge) or (metric.min is None and metric.max is None):
        return None
    low = src.number(metric.min) if metric.min is not None else 'float("-inf")'
    high = src.number(metric.max) if metric.max is not None else 'float("inf")'
    return low, high, str(metric.out_of_bounds == "clamp")


def _method(metric: Metric, names: Names, method: Method) -> list[str]:
    params = ["self", *([method.first, "/"] if method.first else []),
              *_label_params(metric, names)]
    lines = [*src.signature(method.name, params, "None"), f'{_INDENT}"""{method.doc}"""']
    body = [f"{_series(metric)}.{method.action}"]
    bounds = _bounds(metric) if method.name == "set" else None
    if bounds is not None:
        low, high, clamp = bounds
        body = [*src.call("bounded = self._bounded", ["value", low, high, clamp], ""),
                "if bounded is not None:",
                f"    {_series(metric)}.{method.action.replace('value', 'bounded')}"]
    checks = _checks(metric, names)
    if checks:
        head = src.call("if self._accepts", checks, _INDENT)
        head[-1] += ":"
        lines += head
        lines += [f"{_INDENT}    {b}" for b in body]
    else:
        lines += [f"{_INDENT}{b}" for b in body]
    return lines


def _metric_class(metric: Metric, names: Names) -> list[str]:
    cls = names.classes[metric.name]
    lines = ["", "", f"class {cls}(_Instrument):",
             f'    """{metric.kind.capitalize()} {metric.name}."""', "",
             f"    name: ClassVar[str] = {src.string(metric.name)}", "",
             "    def __init__(self, registry: CollectorRegistry, policy: _Policy) -> None:",
             f"{_INDENT}super().__init__(policy)", *_constructor(metric)]
    for method in _methods(metric):
        lines += ["", *_method(metric, names, method)]
    return lines


def _metrics_class(project: Project, metrics: tuple[Metric, ...], names: Names) -> list[str]:
    lines = ["", "", "class Metrics:",
             f'    """Every metric of the {project.config.project} catalog, registered in '
             '`registry`',
             "    when constructed (prometheus_client's global REGISTRY by default).",
             "",
             '    on_violation="raise" (the default) raises CatalogViolationError for an',
             '    undeclared label value or an out-of-bounds gauge value; "drop" counts it in',
             f"    {DROPPED_METRIC}{{metric,reason}} and drops the sample.",
             '    """', "",
             "    def __init__(",
             "        self,",
             "        registry: CollectorRegistry = REGISTRY,",
             "        *,",
             '        on_violation: OnViolation = "raise",',
             "    ) -> None:",
             f"{_INDENT}policy = _Policy(registry, on_violation)"]
    for metric in metrics:
        cls = names.classes[metric.name]
        head = f"{_INDENT}self.{src.parameter(metric.name)}: Final = "
        made = f"{cls}(registry, policy)"
        lines += ([head + made] if len(head + made) <= src.LINE else
                  [head + "(", f"{_INDENT}    {made}", f"{_INDENT})"])
    return lines


def _docstring(project: Project, config: Config, metrics: tuple[Metric, ...]) -> list[str]:
    example = next((m for m in metrics if m.kind == "counter"), None)
    use = [f"    metrics.{example.name}.inc(...)"] if example else []
    return ['"""Instrumentation generated by obsgen from the '
            f"{project.config.project} metric catalog. Do not edit;",
            "rebuild with `obsgen build`.", "",
            f"    from {_dotted(config)} import Metrics", "",
            "    metrics = Metrics()  # or Metrics(CollectorRegistry()) in a test", *use, "",
            "Importing this module registers nothing; each Metrics(...) registers every",
            "metric once in its registry. Closed label sets are Literal types (mypy rejects",
            "an undeclared value) and are checked at run time. Summary quantiles are not",
            "computed by prometheus_client: summaries expose _sum and _count only.",
            '"""', ""]


def _dotted(config: Config) -> str:
    return ".".join(p for p in (*config.python_package.split("."), module_name(config)) if p)


def module_text(project: Project) -> str:
    config = project.config
    metrics = emitted_metrics(project)
    names = _names(metrics)
    exported = sorted({*EXPORTED, *names.classes.values(),
                       *(c.alias for c in names.closed.values())})
    # Counter is always imported: the policy counts dropped samples with one.
    classes = sorted({"Counter", *(_CLASSES[m.kind] for m in metrics)})
    imports = IMPORTS.format(names="".join(f'    "{n}",\n' for n in exported),
                             classes="".join(f"    {c},\n" for c in classes))
    lines = [*_docstring(project, config, metrics), imports.rstrip("\n"), BASE.rstrip("\n"),
             *_aliases(names)]
    for metric in metrics:
        lines += _metric_class(metric, names)
    lines += _metrics_class(project, metrics, names)
    return "\n".join(lines) + "\n"


def artifacts(project: Project) -> dict[str, str]:
    return {module_path(project.config): module_text(project)}
