"""No secret in output (issue 12, item 11): a literal credential's excerpt is masked, Env()
refuses a token given for a name, URLs lose their credentials wherever they are printed, and a
server that echoes the Authorization header has it scrubbed before anything is shown."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen import redact
from obsgen.diagnostics import DefinitionError
from obsgen.model.pipeline import RemoteWrite
from obsgen.model.pipeline_values import Env
from standin.grafana import ADMIN_TOKEN, GrafanaStandIn
from standin.helpers import make_project
from standin.ruler import RulerStandIn
from standin.server import Faults

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

# Shaped like the real thing (issuers' published formats), random so no run reuses one.
TOKENS = {
    "grafana service account": "glsa_" + secrets.token_hex(16) + "_" + secrets.token_hex(4),
    "grafana cloud": "glc_eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrIn0" + secrets.token_hex(8),
    "github classic": "ghp_" + secrets.token_hex(18),
    "github oauth": "gho_" + secrets.token_hex(18),
    "github app": "ghs_" + secrets.token_hex(18),
    "github fine-grained": "github_pat_" + secrets.token_hex(11) + "_" + secrets.token_hex(29),
    "aws": "AKIA" + secrets.token_hex(8).upper(),
    # No prefix: caught by how random it looks (a heuristic, so fixed examples).
    "random hex": "a3f9c2e81b7d4f60a9e3c1d2b4f6a8e0",
    "random base62": "q7Xv2LmP9sKd4TzR8wYb3NcF",
}
PIPELINE_LINE = 'API_KEY = Env("GRAFANA_CLOUD_API_KEY")'


def _everything_under(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in root.rglob("*") if p.is_file() and "definitions" not in p.parts)


# --- Env(): a token where a name belongs -----------------------------------------------------


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_env_refuses_a_token_and_never_echoes_it(kind: str) -> None:
    token = TOKENS[kind]
    with pytest.raises(DefinitionError) as raised:
        Env(token)
    assert raised.value.code == "OBS841"
    assert token not in raised.value.message + (raised.value.hint or "")


@pytest.mark.parametrize("value", ["xoxb-1234567890-0987654321-" + "a" * 24,
                                   "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"])
def test_env_refuses_tokens_with_other_characters_too(value: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        Env(value)
    assert raised.value.code == "OBS841" and value not in raised.value.message


@pytest.mark.parametrize("name", ["GRAFANA_CLOUD_API_KEY", "MIMIR_API_KEY", "http_proxy",
                                  "MyServiceApiKeyForProduction2", "K8S_CLUSTER_1_API_TOKEN_V2",
                                  "AWS_SECRET_ACCESS_KEY", "GRAFANA_TOKEN_2024_PROD"])
def test_env_still_takes_names(name: str) -> None:
    assert Env(name).name == name


def test_a_token_in_env_fails_the_build_and_reaches_neither_output_nor_build(
        obsgen: RunObsgen, example_project: Path) -> None:
    token = TOKENS["grafana service account"]
    pipeline = example_project / "definitions" / "pipeline.py"
    text = pipeline.read_text(encoding="utf-8")
    assert PIPELINE_LINE in text
    pipeline.write_text(text.replace(PIPELINE_LINE, f'API_KEY = Env("{token}")'),
                        encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert result.exit_code == 1 and "OBS841" in result.output, result.describe()
    assert token not in result.output
    assert 'API_KEY = Env("****")' in result.stdout  # the excerpt, masked
    assert token not in _everything_under(example_project)


# --- literal credentials: the excerpt is masked ----------------------------------------------


def test_a_literal_password_in_definitions_is_masked_in_the_excerpt(
        obsgen: RunObsgen, example_project: Path) -> None:
    password = "hunter2-" + secrets.token_hex(6)
    pipeline = example_project / "definitions" / "pipeline.py"
    text = pipeline.read_text(encoding="utf-8")
    one_line = ('PROMETHEUS = RemoteWrite("grafana_cloud", url="https://p.example/api/prom/push", '
                f'username=Env("U"), password="{password}")\n')
    start = text.index("PROMETHEUS = RemoteWrite(")
    end = text.index("SCRAPE = ")
    pipeline.write_text(text[:start] + one_line + text[end:], encoding="utf-8")
    result = obsgen("build", cwd=example_project)
    assert "OBS841" in result.stdout, result.describe()
    assert password not in result.output
    assert 'password="****' in result.stdout and 'username=Env("****")' in result.stdout


ALLOY = """\
prometheus.remote_write "gc" {
  endpoint {
    url = "https://prometheus.example/api/prom/push?x=1"
    basic_auth {
      username = "123456"
      password = "%s"
    }
  }
}

