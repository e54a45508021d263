"""The build's last line of defence for panels: each distinct panel shape against obsgen's
strict schema, so that a definition that builds never yields a panel `obsgen check` calls an
obsgen bug."""

from __future__ import annotations

import json

from obsgen.check.dashboards.jsonpos import format_path
from obsgen.check.dashboards.schema import panel_errors_strict
from obsgen.diagnostics import DefinitionError, Location
from obsgen.emit.grafana_panels import Json


def _shape(body: Json) -> str:
    """The panel without what obsgen's argument checks have already typed (title, text of its
    queries) or what it computes itself (id, position): panels of one shape pass or fail the
    schema alike."""
    shape = {k: v for k, v in body.items() if k not in ("id", "gridPos", "title", "description",
                                                       "targets")}
    shape["targets"] = [{k: v for k, v in t.items() if k not in ("expr", "legendFormat", "refId")}
                        for t in body.get("targets", ())]
    return json.dumps(shape, sort_keys=True)


def check_panel_schema(body: Json, where: Location, clean: set[str]) -> None:
    """OBS004 at the panel's line for the first way its JSON deviates from obsgen's strict
    schema: the last line of defence, so that a definition that builds never yields a panel
    `obsgen check` calls an obsgen bug."""
    shape = _shape(body)
    if shape in clean:
        return
    errors = panel_errors_strict(body)
    if not errors:
        clean.add(shape)
        return
    path, message = errors[0]
    kind = body.get("type", "panel")
    raise DefinitionError("OBS004", f"{kind} panel {body.get('title', '')!r}: "
                          f"{format_path(path)}: {message}", hint=f"obsgen writes this argument "
                          f"there in the panel JSON; give it a value Grafana's {kind} panel "
                          "accepts", location=where)
