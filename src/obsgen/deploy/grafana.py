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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from obsgen.deploy import grafana_content as gc
from obsgen.deploy.built import BuiltDashboard
from obsgen.deploy.failures import AbortError
from obsgen.deploy.http import Session
from obsgen.deploy.plan import Action, Report, unified_diff
from obsgen.deploy.run import DeployRun, Hints
from obsgen.diagnostics import Diagnostic
from obsgen.report import display_path

AUTH_HINT = ("GRAFANA_TOKEN must be a service-account token of this Grafana (stack) with the "
             "Editor role, or dashboards:write, dashboards:delete and folders:create")
URL_HINT = "check --url / GRAFANA_URL (e.g. https://<stack>.grafana.net)"
SEARCH_PAGE = 5000
NOT_FOUND = frozenset({404})


@dataclass(frozen=True)
class GrafanaOptions:
    url: str
    dry_run: bool = False
    prune: bool = False
    force: bool = False
    message: str = "Deployed by obsgen"


@dataclass(frozen=True)
class Remote:
    """A dashboard as Grafana holds it."""

    model: Mapping[str, Any]
    folder_uid: str

    @property
    def version(self) -> int:
        return int(self.model.get("version") or 0)


_Run = DeployRun[GrafanaOptions]


def deploy_grafana(session: Session, dashboards: Sequence[BuiltDashboard],
                   options: GrafanaOptions,
                   on_action: Callable[[Action], None] = lambda _: None) -> Report:
    run = DeployRun(session, options, on_action, Hints('OBS515', AUTH_HINT, URL_HINT))
    try:
        _deploy(run, dashboards)
    except AbortError as abort:
        run.diagnostics.append(abort.diagnostic)
    return Report("grafana", options.url, options.dry_run, tuple(run.actions),
                  tuple(run.diagnostics), session.requests_sent, session.writes_sent)


def _preflight(run: _Run) -> None:
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


def _deploy(run: _Run, dashboards: Sequence[BuiltDashboard]) -> None:
    _preflight(run)
    folders = {d.folder_uid: d.folder_title for d in dashboards}
    folder_plan = [_plan_folder(run, uid, title) for uid, title in sorted(folders.items())]
    dashboard_plan = [(d, *_plan_dashboard(run, d)) for d in dashboards]
    prunes = _plan_prune(run, dashboards, set(folders)) if run.options.prune else []
    if run.options.dry_run:
        for planned in [*folder_plan, *(a for _, a, _ in dashboard_plan), *prunes]:
            run.record(planned)
        _refusals(run, [a for _, a, _ in dashboard_plan])
        return
    for planned in folder_plan:
        run.record(_apply_folder(run, planned, folders[planned.key]))
    for dashboard, planned, remote in dashboard_plan:
        run.record(_apply_dashboard(run, dashboard, planned, remote))
    for planned in prunes:
        run.record(_apply_prune(run, planned))


# --- folders ----------------------------------------------------------------------------------

def _plan_folder(run: _Run, uid: str, title: str) -> Action:
    reply = run.call(f"folder {uid!r}", None, "GET", f"/api/folders/{uid}", allow=NOT_FOUND)
    if reply is None or reply.status == 404:
        return Action("folder", uid, "create", title)
    current = reply.body.get("title") if isinstance(reply.body, dict) else None
    if current != title:
        return Action("folder", uid, "update", title, diff=f"title: {current!r} -> {title!r}\n")
    return Action("folder", uid, "unchanged", title)


def _apply_folder(run: _Run, planned: Action, title: str) -> Action:
    what = f"folder {planned.key!r}"
    if planned.action == "create":
        reply = run.call(what, None, "POST", "/api/folders", json={"uid": planned.key,
                                                                   "title": title})
        if reply is not None and reply.status == 409:  # created by an earlier, cut-off try
            check = run.call(what, None, "GET", f"/api/folders/{planned.key}", allow=NOT_FOUND)
            ok = check is not None and check.status == 200
            return planned.finished("done" if ok else "failed",
                                    "" if ok else f"Grafana says it exists: {reply.text[:200]}")
    elif planned.action == "update":
        reply = run.call(what, None, "PUT", f"/api/folders/{planned.key}",
                         json={"title": title, "overwrite": True})
    else:
        return planned.finished("skipped")
    return planned.finished("done" if reply is not None and reply.status < 300 else "failed")


# --- dashboards -------------------------------------------------------------------------------

def _subject(dashboard: BuiltDashboard) -> str:
    return f"dashboard {dashboard.uid!r} ({display_path(str(dashboard.file))})"


