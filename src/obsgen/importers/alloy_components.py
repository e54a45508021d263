"""Alloy blocks read as the pipeline model's components.

A recogniser reads what a block seems to say (`prometheus.remote_write` with an endpoint and
basic auth from the environment) into a `Candidate`: the model class and its arguments, with
other components named by their Alloy id. Recognisers are lenient on purpose; what makes a
block a model object is that the model, built from the candidate, emits the very same block
(`alloy.py` checks that), so no argument can be dropped on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from obsgen.alloy import ast
from obsgen.alloy.exprs import traversal
from obsgen.model.pipeline import (
    Batch,
    JournalSource,
    LogProcess,
    LokiWrite,
    OtlpExporter,
    OtlpReceiver,
    PipelineComponent,
    RemoteWrite,
    Scrape,
    ScrapeJob,
)
from obsgen.model.pipeline_values import Env


@dataclass(frozen=True)
class Target:
    """Another component, by its Alloy id (`prometheus.remote_write.grafana_cloud`)."""

    id: str


@dataclass(frozen=True)
class Job:
    """The scrape job a `prometheus.scrape` block spells out."""

    name: str
    targets: tuple[str, ...]
    interval: str
    timeout: str
    path: str

    def build(self) -> ScrapeJob:
        return ScrapeJob(self.name, targets=self.targets, interval=self.interval,
                         timeout=self.timeout, path=self.path)

    def arguments(self) -> dict[str, object]:
        """The keyword arguments that differ from ScrapeJob's defaults."""
        defaults = {"interval": "15s", "timeout": "10s", "path": "/metrics"}
        given = {"targets": list(self.targets), "interval": self.interval,
                 "timeout": self.timeout, "path": self.path}
        return {k: v for k, v in given.items() if defaults.get(k) != v}


Value = str | Env | Target | Job | tuple[Target, ...] | dict[str, str] | None


@dataclass(frozen=True)
class Candidate:
    cls: type[PipelineComponent]
    label: str
    arguments: tuple[tuple[str, Value], ...]  # keyword arguments, in the constructor's order
    blocks: int = 1  # how many top-level blocks it stands for (an exporter and its auth: 2)

    @property
    def targets(self) -> tuple[str, ...]:
        found: list[str] = []
        for _, value in self.arguments:
            items = value if isinstance(value, tuple) else (value,)
            found += [t.id for t in items if isinstance(t, Target)]
        return tuple(found)

    def build(self, built: Mapping[str, PipelineComponent]) -> PipelineComponent:
        """The model object; `built` holds its targets by id. Raises DefinitionError."""
        def resolve(value: Value) -> object:
            if isinstance(value, Target):
                return built[value.id]
            if isinstance(value, tuple):
                return [resolve(v) for v in value]
            return value.build() if isinstance(value, Job) else value
        kwargs: dict[str, Any] = {k: resolve(v) for k, v in self.arguments}
        if self.cls is Scrape:
            return Scrape(kwargs.pop("job"), label=self.label, **kwargs)
        factory: Callable[..., PipelineComponent] = self.cls
        return factory(self.label, **kwargs)


# --- reading expressions -------------------------------------------------------------------


def env_name(expr: ast.Expr) -> str | None:
    """`sys.env("X")` or the deprecated `env("X")` -> "X"."""
    if not isinstance(expr, ast.Call) or len(expr.args) != 1:
        return None
    if traversal(expr.func) not in (["sys", "env"], ["env"]):
        return None
    arg = expr.args[0]
    return arg.value if isinstance(arg, ast.StringLiteral) else None


def _string(body: ast.Body, name: str) -> str | None:
    value = _attr(body, name)
    return value.value if isinstance(value, ast.StringLiteral) else None


def _attr(body: ast.Body, name: str) -> ast.Expr | None:
    return next((s.value for s in body.stmts if isinstance(s, ast.Attribute) and s.name == name),
                None)


def _block(body: ast.Body, name: str) -> ast.Body | None:
    return next((s.body for s in body.stmts
                 if isinstance(s, ast.Block) and s.full_name == name), None)


def _env(body: ast.Body | None, name: str) -> Env | None:
    value = _attr(body, name) if body is not None else None
    found = env_name(value) if value is not None else None
    return Env(found) if found is not None else None


def _targets(expr: ast.Expr | None) -> tuple[Target, ...] | None:
    """`[a.b.c.receiver, ...]` -> the ids of the components whose exports it lists."""
    if not isinstance(expr, ast.Array) or not expr.elements:
        return None
    ids = []
    for element in expr.elements:
        parts = traversal(element)
        if parts is None or len(parts) < 3:
            return None
        ids.append(Target(".".join(parts[:-1])))
    return tuple(ids)


# --- one recogniser per component ------------------------------------------------------------


