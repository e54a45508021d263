"""`obsgen verify --metrics`: a scrape against the catalog, and every kind of bad input (no
target, unreachable, TLS, 401/403, not a Prometheus, an unparseable body, a query timeout):
one diagnostic each, exit 2, no traceback, no token in the output."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

# Written by hand from the example catalog (definitions/metrics.py), with prometheus_client's
# layout: counters without _total in HELP/TYPE, _created series, a runtime family.
CLEAN = """\
# HELP hypertool_workflow_quality_gate_total Quality-gate evaluations.
# TYPE hypertool_workflow_quality_gate_total counter
hypertool_workflow_quality_gate_total{result="passed",stage="lint",workflow="ci"} 3.0
# HELP hypertool_workflow_quality_gate_created Quality-gate evaluations.
# TYPE hypertool_workflow_quality_gate_created gauge
hypertool_workflow_quality_gate_created{result="passed",stage="lint",workflow="ci"} 1.7e+09
# HELP hypertool_persona_token_budget_remaining Tokens left.
# TYPE hypertool_persona_token_budget_remaining gauge
hypertool_persona_token_budget_remaining{persona="data-scientist"} 12.0
# HELP hypertool_persona_info Static facts.
# TYPE hypertool_persona_info gauge
hypertool_persona_info{persona="data-scientist",token_budget="1700"} 1.0
# HELP hypertool_persona_duration_seconds Persona time.
# TYPE hypertool_persona_duration_seconds histogram
{buckets}hypertool_persona_duration_seconds_bucket{chatmode="x",le="+Inf",persona="ds"} 1.0
hypertool_persona_duration_seconds_count{chatmode="x",persona="ds"} 1.0
hypertool_persona_duration_seconds_sum{chatmode="x",persona="ds"} 3.0
# HELP hypertool_persona_switches_total Switches.
# TYPE hypertool_persona_switches_total counter
# HELP hypertool_persona_tokens_used_total Tokens.
# TYPE hypertool_persona_tokens_used_total counter
# HELP hypertool_workflow_stage_duration_seconds Stages.
# TYPE hypertool_workflow_stage_duration_seconds histogram
# HELP langfuse_traces_created_total Traces.
# TYPE langfuse_traces_created_total counter
# HELP process_cpu_seconds_total CPU.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
"""
BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
TOKEN = "glc_" + "Zq8Xv3Lr9Tn2Wm5Kp7Hd4Bf6Jc1Ys0Ga"


def scrape(buckets: tuple[float, ...] = BUCKETS) -> str:
    lines = "".join(f'hypertool_persona_duration_seconds_bucket{{chatmode="x",le="{float(b)}",'
                    f'persona="ds"}} 1.0\n' for b in buckets)
    return CLEAN.replace("{buckets}", lines).replace('"ds"', '"data-scientist"')


@pytest.fixture
def project(example_project: Path) -> Path:
    return example_project


def test_clean_scrape_file(project: Path, tmp_path: Path, obsgen: RunObsgen) -> None:
    (tmp_path / "scrape.txt").write_text(scrape(), encoding="utf-8")
    result = obsgen("verify", "--metrics", str(tmp_path / "scrape.txt"), "--output-format",
                    "json", cwd=project)
    assert result.exit_code == 0, result.describe()
    assert result.diagnostics() == []


def test_scrape_drift_is_reported(project: Path, tmp_path: Path, obsgen: RunObsgen) -> None:
    text = scrape(buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 250))
    text = text.replace('result="passed"', 'result="fail"', 1)
    text = text.replace('{persona="data-scientist"} 12.0',
                        '{persona="data-scientist",pod="a"} 12.0')
    text = text.replace("# TYPE hypertool_persona_info gauge", "# TYPE hypertool_persona_info "
                        "counter")
    text = text.replace("# HELP langfuse_traces_created_total Traces.\n"
                        "# TYPE langfuse_traces_created_total counter\n", "")
    text += "# TYPE hypertool_workflow_retries_total counter\nhypertool_workflow_retries_total 1\n"
    (tmp_path / "scrape.txt").write_text(text, encoding="utf-8")
    result = obsgen("verify", "--metrics", str(tmp_path / "scrape.txt"), "--output-format",
                    "json", cwd=project)
    assert result.exit_code == 1, result.describe()
    found = {(d["code"], d["message"]) for d in result.diagnostics()}
    scraped = str(tmp_path / "scrape.txt")
    assert found == {
        ("OBS554", f"{scraped} exposes counter hypertool_workflow_retries_total, which is not in "
                   "the catalog"),
        ("OBS555", 'the scrape has hypertool_workflow_quality_gate_total{result="fail"}: "fail" '
                   "is not a declared value of 'result'"),
        ("OBS555", "the scrape has hypertool_persona_token_budget_remaining with label 'pod', "
                   "which the catalog does not declare"),
        ("OBS556", "hypertool_persona_info is exposed with type counter; the catalog declares "
                   "type info"),
        ("OBS556", "hypertool_persona_duration_seconds has buckets 0.1, 0.5, 1, 2.5, 5, 10, 30, "
                   "60, 120, 250; the catalog declares 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300"),
        ("OBS557", "counter langfuse_traces_created_total is declared but not in the scrape of "
                   f"{scraped}"),
    }, result.describe()


# --- bad input ------------------------------------------------------------------------------

Reply = tuple[int, str, str, float]  # status, content type, body, delay in seconds


@contextlib.contextmanager
def server(answer: Callable[[str, str], Reply]) -> Iterator[str]:
    """A local HTTP server; `answer(path, authorization header)` says what it replies."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body, delay = answer(self.path, self.headers.get("Authorization", ""))
            time.sleep(delay)
            data = body.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_error(result_text: str, code: str) -> None:
    assert f" {code} " in result_text, result_text
    assert result_text.count("[error]") == 1, result_text
    assert "Traceback" not in result_text


