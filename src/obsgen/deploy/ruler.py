"""`obsgen deploy rules --ruler-url URL`: rule groups into a Mimir, Cortex or Grafana Cloud
ruler through its configuration API (`<prefix>/config/v1/rules[/{namespace}[/{group}]]`).

One namespace per built rule file, named `<namespace prefix><project>-<file>`
(`obsgen-checkout-persona`). Each namespace obsgen writes holds its manifest
(ruler_manifest.py): which project wrote it and a fingerprint of every group it wrote. Only
this project's namespaces are written to, and in them only groups that still match what
obsgen wrote are updated or deleted (ruler_plan.py). Each group is compared with what the
ruler holds (durations normalised, empty fields dropped) and only a group that differs is
posted.

Order of writes in a namespace: the manifest first, naming both the old and the new
fingerprint of every group about to change, then the groups, then the manifest with only the
final fingerprints. A run cut off anywhere leaves every group matching its manifest, so the
next run finishes the job instead of calling it drift. Setting a group and deleting one are
both idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import yaml

from obsgen.check import yamlguard
from obsgen.deploy.built import BuiltRuleFile
from obsgen.deploy.failures import AbortError
from obsgen.deploy.http import Session
from obsgen.deploy.plan import Action, Report
from obsgen.deploy.ruler_content import go_duration, group_yaml, normalised
from obsgen.deploy.ruler_manifest import MANIFEST_GROUP, Manifest
from obsgen.deploy.ruler_plan import NamespacePlan, RulerOptions, Step, Wanted, plan_namespace
from obsgen.deploy.run import DeployRun, Hints
from obsgen.diagnostics import Diagnostic, Location

__all__ = ["RulerOptions", "deploy_ruler", "go_duration", "normalised"]

AUTH_HINT = ("set MIMIR_TENANT (X-Scope-OrgID) for Mimir/Cortex; for Grafana Cloud set "
             "MIMIR_API_USER to the Prometheus instance's user id and MIMIR_API_KEY to an "
             "access-policy token with rules:read and rules:write")
URL_HINT = ("check --ruler-url / RULER_URL: the ruler with its Prometheus prefix, e.g. "
            "http://mimir:8080/prometheus or https://prometheus-prod-…grafana.net/prometheus")
NOT_FOUND = frozenset({404})

_Run = DeployRun[RulerOptions]
Remote = Mapping[str, Mapping[str, Mapping[str, Any]]]


def deploy_ruler(session: Session, files: Sequence[BuiltRuleFile], options: RulerOptions,
                 on_action: Callable[[Action], None] = lambda _: None) -> Report:
    run = DeployRun(session, options, on_action, Hints('OBS527', AUTH_HINT, URL_HINT))
    try:
        _deploy(run, files)
    except AbortError as abort:
        run.diagnostics.append(abort.diagnostic)
    return Report("ruler", options.url, options.dry_run, tuple(run.actions),
                  tuple(run.diagnostics), session.requests_sent, session.writes_sent,
                  {"project": options.project})


def _path(*parts: str) -> str:
    return "/config/v1/rules" + "".join("/" + quote(p, safe="") for p in parts)


def _remote(run: _Run) -> dict[str, dict[str, Mapping[str, Any]]]:
    reply = run.call("list rule groups", None, "GET", _path(), allow=NOT_FOUND)
    if reply is None or reply.status == 404:  # Cortex: 404 "no rule groups found"
        return {}
    try:
        data = yamlguard.load(reply.text) or {}  # a server's text is input like any other
    except yaml.YAMLError as exc:
        raise AbortError(Diagnostic.of("OBS527", f"the ruler's rule list is not YAML: {exc}",
                                       None, URL_HINT)) from None
    return {str(ns): {str(g.get("name")): g for g in groups or [] if isinstance(g, dict)}
            for ns, groups in data.items()} if isinstance(data, dict) else {}


def _wanted(run: _Run, files: Sequence[BuiltRuleFile]) -> dict[str, list[Wanted]]:
    """The built groups by namespace; a group named like the manifest is refused."""
    wanted: dict[str, list[Wanted]] = {}
    for file in files:
        namespace = run.options.namespace(file.stem)
        for group in file.groups:
            item = Wanted(group, file.file.name, Location(str(file.file)))
            if item.name == MANIFEST_GROUP:
                run.diagnostics.append(Diagnostic.of(
                    "OBS530", f"rule group {item.name!r} has the name obsgen reserves for its "
                    "ruler manifest; not deployed", item.source, "rename the group"))
                run.record(Action("group", f"{namespace}/{item.name}", "foreign",
                                  source=item.source, detail="reserved name; not deployed"))
                continue
            wanted.setdefault(namespace, []).append(item)
    return wanted


def _plans(run: _Run, files: Sequence[BuiltRuleFile], remote: Remote) -> list[NamespacePlan]:
    wanted = _wanted(run, files)
    names = set(wanted) | {ns for ns in remote if run.options.in_scope(ns)}
    plans: list[NamespacePlan] = []
    for namespace in sorted(names):
        plan, notes = plan_namespace(namespace, wanted.get(namespace, []),
                                     remote.get(namespace, {}), run.options)
        run.diagnostics.extend(notes)
        if plan is not None:
            plans.append(plan)
    return plans


def _deploy(run: _Run, files: Sequence[BuiltRuleFile]) -> None:
    for plan in _plans(run, files, _remote(run)):
        if run.options.dry_run:
            _show(run, plan)
        else:
            _apply(run, plan)


def _manifest_action(plan: NamespacePlan, action: str, detail: str) -> Action:
    return Action("manifest", f"{plan.namespace}/{MANIFEST_GROUP}", action, detail=detail)


def _show(run: _Run, plan: NamespacePlan) -> None:
    """The plan of a namespace, with the manifest writes the real run would make."""
    if plan.writable:
        writes = any(s.op for s in plan.steps)
        final = plan.manifest(run.options, {s.action.key: bool(s.op) or s.action.action ==
                                            "unchanged" for s in plan.steps})
        if plan.current is not None and all(not s.built and s.op == "delete"
                                            for s in plan.steps):
            run.record(_manifest_action(plan, "prune", "the namespace will hold nothing else"))
        elif (writes and plan.manifest(run.options) != plan.current) or final != plan.current:
            run.record(_manifest_action(plan, "update" if plan.current else "create",
                                        "project and group fingerprints, written before the "
                                        "groups and after"))
    for step in plan.steps:
        run.record(step.action)


def _post(run: _Run, what: str, where: Location | None, namespace: str,
          group: Mapping[str, Any]) -> bool:
    reply = run.call(what, where, "POST", _path(namespace), content=group_yaml(group),
                     content_type="application/yaml")
    return reply is not None


def _apply(run: _Run, plan: NamespacePlan) -> None:
    if not plan.writable:
        for step in plan.steps:
            run.record(step.action.finished("skipped"))
        return
    written = plan.current
    before = plan.manifest(run.options)
    if any(s.op for s in plan.steps) and before != written:
        ok = _post(run, f"manifest of {plan.namespace!r}", None, plan.namespace, before.group())
        run.record(_manifest_action(plan, "update" if written else "create",
                                    "before the groups").finished("done" if ok else "failed"))
        if not ok:  # without a manifest naming them, the groups would not be obsgen's
            for step in plan.steps:
                run.record(step.action.finished("skipped", "the manifest was not written"))
            return
        written = before
    done = {step.action.key: _apply_step(run, plan.namespace, step) for step in plan.steps}
    _finish(run, plan, done, written)


def _apply_step(run: _Run, namespace: str, step: Step) -> bool:
    """Whether the step's outcome is what its plan says (an object left as it is, too)."""
    action = step.action
    if step.op == "post" and step.group is not None:
        ok = _post(run, f"rule group {action.key!r}", action.source, namespace, step.group)
    elif step.op == "delete":
        reply = run.call(f"rule group {action.key!r}", None, "DELETE",
                         _path(namespace, action.key.split("/", 1)[1]), allow=NOT_FOUND)
        ok = reply is not None
    else:
        run.record(action.finished("skipped"))
        return action.action == "unchanged"
    run.record(action.finished("done" if ok else "failed"))
    return ok


def _finish(run: _Run, plan: NamespacePlan, done: Mapping[str, bool],
            written: Manifest | None) -> None:
    """The manifest after the groups: only final fingerprints; deleted with the last group."""
    remaining = sum(1 for s in plan.steps if _stays(s, done.get(s.action.key, False)))
    if remaining == 0 and written is not None:
        reply = run.call(f"manifest of {plan.namespace!r}", None, "DELETE",
                         _path(plan.namespace, MANIFEST_GROUP), allow=NOT_FOUND)
        run.record(_manifest_action(plan, "prune", "the namespace holds nothing else")
                   .finished("done" if reply is not None else "failed"))
        return
    final = plan.manifest(run.options, done)
    if remaining and final != written:
        ok = _post(run, f"manifest of {plan.namespace!r}", None, plan.namespace, final.group())
        run.record(_manifest_action(plan, "update" if written else "create", "after the groups")
                   .finished("done" if ok else "failed"))


def _stays(step: Step, done: bool) -> bool:
    """Whether the step's group is in the namespace after the deploy."""
    if step.built:
        return step.action.action != "create" or done
    return step.op != "delete" or not done
