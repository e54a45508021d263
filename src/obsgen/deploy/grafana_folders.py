"""The folders of a Grafana deploy: created by their stable uid, never renamed without
--force (a folder with obsgen's uid but another title may be someone else's, or renamed on
purpose in the UI); obsgen deploys into it either way."""

from __future__ import annotations

from obsgen.deploy.grafana_target import NOT_FOUND, GrafanaRun
from obsgen.deploy.plan import Action
from obsgen.diagnostics import Diagnostic


def plan_folder(run: GrafanaRun, uid: str, title: str) -> Action:
    reply = run.call(f"folder {uid!r}", None, "GET", f"/api/folders/{uid}", allow=NOT_FOUND)
    if reply is None or reply.status == 404:
        return Action("folder", uid, "create", title)
    current = reply.body.get("title") if isinstance(reply.body, dict) else None
    if current == title:
        return Action("folder", uid, "unchanged", title)
    diff = f"title: {current!r} -> {title!r}\n"
    if run.options.force:
        return Action("folder", uid, "update", title, diff=diff)
    run.diagnostics.append(Diagnostic.of(
        "OBS528", f"folder {uid!r} exists in Grafana titled {current!r}, not {title!r}; not "
        "renamed (its dashboards are deployed into it all the same)", None,
        "rename it in the definitions to match, or rerun with --force to rename it"))
    return Action("folder", uid, "foreign", title, diff=diff,
                  detail=f"titled {current!r} in Grafana; not renamed without --force")


def apply_folder(run: GrafanaRun, planned: Action, title: str) -> Action:
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
