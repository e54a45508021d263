"""What an importer is given and what it returns.

The run imports in two passes. First every input is read and what the others must know of it is
collected (the metrics its queries read, the alerts it defines, the alerts a runbook covers);
the catalog is built from that. Then each importer writes its modules against the finished
`ImportEnv`, so a rule refers to `metrics.QUEUE_DEPTH` and a runbook to the alert's constant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from obsgen.diagnostics import Diagnostic


@dataclass(frozen=True, order=True)
class Import:
    """One name a module imports. `module` is a Python module path ("obsgen",
    "grafanalib.core") or, starting with ":", a module of the imported project (":metrics",
    ":rules.node"), which the source builder turns into a relative import."""

    module: str
    name: str


@dataclass(frozen=True)
class Code:
    """A Python expression and the names it needs imported."""

    text: str
    imports: frozenset[Import] = frozenset()

    def needing(self, *imports: Import) -> Code:
        return Code(self.text, self.imports | frozenset(imports))


@dataclass(frozen=True)
class Ref:
    """Where an imported object lives: its module (project-relative, dotted) and constant."""

    module: str
    name: str

    def code(self) -> Code:
        return Code(self.name, frozenset({Import(":" + self.module, self.name)}))


@dataclass(frozen=True)
class Module:
    """One definitions module to write: `name` is dotted and relative to the definitions
    package ("metrics", "rules.node_alerts", "dashboards.kubernetes_pods")."""

    name: str
    source: str
    origin: str  # the input it came from ("" for modules the run makes, such as metrics)

    @property
    def path(self) -> str:
        return self.name.replace(".", "/") + ".py"


@dataclass(frozen=True)
class Imported:
    modules: tuple[Module, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A name an input takes for the whole run, where two inputs cannot both have it (a rule
    group's name, a dashboard's uid): the run reports a second claim as OBS983 at `line` and
    does not import that input."""

    what: str  # "rule group", "dashboard uid"
    name: str
    line: int


@dataclass(frozen=True)
class Survey:
    """The first pass over one input: what the run must know of it before any module is
    written. Every importer module has `survey(file) -> Survey` and
    `write(file, env, module) -> Imported` (module: the dotted name the run chose for it)."""

    queries: tuple[str, ...] = ()  # PromQL texts, for inferring the catalog
    alerts: tuple[str, ...] = ()  # alert names it defines
    runbook_alerts: tuple[str, ...] = ()  # alert names it holds a runbook for
    diagnostics: tuple[Diagnostic, ...] = ()
    claims: tuple[Claim, ...] = ()
    # Labels a query's result must carry because an alert's templates read them
    # ({{ $labels.pod }}), by query text: the inferred catalog declares them.
    template_labels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    recorded: tuple[str, ...] = ()  # series names its recording rules write (not catalog metrics)


def _raw_query(expr: str) -> Code:
    from obsgen.importers.pysource import literal
    return Code(literal(expr))


@dataclass(frozen=True)
class ImportEnv:
    """What every importer may refer to, built once per run by the first pass.

    `metrics`: metric name -> the catalog constant in the `metrics` module.
    `alerts`: alert name -> where its AlertRule constant is written.
    `runbook_alerts`: the alerts an imported runbook covers (their hand-typed runbook_url is
    replaced by the one obsgen writes where `runbook_base_url` gives the same URL; others
    keep theirs as written).
    `runbook_base_url`: the project's setting, as the run derived it from those URLs.
    `query`: a PromQL text as Python: typed helpers over catalog constants where they render
    back to exactly the same text, else the text as a string literal."""

    metrics: Mapping[str, Ref] = field(default_factory=dict)
    alerts: Mapping[str, Ref] = field(default_factory=dict)
    runbook_alerts: frozenset[str] = frozenset()
    query: Callable[[str], Code] = _raw_query
    runbook_base_url: str = ""
