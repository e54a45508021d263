"""Reading from the live systems `obsgen verify` checks: an app's metrics endpoint (or a file
holding a scrape) and a Prometheus HTTP API. Only GET requests, with deploy's session (timeouts
on every request, bounded retries, credentials masked wherever a server echoes them).

Credentials come from the environment only: PROMETHEUS_TOKEN (a bearer token), or
PROMETHEUS_USER with PROMETHEUS_TOKEN (basic auth, as Grafana Cloud's Prometheus endpoint
wants: the instance id and an access-policy token); METRICS_TOKEN for a protected endpoint.
A failure to reach or read a target ends the run with one diagnostic and exit status 2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from obsgen import redact
from obsgen.deploy.http import DeployHttpError, RetryPolicy, Session
from obsgen.diagnostics import Diagnostic, Location, UsageError

ACCEPT_TEXT = "text/plain;version=0.0.4;q=1,*/*;q=0.1"
CREDENTIALS_HINT = ("credentials come from the environment only: PROMETHEUS_TOKEN (bearer), or "
                    "PROMETHEUS_USER and PROMETHEUS_TOKEN (basic auth, e.g. Grafana Cloud); "
                    "METRICS_TOKEN for a metrics endpoint")


def usage(code: str, message: str, hint: str, where: str = "") -> UsageError:
    return UsageError(Diagnostic.of(code, redact.text(message), Location(where) if where
                                    else None, hint))


def check_url(text: str, option: str) -> str:
    """An http(s) base URL with no credentials or query in it, trailing slash dropped."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        parts = None
    if parts is not None and ("@" in parts.netloc or redact.sensitive_params(parts.query)):
        raise usage("OBS551", f"{option} must not carry credentials", CREDENTIALS_HINT)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise usage("OBS551", f"{option} {redact.url(text)!r} is not an http(s) URL",
                    f"e.g. {option} http://localhost:9090")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))


def credentials(prefix: str) -> tuple[dict[str, str], tuple[str, str] | None]:
    """Headers and basic auth from <prefix>_USER / <prefix>_TOKEN in the environment."""
    user = os.environ.get(f"{prefix}_USER", "").strip()
    token = os.environ.get(f"{prefix}_TOKEN", "").strip()
    if user and not token:
        raise usage("OBS552", f"{prefix}_USER is set but {prefix}_TOKEN is not",
                    CREDENTIALS_HINT)
    if user:
        return {}, (user, token)
    return ({"Authorization": f"Bearer {token}"} if token else {}), None


def _failure(error: DeployHttpError, what: str) -> UsageError:
    said = f"{what}: {error.describe()}"
    if error.status in (401, 403):
        return usage("OBS552", said, CREDENTIALS_HINT)
    if error.status is None:
        hint = ("check the URL, that the server runs and is reachable from here"
                if error.kind != "tls" else "the server's certificate is not trusted here; use "
                "its CA bundle (SSL_CERT_FILE) or the http:// URL on a trusted network")
        return usage("OBS551", said, hint)
    return usage("OBS553", said, "is this the right URL? obsgen reads the Prometheus HTTP API "
                 "(/api/v1/...) and an app's /metrics text")


@dataclass
class Target:
    """One live system: its base URL and the session that reads it."""

    url: str
    session: Session
    what: str  # "Prometheus" or "the metrics endpoint", for messages

    def get(self, path: str, params: Mapping[str, str] | None = None,
            allow: frozenset[int] = frozenset()) -> Any:
        try:
            return self.session.request("GET", path, params=params, allow=allow)
        except DeployHttpError as exc:
            raise _failure(exc, self.what) from None


def target(url: str, option: str, prefix: str, policy: RetryPolicy, what: str,
           accept: str = "application/json") -> Target:
    headers, auth = credentials(prefix)
    base = check_url(url, option)
    return Target(base, Session(base, {**headers, "Accept": accept}, auth, policy), what)


def read_scrape(source: str, policy: RetryPolicy) -> tuple[str, str]:
    """(text, where) of a scrape: GET the URL, or read the file."""
    if source.startswith(("http://", "https://")):
        full = urlsplit(check_url(source, "--metrics"))
        origin = urlunsplit((full.scheme, full.netloc, "", "", ""))
        endpoint = target(origin, "--metrics", "METRICS", policy, "the metrics endpoint",
                          ACCEPT_TEXT)
        with endpoint.session:
            reply = endpoint.get((full.path or "/") + (f"?{full.query}" if full.query else ""))
        if not isinstance(reply.text, str):
            raise usage("OBS553", "the metrics endpoint sent no text", "")
        return reply.text, redact.url(source)
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8"), source
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise usage("OBS553", f"cannot read the scrape {source}: {reason}",
                    "pass a URL (http://host:port/metrics) or a file saved with curl", source
                    ) from None
