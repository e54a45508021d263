"""The round trip's oracle for dashboards: is a rebuilt dashboard semantically the input?

Both sides are first brought to the current schema as Grafana migrates them on load
(grafana_migrate). Then compared: uid, title, tags, time settings, variables (name, type,
query, options; obsgen's own `$datasource` variable is allowed), links, and each panel (type,
title, gridPos, targets' expr/legendFormat/refId/instant/interval, unit, decimals, thresholds,
mappings, options, overrides, transformations, repeat). Panel options may gain keys the input
left out: they are the plugin's defaults, which Grafana fills in on load as well. Expressions
are equal as parsed PromQL where both parse (with Grafana's macros stood in), else as text;
thresholds and override matchers as obsgen spells the same meaning (grafana_canonical), a
link's key left out as Grafana's default for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import promql_parser

from obsgen.check.promql.grafana_macros import substitute
from obsgen.importers.grafana_canonical import canonical_panel
from obsgen.importers.grafana_input import DATASOURCE_REF, datasource_names
from obsgen.importers.grafana_links import same_links
from obsgen.importers.grafana_migrate import dashboard_of, migrate
from obsgen.importers.promql_code import canonical

Json = dict[str, Any]
DASHBOARD_KEYS = ("uid", "title", "tags", "time", "timezone", "refresh", "links")
PANEL_KEYS = ("type", "title", "gridPos", "transformations", "repeat", "collapsed")
AUTO_LEGEND = ("", "__auto", None)
DEFAULT_THRESHOLDS: Json = {"mode": "absolute", "steps": [{"color": "green", "value": None},
                                                          {"color": "red", "value": 80}]}


@dataclass(frozen=True)
class Difference:
    path: str
    given: Any
    rebuilt: Any

    def __str__(self) -> str:
        return f"{self.path}: {self.given!r:.120} != {self.rebuilt!r:.120}"


def first_difference(given: Any, rebuilt: Any) -> Difference | None:
    """The first way `rebuilt` (a dashboard document) is not `given`, or None."""
    a, b = dashboard_of(given), dashboard_of(rebuilt)
    if a is None or b is None:
        return Difference("(document)", "dashboard" if a else None, "dashboard" if b else None)
    return next(_differences(_current(a), _current(b)), None)


def _current(dashboard: Json) -> Json:
    out = migrate(dashboard)
    names = datasource_names(dashboard)
    listed = (out.get("templating") or {}).get("list") or []
    out["_variables"] = [v for v in listed if isinstance(v, dict) and not (
        v.get("type") == "datasource" and v.get("name") in names)]
    return out


def _differences(a: Json, b: Json) -> Iterator[Difference]:
    for key in DASHBOARD_KEYS:
        if key != "links" or not same_links(a.get(key), b.get(key)):
            yield from _equal(key, _blank(a.get(key)), _blank(b.get(key)))
    yield from _variables(a["_variables"], b["_variables"])
    pa, pb = _panels(a), _panels(b)
    if len(pa) != len(pb):
        yield Difference("panels (count)", len(pa), len(pb))
    for (path, x), (_, y) in zip(pa, pb, strict=False):
        yield from _panel(path, x, y)


def _blank(value: Any) -> Any:
    return None if value in (None, "", [], {}, False) else value


def _equal(path: str, a: Any, b: Any) -> Iterator[Difference]:
    if _strip(a) != _strip(b):
        yield Difference(path, a, b)


def _strip(value: Any) -> Any:
    """JSON with null members dropped (null and absent mean the same to Grafana)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _variables(a: list[Json], b: list[Json]) -> Iterator[Difference]:
    b = [v for v in b if not (v.get("type") == "datasource" and v.get("name") == "datasource")]
    if [v.get("name") for v in a] != [v.get("name") for v in b]:
        yield Difference("templating.list (names)", [v.get("name") for v in a],
                         [v.get("name") for v in b])
        return
    for x, y in zip(a, b, strict=True):
        where = f"templating.list[{x.get('name')}]"
        yield from _equal(f"{where}.type", x.get("type"), y.get("type"))
        yield from _equal(f"{where}.query", _query_text(x), _query_text(y))
        yield from _equal(f"{where}.options", _blank(x.get("options")), _blank(y.get("options")))


