"""What Alloy components take: `Env` references, and checks of labels, URLs, durations, targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from obsgen.diagnostics import DefinitionError
from obsgen.redact import sensitive_params, token_kind
from obsgen.redact import url as redact_url

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ALLOY_LABEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Go's time.ParseDuration, which Alloy uses for every duration argument.
GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")


@dataclass(frozen=True)
class Env:
    """An environment variable that Alloy reads at run time: `sys.env("NAME")`.

    Example:

    ```python
    API_KEY = Env("GRAFANA_CLOUD_API_KEY")  # written as sys.env("GRAFANA_CLOUD_API_KEY")
    ```
    """

    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not ENV_NAME.match(self.name):
            raise DefinitionError(
                "OBS841", "Env() takes the NAME of an environment variable "
                          "([A-Za-z_][A-Za-z0-9_]*), not its value",
                hint='e.g. Env("GRAFANA_CLOUD_API_KEY"); export the secret in the environment '
                     "Alloy runs in")
        kind = token_kind(self.name)
        if kind is not None:  # named, never echoed: the value is the secret itself
            raise DefinitionError(
                "OBS841", f"Env() was given what looks like {kind}, not the name of an "
                          "environment variable",
                hint='write Env("NAME") with the variable\'s name, e.g. '
                     'Env("GRAFANA_CLOUD_API_KEY"), and export the token under that name where '
                     "Alloy runs; if this file was committed, revoke the token")


def check_credential(value: object, what: str) -> Env:
    if isinstance(value, Env):
        return value
    # Never echo the value: it may be the secret itself, and diagnostics land in CI logs.
    raise DefinitionError("OBS841", f"{what} must be an environment reference, not a "
                          f"{type(value).__name__}",
                          hint='write Env("NAME") and export NAME where Alloy runs; a secret '
                               "never belongs in definitions or build/")


def check_alloy_label(value: object, what: str) -> str:
    if not isinstance(value, str) or not ALLOY_LABEL.match(value):
        raise DefinitionError("OBS846", f"{what} label {value!r} is not an Alloy identifier",
                              hint="labels match [A-Za-z_][A-Za-z0-9_]*, e.g. \"grafana_cloud\"")
    return value


def check_url(value: object, what: str) -> str:
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:  # e.g. an unclosed [IPv6] host
        parts = None
    # Credentials first, so that no message below echoes a URL that carries them.
    if parts is not None and "@" in parts.netloc:
        raise DefinitionError("OBS841", f"{what} carries credentials in the URL",
                              hint='drop user:password@ from the URL; pass username=Env(...) and '
                                   "password=Env(...)")
    names = sensitive_params(f"{parts.query}&{parts.fragment}") if parts is not None else []
    if names:
        raise DefinitionError("OBS841", f"{what} carries a credential in its query "
                              f"({', '.join(sorted(set(names)))}=...)",
                              hint="a URL is written into build/ as it is: drop the parameter and "
                                   "authenticate with username=Env(...) and password=Env(...)")
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        shown = redact_url(value) if isinstance(value, str) else value
        raise DefinitionError("OBS840", f"{what} {shown!r} is not an http(s) URL",
                              hint="e.g. https://prometheus-prod-36-prod-us-west-0.grafana.net"
                                   "/api/prom/push")
    return value  # type: ignore[return-value]


def check_host_port(value: object, what: str) -> str:
    match = HOST_PORT.match(value) if isinstance(value, str) else None
    if match is None or not 0 < int(match.group(2)) < 65536:
        raise DefinitionError("OBS845", f"{what} {value!r} is not host:port",
                              hint='e.g. "127.0.0.1:4317" or "tempo-prod-15-prod-us-west-0'
                                   '.grafana.net:443" (no scheme)')
    return value  # type: ignore[return-value]


def check_go_duration(value: object, what: str) -> str:
    if not isinstance(value, str) or not GO_DURATION.match(value):
        raise DefinitionError("OBS201", f"{what} {value!r} is not a duration Alloy accepts",
                              hint="a number and a unit with no space: 500ms, 15s, 5m, 1h30m "
                                   "(units ns us ms s m h)")
    return value


def check_targets(value: object, kinds: tuple[type, ...], what: str) -> tuple[object, ...]:
    items = tuple(value) if isinstance(value, list | tuple) else (value,)
    if not items or not all(isinstance(i, kinds) for i in items):
        names = " or ".join(k.__name__ for k in kinds)
        raise DefinitionError("OBS004", f"{what} forward_to takes {names} objects",
                              hint="forward_to=<the component object that receives the data>")
    return items
