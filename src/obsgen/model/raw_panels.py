"""A panel kept as its JSON: the escape hatch for a panel kind obsgen does not model (a plugin
panel, a kind Grafana retired without a migration). It is emitted as written, with the
dashboard's layout and id, and linted like any dashboard JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from obsgen.diagnostics import DefinitionError, Location
from obsgen.model.source import caller_location


@dataclass(frozen=True, eq=False)
class RawPanel:
    json: Mapping[str, Any]
    source: Location = field(default_factory=caller_location, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.json, Mapping) or not isinstance(self.json.get("type"), str):
            raise DefinitionError("OBS004", "RawPanel(json=...) takes a panel's JSON object "
                                  "with its \"type\"", hint='RawPanel({"type": "piechart", ...})')

    @property
    def title(self) -> str:
        return str(self.json.get("title") or "")

    @property
    def gridPos(self) -> Any:  # noqa: N802 - the name grafanalib panels use
        return self.json.get("gridPos")

    @property
    def targets(self) -> list[Any]:
        found = self.json.get("targets")
        return list(found) if isinstance(found, list) else []

    def to_json_data(self) -> dict[str, Any]:
        return dict(self.json)
