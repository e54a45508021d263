"""The common machinery of the stand-ins: a threaded server on 127.0.0.1:<free port>, a
request log, and fault injection on a schedule.

Faults (what a flaky network or an overloaded Grafana Cloud does):
- "429": Too Many Requests with `Retry-After: <retry_after>`;
- "500", "502", "503", "504": a server error;
- "slow": the request is carried out, then the answer is held back `delay` seconds (past the
  client's timeout), so the client cannot know whether it landed;
- "drop": the connection is closed before the request is carried out;
- "drop-after": the request is carried out, then the connection is closed with no answer.

`echo_authorization`: every error answer (4xx/5xx) quotes the request's Authorization header
in its message, as a misconfigured proxy or a debugging build of a server does.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULT_KINDS = ("429", "500", "502", "503", "504", "slow", "drop", "drop-after")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None  # dict/list → JSON; str → text
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    status: int | None  # None: no answer (dropped)
    fault: str | None


class Faults:
    """Which request gets which fault. `script` plays a fixed list (None = no fault) then
    stops; `rate` picks faults at random (seeded) for a fraction of requests."""

    def __init__(self, script: list[str | None] | None = None, rate: float = 0.0,
                 kinds: tuple[str, ...] = FAULT_KINDS, seed: int = 0,
                 retry_after: int = 1, delay: float = 1.0,
                 applies: Callable[[str, str], bool] = lambda _m, _p: True) -> None:
        self._script = list(script or [])
        self._rate = rate
        self._kinds = kinds
        self._rng = random.Random(seed)
        self.retry_after = retry_after
        self.delay = delay
        self._applies = applies
        self._lock = threading.Lock()

    def next(self, method: str, path: str) -> str | None:
        if not self._applies(method, path):
            return None
        with self._lock:
            if self._script:
                return self._script.pop(0)
            if self._rate and self._rng.random() < self._rate:
                return self._rng.choice(self._kinds)
        return None


NO_FAULTS = Faults()
Route = Callable[[Request], Answer]


class StandIn:
    """Subclasses implement `route(request) -> Answer`, under `self.lock`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.faults = NO_FAULTS
        self.echo_authorization = False
        self.log: list[Logged] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StandIn:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=type(self).__name__)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def running(self) -> Iterator[StandIn]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # --- to override --------------------------------------------------------------------------

    def route(self, request: Request) -> Answer:
        raise NotImplementedError

    # --- what tests look at --------------------------------------------------------------------

    def writes(self) -> list[Logged]:
        return [e for e in self.log if e.method in ("POST", "PUT", "DELETE", "PATCH")]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def serve(self, request: Request) -> tuple[Answer | None, str | None, float]:
        """The answer (None: drop the connection), the fault applied, and a delay."""
        fault = self.faults.next(request.method, request.path)
        if fault == "drop":
            return None, fault, 0.0
        if fault == "429":
            return Answer(429, {"message": "Too Many Requests"},
                          {"Retry-After": str(self.faults.retry_after)}), fault, 0.0
        if fault in ("500", "502", "503", "504"):
            return Answer(int(fault), {"message": "injected server error"}), fault, 0.0
        with self.lock:
            answer = self.route(request)
        if fault == "drop-after":
            return None, fault, 0.0
        return answer, fault, self.faults.delay if fault == "slow" else 0.0


def _echoing(answer: Answer, authorization: str) -> Answer:
    said = f"(request had Authorization: {authorization})"
    if isinstance(answer.body, dict):
        message = f"{answer.body.get('message', '')} {said}".strip()
        return Answer(answer.status, {**answer.body, "message": message}, answer.headers,
                      answer.content_type)
    text = str(answer.body or "").rstrip("\n")
    return Answer(answer.status, f"{text} {said}\n".lstrip(), answer.headers,
                  answer.content_type)


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            request = Request(self.command, split.path, parse_qs(split.query),
                              {k.lower(): v for k, v in self.headers.items()}, body)
            answer, fault, delay = standin.serve(request)
            if answer is not None and answer.status >= 400 and standin.echo_authorization:
                answer = _echoing(answer, request.headers.get("authorization", ""))
            with standin.lock:
                standin.log.append(Logged(request.method, request.path,
                                          answer.status if answer else None, fault))
            if answer is None:
                self.close_connection = True
                return
            if delay:
                time.sleep(delay)
            payload = (answer.body.encode("utf-8") if isinstance(answer.body, str)
                       else json.dumps(answer.body).encode("utf-8"))
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up waiting (a "slow" fault)
                self.close_connection = True

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_PUT(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