loki.write "gc" {
  endpoint {
    url = "https://logs.example/loki/api/v1/push?api_key=%s"
  }
}
"""


def test_a_literal_credential_in_alloy_is_masked_in_the_excerpt(obsgen: RunObsgen,
                                                                tmp_path: Path) -> None:
    password, token = "hunter2-" + secrets.token_hex(6), TOKENS["grafana cloud"]
    (tmp_path / "config.alloy").write_text(ALLOY % (password, token), encoding="utf-8")
    result = obsgen("lint", "config.alloy", cwd=tmp_path)
    assert result.stdout.count("OBS828") == 2, result.describe()
    assert password not in result.output and token not in result.output
    assert '      password = "****"' in result.stdout
    assert '    url = "****"' in result.stdout


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "shown"), [
    ("HTTPS://admin:hunter2@grafana.example/x", "https://****@grafana.example/x"),
    ("  https://admin:hunter2@grafana.example", "https://****@grafana.example"),
    ("https://grafana.example/?token=hunter2&org=1", "https://grafana.example/?token=****&org=1"),
    ("https://h.example/p?API_KEY=hunter2", "https://h.example/p?API_KEY=****"),
    ("https://h.example/cb#access_token=hunter2", "https://h.example/cb#access_token=****"),
    ("http://admin:hunter2@[::1", "http://****@[::1"),
])
def test_redacted_urls_carry_no_credentials(given: str, shown: str) -> None:
    assert redact.url(given) == shown


def test_redacted_text_masks_header_shapes_and_known_values() -> None:
    pair = base64.b64encode(b"123456:glc_key").decode()
    said = (f"denied: Authorization: Basic {pair}; seen Bearer abcdefgh12345678 and "
            f"Basic {pair} at https://u:p@h.example/?token=t")
    masked = redact.text(said, redact.credential_forms(basic=("123456", "glc_key")))
    assert pair not in masked and "glc_key" not in masked and "abcdefgh12345678" not in masked
    assert "u:p@" not in masked and "token=t" not in masked
    assert redact.text("Basic authentication failed") == "Basic authentication failed"


@pytest.mark.parametrize("url", ["HTTPS://admin:hunter2@grafana.example",
                                 " https://admin:hunter2@grafana.example",
                                 "https://grafana.example/?token=hunter2",
                                 "https://grafana.example/?api_key=hunter2",
                                 "ftp://grafana.example/?api_key=hunter2"])
def test_a_deploy_url_is_never_echoed_with_its_credentials(obsgen: RunObsgen, tmp_path: Path,
                                                           url: str) -> None:
    project = make_project(_grafana_build(tmp_path))
    result = obsgen("deploy", "grafana", "--url", url, cwd=project,
                    env={"GRAFANA_TOKEN": "t0ken-value"})
    assert result.exit_code == 2 and "OBS511" in result.output, result.describe()
    assert "hunter2" not in result.output


@pytest.mark.parametrize("url", ["https://u:hunter2@p.example/push",
                                 "https://p.example/push?api_key=hunter2"])
def test_a_pipeline_url_with_credentials_is_refused(url: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        RemoteWrite("gc", url=url, username=Env("U"), password=Env("P"))
    assert raised.value.code == "OBS841" and "hunter2" not in raised.value.message


# --- servers that echo the Authorization header ----------------------------------------------


def _grafana_build(root: Path) -> Path:
    path = root / "build" / "grafana" / "platform" / "svc.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"uid": "svc", "title": "Service", "panels": [],
                                "schemaVersion": 39}), encoding="utf-8")
    return root / "build"


@pytest.fixture
def grafana() -> Iterator[GrafanaStandIn]:
    standin = GrafanaStandIn()
    standin.echo_authorization = True
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()


@pytest.mark.parametrize("fmt", ["full", "json"])
def test_grafana_echoing_a_rejected_token_shows_no_token(grafana: GrafanaStandIn,
                                                         obsgen: RunObsgen, tmp_path: Path,
                                                         fmt: str) -> None:
    token = TOKENS["grafana service account"]
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", fmt,
                    cwd=make_project(_grafana_build(tmp_path)), env={"GRAFANA_TOKEN": token})
    assert result.exit_code == 1 and "OBS513" in result.output, result.describe()
    assert "request had Authorization: Bearer ****" in result.output  # shown, scrubbed
    assert token not in result.output


def test_retry_lines_show_no_echoed_token(grafana: GrafanaStandIn, obsgen: RunObsgen,
                                          tmp_path: Path) -> None:
    grafana.faults = Faults(script=[None, "503"], retry_after=0)  # health, then one 503
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--dry-run",
                    cwd=make_project(_grafana_build(tmp_path)),
                    env={"GRAFANA_TOKEN": ADMIN_TOKEN})
    assert "retrying GET" in result.stderr, result.describe()
    assert "Bearer ****" in result.stderr and ADMIN_TOKEN not in result.output


def test_ruler_echoing_basic_auth_shows_neither_key_nor_its_base64(obsgen: RunObsgen,
                                                                   tmp_path: Path) -> None:
    user, key = "123456", "glc_" + secrets.token_hex(20)
    wrong = "wrong-" + secrets.token_hex(8)
    standin = RulerStandIn(prefix="/api/prom", credentials=(user, key))
    standin.echo_authorization = True
    standin.start()
    try:
        folder = tmp_path / "build" / "prometheus"
        folder.mkdir(parents=True)
        (folder / "api.rules.yml").write_text(
            "# Generated by obsgen. Do not edit.\ngroups:\n- name: api\n  rules:\n"
            "  - record: job:up:sum\n    expr: sum(up)\n", encoding="utf-8")
        result = obsgen("deploy", "rules", "--ruler-url", standin.base,
                        cwd=make_project(tmp_path / "build"),
                        env={"MIMIR_TENANT": user, "MIMIR_API_USER": user,
                             "MIMIR_API_KEY": wrong})
    finally:
        standin.stop()
    assert result.exit_code == 1 and "OBS513" in result.output, result.describe()
    encoded = base64.b64encode(f"{user}:{wrong}".encode()).decode()
    assert "Authorization: Basic ****" in result.output
    for secret in (wrong, encoded, encoded.rstrip("="), f"{user}:{wrong}", key):
        assert secret not in result.output
