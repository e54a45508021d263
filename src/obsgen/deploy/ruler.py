"""`obsgen deploy rules --ruler-url URL`: rule groups into a Mimir, Cortex or Grafana Cloud
ruler through its configuration API (`<prefix>/config/v1/rules[/{namespace}[/{group}]]`).

One namespace per built rule file, named `<namespace prefix><file>` (`obsgen-persona`).
obsgen owns the namespaces with that prefix: groups in them that are no longer built are
deleted; no other namespace is ever written to. Each group is compared with what the ruler
holds (durations normalised, empty fields dropped) and only a group that differs is posted.
Setting a group and deleting one are both idempotent, so an interrupted run can be rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import yaml

from obsgen.deploy.built import BuiltRuleFile
from obsgen.deploy.failures import AbortError
from obsgen.deploy.http import Session
from obsgen.deploy.plan import Action, Report, unified_diff
from obsgen.deploy.run import DeployRun, Hints
from obsgen.diagnostics import Diagnostic, Location
from obsgen.model.names import duration_ms

AUTH_HINT = ("set MIMIR_TENANT (X-Scope-OrgID) for Mimir/Cortex; for Grafana Cloud set "
             "MIMIR_API_USER to the Prometheus instance's user id and MIMIR_API_KEY to an "
             "access-policy token with rules:read and rules:write")
URL_HINT = ("check --ruler-url / RULER_URL: the ruler with its Prometheus prefix, e.g. "
            "http://mimir:8080/prometheus or https://prometheus-prod-…grafana.net/prometheus")
DURATIONS = ("interval", "for", "keep_firing_for", "evaluation_delay", "query_offset")
NOT_FOUND = frozenset({404})


@dataclass(frozen=True)
class RulerOptions:
    url: str
    dry_run: bool = False
    namespace_prefix: str = "obsgen-"

    def namespace(self, file: BuiltRuleFile) -> str:
        return self.namespace_prefix + file.stem

    def owns(self, namespace: str, built: set[str]) -> bool:
        if self.namespace_prefix:
            return namespace.startswith(self.namespace_prefix)
        return namespace in built


GROUP_ORDER = ("name", "interval", "limit", "source_tenants", "rules")
RULE_ORDER = ("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations")


def go_duration(ms: int) -> str:
    """How the ruler writes a duration back (Prometheus' model.Duration): 90s → 1m30s."""
    if ms == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
                       ("ms", 1)):
        if ms >= size:
            out, ms = out + f"{ms // size}{unit}", ms % size
    return out


def _duration(value: Any) -> Any:
    try:
        return go_duration(duration_ms(str(value)))
    except (ValueError, KeyError, TypeError):
        return value


def _ordered(item: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    keys = [k for k in order if k in item] + sorted(k for k in item if k not in order)
    out: dict[str, Any] = {}
    for key in keys:
        value = item[key]
        if key in DURATIONS:
            value = _duration(value)
            if value == "0s":
                continue
        if value in (None, "", [], {}):
            continue
        out[key] = dict(sorted(value.items())) if isinstance(value, Mapping) else value
    return out


def normalised(group: Mapping[str, Any]) -> dict[str, Any]:
    """A group as compared and shown in diffs: the ruler's key order, durations written the
    way the ruler writes them, empty fields left out."""
    out = _ordered(group, GROUP_ORDER)
    out["rules"] = [_ordered(r, RULE_ORDER) for r in group.get("rules") or []
                    if isinstance(r, Mapping)]
    return out


def group_yaml(group: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(group), sort_keys=False, allow_unicode=True, width=10_000)


_Run = DeployRun[RulerOptions]


def deploy_ruler(session: Session, files: Sequence[BuiltRuleFile], options: RulerOptions,
                 on_action: Callable[[Action], None] = lambda _: None) -> Report:
    run = DeployRun(session, options, on_action, Hints('OBS527', AUTH_HINT, URL_HINT))
    try:
        _deploy(run, files)
    except AbortError as abort:
        run.diagnostics.append(abort.diagnostic)
    return Report("ruler", options.url, options.dry_run, tuple(run.actions),
                  tuple(run.diagnostics), session.requests_sent, session.writes_sent)


def _path(*parts: str) -> str:
    return "/config/v1/rules" + "".join("/" + quote(p, safe="") for p in parts)


def _remote(run: _Run) -> dict[str, dict[str, Mapping[str, Any]]]:
    reply = run.call("list rule groups", None, "GET", _path(), allow=NOT_FOUND)
    if reply is None or reply.status == 404:  # Cortex: 404 "no rule groups found"
        return {}
    try:
        data = yaml.safe_load(reply.text) or {}
    except yaml.YAMLError as exc:
        raise AbortError(Diagnostic.of("OBS527", f"the ruler's rule list is not YAML: {exc}",
                                       None, URL_HINT)) from None
    return {str(ns): {str(g.get("name")): g for g in groups or [] if isinstance(g, dict)}
            for ns, groups in data.items()} if isinstance(data, dict) else {}


def _plan(run: _Run, files: Sequence[BuiltRuleFile],
          remote: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[tuple[Action, Any]]:
    planned: list[tuple[Action, Any]] = []
    wanted: dict[str, set[str]] = {}
    for file in files:
        namespace = run.options.namespace(file)
        for group in file.groups:
            name = str(group.get("name"))
            wanted.setdefault(namespace, set()).add(name)
            key, have = f"{namespace}/{name}", remote.get(namespace, {}).get(name)
            source = Location(str(file.file))
            if have is None:
                planned.append((Action("group", key, "create", source=source), group))
            elif normalised(have) != normalised(group):
                diff = unified_diff(group_yaml(normalised(have)), group_yaml(normalised(group)),
                                    f"ruler:{key}", f"{file.file.name}:{name}")
                planned.append((Action("group", key, "update", source=source, diff=diff), group))
            else:
                planned.append((Action("group", key, "unchanged", source=source), group))
    built = set(wanted)
    for namespace, groups in sorted(remote.items()):
        if run.options.owns(namespace, built):
            planned += [(Action("group", f"{namespace}/{name}", "prune",
                                detail="in an obsgen namespace, no longer built"), None)
                        for name in sorted(groups) if name not in wanted.get(namespace, set())]
    return planned


def _deploy(run: _Run, files: Sequence[BuiltRuleFile]) -> None:
    planned = _plan(run, files, _remote(run))
    for action, group in planned:
        if run.options.dry_run:
            run.record(action)
        elif action.action in ("create", "update"):
            namespace = action.key.split("/", 1)[0]
            reply = run.call(f"rule group {action.key!r}", action.source, "POST",
                             _path(namespace), content=group_yaml(group),
                             content_type="application/yaml")
            run.record(action.finished("done" if reply is not None else "failed"))
        elif action.action == "prune":
            namespace, name = action.key.split("/", 1)
            reply = run.call(f"rule group {action.key!r}", None, "DELETE",
                             _path(namespace, name), allow=NOT_FOUND)
            run.record(action.finished("done" if reply is not None else "failed"))
        else:
            run.record(action.finished("skipped"))
