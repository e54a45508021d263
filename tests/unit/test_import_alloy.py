"""`obsgen import` of Alloy configs: model objects where the model emits the same block, the
rest kept verbatim, env() as Env, literal secrets refused; rebuilt configs equal the inputs."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from import_project import load_imported

from obsgen.alloy import ast
from obsgen.alloy.parser import parse
from obsgen.check.alloy.validate import validate_text
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import DefinitionError, Severity
from obsgen.emit.alloy import artifacts, component_id, render
from obsgen.importers import alloy
from obsgen.importers.contract import ImportEnv, Module
from obsgen.model.alloy_block import AlloyBlock
from obsgen.model.pipeline import Pipeline, RemoteWrite
from obsgen.model.pipeline_values import Env

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "build" / "alloy" / "config.alloy"
FIXTURE = ROOT / "tests" / "fixtures" / "import" / "alloy" / "mixed.alloy"
CORPUS = ROOT.parent / "shared" / "corpus" / "alloy" / "configs"


def _import(path: Path, text: str | None = None) -> tuple[str, tuple[object, ...], Path]:
    file = ForeignFile(str(path), path.read_text(encoding="utf-8") if text is None else text,
                       "alloy")
    result = alloy.write(file, ImportEnv(), "pipeline")
    assert len(result.modules) == 1
    return result.modules[0].source, result.diagnostics, path


def _rebuilt(tmp_path: Path, source: str) -> str:
    project = load_imported(tmp_path, [Module("pipeline", source, "")])
    (config,) = artifacts(project).values()
    return config


def _formatted(tmp_path: Path) -> str:
    """The module as the run writes it (after ruff format)."""
    return (tmp_path / "definitions" / "pipeline.py").read_text(encoding="utf-8")


def _sys_env(node: object) -> object:
    """The tree with `env(...)` spelled `sys.env(...)`, as the model writes it."""
    if isinstance(node, ast.Call) and node.func == ast.Identifier("env"):
        node = dataclasses.replace(node, func=ast.Access(ast.Identifier("sys"), "env"))
    if isinstance(node, tuple):
        return tuple(_sys_env(i) for i in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    return dataclasses.replace(node, **{f.name: _sys_env(getattr(node, f.name))
                                        for f in dataclasses.fields(node) if f.compare})


def test_own_config_round_trips_byte_for_byte_through_model_objects(tmp_path: Path) -> None:
    source, found, _ = _import(OWN)
    assert found == ()
    assert "AlloyBlock" not in source  # every component of our own pipeline is a model object
    for name in ("Scrape(", "RemoteWrite(", "OtlpReceiver(", "Batch(", "OtlpExporter(",
                 "JournalSource(", "LogProcess(", "LokiWrite("):
        assert name in source
    assert _rebuilt(tmp_path, source) == OWN.read_text(encoding="utf-8")


def test_mixed_config_models_what_it_can_and_keeps_the_rest_verbatim(tmp_path: Path) -> None:
    rebuilt = _rebuilt(tmp_path, _import(FIXTURE)[0])
    source = _formatted(tmp_path)
    assert 'Scrape(APP_JOB, forward_to=GRAFANA_CLOUD_REMOTE_WRITE)' in source
    assert 'username=Env("PROM_USER")' in source  # env("X") becomes Env("X")
    assert source.count("AlloyBlock(") == 3  # discovery.kubernetes, discovery.relabel, loki.write
    # The comments of kept blocks stay; the remote_write's comment lands above its constant.
    assert "// keep only pods that ask to be scraped" in rebuilt
    assert "# The stack's push endpoint" in source
    expected = FIXTURE.read_text(encoding="utf-8").replace(
        '"hunter2-not-a-real-one"', 'sys.env("LOCAL_PASSWORD")')
    assert parse(rebuilt) == _sys_env(parse(expected))
    assert [d for d in validate_text(rebuilt, "config.alloy")
            if d.severity is Severity.ERROR] == []


def test_a_literal_secret_is_refused_at_its_line_and_never_copied(tmp_path: Path) -> None:
    source, found, _ = _import(FIXTURE)
    (diagnostic,) = found
    assert diagnostic.code == "OBS985"  # type: ignore[attr-defined]
    assert (diagnostic.location.line, diagnostic.location.column) == (44, 15)  # type: ignore[attr-defined]
    assert 'sys.env("LOCAL_PASSWORD")' in diagnostic.hint  # type: ignore[attr-defined]
    assert "hunter2" not in source and "hunter2" not in str(diagnostic)
    assert 'password = sys.env("LOCAL_PASSWORD")' in source


def test_an_unparsable_config_is_a_diagnostic_at_its_line_and_writes_nothing() -> None:
    file = ForeignFile("broken.alloy", 'prometheus.scrape "x" {\n\ttargets = [\n}\n', "alloy")
    (diagnostic,) = alloy.survey(file).diagnostics
    assert diagnostic.code == "OBS980" and diagnostic.location.line == 3
    assert alloy.write(file, ImportEnv(), "pipeline").modules == ()


def test_importing_twice_gives_the_same_source() -> None:
    assert _import(FIXTURE)[0] == _import(FIXTURE)[0]


# A few of the canonical configs of grafana/alloy: OTLP receiver/batch/exporter, scrape and
# remote_write, journal and loki.process, discovery chains, exporters; one with literal secrets.
CORPUS_SAMPLE = ["otelcolconvert_batch.alloy", "prometheusconvert_scrape.alloy",
                 "promtailconvert_journal.alloy", "promtailconvert_source_pipeline_example.alloy",
                 "staticconvert_integrations.alloy", "otelcolconvert_basicauth.alloy"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_corpus_configs_rebuild_to_the_same_components(tmp_path: Path, name: str) -> None:
    path = CORPUS / name
    source, found, _ = _import(path)
    assert all(d.code == "OBS985" for d in found)  # type: ignore[attr-defined]
    expected = _replaced(path.read_text(encoding="utf-8"), found)
    assert parse(_rebuilt(tmp_path, source)) == _sys_env(parse(expected))


def _replaced(text: str, found: tuple[object, ...]) -> str:
    """`text` with the string literal each OBS985 points at replaced by the sys.env call its
    hint names."""
    lines = text.split("\n")
    for diagnostic in found:
        at, hint = diagnostic.location, diagnostic.hint  # type: ignore[attr-defined]
        call = re.search(r'sys\.env\("\w+"\)', hint)
        line = lines[at.line - 1]
        literal = re.match(r'"(?:[^"\\]|\\.)*"', line[at.column - 1:])
        assert call and literal
        lines[at.line - 1] = line[:at.column - 1] + call.group() + line[at.column - 1 +
                                                                         literal.end():]
    return "\n".join(lines)


def test_alloy_block_is_emitted_verbatim_in_canonical_layout() -> None:
    kept = AlloyBlock('logging {\n  level = "info"   // quieter\n}')
    remote = RemoteWrite("cloud", url="https://example.org/push", username=Env("U"),
                         password=Env("P"))
    text = render(Pipeline([kept, remote]), {})
    assert text.startswith('logging {\n\tlevel = "info" // quieter\n}\n\nprometheus.remote_write')
    assert component_id(kept) == "logging"
    assert component_id(AlloyBlock('discovery.docker "d" {\n\thost = "h"\n}')) == \
        "discovery.docker.d"


@pytest.mark.parametrize("text, code", [
    ('a "x" {\n\tpassword = "swordfish"\n}', "OBS841"),
    ('a "x" {}\nb "y" {}', "OBS004"),
    ('a "x" {', "OBS004"),
])
def test_alloy_block_refuses_secrets_and_anything_but_one_block(text: str, code: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        AlloyBlock(text)
    assert caught.value.code == code
    assert "swordfish" not in str(caught.value) + (caught.value.hint or "")


def test_a_top_level_attribute_is_reported_and_kept_as_a_comment(tmp_path: Path) -> None:
    text = 'retries = 3\n\nlogging {\n\tlevel = "info"\n}\n'
    result = alloy.write(ForeignFile("top.alloy", text, "alloy"), ImportEnv(), "pipeline")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "OBS986" and diagnostic.location.line == 1  # type: ignore[union-attr]
    (module,) = result.modules
    assert "# retries = 3" in module.source
    assert _rebuilt(tmp_path, module.source) == 'logging {\n\tlevel = "info"\n}\n'
