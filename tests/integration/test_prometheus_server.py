"""The generated rule files, loaded into a real Prometheus server (Debian's 2.42 package).

One Prometheus is started for the whole module. It loads every generated `*.rules.yml` and
scrapes a tiny exporter started in-process, under the job name the catalog declares. The tests
then ask the server's HTTP API whether the groups and rules it loaded are exactly the ones the
definitions declared, whether every rule evaluated without error, and whether the scrape job
works.

Timing. Prometheus does not evaluate a rule group when it loads it: `Group.run` first sleeps
until the group's next "slot", `EvalTimestamp(now) + interval`, where the slot offset is
`xxhash64(labels{file=<rule file path>, name=<group name>}) % interval`. A group with a 5m
interval is therefore first evaluated anywhere between 0 s and 5 min after start-up. To keep
the test fast, `_pick_rule_dir` chooses, before start-up, a directory name (a symlink to the
build folder) for which every group's first slot falls shortly after start-up; see
`_first_slot`. That is only an optimisation: the deadline for the first evaluation is
start-up + the longest group interval + a margin, so if a future Prometheus schedules groups
differently the tests get slower (up to ~6 min), not wrong.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from obsgen.build import Compiled, compile_project, write_atomically
from obsgen.config import load_config
from obsgen.emit.prometheus import RULES_DIR, rules_path
from obsgen.model.metrics import Metric
from obsgen.model.names import duration_ms
from obsgen.model.pipeline import ScrapeJob
from obsgen.model.rules import AlertRule, RuleGroup
from servers import free_port, stop_server

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = "/usr/bin/prometheus"
GLOBAL_EVALUATION_INTERVAL = "1m"  # what groups without an interval of their own use
READY_DEADLINE_S = 60.0
SCRAPE_MARGIN_S = 45.0  # on top of the job's scrape interval
EVAL_MARGIN_S = 45.0  # on top of the longest group interval
# Window, after launch, in which `_pick_rule_dir` wants every group's first evaluation: late
# enough for start-up (TSDB, config, rule manager) to be over, early enough to be quick.
SLOT_WINDOW_S = (6.0, 18.0)
NEVER = "0001-01-01T00:00:00Z"  # Go's zero time: how the API shows "not evaluated yet"


# --- xxHash64, as Prometheus' labels.Hash uses it (github.com/cespare/xxhash/v2) -------------

_M64 = (1 << 64) - 1
_P1, _P2, _P3 = 11400714785074694791, 14029467366897019727, 1609587929392839161
_P4, _P5 = 9650029242287828579, 2870177450012600261


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _M64


def _round(acc: int, lane: int) -> int:
    return (_rotl((acc + lane * _P2) & _M64, 31) * _P1) & _M64


def _lane(data: bytes, i: int, width: int = 8) -> int:
    return int.from_bytes(data[i:i + width], "little")


def xxh64(data: bytes) -> int:
    """XXH64 with seed 0."""
    n, i = len(data), 0
    if n >= 32:
        v = [(_P1 + _P2) & _M64, _P2, 0, (-_P1) & _M64]
        while i + 32 <= n:
            v = [_round(acc, _lane(data, i + 8 * k)) for k, acc in enumerate(v)]
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & _M64
        for acc in v:
            h = ((h ^ _round(0, acc)) * _P1 + _P4) & _M64
    else:
        h = _P5
    h = (h + n) & _M64
    while i + 8 <= n:
        h = (_rotl(h ^ _round(0, _lane(data, i)), 27) * _P1 + _P4) & _M64
        i += 8
    if i + 4 <= n:
        h = (_rotl(h ^ ((_lane(data, i, 4) * _P1) & _M64), 23) * _P2 + _P3) & _M64
        i += 4
    while i < n:
        h = (_rotl(h ^ ((data[i] * _P5) & _M64), 11) * _P1) & _M64
        i += 1
    h = ((h ^ (h >> 33)) * _P2) & _M64
    h = ((h ^ (h >> 29)) * _P3) & _M64
    return h ^ (h >> 32)


def test_xxh64_matches_reference_vectors() -> None:
    # Reference values of the xxHash specification (seed 0).
    assert xxh64(b"") == 0xEF46DB3751D8E999
    assert xxh64(b"a") == 0xD24EC4F1A98C6E5B
    assert xxh64(b"abc") == 0x44BC2CF5AD770999
    assert xxh64(b"Nobody inspects the spammish repetition") == 0xFBCEA83C8A378BF1


def _first_slot(group_name: str, file: str, interval_ns: int, start_ns: int) -> int:
    """When Prometheus 2.42 first evaluates a group whose run loop starts at `start_ns`
    (rules/manager.go: Group.hash, Group.EvalTimestamp, Group.run)."""
    sep = b"\xff"
    key = b"file" + sep + file.encode() + sep + b"name" + sep + group_name.encode() + sep
    offset = xxh64(key) % interval_ns
    adjusted = start_ns - offset
    return adjusted - adjusted % interval_ns + offset + interval_ns


def _interval_ns(group: RuleGroup) -> int:
    return duration_ms(group.interval or GLOBAL_EVALUATION_INTERVAL) * 1_000_000


def _pick_rule_dir(workdir: Path, groups: tuple[RuleGroup, ...], launch_ns: int) -> str:
    """A name for a symlink to the rules folder under which every group's first evaluation
    falls inside SLOT_WINDOW_S after launch (see the module docstring); "rules" if none is
    found quickly, which only makes the test slower."""
    low, high = (int(s * 1e9) for s in SLOT_WINDOW_S)
    for attempt in range(20_000):
        name = f"rules-{attempt}"
        folder = workdir / name
        slots = [_first_slot(g.name, str(folder / Path(rules_path(g)).name), _interval_ns(g),
                             launch_ns) - launch_ns for g in groups]
        if all(low <= s <= high for s in slots):
            return name
    return "rules"


# --- the scrape target ----------------------------------------------------------------------

def _sample_value(index: int) -> float:
    return 1200.0 + index


def exposition(metrics: tuple[Metric, ...]) -> tuple[str, dict[str, float]]:
    """Prometheus text exposition with one sample of every catalog counter and gauge, labelled
    with the first allowed value of each label; and {metric name: value} of what it holds."""
    lines: list[str] = []
    served: dict[str, float] = {}
    chosen = [m for m in metrics if m.kind in ("counter", "gauge")]
    for index, metric in enumerate(chosen):
        labels = ",".join(f'{lab.name}="{(lab.values or ("integration-test",))[0]}"'
                          for lab in metric.labels)
        value = _sample_value(index)
        help_text = metric.help.replace("\\", "\\\\").replace("\n", "\\n")
        lines += [f"# HELP {metric.name} {help_text}", f"# TYPE {metric.name} {metric.kind}",
                  f"{metric.name}{{{labels}}} {value}"]
        served[metric.name] = value
    return "\n".join(lines) + "\n", served


@contextlib.contextmanager
def exporter(path: str, body: str) -> Iterator[str]:
    """Serve `body` at http://127.0.0.1:<free port><path>; yields "127.0.0.1:<port>"."""
    payload = body.encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if urllib.parse.urlsplit(self.path).path != path:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="exporter", daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the Prometheus server ------------------------------------------------------------------

