"""`deploy grafana --prune`: which dashboards may be deleted, and why the others are left.

A dashboard is deleted only when all of these hold: it is tagged with this project, it is in
a folder this project deploys to, the definitions no longer name it, and its content still
matches the fingerprint obsgen recorded when it wrote it. Every other obsgen-tagged dashboard
in those folders is reported (OBS528, saying why) and left as it is; --force does not change
that, because what it would delete is someone's work (an edit, a "Save as" copy, or another
project's dashboard).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from obsgen.deploy import grafana_content as gc
from obsgen.deploy.built import BuiltDashboard
from obsgen.deploy.grafana_target import NOT_FOUND, GrafanaRun, fetch
from obsgen.deploy.plan import Action
from obsgen.diagnostics import Diagnostic

SEARCH_PAGE = 5000
HINTS = {
    "edited": "if it is no longer wanted, delete it in Grafana; to keep it, define it again "
              "(its changes are in Settings > Versions)",
    "copy": "a copy keeps obsgen's tags when saved with them: remove the obsgen tags from it "
            "(Settings > General > Tags) to stop this notice",
    gc.OTHER: "another project deploys to this folder; its own `deploy grafana --prune` "
              "deletes what it no longer defines",
    gc.LEGACY: "obsgen cannot tell which project deployed it; if it was this one, delete it "
               "in Grafana once",
}


def _search(run: GrafanaRun) -> list[Mapping[str, Any]]:
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


def _known_fingerprints(hits: Sequence[Mapping[str, Any]],
                        dashboards: Sequence[BuiltDashboard]) -> dict[str, set[str]]:
    """Fingerprint → the uids it was recorded on (or is defined for): a dashboard carrying
    another uid's fingerprint is a copy of it."""
    known: dict[str, set[str]] = {}
    for dashboard in dashboards:
        known.setdefault(gc.fingerprint(dashboard.model, dashboard.folder_uid),
                         set()).add(dashboard.uid)
    for hit in hits:
        recorded = gc.recorded_fingerprint(hit)
        if recorded:
            known.setdefault(recorded, set()).add(str(hit.get("uid")))
    return known


def plan_prune(run: GrafanaRun, dashboards: Sequence[BuiltDashboard],
               folders: set[str]) -> list[Action]:
    hits = _search(run)
    defined = {d.uid for d in dashboards}
    known = _known_fingerprints(hits, dashboards)
    out: list[Action] = []
    for hit in sorted(hits, key=lambda h: str(h.get("uid"))):
        if not gc.is_managed(hit) or hit.get("folderUid") not in folders \
                or hit.get("uid") in defined:
            continue
        planned = _judge(run, hit, known)
        if planned is not None:
            out.append(planned)
    return out


def _judge(run: GrafanaRun, hit: Mapping[str, Any],
           known: Mapping[str, set[str]]) -> Action | None:
    uid, project = str(hit.get("uid")), run.options.project
    base = Action("dashboard", uid, "prune", str(hit.get("title", "")),
                  detail=f"in folder {hit.get('folderUid')!r}, no longer defined")
    owner = gc.ownership(hit, project)
    if owner != gc.MINE:
        return _left(run, base, "foreign", "it was " + gc.owner_text(hit, project), owner)
    remote = fetch(run, uid, f"dashboard {uid!r}")
    if remote is None:  # deleted meanwhile: nothing to do
        return None
    recorded = gc.recorded_fingerprint(remote.model)
    if recorded is not None and gc.fingerprint(remote.model, remote.folder_uid) == recorded:
        return base
    twins = sorted(known.get(recorded or "", set()) - {uid})
    if twins:
        return _left(run, base, "foreign", f"it is a copy of {twins[0]!r} saved with "
                     "obsgen's tags", "copy")
    return _left(run, base, "drift", "it was edited in Grafana since obsgen wrote it", "edited")


def _left(run: GrafanaRun, base: Action, action: str, why: str, hint: str) -> Action:
    run.diagnostics.append(Diagnostic.of(
        "OBS528", f"dashboard {base.key!r} ({base.title!r}) {base.detail}, but {why}; not "
        "deleted", None, HINTS[hint]))
    return replace(base, action=action, detail=f"{why.removeprefix('it ')}; not deleted")


def apply_prune(run: GrafanaRun, planned: Action) -> Action:
    if planned.action != "prune":
        return planned.finished("skipped")
    reply = run.call(f"dashboard {planned.key!r}", None, "DELETE",
                     f"/api/dashboards/uid/{planned.key}", allow=NOT_FOUND)
    return planned.finished("done" if reply is not None else "failed")
