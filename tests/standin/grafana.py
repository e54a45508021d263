"""A stand-in for the parts of Grafana's HTTP API that `obsgen deploy grafana` uses, with the
documented semantics (docs/sources/developers/http_api/{dashboard,folder,
folder_dashboard_search}.md and pkg/services/dashboards/errors.go in grafana/grafana):

- GET /api/health without auth;
- auth: `Authorization: Bearer <token>`; no or unknown token → 401; a Viewer token may read
  but every write → 403;
- POST /api/dashboards/db: version 1 on create, +1 on every save; with `overwrite: false` a
  uid that exists and a `version` that differs → 412 `version-mismatch`; another dashboard
  with the same title in the folder → 412 `name-exists`; unknown folderUid → 404 "Folder not
  found"; empty title → 400 `empty-name`; refresh below min_refresh_interval → 400; a tag
  over 50 characters → 500 (tags are stored in dashboard_tag.term, NVARCHAR(50)
  (pkg/services/sqlstore/migrations/dashboard_mig.go): MySQL and Postgres refuse the row);
- GET/DELETE /api/dashboards/uid/:uid (404 when unknown);
- GET/POST /api/folders, GET/PUT/DELETE /api/folders/:uid (404 unknown, 409 uid taken on
  create; DELETE takes the folder's dashboards with it);
- GET /api/search?tag=…&type=dash-db|dash-folder&folderUIDs=…&limit=&page= (all tags must
  match; sorted by title).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from standin.server import Answer, Request, StandIn

ADMIN_TOKEN = "glsa_standin_editor_token_0123456789"  # a fixture, not a secret
VIEWER_TOKEN = "glsa_standin_viewer_token_9876543210"
_DURATION = re.compile(r"^(\d+)(ms|s|m|h|d)$")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_TAG = 50


@dataclass
class StoredDashboard:
    id: int
    model: dict[str, Any]
    folder_uid: str
    version: int
    saves: list[str] = field(default_factory=list)  # commit messages, one per save


def _seconds(text: str) -> float | None:
    match = _DURATION.match(text or "")
    return int(match[1]) * _UNIT_S[match[2]] if match else None


class GrafanaStandIn(StandIn):
    def __init__(self, min_refresh_interval: str = "5s") -> None:
        super().__init__()
        self.tokens = {ADMIN_TOKEN: "Editor", VIEWER_TOKEN: "Viewer"}
        self.folders: dict[str, dict[str, Any]] = {}
        self.dashboards: dict[str, StoredDashboard] = {}
        self.min_refresh = _seconds(min_refresh_interval) or 0
        self._next_id = 1

    # --- helpers for tests ---------------------------------------------------------------------

    def plant(self, uid: str, title: str, folder_uid: str = "", tags: tuple[str, ...] = (),
              **extra: Any) -> StoredDashboard:
        """A dashboard someone else made (in the UI, say)."""
        with self.lock:
            stored = StoredDashboard(self._id(), {"uid": uid, "title": title,
                                                  "tags": list(tags), **extra}, folder_uid, 1)
            self.dashboards[uid] = stored
            return stored

    def add_folder(self, uid: str, title: str) -> None:
        with self.lock:
            self.folders[uid] = {"id": self._id(), "uid": uid, "title": title, "version": 1}

    def edit_in_ui(self, uid: str, change: dict[str, Any]) -> None:
        """What a person saving the dashboard in Grafana does: new content, version + 1."""
        with self.lock:
            stored = self.dashboards[uid]
            stored.model.update(change)
            stored.version += 1
            stored.saves.append("edited in the UI")

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    # --- routing -------------------------------------------------------------------------------

    def route(self, request: Request) -> Answer:
        if request.path == "/api/health":  # answered without auth, as Grafana does
            return Answer(200, {"commit": "standin", "database": "ok", "version": "11.0.0"})
        denied = self._auth(request)
        if denied is not None:
            return denied
        path, method = request.path.rstrip("/"), request.method
        parts = path.split("/")[1:]  # ["api", "dashboards", "uid", "x"]
        if path == "/api/dashboards/db" and method == "POST":
            return self._save(request.json())
        if parts[:3] == ["api", "dashboards", "uid"] and len(parts) == 4:
            return self._get(parts[3]) if method == "GET" else self._delete(parts[3])
        if path == "/api/folders":
            return self._create_folder(request.json()) if method == "POST" else Answer(
                200, sorted(self.folders.values(), key=lambda f: f["title"]))
        if parts[:2] == ["api", "folders"] and len(parts) == 3:
            return self._folder(parts[2], method, request)
        if path == "/api/search" and method == "GET":
            return self._search(request.query)
        return Answer(404, {"message": "Not found"})

    def _auth(self, request: Request) -> Answer | None:
        header = request.headers.get("authorization", "")
        if not header:
            return Answer(401, {"message": "Unauthorized"})
        token = header.removeprefix("Bearer ").strip()
        role = self.tokens.get(token)
        if role is None:
            return Answer(401, {"message": "Invalid API key"})
        if role == "Viewer" and request.method != "GET":
            return Answer(403, {"message": "You'll need additional permissions to perform this "
                                           "action. Permissions needed: dashboards:write"})
        return None

    # --- dashboards ----------------------------------------------------------------------------

    def _get(self, uid: str) -> Answer:
        stored = self.dashboards.get(uid)
        if stored is None:
            return Answer(404, {"message": "Dashboard not found", "status": "not-found"})
        model = {**copy.deepcopy(stored.model), "id": stored.id, "uid": uid,
                 "version": stored.version}
        meta = {"folderUid": stored.folder_uid, "url": f"/d/{uid}/", "version": stored.version,
                "folderTitle": self.folders.get(stored.folder_uid, {}).get("title", "General")}
        return Answer(200, {"dashboard": model, "meta": meta})

    def _delete(self, uid: str) -> Answer:
        stored = self.dashboards.pop(uid, None)
        if stored is None:
            return Answer(404, {"message": "Dashboard not found", "status": "not-found"})
        title = stored.model.get("title")
        return Answer(200, {"title": title, "message": f"Dashboard {title} deleted",
                            "id": stored.id})

    def _save(self, body: Any) -> Answer:
        if not isinstance(body, dict) or not isinstance(body.get("dashboard"), dict):
            return Answer(400, {"message": "bad request data"})
        model = copy.deepcopy(body["dashboard"])
        overwrite = bool(body.get("overwrite"))
        folder_uid = str(body.get("folderUid") or "")
        invalid = self._invalid(model, folder_uid, str(body.get("message") or ""))
        if invalid is not None:
            return invalid
        uid = str(model.get("uid") or f"gen{self._next_id}")
        existing = self.dashboards.get(uid)
        if existing is not None and not overwrite \
                and int(model.get("version") or 0) != existing.version:
            return Answer(412, {"message": "The dashboard has been changed by someone else",
                                "status": "version-mismatch"})
        same_name = [u for u, d in self.dashboards.items() if u != uid
                     and d.folder_uid == folder_uid and d.model.get("title") == model["title"]]
        if same_name and not overwrite:
            return Answer(412, {"message": "A dashboard with the same name in the folder "
                                           "already exists", "status": "name-exists"})
        for other in same_name:
            del self.dashboards[other]
        for server_field in ("id", "version"):
            model.pop(server_field, None)
        model["uid"] = uid
        if existing is None:
            existing = StoredDashboard(self._id(), model, folder_uid, 1)
            self.dashboards[uid] = existing
        else:
            existing.model, existing.folder_uid = model, folder_uid
            existing.version += 1
        existing.saves.append(str(body.get("message") or ""))
        return Answer(200, {"id": existing.id, "uid": uid, "url": f"/d/{uid}/",
                            "status": "success", "version": existing.version, "slug": uid})

    def _invalid(self, model: dict[str, Any], folder_uid: str, message: str) -> Answer | None:
        if not str(model.get("title") or "").strip():
            return Answer(400, {"message": "Dashboard title cannot be empty",
                                "status": "empty-name"})
        if len(str(model.get("uid") or "")) > 40:
            return Answer(400, {"message": "uid too long, max 40 characters"})
        if len(message) > 500:
            return Answer(400, {"message": "message too long, max 500 characters"})
        if folder_uid and folder_uid not in self.folders:
            return Answer(404, {"message": "Folder not found"})
        if any(len(str(tag)) > MAX_TAG for tag in model.get("tags") or []):
            return Answer(500, {"message": "Failed to save dashboard"})
        refresh = _seconds(str(model.get("refresh") or ""))
        if refresh is not None and refresh < self.min_refresh:
            return Answer(400, {"message": "Dashboard refresh interval is too low"})
        return None

    # --- folders -------------------------------------------------------------------------------

    def _create_folder(self, body: Any) -> Answer:
        uid, title = str(body.get("uid") or ""), str(body.get("title") or "")
        if not title:
            return Answer(400, {"message": "folder title cannot be empty"})
        if uid in self.folders:
            return Answer(409, {"message": "a folder/dashboard with the same uid already "
                                           "exists"})
        self.folders[uid] = {"id": self._id(), "uid": uid, "title": title, "version": 1}
        return Answer(200, self.folders[uid])

    def _folder(self, uid: str, method: str, request: Request) -> Answer:
        folder = self.folders.get(uid)
        if folder is None:
            return Answer(404, {"message": "folder not found", "status": "not-found"})
        if method == "GET":
            return Answer(200, folder)
        if method == "PUT":
            body = request.json() or {}
            if not body.get("overwrite") and body.get("version") != folder["version"]:
                return Answer(412, {"message": "the folder has been changed by someone else",
                                    "status": "version-mismatch"})
            folder.update(title=body.get("title", folder["title"]),
                          version=folder["version"] + 1)
            return Answer(200, folder)
        if method == "DELETE":  # documented: deletes the dashboards in it as well
            for uid_in in [u for u, d in self.dashboards.items() if d.folder_uid == uid]:
                del self.dashboards[uid_in]
            del self.folders[uid]
            return Answer(200, {"message": "Folder deleted", "id": folder["id"]})
        return Answer(405, {"message": "method not allowed"})

    # --- search --------------------------------------------------------------------------------

    def _search(self, query: dict[str, list[str]]) -> Answer:
        tags = query.get("tag", [])
        kind = (query.get("type") or [""])[0]
        folders = set(",".join(query.get("folderUIDs", [])).split(",")) - {""}
        limit = int((query.get("limit") or ["1000"])[0])
        page = int((query.get("page") or ["1"])[0])
        hits: list[dict[str, Any]] = []
        if kind in ("", "dash-db"):
            for uid, d in self.dashboards.items():
                if all(t in (d.model.get("tags") or []) for t in tags) and (
                        not folders or d.folder_uid in folders):
                    hits.append({"id": d.id, "uid": uid, "title": d.model.get("title"),
                                 "type": "dash-db", "tags": list(d.model.get("tags") or []),
                                 "url": f"/d/{uid}/", "folderUid": d.folder_uid or None})
        if kind in ("", "dash-folder") and not tags:
            hits += [{"id": f["id"], "uid": f["uid"], "title": f["title"],
                      "type": "dash-folder", "tags": []} for f in self.folders.values()]
        hits.sort(key=lambda h: (str(h["title"]).lower(), h["uid"]))
        return Answer(200, hits[(page - 1) * limit: page * limit])
