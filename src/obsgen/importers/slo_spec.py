"""What the Sloth and OpenSLO importers read out of a spec, and the `SLO` definitions they
write for it (RawRatio SLIs: the specs hold PromQL, with `{{window}}` for the range)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.contract import Claim, Code, Import, Survey
from obsgen.importers.pysource import Names, SourceModule, constant_name, literal

WINDOW = "{{window}}"
SURVEY_WINDOW = "5m"  # the range the catalog inference reads the queries with


@dataclass(frozen=True)
class AlertSpec:
    enabled: bool = True
    name: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    for_: str | None = None


@dataclass(frozen=True)
class SLOSpec:
    name: str
    line: int
    objective: float
    window: str = "30d"
    service: str = ""
    description: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    errors: str = ""
    total: str = ""
    ratio: str = ""
    page: AlertSpec = AlertSpec()
    ticket: AlertSpec = AlertSpec()

    def queries(self) -> tuple[str, ...]:
        return tuple(q.replace(WINDOW, SURVEY_WINDOW) for q in (self.errors, self.total,
                                                                 self.ratio) if q)

    def alert_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.name for a in (self.page, self.ticket)
                                   if a.enabled and a.name))


@dataclass(frozen=True)
class Period:
    """An SLO period an input of the run sets (Sloth: `spec.sloPeriod` of an AlertWindows
    file), and where."""

    value: str
    path: str
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class SpecFile(ForeignFile):
    """A spec, with the periods the other inputs of its run set (a Sloth spec holds none:
    Sloth takes it from `--default-slo-period` and its windows files)."""

    periods: tuple[Period, ...] = ()


def mapping(value: object) -> Mapping[str, Any]:
    """A part of a spec that must be a mapping; anything else reads as empty."""
    return value if isinstance(value, Mapping) else {}


def strings(value: object) -> dict[str, str]:
    """A YAML mapping of labels or annotations, every value as text."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def problem(path: str, line: int, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic.of(code, message, Location(path, line), hint)


def survey_of(specs: list[SLOSpec], diagnostics: list[Diagnostic], path: str) -> Survey:
    claims = tuple(Claim("rule group", f"slo-{s.name}{suffix}", s.line)
                   for s in specs for suffix in ("", "-ticket"))
    return Survey(queries=tuple(q for s in specs for q in s.queries()),
                  alerts=tuple(n for s in specs for n in s.alert_names()),
                  diagnostics=tuple(diagnostics), claims=claims)


def _obsgen(out: SourceModule, name: str) -> str:
    return out.use(Code(name, frozenset({Import("obsgen", name)})))


def _tier(out: SourceModule, alert: AlertSpec) -> str:
    if not alert.enabled:
        return "False"
    args = [f"{key}={literal(value)}" for key, value in (
        ("name", alert.name), ("for_", alert.for_), ("labels", dict(alert.labels)),
        ("annotations", dict(alert.annotations))) if value]
    return f"{_obsgen(out, 'Tier')}({', '.join(args)})" if args else "True"


def _sli(out: SourceModule, spec: SLOSpec) -> str:
    parts = [(k, v) for k, v in (("errors", spec.errors), ("total", spec.total),
                                 ("ratio", spec.ratio)) if v]
    return f"{_obsgen(out, 'RawRatio')}({', '.join(f'{k}={literal(v)}' for k, v in parts)})"


def source(module: str, docstring: str, specs: list[SLOSpec]) -> str:
    out = SourceModule(module, docstring)
    names = Names()
    for spec in specs:
        args = [literal(spec.name), f"sli={_sli(out, spec)}", f"objective={spec.objective!r}",
                f"window={literal(spec.window)}"]
        args += [f"{key}={literal(value)}" for key, value in (
            ("service", spec.service), ("description", spec.description),
            ("labels", dict(spec.labels))) if value]
        for tier in ("page", "ticket"):
            alert = getattr(spec, tier)
            if alert != AlertSpec():
                args.append(f"{tier}={_tier(out, alert)}")
        name = names.claim(constant_name(spec.name, "SLO"))
        out.add(f"{name} = {_obsgen(out, 'SLO')}({', '.join(args)})")
    return out.render()


def window_template(query: str, pattern: str) -> str:
    """The spec's window placeholder (`pattern`, a regex) as obsgen's `{{window}}`."""
    return re.sub(pattern, WINDOW, query.strip())