def _query_text(variable: Json) -> Any:
    query = variable.get("query")
    return query.get("query") if isinstance(query, dict) else query


def _panels(d: Json) -> list[tuple[str, Json]]:
    found = []
    for i, panel in enumerate(d.get("panels") or ()):
        found.append((f"panels[{i}]", panel))
        for j, inner in enumerate(panel.get("panels") or () if panel.get("type") == "row"
                                  else ()):
            found.append((f"panels[{i}].panels[{j}]", inner))
    return sorted(found, key=lambda item: _place(item[1]))


def _place(panel: Json) -> tuple[int, int, int]:
    pos = panel.get("gridPos") or {}
    return (int(pos.get("y", 0)), int(pos.get("x", 0)), 0 if panel.get("type") == "row" else 1)


def _panel(path: str, a: Json, b: Json) -> Iterator[Difference]:
    a, b = canonical_panel(a), canonical_panel(b)
    for key in PANEL_KEYS:
        yield from _equal(f"{path}.{key}", _blank(a.get(key)), _blank(b.get(key)))
    ca, cb = _field_config(a), _field_config(b)
    da, db = ca.get("defaults") or {}, cb.get("defaults") or {}
    for key in ("unit", "decimals", "thresholds", "mappings"):
        yield from _equal(f"{path}.fieldConfig.defaults.{key}", _field(da, key),
                          _field(db, key))
    yield from _equal(f"{path}.fieldConfig.overrides", _blank(ca.get("overrides")),
                      _blank(cb.get("overrides")))
    yield from _within(f"{path}.options", a.get("options") or {}, b.get("options") or {})
    yield from _targets(path, a.get("targets") or [], b.get("targets") or [])


def _field(defaults: Json, key: str) -> Any:
    """A field option; thresholds left out are Grafana's default ones (green, red at 80)."""
    value = _blank(defaults.get(key))
    return DEFAULT_THRESHOLDS if key == "thresholds" and value is None else value


def _field_config(panel: Json) -> Json:
    found = panel.get("fieldConfig")
    return found if isinstance(found, dict) else {}


def _within(path: str, a: Any, b: Any) -> Iterator[Difference]:
    """`a` holds nothing `b` does not (b may hold more: the plugin's defaults)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key, value in a.items():
            if value is not None:
                yield from _within(f"{path}.{key}", value, b.get(key))
    elif _strip(a) != _strip(b):
        yield Difference(path, a, b)


def _targets(path: str, a: list[Any], b: list[Any]) -> Iterator[Difference]:
    if len(a) != len(b):
        yield Difference(f"{path}.targets (count)", len(a), len(b))
        return
    letters = [chr(ord("A") + i) if i < 26 else None for i in range(len(a))]
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        where = f"{path}.targets[{i}]"
        if not (isinstance(x, dict) and isinstance(y, dict)):
            yield from _equal(where, x, y)
            continue
        if not same_query(x.get("expr"), y.get("expr")):
            yield Difference(f"{where}.expr", x.get("expr"), y.get("expr"))
        pairs = (("legendFormat", _legend(x), _legend(y)),
                 ("refId", x.get("refId") or letters[i], y.get("refId") or letters[i]),
                 ("instant", bool(x.get("instant")), bool(y.get("instant"))),
                 ("interval", x.get("interval") or "", y.get("interval") or ""))
        for key, u, v in pairs:
            yield from _equal(f"{where}.{key}", u, v)


def _legend(target: Json) -> Any:
    value = target.get("legendFormat")
    return "__auto" if value in AUTO_LEGEND else value


def same_query(a: Any, b: Any) -> bool:
    if a == b or not (isinstance(a, str) and isinstance(b, str)):
        return bool(a == b)
    pa, pb = _parsed(a), _parsed(b)
    return pa is not None and pa == pb


def _parsed(text: str) -> str | None:
    # One meaning of "the same query" for the import and its check: promql_code.canonical
    # (parentheses that change nothing are no difference: `a - b - c` is `(a - b) - c`).
    try:
        return canonical(promql_parser.parse(substitute(text.replace(DATASOURCE_REF, "")).text))
    except Exception:  # not PromQL (or not with these stand-ins): compared as text
        return None