@dataclass
class Running:
    compiled: Compiled
    build_dir: Path
    rule_files: dict[str, str]  # group name -> the rule file path given to Prometheus
    job: ScrapeJob
    target: str
    served: dict[str, float]
    url: str
    log: Path
    launched: float  # time.monotonic() at launch
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no log: {exc})"
        return "\n".join(text.splitlines()[-lines:])

    def context(self, what: str) -> str:
        state = "running" if self.process.poll() is None else f"exited {self.process.returncode}"
        return f"{what}\nprometheus ({state}), log tail ({self.log}):\n{self.log_tail()}"

    def get(self, path: str, **params: str) -> Any:
        url = f"{self.url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def api(self, path: str, **params: str) -> Any:
        reply = self.get(path, **params)
        assert reply.get("status") == "success", self.context(f"GET {path}: {reply}")
        return reply["data"]

    def poll(self, what: str, deadline_s: float, probe: Callable[[], tuple[bool, Any]]) -> Any:
        """Call `probe` until it says done or `deadline_s` (after launch) passes."""
        last: Any = None
        while True:
            assert self.process.poll() is None, self.context(f"prometheus died while {what}")
            try:
                done, last = probe()
            except (OSError, urllib.error.URLError) as exc:
                done, last = False, exc
            if done:
                return last
            if time.monotonic() - self.launched > deadline_s:
                pytest.fail(self.context(f"timed out after {deadline_s:.0f} s {what}; "
                                         f"last seen: {last!r}"))
            time.sleep(0.5)


