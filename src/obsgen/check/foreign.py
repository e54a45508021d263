"""Artifacts written by someone else, as `obsgen lint` hands them to each kind's linter.

The contract every per-kind linter follows: `lint_<kind>(file, context) -> list[Diagnostic]`,
pure (no printing, no exit), never raising on bad input. `context.files` holds every file of the
run, so a linter can look across kinds (a Markdown runbook against the rule files' runbook
URLs); `context.catalog` is the catalog given with `--catalog`, or None when the run has none,
in which case only catalog-free checks run. `context.memo` keeps what is costly to work out
again (a page's rendering) by the text it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from obsgen.model.catalog import Catalog
from obsgen.resultcache import NO_CACHE, ResultCache

# "slo": a Sloth or OpenSLO spec, a kind `obsgen import` reads and `obsgen lint` does not.
Kind = Literal["rules", "dashboard", "alloy", "markdown", "prometheus-config", "slo"]


@dataclass(frozen=True)
class ForeignFile:
    path: str  # as the user named it; diagnostics point here
    text: str
    kind: Kind
    # The text as written when `text` is a view of it (a YAML dashboard seen as JSON): the
    # findings' places are moved back to it.
    written: str | None = None


@dataclass(frozen=True)
class LintContext:
    files: tuple[ForeignFile, ...]
    catalog: Catalog | None = None
    memo: ResultCache = NO_CACHE  # where per-file results are kept between runs

    def of_kind(self, kind: Kind) -> tuple[ForeignFile, ...]:
        return tuple(f for f in self.files if f.kind == kind)