def _remote_write(cls: type[RemoteWrite] | type[LokiWrite], block: ast.Block
                  ) -> tuple[tuple[str, Value], ...] | None:
    endpoint = _block(block.body, "endpoint")
    auth = _block(endpoint, "basic_auth") if endpoint is not None else None
    url = _string(endpoint, "url") if endpoint is not None else None
    username, password = _env(auth, "username"), _env(auth, "password")
    if url is None or username is None or password is None:
        return None
    return (("url", url), ("username", username), ("password", password))


def _scrape(block: ast.Block) -> tuple[tuple[str, Value], ...] | None:
    body = block.body
    targets = _attr(body, "targets")
    addresses = [f.value.value for o in getattr(targets, "elements", ())
                 if isinstance(o, ast.Object) for f in o.fields
                 if f.key == "__address__" and isinstance(f.value, ast.StringLiteral)]
    strings = [_string(body, n) for n in ("job_name", "scrape_interval", "scrape_timeout",
                                          "metrics_path")]
    name, interval, timeout, path = strings
    if name is None or interval is None or timeout is None or path is None:
        return None
    return (("job", Job(name, tuple(addresses), interval, timeout, path)),
            ("forward_to", _targets(_attr(body, "forward_to"))))


def _receiver(block: ast.Block) -> tuple[tuple[str, Value], ...] | None:
    grpc, http = _block(block.body, "grpc"), _block(block.body, "http")
    output = _block(block.body, "output")
    return (("forward_to", _targets(_attr(output, "traces")) if output else None),
            ("grpc", _string(grpc, "endpoint") if grpc else None),
            ("http", _string(http, "endpoint") if http else None))


def _batch(block: ast.Block) -> tuple[tuple[str, Value], ...] | None:
    output = _block(block.body, "output")
    return (("forward_to", _targets(_attr(output, "traces")) if output else None),
            ("timeout", _string(block.body, "timeout")))


def _journal(block: ast.Block) -> tuple[tuple[str, Value], ...] | None:
    labels = _attr(block.body, "labels")
    pairs = {f.key: f.value.value for f in getattr(labels, "fields", ())
             if isinstance(f.value, ast.StringLiteral)}
    return (("forward_to", _targets(_attr(block.body, "forward_to"))),
            ("max_age", _string(block.body, "max_age")), ("labels", pairs))


def _process(block: ast.Block) -> tuple[tuple[str, Value], ...] | None:
    regex = _block(block.body, "stage.regex")
    return (("forward_to", _targets(_attr(block.body, "forward_to"))),
            ("level_regex", _string(regex, "expression") if regex else None))


def _exporter(protocol: str, block: ast.Block, auth: ast.Block | None
              ) -> tuple[tuple[str, Value], ...] | None:
    client = _block(auth.body, "client_auth") if auth is not None else None
    endpoint = _block(block.body, "client")
    address = _string(endpoint, "endpoint") if endpoint is not None else None
    username, password = _env(client, "username"), _env(client, "password")
    if address is None or username is None or password is None:
        return None
    return (("endpoint", address), ("username", username), ("password", password),
            ("protocol", protocol))


_SIMPLE: dict[str, tuple[type[PipelineComponent],
                         Callable[[ast.Block], tuple[tuple[str, Value], ...] | None]]] = {
    "prometheus.scrape": (Scrape, _scrape),
    "prometheus.remote_write": (RemoteWrite, lambda b: _remote_write(RemoteWrite, b)),
    "loki.write": (LokiWrite, lambda b: _remote_write(LokiWrite, b)),
    "otelcol.receiver.otlp": (OtlpReceiver, _receiver),
    "otelcol.processor.batch": (Batch, _batch),
    "loki.source.journal": (JournalSource, _journal),
    "loki.process": (LogProcess, _process),
}
_EXPORTERS = {"otelcol.exporter.otlp": "grpc", "otelcol.exporter.otlphttp": "http"}


def recognise(block: ast.Block, previous: ast.Block | None) -> Candidate | None:
    """The model component `block` may be (`previous`: the block right before it, which an
    exporter's `otelcol.auth.basic` must be), or None."""
    if block.label is None:
        return None
    name = block.full_name
    if name in _EXPORTERS:
        auth = previous if previous is not None and previous.full_name == "otelcol.auth.basic" \
            and previous.label == block.label else None
        found = _exporter(_EXPORTERS[name], block, auth)
        return Candidate(OtlpExporter, block.label, found, blocks=2) if found else None
    if name not in _SIMPLE:
        return None
    cls, read = _SIMPLE[name]
    arguments = read(block)
    if arguments is None or any(v is None for k, v in arguments if k == "forward_to"):
        return None
    # A receiver without a grpc (http) block listens on none: None is said, not a default.
    return Candidate(cls, block.label, tuple((k, v) for k, v in arguments
                                             if v is not None or k in ("grpc", "http")))
