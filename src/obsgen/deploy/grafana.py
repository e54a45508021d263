"""`obsgen deploy grafana`: folders and dashboards into Grafana over its HTTP API.

Plan first (one GET per folder and dashboard, one tag search for --prune), then apply. Every
write is conditional, so a deploy can be interrupted and run again at any point:
- a dashboard update posts the version it was compared against with `overwrite: false`, so
  Grafana answers 412 if anyone saved it in between (or if an earlier, interrupted try
  already landed: obsgen then re-reads it and finds it done);
- a create posts `overwrite: false` without a version, so it cannot replace a dashboard that
  appeared in between;
- folders are created by their stable uid; 409 (it exists) is success after a re-read;
- a prune deletes by uid; 404 (already gone) is success.

Only this project's dashboards are written without --force: one that is not obsgen's, or
another project's, or edited in Grafana since obsgen wrote it, is reported and left. An
obsgen dashboard from before projects were recorded is adopted when it still matches what
obsgen wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from obsgen.deploy import grafana_content as gc
from obsgen.deploy.built import BuiltDashboard
from obsgen.deploy.failures import AbortError
from obsgen.deploy.grafana_folders import apply_folder, plan_folder
from obsgen.deploy.grafana_prune import apply_prune, plan_prune
from obsgen.deploy.grafana_target import GrafanaOptions, GrafanaRun, Remote, fetch
from obsgen.deploy.http import Session
from obsgen.deploy.plan import Action, Report, unified_diff
from obsgen.deploy.run import DeployRun, Hints
from obsgen.diagnostics import Diagnostic
from obsgen.report import display_path

__all__ = ["GrafanaOptions", "Remote", "deploy_grafana"]

AUTH_HINT = ("GRAFANA_TOKEN must be a service-account token of this Grafana (stack) with the "
             "Editor role, or dashboards:write, dashboards:delete and folders:create")
URL_HINT = "check --url / GRAFANA_URL (e.g. https://<stack>.grafana.net)"
ADOPT = "adopted: deployed by an obsgen that did not record projects, unchanged since"


def deploy_grafana(session: Session, dashboards: Sequence[BuiltDashboard],
                   options: GrafanaOptions,
                   on_action: Callable[[Action], None] = lambda _: None) -> Report:
    run = DeployRun(session, options, on_action, Hints('OBS515', AUTH_HINT, URL_HINT))
    try:
        _deploy(run, dashboards)
    except AbortError as abort:
        run.diagnostics.append(abort.diagnostic)
    return Report("grafana", options.url, options.dry_run, tuple(run.actions),
                  tuple(run.diagnostics), session.requests_sent, session.writes_sent,
                  {"project": options.project})


def _preflight(run: GrafanaRun) -> None:
    """GET /api/health (no auth needed): a wrong URL is one clear error, not a 404 per
    dashboard."""
    reply = run.call("Grafana health check", None, "GET", "/api/health",
                     allow=frozenset({401, 403, 404}))
    body = reply.body if reply is not None else None
    if reply is None or reply.status != 200 or not isinstance(body, dict) \
            or "database" not in body:
        said = "" if reply is None else f" (GET /api/health answered HTTP {reply.status}: " \
            f"{reply.text.strip()[:120]!r})"
        raise AbortError(Diagnostic.of("OBS512", f"{run.options.url} does not look like a "
                                       f"Grafana{said}", None, URL_HINT))


def _deploy(run: GrafanaRun, dashboards: Sequence[BuiltDashboard]) -> None:
    _preflight(run)
    folders = {d.folder_uid: d.folder_title for d in dashboards}
    folder_plan = [plan_folder(run, uid, title) for uid, title in sorted(folders.items())]
    dashboard_plan = [(d, *_plan_dashboard(run, d)) for d in dashboards]
    prunes = plan_prune(run, dashboards, set(folders)) if run.options.prune else []
    if run.options.dry_run:
        for planned in [*folder_plan, *(a for _, a, _ in dashboard_plan), *prunes]:
            run.record(planned)
        _refusals(run, [a for _, a, _ in dashboard_plan])
        return
    for planned in folder_plan:
        run.record(apply_folder(run, planned, folders[planned.key]))
    for dashboard, planned, remote in dashboard_plan:
        run.record(_apply_dashboard(run, dashboard, planned, remote))
    for planned in prunes:
        run.record(apply_prune(run, planned))


# --- dashboards -------------------------------------------------------------------------------

def _subject(dashboard: BuiltDashboard) -> str:
    return f"dashboard {dashboard.uid!r} ({display_path(str(dashboard.file))})"


def _fetch(run: GrafanaRun, dashboard: BuiltDashboard) -> Remote | None:
    return fetch(run, dashboard.uid, _subject(dashboard), dashboard.source)


def _diff(dashboard: BuiltDashboard, remote: Remote | None) -> str:
    before = gc.comparable_text(remote.model, remote.folder_uid) if remote else ""
    return unified_diff(before, gc.comparable_text(dashboard.model, dashboard.folder_uid),
                        f"grafana:{dashboard.uid}", display_path(str(dashboard.file)))


def _classify(dashboard: BuiltDashboard, remote: Remote | None,
              project: str = "obsgen") -> str:
    if remote is None:
        return "create"
    owner = gc.ownership(remote.model, project)
    if owner in (gc.NOT_OBSGEN, gc.OTHER):
        return "foreign"
    actual = gc.fingerprint(remote.model, remote.folder_uid)
    untouched = gc.recorded_fingerprint(remote.model) == actual
    if owner == gc.LEGACY:  # adopted (stamped with this project) only if nobody edited it
        return "update" if untouched else "drift"
    if actual == gc.fingerprint(dashboard.model, dashboard.folder_uid):
        return "unchanged"
    return "update" if untouched else "drift"


def _plan_dashboard(run: GrafanaRun, dashboard: BuiltDashboard) -> tuple[Action, Remote | None]:
    remote = _fetch(run, dashboard)
    project = run.options.project
    kind = _classify(dashboard, remote, project)
    diff = "" if kind in ("unchanged", "create") else _diff(dashboard, remote)
    detail = ""
    if remote is not None and kind == "foreign":
        detail = gc.owner_text(remote.model, project)
    elif remote is not None and kind != "unchanged":
        legacy = gc.ownership(remote.model, project) == gc.LEGACY
        detail = f"Grafana version {remote.version}" + (f"; {ADOPT}" if legacy else "")
    return Action("dashboard", dashboard.uid, kind, dashboard.title, dashboard.source, diff,
                  detail=detail), remote


def _refusals(run: GrafanaRun, planned: Sequence[Action]) -> None:
    if run.options.force:
        return
    for action in planned:
        if action.action == "drift":
            run.diagnostics.append(Diagnostic.of(
                "OBS516", f"dashboard {action.key!r} was changed in Grafana since obsgen "
                f"deployed it ({action.detail}); not overwritten", action.source,
                "port the change into the definition (Grafana: Settings > Versions shows "
                "it), or rerun with --force to overwrite it"))
        elif action.action == "foreign":
            run.diagnostics.append(Diagnostic.of(
                "OBS517", f"a dashboard with uid {action.key!r} exists in Grafana, "
                f"{action.detail}; not overwritten", action.source,
                "give the definition another uid, or rerun with --force to take it over"))


def _apply_dashboard(run: GrafanaRun, dashboard: BuiltDashboard, planned: Action,
                     remote: Remote | None) -> Action:
    if planned.action == "unchanged":
        return planned.finished("skipped")
    if planned.action in ("drift", "foreign") and not run.options.force:
        _refusals(run, [planned])
        return planned.finished("skipped", "not overwritten; --force to overwrite")
    force = planned.action in ("drift", "foreign")
    model = gc.stamped(dashboard.model, dashboard.folder_uid, run.options.project)
    if remote is not None:
        model["version"] = remote.version
    reply = run.call(_subject(dashboard), dashboard.source, "POST", "/api/dashboards/db", json={
        "dashboard": model, "folderUid": dashboard.folder_uid, "overwrite": force,
        "message": run.options.message})
    if reply is None:
        return planned.finished("failed", "rejected by Grafana")
    if reply.status == 412:
        return _after_conflict(run, dashboard, planned, reply.text)
    version = reply.body.get("version") if isinstance(reply.body, dict) else None
    return planned.finished("done", f"now version {version}" if version else "")


def _after_conflict(run: GrafanaRun, dashboard: BuiltDashboard, planned: Action,
                    said: str) -> Action:
    """412: either an earlier try of this very deploy landed, or someone saved meanwhile."""
    remote = _fetch(run, dashboard)
    if remote is not None and _classify(dashboard, remote, run.options.project) == "unchanged":
        return planned.finished("done", f"now version {remote.version}")
    run.diagnostics.append(Diagnostic.of(
        "OBS516", f"{_subject(dashboard)} changed in Grafana while obsgen was deploying it "
        f"(Grafana: {said.strip()[:200]}); not overwritten", dashboard.source,
        "rerun the deploy to see the difference; --force overwrites it"))
    return planned.finished("failed", "changed in Grafana meanwhile")
