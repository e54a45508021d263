"""The telemetry pipeline. The scrape job is declared once, in the catalog, and referenced by
object from alerts (`up(job)`) and, later, from the Alloy pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.names import check_duration
from obsgen.model.source import caller_location


@dataclass(frozen=True, eq=False)
class ScrapeJob:
    """A Prometheus scrape job: its `name` is the `job` label every scraped series carries."""

    name: str
    targets: tuple[str, ...] = ()
    interval: str = "15s"
    timeout: str = "10s"
    path: str = "/metrics"
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise DefinitionError("OBS004", "a scrape job needs a non-empty name",
                                  hint='ScrapeJob("my-app", targets=["localhost:9464"])')
        targets = (self.targets,) if isinstance(self.targets, str) else tuple(self.targets)
        object.__setattr__(self, "targets", targets)
        check_duration(self.interval, f"scrape interval of job {self.name!r}")
        check_duration(self.timeout, f"scrape timeout of job {self.name!r}")
        if not self.path.startswith("/"):
            raise DefinitionError("OBS004", f"metrics path {self.path!r} must start with '/'",
                                  hint='e.g. path="/metrics"')

    def __str__(self) -> str:
        return self.name

