"""One HTTP session shared by every deploy target: timeouts on every request, bounded retries
with exponential backoff and full jitter, and errors that say what the server said.

Retried: 429 (after `Retry-After` when the server sends one), 500/502/503/504, timeouts and
dropped or refused connections. Not retried: DNS and TLS failures (they do not heal in
seconds), and every other 4xx; 409 and 412 are returned to the caller, who knows what a
conflict means for its resource. Sleep, clock and randomness are injected so tests of the
retry schedule run in milliseconds.
"""

from __future__ import annotations

import email.utils
import json
import random
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from obsgen import redact

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CALLER_STATUSES = frozenset({409, 412})  # conflicts: the caller decides what they mean


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


@dataclass(frozen=True)
class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries per request, the first one included
    base_delay: float = 0.5  # seconds before the first retry (before jitter)
    max_delay: float = 20.0  # cap on one wait, Retry-After included
    budget: float = 120.0  # cap on the time one request may take, waits included
    timeout: float = 30.0  # connect/read/write timeout of one try

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, base * 2**retry], capped."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** retry))


class DeployHttpError(Exception):
    """A request that failed for good: `status` is None when no response came back. The URL
    and message are redacted here, so no caller can show a credential from them."""

    def __init__(self, method: str, url: str, status: int | None, message: str,
                 kind: str, body: Any = None) -> None:
        message = redact.text(message)
        super().__init__(message)
        self.method = method
        self.url = redact.url(url)
        self.status = status
        self.message = message
        self.kind = kind  # "status", "unreachable", "dns", "tls", "timeout", "exhausted"
        self.body = body

    def describe(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else self.kind
        return f"{self.method} {self.url}: {status}: {self.message}"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any  # parsed JSON when the server sent JSON, else the text
    text: str
    attempts: int


Notify = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class Session:
    """Requests against one base URL. `headers` carry credentials; they never appear in an
    error message or a progress line (only method, URL and status do), and a server that
    echoes them (the token, user:key, base64 of it) has them replaced by **** in every reply
    before anything reads it."""

    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Clock = field(default_factory=SystemClock)
    rng: random.Random = field(default_factory=random.Random)
    notify: Notify = _quiet
    transport: httpx.BaseTransport | None = None
    requests_sent: int = 0
    writes_sent: int = 0  # requests other than GET: what "posts nothing" is measured by
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/"), headers=dict(self.headers), auth=self.auth,
                timeout=httpx.Timeout(self.policy.timeout), transport=self.transport,
                follow_redirects=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def secrets(self) -> tuple[str, ...]:
        """Every form of this session's credentials a server could echo."""
        return redact.authorization_forms(self.headers, self.auth)

    def request(self, method: str, path: str, *, json: Any = None, content: str | None = None,
                params: Mapping[str, str | int] | None = None,
                content_type: str | None = None, allow: frozenset[int] = frozenset()) -> Reply:
        """Send with retries. Returns a 2xx reply, or a reply whose status is in `allow` or is
        409/412; raises DeployHttpError for everything else."""
        started = self.clock.monotonic()
        headers = {"Content-Type": content_type} if content_type else {}
        retry = 0
        while True:
            self.requests_sent += 1
            self.writes_sent += method != "GET"
            try:
                response = self.client().request(method, path, json=json, content=content,
                                                 params=params, headers=headers)
            except httpx.HTTPError as exc:
                failure = _classify(method, self.url(path), exc, self.secrets())
                if failure.kind in ("dns", "tls"):
                    raise failure from None
                wait = self.policy.backoff(retry, self.rng)
                self._retry_or_raise(failure, retry, wait, started)
                retry += 1
                continue
            reply = _reply(response, retry + 1, self.secrets())
            if response.is_success or response.status_code in allow | CALLER_STATUSES:
                return reply
            failure = DeployHttpError(method, self.url(path), response.status_code,
                                      _message(reply), "status", reply.body)
            if response.status_code not in RETRY_STATUSES:
                raise failure
            asked = _retry_after(response) if response.status_code == 429 else None
            wait = self.policy.backoff(retry, self.rng) if asked is None else asked
            self._retry_or_raise(failure, retry, wait, started)
            retry += 1

    def _retry_or_raise(self, failure: DeployHttpError, retry: int, wait: float,
                        started: float) -> None:
        elapsed = self.clock.monotonic() - started
        if retry + 1 >= self.policy.attempts or wait > self.policy.max_delay \
                or elapsed + wait > self.policy.budget:
            tries = retry + 1
            failure.message = (f"{failure.message} (gave up after {tries} "
                               f"{'try' if tries == 1 else 'tries'} in {elapsed:.1f} s)")
            raise failure
        self.notify(f"retrying {failure.describe()} in {wait:.1f} s")
        self.clock.sleep(wait)


def _reply(response: httpx.Response, attempts: int, secrets: tuple[str, ...]) -> Reply:
    """The reply with the session's own credentials masked wherever the server echoed them."""
    text = _masked(response.text, secrets)
    body: Any = text
    if "json" in response.headers.get("content-type", ""):
        try:
            body = _masked(json.loads(text), secrets)  # again: JSON may escape what it echoes
        except ValueError:
            body = text
    return Reply(response.status_code, body, text, attempts)


def _masked(value: Any, secrets: tuple[str, ...]) -> Any:
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, redact.MASK)
        return value
    if isinstance(value, list):
        return [_masked(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item, secrets) for key, item in value.items()}
    return value


def _message(reply: Reply) -> str:
    """What the server said: Grafana's `message` (and `status`), else the body's first line."""
    if isinstance(reply.body, dict):
        message = str(reply.body.get("message") or reply.body.get("error") or "").strip()
        status = reply.body.get("status")
        if message and isinstance(status, str) and status not in ("error", "success"):
            return f"{message} ({status})"
        if message:
            return message
    first = reply.text.strip().splitlines()[0] if reply.text.strip() else ""
    return first[:300] or f"HTTP {reply.status} with an empty body"


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _classify(method: str, url: str, exc: httpx.HTTPError,
              secrets: tuple[str, ...]) -> DeployHttpError:
    chain = _causes(exc)
    text = redact.text(str(exc) or type(exc).__name__, secrets)
    if any(isinstance(c, socket.gaierror) for c in chain) or "Name or service not known" in text \
            or "nodename nor servname" in text or "Temporary failure in name resolution" in text:
        return DeployHttpError(method, url, None, f"cannot resolve the host name ({text})", "dns")
    if any(isinstance(c, ssl.SSLError) for c in chain) or "CERTIFICATE_VERIFY_FAILED" in text:
        return DeployHttpError(method, url, None, f"TLS handshake failed ({text})", "tls")
    if isinstance(exc, httpx.TimeoutException):
        return DeployHttpError(method, url, None, f"no answer in time ({type(exc).__name__})",
                               "timeout")
    return DeployHttpError(method, url, None, f"connection failed ({text})", "unreachable")
