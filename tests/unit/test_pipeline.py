"""The pipeline model (constructor checks, credentials only as Env) and its Alloy emitter
(deterministic, a printer fixed point, clean under the validator)."""

from __future__ import annotations

from pathlib import Path

import pytest

from obsgen.alloy.printer import format_text
from obsgen.check.alloy.validate import validate_text
from obsgen.diagnostics import DefinitionError
from obsgen.emit.alloy import render
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

REPO = Path(__file__).resolve().parents[2]
USER, KEY = Env("STACK_USER"), Env("STACK_KEY")


def a_pipeline() -> tuple[Pipeline, dict[str, ScrapeJob]]:
    job = ScrapeJob("app", targets=["localhost:9464", "localhost:9465"], interval="30s")
    metrics = RemoteWrite("cloud", "https://prometheus.example.org/api/prom/push", USER, KEY)
    tempo = OtlpExporter("cloud", "tempo.example.org:443", USER, KEY)
    batch = Batch("default", tempo)
    loki = LokiWrite("cloud", "https://logs.example.org/loki/api/v1/push", USER, KEY)
    levels = LogProcess("levels", loki)
    pipeline = Pipeline([Scrape(job, metrics), metrics, OtlpReceiver("default", batch), batch,
                         tempo, JournalSource("journal", levels), levels, loki])
    return pipeline, {job.name: job}


def error_of(make: object) -> DefinitionError:
    assert callable(make)
    with pytest.raises(DefinitionError) as caught:
        make()
    return caught.value


def test_env_takes_a_variable_name_only() -> None:
    assert Env("GRAFANA_CLOUD_API_KEY").name == "GRAFANA_CLOUD_API_KEY"
    assert error_of(lambda: Env("glc_abc.def==")).code == "OBS841"
    assert error_of(lambda: Env("1ABC")).code == "OBS841"


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_credential_given_as_a_string_is_refused_without_echoing_it(field: str) -> None:
    secret = "glc_super-secret-value"
    args = {"username": USER, "password": KEY, field: secret}
    error = error_of(lambda: RemoteWrite("cloud", "https://p.example.org/push", **args))
    assert error.code == "OBS841"
    assert secret not in error.message and secret not in (error.hint or "")


def test_urls_are_checked() -> None:
    assert error_of(lambda: LokiWrite("x", "logs.example.org/push", USER, KEY)).code == "OBS840"
    assert error_of(lambda: LokiWrite("x", "ftp://logs.example.org", USER, KEY)).code == "OBS840"
    leaked = error_of(lambda: LokiWrite("x", "https://u:p@logs.example.org", USER, KEY))
    assert leaked.code == "OBS841"


def test_addresses_and_durations_are_checked() -> None:
    exporter = OtlpExporter("t", "tempo.example.org:443", USER, KEY)
    assert error_of(lambda: OtlpExporter("t", "https://tempo.example.org", USER, KEY)
                    ).code == "OBS845"
    assert error_of(lambda: OtlpReceiver("r", exporter, grpc="localhost")).code == "OBS845"
    assert error_of(lambda: OtlpReceiver("r", exporter, grpc=None, http=None)).code == "OBS845"
    assert error_of(lambda: Batch("b", exporter, timeout="5 s")).code == "OBS201"
    assert error_of(lambda: JournalSource("j", LokiWrite("l", "https://l.example.org", USER, KEY),
                                          max_age="1d")).code == "OBS201"


def test_receiver_binds_to_localhost_by_default() -> None:
    receiver = OtlpReceiver("r", OtlpExporter("t", "tempo.example.org:443", USER, KEY))
    assert (receiver.grpc, receiver.http) == ("127.0.0.1:4317", "127.0.0.1:4318")


def test_forward_to_types_and_labels_are_checked() -> None:
    loki = LokiWrite("l", "https://l.example.org", USER, KEY)
    assert error_of(lambda: Scrape(ScrapeJob("app"), forward_to=loki)).code == "OBS004"  # type: ignore[arg-type]
    assert error_of(lambda: LokiWrite("grafana-cloud", "https://l.example.org", USER, KEY)
                    ).code == "OBS846"
    assert error_of(lambda: LogProcess("p", loki, level_regex="(?P<lvl>x)")).code == "OBS004"


def test_emitted_config_is_clean_deterministic_and_a_printer_fixed_point() -> None:
    pipeline, jobs = a_pipeline()
    text = render(pipeline, jobs)
    assert text == render(a_pipeline()[0], a_pipeline()[1])
    assert format_text(text) == text
    assert validate_text(text, "config.alloy") == []
    assert text.endswith("}\n") and "\r" not in text


def test_emitted_config_wires_every_component() -> None:
    text = render(*a_pipeline())
    for line in (
        'targets         = [{"__address__" = "localhost:9464"}, {"__address__" = '
        '"localhost:9465"}]',
        "forward_to      = [prometheus.remote_write.cloud.receiver]",
        'job_name        = "app"',
        'scrape_interval = "30s"',
        "traces = [otelcol.processor.batch.default.input]",
        "traces = [otelcol.exporter.otlp.cloud.input]",
        "auth     = otelcol.auth.basic.cloud.handler",
        "forward_to = [loki.process.levels.receiver]",
        "forward_to = [loki.write.cloud.receiver]",
        'endpoint = "127.0.0.1:4317"',
        'password = sys.env("STACK_KEY")',
    ):
        assert line in text, line


def test_the_committed_seed_config_is_what_the_seed_pipeline_emits() -> None:
    text = (REPO / "build" / "alloy" / "config.alloy").read_text("utf-8")
    assert format_text(text) == text
    assert validate_text(text, "build/alloy/config.alloy") == []
    assert 'job_name        = "hypertool"' in text
    assert "prometheus-prod-36-prod-us-west-0.grafana.net/api/prom/push" in text
    assert "0.0.0.0" not in text
