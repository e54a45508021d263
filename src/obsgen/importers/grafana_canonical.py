"""Panel JSON spelled the way obsgen writes the same meaning: what the import need not keep in
`extra=` and the round-trip comparison reads as equal.

- threshold steps as `{"color", "value"}` with the first value null (minus infinity, whatever
  the input said) and `mode` absolute unless given (Grafana 7's `index` is dropped);
- a `byName` override matcher with a string as the `byNames` matcher of that one name (what
  obsgen's emitter writes, the form Grafana's schema types);
- a Prometheus target's datasource left out (obsgen writes the dashboard's own).
"""

from __future__ import annotations

import copy
from typing import Any

from obsgen.emit.grafana_fields import overrides
from obsgen.importers.grafana_input import is_prometheus
from obsgen.importers.grafana_legacy_values import obj, seq

Json = dict[str, Any]


def canonical_panel(panel: Json) -> Json:
    out = copy.deepcopy(panel)
    config = out.get("fieldConfig")
    if isinstance(config, dict):
        defaults = obj(config.get("defaults"))
        if isinstance(defaults.get("thresholds"), dict):
            defaults["thresholds"] = canonical_thresholds(defaults["thresholds"])
        if isinstance(config.get("overrides"), list):
            config["overrides"] = [_override(o) for o in overrides(out)]
    own = out.get("datasource")
    for target in seq(out.get("targets")):
        if isinstance(target, dict) and "datasource" in target and \
                is_prometheus(target["datasource"]) and is_prometheus(own):
            del target["datasource"]
    return out


def canonical_thresholds(value: Json) -> Json:
    steps = [s for s in seq(value.get("steps")) if isinstance(s, dict)]
    return {**value, "mode": value.get("mode") or "absolute",
            "steps": [{"color": s.get("color"), "value": None if i == 0 else s.get("value")}
                      for i, s in enumerate(steps)]}


def _override(override: Json) -> Json:
    properties = []
    for prop in seq(override.get("properties")):
        if isinstance(prop, dict) and prop.get("id") == "thresholds" and \
                isinstance(prop.get("value"), dict):
            prop = {**prop, "value": canonical_thresholds(prop["value"])}
        properties.append(prop)
    return {**override, "properties": properties} if "properties" in override else override
