"""A dashboard's links as obsgen `Link`s, where each fits one (a URL, or dashboards by tag);
and whether the links obsgen emits for them are the input's (a key left out is Grafana's
default), so they need no `extra=`."""

from __future__ import annotations

from typing import Any

from obsgen.diagnostics import DefinitionError
from obsgen.importers.grafana_values import Py, call
from obsgen.model.dashboards import Link

Json = dict[str, Any]
# What Grafana takes for a link key left out.
LINK_DEFAULTS: Json = {"asDropdown": False, "icon": "external link", "includeVars": False,
                       "keepTime": False, "tags": [], "targetBlank": False, "tooltip": "",
                       "url": ""}
_ARGUMENTS = (("tooltip", "tooltip"), ("icon", "icon"), ("asDropdown", "as_dropdown"),
              ("targetBlank", "target_blank"), ("includeVars", "include_vars"),
              ("keepTime", "keep_time"))


def links_code(links: Any) -> list[Py] | None:
    """The links as Link calls, or None where one of them is not a Link obsgen can make."""
    if not isinstance(links, list) or not links:
        return None
    made = []
    for link in links:
        args = _arguments(link) if isinstance(link, dict) else None
        if args is None:
            return None
        try:
            made.append(call("obsgen", "Link", args, Link))
        except DefinitionError:
            return None
    return made


def _arguments(link: Json) -> Json | None:
    if not isinstance(link.get("title"), str):
        return None
    args: Json = {"title": link["title"]}
    if link.get("type") == "dashboards" and link.get("tags"):
        args["tags"] = list(link["tags"])
    elif link.get("type", "link") == "link" and isinstance(link.get("url"), str):
        args["url"] = link["url"]
    else:
        return None
    defaults = {f.name: f.default for f in Link.__dataclass_fields__.values()}
    for key, name in _ARGUMENTS:
        value = link.get(key, LINK_DEFAULTS[key])
        if value != defaults[name]:
            args[name] = value
    return args


def same_links(given: Any, emitted: Any) -> bool:
    if not (isinstance(given, list) and isinstance(emitted, list)) or len(given) != len(emitted):
        return False
    for a, b in zip(given, emitted, strict=True):
        if not isinstance(a, dict) or not isinstance(b, dict):
            return False
        for key in {*a, *b}:
            default = LINK_DEFAULTS.get(key)
            if a.get(key, default) != b.get(key, default):
                return False
    return True
