"""What every part of a Grafana deploy shares: its options, a dashboard as Grafana holds it,
and reading one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from obsgen.deploy.run import DeployRun
from obsgen.diagnostics import Location

NOT_FOUND = frozenset({404})


@dataclass(frozen=True)
class GrafanaOptions:
    url: str
    dry_run: bool = False
    prune: bool = False
    force: bool = False
    message: str = "Deployed by obsgen"
    project: str = "obsgen"  # whose dashboards these are: recorded in a tag on each one


@dataclass(frozen=True)
class Remote:
    """A dashboard as Grafana holds it."""

    model: Mapping[str, Any]
    folder_uid: str

    @property
    def version(self) -> int:
        return int(self.model.get("version") or 0)


GrafanaRun = DeployRun[GrafanaOptions]


def fetch(run: GrafanaRun, uid: str, subject: str,
          source: Location | None = None) -> Remote | None:
    """GET a dashboard by uid; None when Grafana does not have it."""
    reply = run.call(subject, source, "GET", f"/api/dashboards/uid/{uid}", allow=NOT_FOUND)
    if reply is None or reply.status == 404 or not isinstance(reply.body, dict):
        return None
    meta = reply.body.get("meta") or {}
    return Remote(reply.body.get("dashboard") or {}, str(meta.get("folderUid") or ""))
