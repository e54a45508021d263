"""Pipeline -> Alloy syntax tree -> canonical config text (`alloy fmt` layout, via our printer).

Components are written in the order the pipeline lists them; an OTLP exporter's
`otelcol.auth.basic` comes right before it. Credentials are written only as `sys.env("NAME")`.
An `AlloyBlock` is printed from its own text, so the comments written in it stay.
"""

from __future__ import annotations

from collections.abc import Iterator

from obsgen.alloy import ast
from obsgen.alloy.printer import format_body
from obsgen.model.alloy_block import AlloyBlock
from obsgen.model.pipeline import (
    Batch,
    JournalSource,
    LogProcess,
    LokiWrite,
    OtlpExporter,
    OtlpReceiver,
    Pipeline,
    PipelineComponent,
    RemoteWrite,
    Scrape,
    ScrapeJob,
    forwards,
)
from obsgen.model.pipeline_values import Env
from obsgen.model.project import Project

OTLP_GRPC = "otelcol.exporter.otlp"
OTLP_HTTP = "otelcol.exporter.otlphttp"


def artifacts(project: Project) -> dict[str, str]:
    jobs = {job.name: job for job in project.jobs}
    return {p.path: render(p, jobs) for p in project.pipelines}


def render(pipeline: Pipeline, jobs: dict[str, ScrapeJob]) -> str:
    """The config text; `jobs` resolves a scrape given by job name (validation has checked
    that every such name is the catalog's)."""
    return "\n\n".join(_piece(c, jobs) for c in pipeline.components) + "\n"


def _piece(component: PipelineComponent, jobs: dict[str, ScrapeJob]) -> str:
    body = component.body if isinstance(component, AlloyBlock) else \
        ast.Body(tuple(_blocks(component, jobs)))
    return format_body(body).rstrip("\n")


def config_body(pipeline: Pipeline, jobs: dict[str, ScrapeJob]) -> ast.Body:
    return ast.Body(tuple(block for c in pipeline.components for block in _blocks(c, jobs)))


def component_id(component: PipelineComponent) -> str:
    """The Alloy name of a pipeline component, `prometheus.remote_write.grafana_cloud`."""
    if not component.label:  # an unlabelled AlloyBlock: `logging`
        return alloy_name(component)
    return f"{alloy_name(component)}.{component.label}"


def alloy_name(component: PipelineComponent) -> str:
    if isinstance(component, AlloyBlock):
        return component.name
    if isinstance(component, OtlpExporter):
        return OTLP_GRPC if component.protocol == "grpc" else OTLP_HTTP
    return _NAMES[type(component)]


_NAMES: dict[type, str] = {
    Scrape: "prometheus.scrape", RemoteWrite: "prometheus.remote_write",
    OtlpReceiver: "otelcol.receiver.otlp", Batch: "otelcol.processor.batch",
    JournalSource: "loki.source.journal", LogProcess: "loki.process", LokiWrite: "loki.write",
}
_EXPORTS: dict[type, str] = {
    RemoteWrite: "receiver", Batch: "input", OtlpExporter: "input", LogProcess: "receiver",
    LokiWrite: "receiver",
}


# --- expression helpers ------------------------------------------------------------------------


def _ref(dotted: str) -> ast.Expr:
    first, *rest = dotted.split(".")
    expr: ast.Expr = ast.Identifier(first)
    for name in rest:
        expr = ast.Access(expr, name)
    return expr


def _env(env: Env) -> ast.Expr:
    return ast.Call(_ref("sys.env"), (ast.StringLiteral(env.name),))


def _str(value: str) -> ast.Expr:
    return ast.StringLiteral(value)


def _receivers(targets: tuple[PipelineComponent, ...]) -> ast.Expr:
    return ast.Array(tuple(_ref(f"{component_id(t)}.{_EXPORTS[type(t)]}") for t in targets))


def _attr(name: str, value: ast.Expr) -> ast.Attribute:
    return ast.Attribute(name, value)


def _block(name: str, *stmts: ast.Stmt, label: str | None = None) -> ast.Block:
    return ast.Block(tuple(name.split(".")), label, ast.Body(stmts))


def _basic_auth(block: str, username: Env, password: Env) -> ast.Block:
    return _block(block, _attr("username", _env(username)), _attr("password", _env(password)))


# --- one function per component ----------------------------------------------------------------


def component_blocks(component: PipelineComponent) -> tuple[ast.Block, ...]:
    """The blocks one component emits (a scrape's job given as its ScrapeJob object)."""
    return tuple(_blocks(component, {}))


def _blocks(component: PipelineComponent, jobs: dict[str, ScrapeJob]) -> Iterator[ast.Block]:
    if isinstance(component, AlloyBlock):
        yield component.block
        return
    if isinstance(component, OtlpExporter):
        yield _block("otelcol.auth.basic",
                     _basic_auth("client_auth", component.username, component.password),
                     label=component.label)
    yield _block(alloy_name(component), *_body(component, jobs), label=component.label)


def _body(c: PipelineComponent, jobs: dict[str, ScrapeJob]) -> tuple[ast.Stmt, ...]:
    if isinstance(c, Scrape):
        return _scrape(c, c.job if isinstance(c.job, ScrapeJob) else jobs[c.job])
    if isinstance(c, RemoteWrite | LokiWrite):
        return (_block("endpoint", _attr("url", _str(c.url)),
                       _basic_auth("basic_auth", c.username, c.password)),)
    if isinstance(c, OtlpReceiver):
        return _receiver(c)
    if isinstance(c, Batch):
        return (_attr("timeout", _str(c.timeout)),
                _block("output", _attr("traces", _receivers(forwards(c)))))
    if isinstance(c, OtlpExporter):
        auth = _ref(f"otelcol.auth.basic.{c.label}.handler")
        return (_block("client", _attr("endpoint", _str(c.endpoint)), _attr("auth", auth)),)
    if isinstance(c, JournalSource):
        labels = ast.Object(tuple(ast.ObjectField(k, _str(v)) for k, v in c.labels))
        return (_attr("max_age", _str(c.max_age)), _attr("labels", labels),
                _attr("forward_to", _receivers(forwards(c))))
    if isinstance(c, AlloyBlock):
        return c.block.body.stmts
    return _process(c)


def _scrape(c: Scrape, job: ScrapeJob) -> tuple[ast.Stmt, ...]:
    targets = ast.Array(tuple(
        ast.Object((ast.ObjectField("__address__", _str(t), quoted=True),)) for t in job.targets))
    return (
        _attr("targets", targets),
        _attr("forward_to", _receivers(forwards(c))),
        _attr("job_name", _str(job.name)),
        _attr("scrape_interval", _str(job.interval)),
        _attr("scrape_timeout", _str(job.timeout)),
        _attr("metrics_path", _str(job.path)),
    )


def _receiver(c: OtlpReceiver) -> tuple[ast.Stmt, ...]:
    servers = [_block(kind, _attr("endpoint", _str(address)))
               for kind, address in (("grpc", c.grpc), ("http", c.http)) if address is not None]
    output = _block("output", _attr("traces", _receivers(forwards(c))))
    return (*servers, output)


def _process(c: LogProcess) -> tuple[ast.Stmt, ...]:
    return (
        _block("stage.regex", _attr("expression", _str(c.level_regex))),
        _block("stage.labels", _attr("values", ast.Object((ast.ObjectField("level", _str("")),)))),
        _attr("forward_to", _receivers(forwards(c))),
    )
