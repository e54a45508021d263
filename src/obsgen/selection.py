"""`--select` / `--ignore`: which codes a run reports, by code or prefix, as ruff does.

The most specific prefix decides: `--select OBS1 --ignore OBS11` drops OBS110 but keeps
OBS101, and `--ignore OBS1 --select OBS110` keeps OBS110. Between equally specific prefixes,
ignore wins. `ALL` selects every code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from obsgen.codes import CODES
from obsgen.diagnostics import Diagnostic, Location, UsageError


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()  # empty: every code
    ignore: tuple[str, ...] = ()

    def keeps(self, code: str) -> bool:
        chosen = _longest(code, self.select) if self.select else 0
        return chosen >= 0 and chosen > _longest(code, self.ignore)

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [d for d in diagnostics if self.keeps(d.code)]


def _prefixes(values: Iterable[str], option: str) -> tuple[str, ...]:
    result = []
    for value in values:
        for part in value.split(","):
            prefix = part.strip().upper()
            if not prefix:
                continue
            if prefix == "ALL":
                prefix = ""
            elif not any(code.startswith(prefix) for code in CODES):
                raise UsageError(Diagnostic.of(
                    "OBS967", f"{option} {part.strip()!r} matches no diagnostic code",
                    Location(option), "run `obsgen rules` for the codes, e.g. OBS110 or OBS1"))
            result.append(prefix)
    return tuple(result)


def parse_selection(select: Iterable[str], ignore: Iterable[str]) -> Selection:
    """A Selection from the option values (each may be a comma list); unknown codes are a
    usage error."""
    return Selection(_prefixes(select, "--select"), _prefixes(ignore, "--ignore"))