@pytest.fixture(scope="module")
def compiled_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Compiled, Path]:
    """The example project, compiled with the Python API into a temp build folder."""
    compiled = compile_project(load_config(PROJECT_ROOT))
    assert compiled.ok, [str(d) for d in compiled.diagnostics]
    assert compiled.project is not None
    build_dir = tmp_path_factory.mktemp("obsgen") / "build"
    write_atomically(build_dir, compiled.artifacts)
    return compiled, build_dir


@pytest.fixture(scope="module")
def prometheus(compiled_build: tuple[Compiled, Path],
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    compiled, build_dir = compiled_build
    project = compiled.project
    assert project is not None
    assert project.jobs, "the catalog declares no ScrapeJob"
    job = project.jobs[0]
    workdir = tmp_path_factory.mktemp("prometheus")
    body, served = exposition(project.metrics)
    assert served, "the catalog has no counter or gauge to serve"

    with exporter(job.path, body) as target:
        port = free_port()
        launch_ns = time.time_ns()
        rules_link = workdir / _pick_rule_dir(workdir, project.groups, launch_ns)
        rules_link.symlink_to(build_dir / RULES_DIR, target_is_directory=True)
        rule_files = {g.name: str(rules_link / Path(rules_path(g)).name) for g in project.groups}
        config = {
            "global": {"evaluation_interval": GLOBAL_EVALUATION_INTERVAL},
            "rule_files": sorted(rule_files.values()),
            "scrape_configs": [{
                "job_name": job.name,
                "scrape_interval": job.interval,
                "scrape_timeout": job.timeout,
                "metrics_path": job.path,
                "static_configs": [{"targets": [target]}],
            }],
        }
        config_file = workdir / "prometheus.yml"
        config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        log = workdir / "prometheus.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [PROMETHEUS, f"--config.file={config_file}",
                 f"--storage.tsdb.path={workdir / 'tsdb'}",
                 f"--web.listen-address=127.0.0.1:{port}", "--web.enable-lifecycle"],
                stdout=log_file, stderr=subprocess.STDOUT, cwd=workdir)
        running = Running(compiled, build_dir, rule_files, job, target, served,
                          f"http://127.0.0.1:{port}", log, time.monotonic(), process)
        try:
            def ready() -> tuple[bool, Any]:
                with urllib.request.urlopen(f"{running.url}/-/ready", timeout=5) as response:
                    return response.status == 200, response.status

            running.poll("waiting for /-/ready", READY_DEADLINE_S, ready)
            yield running
        finally:
            stop_server(process)


# --- helpers over the API -------------------------------------------------------------------

def _loaded_groups(server: Running) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in server.api("/api/v1/rules")["groups"]}


def _all_evaluated(server: Running) -> dict[str, dict[str, Any]]:
    """The loaded groups, once every rule in them has been evaluated at least once."""
    project = server.compiled.project
    assert project is not None
    longest_s = max(_interval_ns(g) for g in project.groups) / 1e9

    def probe() -> tuple[bool, Any]:
        groups = _loaded_groups(server)
        pending = sorted(f"{g['name']}/{r['name']}" for g in groups.values()
                         for r in g["rules"] if r.get("lastEvaluation", NEVER) == NEVER)
        return not pending, (groups if not pending else f"not evaluated yet: {pending}")

    return server.poll("waiting for every rule to be evaluated once", longest_s + EVAL_MARGIN_S,
                       probe)