def test_nothing_to_verify_is_a_usage_error(project: Path, obsgen: RunObsgen) -> None:
    result = obsgen("verify", cwd=project)
    assert result.exit_code == 2
    one_error(result.output, "OBS003")


def test_unreachable_url(project: Path, obsgen: RunObsgen) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    for args in (("--metrics", f"{url}/metrics"), ("--prometheus", url)):
        result = obsgen("verify", *args, "--retries", "0", cwd=project)
        assert result.exit_code == 2, result.describe()
        one_error(result.output, "OBS551")
        assert "Connection refused" in result.output


def test_tls_failure(project: Path, obsgen: RunObsgen) -> None:
    with server(lambda path, auth: (200, "text/plain", "", 0)) as url:
        result = obsgen("verify", "--prometheus", url.replace("http:", "https:"), cwd=project)
    assert result.exit_code == 2, result.describe()
    one_error(result.output, "OBS551")
    assert "TLS handshake failed" in result.output


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_credentials_never_show_the_token(project: Path, obsgen: RunObsgen,
                                                    status: int) -> None:
    seen: list[str] = []

    def answer(path: str, auth: str) -> Reply:
        seen.append(auth)
        return status, "application/json", json.dumps(
            {"status": "error", "error": f"bad credentials {auth}"}), 0

    with server(answer) as url:
        result = obsgen("verify", "--prometheus", url, cwd=project,
                        env={"PROMETHEUS_USER": "123456", "PROMETHEUS_TOKEN": TOKEN})
    assert result.exit_code == 2, result.describe()
    one_error(result.output, "OBS552")
    assert seen and seen[0].startswith("Basic ")  # basic auth: user + token, as Grafana Cloud
    assert TOKEN not in result.output and seen[0].split()[1] not in result.output


def test_a_server_that_is_not_prometheus(project: Path, obsgen: RunObsgen) -> None:
    page = "<html><body>Welcome to nginx</body></html>"
    with server(lambda path, auth: (200, "text/html", page, 0)) as url:
        result = obsgen("verify", "--prometheus", url, cwd=project)
        scraped = obsgen("verify", "--metrics", f"{url}/metrics", cwd=project)
    assert result.exit_code == 2, result.describe()
    one_error(result.output, "OBS553")
    assert "did not answer as the Prometheus HTTP API does" in result.output
    assert scraped.exit_code == 2, scraped.describe()
    one_error(scraped.output, "OBS553")
    assert "is not Prometheus exposition text" in scraped.output


def test_unparseable_scrape_file(project: Path, tmp_path: Path, obsgen: RunObsgen) -> None:
    (tmp_path / "scrape.txt").write_text('up{job="x" 1\n', encoding="utf-8")
    result = obsgen("verify", "--metrics", str(tmp_path / "scrape.txt"), cwd=project)
    assert result.exit_code == 2, result.describe()
    one_error(result.output, "OBS553")
    missing = obsgen("verify", "--metrics", str(tmp_path / "none.txt"), cwd=project)
    assert missing.exit_code == 2
    one_error(missing.output, "OBS553")


def test_an_unanswered_request_times_out(project: Path, obsgen: RunObsgen) -> None:
    with server(lambda path, auth: (200, "text/plain", "", 5)) as url:
        started = time.monotonic()
        result = obsgen("verify", "--metrics", f"{url}/metrics", "--timeout", "0.5",
                        "--retries", "1", cwd=project)
        took = time.monotonic() - started
    assert result.exit_code == 2, result.describe()
    one_error(result.output, "OBS551")
    assert "no answer in time" in result.output and "gave up after 2 tries" in result.output
    assert took < 5 + 3  # two tries of 0.5 s and a backoff, plus the CLI's start-up


def test_a_query_that_times_out_in_prometheus(project: Path, obsgen: RunObsgen) -> None:
    """A Prometheus-shaped server whose every query times out: one OBS550 per query, each at
    its definition, and the run goes on."""
    empty = json.dumps({"status": "success", "data": {"groups": [], "activeTargets": []}})
    timed_out = json.dumps({"status": "error", "errorType": "timeout",
                            "error": "query timed out in expression evaluation"})

    def answer(path: str, auth: str) -> Reply:
        if path.startswith("/api/v1/query"):
            return 503, "application/json", timed_out, 0
        return 200, "application/json", empty, 0

    with server(answer) as url:
        result = obsgen("verify", "--prometheus", url, "--output-format", "json", cwd=project)
    assert result.exit_code == 1, result.describe()
    failed = [d for d in result.diagnostics() if d["code"] == "OBS550"]
    assert failed and all("(timeout): query timed out" in d["message"] for d in failed)
    assert any(d["message"].startswith("alert TokenBudgetExceeded:") for d in failed)
    assert all(d["location"]["path"].startswith("definitions/") for d in failed)


def test_credentials_in_a_url_are_refused_unechoed(project: Path, obsgen: RunObsgen) -> None:
    for url in (f"http://admin:{TOKEN}@127.0.0.1:9090", f"http://127.0.0.1:9090/?api_key={TOKEN}"):
        result = obsgen("verify", "--prometheus", url, cwd=project)
        assert result.exit_code == 2, result.describe()
        one_error(result.output, "OBS551")
        assert "must not carry credentials" in result.output and TOKEN not in result.output
