"""HTTP failures as diagnostics, and which of them end a deploy run."""

from __future__ import annotations

from obsgen.deploy.http import DeployHttpError
from obsgen.diagnostics import Diagnostic, Location


class AbortError(Exception):
    """A failure that makes every further request pointless (auth, unreachable, exhausted)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def is_fatal(error: DeployHttpError) -> bool:
    """Only a plain rejection of one object (a 4xx other than 401/403) lets the run go on."""
    return error.status is None or error.status in (401, 403) or error.status >= 429


def http_diagnostic(error: DeployHttpError, subject: str, location: Location | None,
                    rejected_code: str, auth_hint: str, url_hint: str) -> Diagnostic:
    """`subject` names what was being done ("dashboard 'svc' (build/grafana/x/svc.json)")."""
    said = f"{subject}: {error.describe()}"
    if error.status == 401:
        return Diagnostic.of("OBS513", said, location, auth_hint)
    if error.status == 403:
        return Diagnostic.of("OBS514", said, location, auth_hint)
    if error.status is None and error.kind != "timeout":
        return Diagnostic.of("OBS512", said, location, url_hint)
    if error.status is None or error.status >= 429:
        return Diagnostic.of("OBS518", said, location,
                             "the server is overloaded or failing; rerun later: a deploy can "
                             "always be run again, it only changes what still differs")
    return Diagnostic.of(rejected_code, said, location,
                         "fix the definition (the server's message says what it refused), "
                         "rebuild, and deploy again")