def _target_up(server: Running) -> dict[str, Any]:
    def probe() -> tuple[bool, Any]:
        targets = [t for t in server.api("/api/v1/targets", state="active")["activeTargets"]
                   if t["labels"].get("job") == server.job.name]
        up = [t for t in targets if t["health"] == "up"]
        return bool(up), (up[0] if up else targets)

    deadline = duration_ms(server.job.interval) / 1000 + SCRAPE_MARGIN_S
    return server.poll(f"waiting for job {server.job.name!r} to be up", deadline, probe)


# --- the tests ------------------------------------------------------------------------------

def test_loaded_groups_are_the_declared_groups(prometheus: Running) -> None:
    project = prometheus.compiled.project
    assert project is not None
    groups = _loaded_groups(prometheus)
    assert set(groups) == {g.name for g in project.groups}, prometheus.context("group names")
    for group in project.groups:
        loaded = groups[group.name]
        assert loaded["file"] == prometheus.rule_files[group.name]
        assert loaded["interval"] == _interval_ns(group) / 1e9, group.name
        assert [(r["type"], r["name"]) for r in loaded["rules"]] == [
            ("alerting" if isinstance(r, AlertRule) else "recording", r.name)
            for r in group.rules], group.name


def test_loaded_rules_carry_the_generated_labels_and_annotations(prometheus: Running) -> None:
    groups = _loaded_groups(prometheus)
    for rel, text in prometheus.compiled.artifacts.items():
        if not rel.endswith(".rules.yml"):
            continue
        for emitted in yaml.safe_load(text)["groups"]:
            loaded = groups[emitted["name"]]["rules"]
            assert len(loaded) == len(emitted["rules"]), rel
            for rule, api in zip(emitted["rules"], loaded, strict=True):
                assert api["labels"] == rule.get("labels", {}), (rel, api["name"])
                if "alert" in rule:
                    assert api["annotations"] == rule.get("annotations", {}), (rel, api["name"])
                    assert api["duration"] == duration_ms(rule.get("for", "0s")) / 1000


def test_every_rule_evaluates_without_error(prometheus: Running) -> None:
    project = prometheus.compiled.project
    assert project is not None
    groups = _all_evaluated(prometheus)
    problems = [
        f"{g['name']}/{r['name']}: health={r.get('health')!r} lastError={r.get('lastError')!r}"
        for g in groups.values() for r in g["rules"]
        if r.get("health") != "ok" or r.get("lastError")
    ]
    assert not problems, prometheus.context("rules unhealthy:\n" + "\n".join(problems))
    evaluated = {(g["name"], r["name"]) for g in groups.values() for r in g["rules"]}
    assert evaluated == {(g.name, r.name) for g in project.groups for r in g.rules}
    # The slot prediction of _pick_rule_dir is only an optimisation; report when it failed.
    elapsed = time.monotonic() - prometheus.launched
    print(f"every rule evaluated {elapsed:.1f} s after launch")


def test_catalog_scrape_job_is_up(prometheus: Running) -> None:
    target = _target_up(prometheus)
    assert target["labels"]["instance"] == prometheus.target
    assert target["scrapeUrl"] == f"http://{prometheus.target}{prometheus.job.path}"
    assert not target.get("lastError"), target


def test_up_query_for_catalog_job_returns_1(prometheus: Running) -> None:
    _target_up(prometheus)
    job = prometheus.job.name
    result = prometheus.api("/api/v1/query", query=f'up{{job="{job}"}}')["result"]
    assert len(result) == 1, prometheus.context(f"up{{job={job!r}}} returned {result}")
    assert result[0]["metric"] == {"__name__": "up", "job": job, "instance": prometheus.target}
    assert float(result[0]["value"][1]) == 1.0


def test_scraped_catalog_metrics_carry_the_job_label(prometheus: Running) -> None:
    _target_up(prometheus)
    job = prometheus.job.name
    for name, value in prometheus.served.items():
        query = f'{name}{{job="{job}"}}'
        result = prometheus.api("/api/v1/query", query=query)["result"]
        assert [float(r["value"][1]) for r in result] == [value], query
