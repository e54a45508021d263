"""One deploy run: its HTTP session, what it did so far, and what went wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from obsgen.deploy.failures import AbortError, http_diagnostic, is_fatal
from obsgen.deploy.http import DeployHttpError, Session
from obsgen.deploy.plan import Action
from obsgen.diagnostics import Diagnostic, Location

OptionsT = TypeVar("OptionsT")


@dataclass(frozen=True)
class Hints:
    """How a target's HTTP failures are reported: the code for a rejected object, and the
    hints for an auth failure and for an unreachable server."""

    rejected_code: str
    auth: str
    url: str


@dataclass
class DeployRun(Generic[OptionsT]):
    session: Session
    options: OptionsT
    on_action: Callable[[Action], None]
    hints: Hints
    actions: list[Action] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def record(self, action: Action) -> None:
        self.actions.append(action)
        self.on_action(action)

    def call(self, what: str, location: Location | None, method: str, path: str,
             **kwargs: Any) -> Any:
        """A request whose fatal failures end the run and whose rejections are reported."""
        try:
            return self.session.request(method, path, **kwargs)
        except DeployHttpError as error:
            diagnostic = http_diagnostic(error, what, location, self.hints.rejected_code,
                                         self.hints.auth, self.hints.url)
            if is_fatal(error):
                raise AbortError(diagnostic) from None
            self.diagnostics.append(diagnostic)
            return None