def _fetch(run: _Run, dashboard: BuiltDashboard) -> Remote | None:
    reply = run.call(_subject(dashboard), dashboard.source, "GET",
                     f"/api/dashboards/uid/{dashboard.uid}", allow=NOT_FOUND)
    if reply is None or reply.status == 404 or not isinstance(reply.body, dict):
        return None
    meta = reply.body.get("meta") or {}
    return Remote(reply.body.get("dashboard") or {}, str(meta.get("folderUid") or ""))


def _diff(dashboard: BuiltDashboard, remote: Remote | None) -> str:
    before = gc.comparable_text(remote.model, remote.folder_uid) if remote else ""
    return unified_diff(before, gc.comparable_text(dashboard.model, dashboard.folder_uid),
                        f"grafana:{dashboard.uid}", display_path(str(dashboard.file)))


def _classify(dashboard: BuiltDashboard, remote: Remote | None) -> str:
    if remote is None:
        return "create"
    desired = gc.fingerprint(dashboard.model, dashboard.folder_uid)
    actual = gc.fingerprint(remote.model, remote.folder_uid)
    if actual == desired and gc.is_managed(remote.model):
        return "unchanged"
    if not gc.is_managed(remote.model):
        return "foreign"
    if gc.recorded_fingerprint(remote.model) != actual:
        return "drift"
    return "update"


def _plan_dashboard(run: _Run, dashboard: BuiltDashboard) -> tuple[Action, Remote | None]:
    remote = _fetch(run, dashboard)
    kind = _classify(dashboard, remote)
    diff = "" if kind in ("unchanged", "create") else _diff(dashboard, remote)
    detail = f"Grafana version {remote.version}" if remote and kind != "unchanged" else ""
    return Action("dashboard", dashboard.uid, kind, dashboard.title, dashboard.source, diff,
                  detail=detail), remote


def _refusals(run: _Run, planned: Sequence[Action]) -> None:
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
                "OBS517", f"a dashboard with uid {action.key!r} exists in Grafana but was "
                "not deployed by obsgen (no 'obsgen' tag); not overwritten", action.source,
                "give the definition another uid, or rerun with --force to take it over"))


def _apply_dashboard(run: _Run, dashboard: BuiltDashboard, planned: Action,
                     remote: Remote | None) -> Action:
    if planned.action == "unchanged":
        return planned.finished("skipped")
    if planned.action in ("drift", "foreign") and not run.options.force:
        _refusals(run, [planned])
        return planned.finished("skipped", "not overwritten; --force to overwrite")
    force = planned.action in ("drift", "foreign")
    model = gc.stamped(dashboard.model, dashboard.folder_uid)
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


def _after_conflict(run: _Run, dashboard: BuiltDashboard, planned: Action, said: str) -> Action:
    """412: either an earlier try of this very deploy landed, or someone saved meanwhile."""
    remote = _fetch(run, dashboard)
    if remote is not None and _classify(dashboard, remote) == "unchanged":
        return planned.finished("done", f"now version {remote.version}")
    run.diagnostics.append(Diagnostic.of(
        "OBS516", f"{_subject(dashboard)} changed in Grafana while obsgen was deploying it "
        f"(Grafana: {said.strip()[:200]}); not overwritten", dashboard.source,
        "rerun the deploy to see the difference; --force overwrites it"))
    return planned.finished("failed", "changed in Grafana meanwhile")


# --- prune ------------------------------------------------------------------------------------

def _managed_in_grafana(run: _Run) -> list[Mapping[str, Any]]:
    hits: list[Mapping[str, Any]] = []
    page = 1
    while True:
        reply = run.call("search for obsgen dashboards", None, "GET", "/api/search", params={
            "tag": gc.PROVENANCE_TAG, "type": "dash-db", "limit": SEARCH_PAGE, "page": page})
        found = reply.body if reply is not None and isinstance(reply.body, list) else []
        hits += [h for h in found if isinstance(h, dict)]
        if len(found) < SEARCH_PAGE:
            return hits
        page += 1


def _plan_prune(run: _Run, dashboards: Sequence[BuiltDashboard],
                managed_folders: set[str]) -> list[Action]:
    """Tagged `obsgen`, in a folder the definitions name, and no longer defined: nothing else
    is ever deleted."""
    defined = {d.uid for d in dashboards}
    return [Action("dashboard", str(hit["uid"]), "prune", str(hit.get("title", "")),
                   detail=f"folder {hit.get('folderUid')}")
            for hit in sorted(_managed_in_grafana(run), key=lambda h: str(h.get("uid")))
            if gc.PROVENANCE_TAG in (hit.get("tags") or [])
            and hit.get("folderUid") in managed_folders and hit.get("uid") not in defined]


def _apply_prune(run: _Run, planned: Action) -> Action:
    reply = run.call(f"dashboard {planned.key!r}", None, "DELETE",
                     f"/api/dashboards/uid/{planned.key}", allow=NOT_FOUND)
    return planned.finished("done" if reply is not None else "failed")
