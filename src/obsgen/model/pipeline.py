"""The telemetry pipeline. The scrape job is declared once, in the catalog, and referenced by
object from alerts (`up(job)`) and from the Alloy pipeline.

A pipeline is a set of Alloy components linked by `forward_to`: metrics are scraped and
remote-written to Grafana Cloud Prometheus, OTLP traces are received, batched and exported to
Grafana Cloud Tempo, and the systemd journal is read, its log level extracted and written to
Grafana Cloud Loki. Credentials are only ever `Env("NAME")` references, written into the
config as `sys.env("NAME")`: no field of this model can hold a secret value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal, Union

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.alloy_block import AlloyBlock
from obsgen.model.arguments import Accepts, check_arguments
from obsgen.model.names import check_duration
from obsgen.model.pipeline_values import (
    Env,
    check_alloy_label,
    check_credential,
    check_go_duration,
    check_host_port,
    check_targets,
    check_url,
)
from obsgen.model.source import caller_location

DEFAULT_LEVEL_REGEX = r'(?i)\blevel"?\s*[=:]\s*"?(?P<level>[a-z]+)'


@dataclass(frozen=True, eq=False)
class ScrapeJob:
    """A Prometheus scrape job: its `name` is the `job` label every scraped series carries.

    Example:

    ```python
    APP_JOB = ScrapeJob("my-app", targets=["localhost:8080"], interval="15s")
    ```
    """

    name: str
    targets: Annotated[tuple[str, ...], Accepts(tuple[str, ...] | str)] = ()
    interval: str = "15s"
    timeout: str = "10s"
    path: str = "/metrics"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not self.name.strip():
            raise DefinitionError("OBS004", "a scrape job needs a non-empty name",
                                  hint='ScrapeJob("my-app", targets=["localhost:9464"])')
        targets = (self.targets,) if isinstance(self.targets, str) else tuple(self.targets)
        object.__setattr__(self, "targets", targets)
        check_duration(self.interval, f"scrape interval of job {self.name!r}")
        check_duration(self.timeout, f"scrape timeout of job {self.name!r}")
        if not self.path.startswith("/"):
            raise DefinitionError("OBS004", f"metrics path {self.path!r} must start with '/'",
                                  hint='e.g. path="/metrics"')

    def __str__(self) -> str:
        return self.name


# --- metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _PushEndpoint:
    """A push endpoint with basic auth whose username and password come from the environment."""

    KIND: ClassVar[str] = "endpoint"
    label: str
    url: str
    username: Env
    password: Env
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self, specific=("url", "username", "password"))
        check_alloy_label(self.label, self.KIND)
        check_url(self.url, f"{self.KIND} {self.label!r} url")
        check_credential(self.username, f"{self.KIND} {self.label!r} username")
        check_credential(self.password, f"{self.KIND} {self.label!r} password")


@dataclass(frozen=True, eq=False)
class RemoteWrite(_PushEndpoint):
    """`prometheus.remote_write` to Grafana Cloud Prometheus (or any remote-write endpoint)
    with basic auth: username (the stack's instance id) and password (an access-policy token)
    from the environment.

    Example:

    ```python
    PROMETHEUS = RemoteWrite(
        "grafana_cloud",
        url="https://prometheus-prod-01-eu-west-0.grafana.net/api/prom/push",
        username=Env("GRAFANA_CLOUD_PROMETHEUS_USERNAME"),
        password=API_KEY,
    )
    ```
    """

    KIND: ClassVar[str] = "remote write"


@dataclass(frozen=True, eq=False)
class Scrape:
    """`prometheus.scrape` of one catalog job; the job's name is the `job` label that
    `up{job=...}` in the alerts selects, so it is taken from the catalog's ScrapeJob.

    Example:

    ```python
    SCRAPE = Scrape(APP_JOB, forward_to=PROMETHEUS)
    ```
    """

    job: ScrapeJob | str
    forward_to: Sequence[RemoteWrite] | RemoteWrite
    label: str = ""
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        if not isinstance(self.job, ScrapeJob | str) or not str(self.job):
            raise DefinitionError("OBS004", "Scrape(job=...) takes the catalog's ScrapeJob",
                                  hint="import the catalog's job: Scrape(HYPERTOOL_JOB, ...)")
        label = self.label or re.sub(r"\W", "_", str(self.job))
        object.__setattr__(self, "label", check_alloy_label(label, "scrape"))
        object.__setattr__(self, "forward_to",
                           check_targets(self.forward_to, (RemoteWrite,), f"scrape {label!r}"))

    @property
    def job_name(self) -> str:
        return str(self.job)


# --- traces ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OtlpExporter:
    """`otelcol.exporter.otlp` (gRPC, `host:port`) or `otelcol.exporter.otlphttp` (a URL) to
    Grafana Cloud Tempo, authenticated by an `otelcol.auth.basic` of the same label.

    Example:

    ```python
    TEMPO = OtlpExporter("grafana_cloud", endpoint="tempo-prod-10-prod-eu-west-2.grafana.net:443",
                         username=Env("GRAFANA_CLOUD_TEMPO_USERNAME"), password=API_KEY)
    ```
    """

    label: str
    endpoint: str
    username: Env
    password: Env
    protocol: Literal["grpc", "http"] = "grpc"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self, specific=("endpoint", "username", "password"))
        check_alloy_label(self.label, "OTLP exporter")
        what = f"OTLP exporter {self.label!r} endpoint"
        if self.protocol == "grpc":
            check_host_port(self.endpoint, what)
        elif self.protocol == "http":
            check_url(self.endpoint, what)
        else:
            raise DefinitionError("OBS004", f"OTLP exporter protocol {self.protocol!r} is "
                                  "neither 'grpc' nor 'http'", hint='protocol="grpc"')
        check_credential(self.username, f"OTLP exporter {self.label!r} username")
        check_credential(self.password, f"OTLP exporter {self.label!r} password")


@dataclass(frozen=True, eq=False)
class Batch:
    """`otelcol.processor.batch`: groups spans before export.

    Example:

    ```python
    BATCH = Batch("default", forward_to=TEMPO)
    ```
    """

    label: str
    forward_to: Sequence[OtlpExporter] | OtlpExporter
    timeout: str = "5s"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        check_alloy_label(self.label, "batch")
        check_go_duration(self.timeout, f"batch {self.label!r} timeout")
        object.__setattr__(self, "forward_to",
                           check_targets(self.forward_to, (OtlpExporter,), f"batch {self.label!r}"))


@dataclass(frozen=True, eq=False)
class OtlpReceiver:
    """`otelcol.receiver.otlp` for traces, on gRPC and/or HTTP; bound to 127.0.0.1 unless told
    otherwise, so that only local processes can send.

    Example:

    ```python
    OTLP = OtlpReceiver("default", forward_to=BATCH)  # 127.0.0.1:4317 and :4318
    ```
    """

    label: str
    forward_to: Sequence[Batch | OtlpExporter] | Batch | OtlpExporter
    grpc: str | None = "127.0.0.1:4317"
    http: str | None = "127.0.0.1:4318"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        check_alloy_label(self.label, "OTLP receiver")
        for what, address in (("grpc", self.grpc), ("http", self.http)):
            if address is not None:
                check_host_port(address, f"OTLP receiver {self.label!r} {what} address")
        if self.grpc is None and self.http is None:
            raise DefinitionError("OBS845", f"OTLP receiver {self.label!r} listens nowhere",
                                  hint='keep grpc="127.0.0.1:4317" or http="127.0.0.1:4318"')
        object.__setattr__(self, "forward_to", check_targets(
            self.forward_to, (Batch, OtlpExporter), f"OTLP receiver {self.label!r}"))


# --- logs --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LokiWrite(_PushEndpoint):
    """`loki.write` to Grafana Cloud Loki with basic auth from the environment.

    Example:

    ```python
    LOKI = LokiWrite("grafana_cloud", url="https://logs-prod-012.grafana.net/loki/api/v1/push",
                     username=Env("GRAFANA_CLOUD_LOKI_USERNAME"), password=API_KEY)
    ```
    """

    KIND: ClassVar[str] = "Loki write"


@dataclass(frozen=True, eq=False)
class LogProcess:
    """`loki.process` that extracts the log level (`level=info`, `"level":"info"`) with a
    regular expression naming a `level` group, and makes it the `level` label.

    Example:

    ```python
    LEVELS = LogProcess("levels", forward_to=LOKI)
    ```
    """

    label: str
    forward_to: Sequence[LokiWrite] | LokiWrite
    level_regex: str = DEFAULT_LEVEL_REGEX
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        check_alloy_label(self.label, "log process")
        try:
            compiled = re.compile(self.level_regex)
        except (re.error, TypeError) as exc:
            raise DefinitionError("OBS004", f"level_regex of {self.label!r} is not a regular "
                                  f"expression: {exc}",
                                  hint=f"e.g. {DEFAULT_LEVEL_REGEX!r}") from None
        if "level" not in compiled.groupindex:
            raise DefinitionError("OBS004", f"level_regex of {self.label!r} has no "
                                  "(?P<level>...) group", hint=f"e.g. {DEFAULT_LEVEL_REGEX!r}")
        object.__setattr__(self, "forward_to",
                           check_targets(self.forward_to, (LokiWrite,),
                                         f"log process {self.label!r}"))


@dataclass(frozen=True, eq=False)
class JournalSource:
    """`loki.source.journal`: the systemd journal, entries no older than `max_age`.

    Example:

    ```python
    JOURNAL = JournalSource("journal", forward_to=LEVELS)
    ```
    """

    label: str
    forward_to: Sequence[LogProcess | LokiWrite] | LogProcess | LokiWrite
    max_age: str = "12h"
    labels: Annotated[tuple[tuple[str, str], ...], Accepts(
        tuple[tuple[str, str], ...] | Mapping[str, str])] = (("job", "systemd-journal"),)
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        check_alloy_label(self.label, "journal source")
        check_go_duration(self.max_age, f"journal source {self.label!r} max_age")
        labels = tuple(sorted(dict(self.labels).items()))
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "forward_to", check_targets(
            self.forward_to, (LogProcess, LokiWrite), f"journal source {self.label!r}"))


PipelineComponent = Union[  # noqa: UP007 - a runtime alias for isinstance
    Scrape, RemoteWrite, OtlpReceiver, Batch, OtlpExporter, JournalSource, LogProcess, LokiWrite,
    AlloyBlock]
COMPONENT_TYPES = (Scrape, RemoteWrite, OtlpReceiver, Batch, OtlpExporter, JournalSource,
                   LogProcess, LokiWrite, AlloyBlock)


@dataclass(frozen=True, eq=False)
class Pipeline:
    """The components of one Alloy config, emitted to `build/alloy/<name>.alloy`.

    Example:

    ```python
    PIPELINE = Pipeline([SCRAPE, PROMETHEUS, OTLP, BATCH, TEMPO, JOURNAL, LEVELS, LOKI])
    ```
    """

    components: tuple[PipelineComponent, ...]
    name: str = "config"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        check_arguments(self)
        items = tuple(self.components) if isinstance(self.components, list | tuple) else ()
        if not items or not all(isinstance(c, COMPONENT_TYPES) for c in items):
            raise DefinitionError("OBS004", "Pipeline(components=[...]) takes pipeline "
                                  "components (Scrape, RemoteWrite, OtlpReceiver, Batch, "
                                  "OtlpExporter, JournalSource, LogProcess, LokiWrite, "
                                  "AlloyBlock)",
                                  hint="list every component of the pipeline once")
        object.__setattr__(self, "components", items)
        if not isinstance(self.name, str) or not re.match(r"^[a-z0-9][a-z0-9_-]*$", self.name):
            raise DefinitionError("OBS004", f"pipeline name {self.name!r} is not a file name",
                                  hint='e.g. name="config" (emits build/alloy/config.alloy)')

    @property
    def path(self) -> str:
        return f"alloy/{self.name}.alloy"


def forwards(component: PipelineComponent) -> tuple[PipelineComponent, ...]:
    """The components `component` sends its data to (constructors normalise `forward_to` to a
    tuple)."""
    return tuple(getattr(component, "forward_to", ()))
