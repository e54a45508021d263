"""Diagnostics: what every stage returns instead of printing or raising at the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from obsgen.codes import Severity, lookup


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location | None = None
    hint: str | None = None
    severity: Severity = field(default=Severity.ERROR)

    @classmethod
    def of(
        cls,
        code: str,
        message: str,
        location: Location | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A diagnostic whose severity defaults to the one registered for its code."""
        return cls(code, message, location, hint, severity or lookup(code).severity)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.column, self.code, self.message)


class DefinitionError(Exception):
    """Raised by model constructors; the loader turns it into a diagnostic at the user's line.

    Example:

    ```python
    try:
        Counter("myapp_requests", help="Requests.")  # a counter's name must end in _total
    except DefinitionError as error:
        assert error.code.startswith("OBS1")
    ```
    """

    def __init__(
        self, code: str, message: str, hint: str | None = None, location: Location | None = None
    ) -> None:
        super().__init__(message)
        lookup(code)
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location


class UsageError(Exception):
    """A problem with how obsgen was invoked or its environment: exit status 2."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)
