"""A stand-in for the configuration API of a Mimir / Cortex / Grafana Cloud ruler, after
docs/sources/mimir/references/http-api/index.md (grafana/mimir):

- `GET <prefix>/config/v1/rules`: YAML {namespace: [group, ...]}; 404 "no rule groups found"
  when the tenant has none (what Cortex answers; Mimir answers 200 with an empty map);
- `POST <prefix>/config/v1/rules/{namespace}`: one group as YAML → 202, replacing the group
  of that name; 400 for what Mimir's ValidateRuleGroup (pkg/ruler/manager.go) and
  Prometheus' rulefmt Rule.Validate refuse: a group that does not parse, has no name or no
  rules, a rule with both or neither of record/alert, an expression that is not PromQL, a
  recording rule with annotations, a label or annotation name that is not a label name, a
  label or annotation template that does not parse (here: an unclosed `{{`); more rules than
  the per-group limit, or a new group beyond the per-tenant group limit
  (ruler_max_rule_groups_per_tenant, 70 by default) → 400;
- `DELETE <prefix>/config/v1/rules/{namespace}/{group}` and `.../{namespace}` → 202 (404 when
  unknown);
- path segments are percent-decoded; every request needs `X-Scope-OrgID` (401 "no org id"),
  and basic auth when the stand-in is given credentials (401 otherwise).

Groups are stored per tenant and written back the way the ruler's Go code does: durations in
Go's format (`1m30s`, `1h`), empty fields left out, keys in the ruler's order.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import unquote

import promql_parser
import yaml

from obsgen.model.names import duration_ms
from standin.server import Answer, Request, StandIn

RULE_KEYS = ("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations")
GROUP_KEYS = ("name", "interval", "limit", "rules")
ACCEPTED = {"status": "success", "data": None, "errorType": "", "error": ""}
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # Prometheus' legacy name validation


def go_duration(text: str) -> str:
    """Prometheus' model.Duration.String(): 90s → 1m30s, 3600s → 1h, 0 → 0s."""
    ms = duration_ms(text)
    if ms == 0:
        return "0s"
    out = ""
    for unit, size in (("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000),
                       ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if ms >= size:
            out += f"{ms // size}{unit}"
            ms %= size
    return out


def _stored(group: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in GROUP_KEYS:
        value = group.get(key)
        if value in (None, "", [], {}):
            continue
        out[key] = go_duration(value) if key == "interval" else value
    out["rules"] = [{k: go_duration(r[k]) if k in ("for", "keep_firing_for") else r[k]
                     for k in RULE_KEYS if r.get(k) not in (None, "", {}, [])
                     and not (k in ("for", "keep_firing_for") and duration_ms(r[k]) == 0)}
                    for r in group.get("rules", [])]
    return out


class RulerStandIn(StandIn):
    def __init__(self, prefix: str = "/prometheus", credentials: tuple[str, str] | None = None,
                 max_rules_per_group: int = 20, max_rule_groups: int = 70) -> None:
        super().__init__()
        self.prefix = prefix
        self.credentials = credentials
        self.max_rules = max_rules_per_group
        self.max_groups = max_rule_groups
        self.tenants: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    @property
    def base(self) -> str:
        return self.url + self.prefix

    def namespaces(self, tenant: str) -> dict[str, dict[str, dict[str, Any]]]:
        return self.tenants.setdefault(tenant, {})

    def route(self, request: Request) -> Answer:
        denied = self._auth(request)
        if denied is not None:
            return denied
        tenant = request.headers["x-scope-orgid"]
        root = f"{self.prefix}/config/v1/rules"
        if not request.path.startswith(root):
            return Answer(404, "404 page not found\n", content_type="text/plain")
        parts = [unquote(p) for p in request.path[len(root):].split("/") if p]
        spaces = self.namespaces(tenant)
        if request.method == "GET" and not parts:
            if not any(spaces.values()):
                return Answer(404, "no rule groups found\n", content_type="text/plain")
            listing = {ns: list(groups.values()) for ns, groups in sorted(spaces.items())
                       if groups}
            return Answer(200, yaml.safe_dump(listing, sort_keys=False),
                          content_type="application/yaml")
        if request.method == "POST" and len(parts) == 1:
            return self._set(spaces, parts[0], request.body)
        if request.method == "DELETE" and len(parts) in (1, 2):
            groups = spaces.get(parts[0], {})
            if len(parts) == 1 and parts[0] in spaces:
                del spaces[parts[0]]
                return Answer(202, ACCEPTED)
            if len(parts) == 2 and parts[1] in groups:
                del groups[parts[1]]
                return Answer(202, ACCEPTED)
            return Answer(404, "group does not exist\n", content_type="text/plain")
        return Answer(405, "method not allowed\n", content_type="text/plain")

    def _auth(self, request: Request) -> Answer | None:
        if self.credentials is not None:
            expected = "Basic " + base64.b64encode(
                ":".join(self.credentials).encode()).decode()
            if request.headers.get("authorization") != expected:
                return Answer(401, "unauthorized\n", content_type="text/plain")
        if not request.headers.get("x-scope-orgid"):
            return Answer(401, "no org id\n", content_type="text/plain")
        return None

    def _set(self, spaces: dict[str, dict[str, dict[str, Any]]], namespace: str,
             body: bytes) -> Answer:
        try:
            group = yaml.safe_load(body.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            return _bad(f"error unmarshalling YAML: {exc}")
        if not isinstance(group, dict) or not isinstance(group.get("rules"), list):
            return _bad("invalid rules config: a rule group needs a name and rules")
        if not group.get("name"):
            return _bad("invalid rules config: rule group name must not be empty")
        if not group["rules"]:
            return _bad(f"invalid rules configuration: rule group '{group['name']}' has no "
                        "rules")
        if len(group["rules"]) > self.max_rules:
            return _bad(f"per-user rules per rule group limit (limit: {self.max_rules} actual: "
                        f"{len(group['rules'])}) exceeded")
        for index, rule in enumerate(group["rules"]):
            problem = _invalid_rule(rule)
            if problem:
                return _bad(f"invalid rules config: rule {index}: {problem}")
        name = str(group["name"])
        held = sum(len(groups) for groups in spaces.values())
        if name not in spaces.get(namespace, {}) and self.max_groups and \
                held + 1 > self.max_groups:
            return _bad(f"per-user rule groups limit (limit: {self.max_groups} actual: "
                        f"{held + 1}) exceeded")
        spaces.setdefault(namespace, {})[name] = _stored(group)
        return Answer(202, ACCEPTED)


def _invalid_rule(rule: Any) -> str:
    """What rulefmt's Rule.Validate says about a rule, or ""."""
    if not isinstance(rule, dict) or ("record" in rule) == ("alert" in rule):
        return "one of 'record' or 'alert' must be set"
    try:
        promql_parser.parse(str(rule.get("expr", "")))
    except Exception as exc:
        return f"could not parse expression: {exc}"
    labels, notes = rule.get("labels") or {}, rule.get("annotations") or {}
    if "record" in rule and notes:
        return "invalid field 'annotations' in recording rule"
    for kind, names in (("label", labels), ("annotation", notes)):
        for name in names:
            if not LABEL_NAME.match(str(name)) or (kind == "label" and name == "__name__"):
                return f"invalid {kind} name: {name}"
    for kind, values in (("label", labels), ("annotation", notes)):
        for name, value in values.items():
            text = str(value)
            if "alert" in rule and text.count("{{") > text.count("}}"):
                return f"{kind} {name!r}: template: __alert_{rule['alert']}:1: unclosed action"
    return ""


def _bad(message: str) -> Answer:
    return Answer(400, message + "\n", content_type="text/plain")
