"""Dashboard content as obsgen compares it: without the fields Grafana manages itself, and
stamped with the tags that let a later deploy tell its own writes from edits made in the UI
and from other projects' dashboards.

How obsgen remembers what it wrote: every dashboard it posts carries three tags, `obsgen` (it
was written by obsgen), `obsgen-project:<project>` (which project wrote it: only that project
updates or prunes it) and `obsgen-sha256:<fingerprint>`, the fingerprint of the content and
folder obsgen posted. Grafana keeps tags with the dashboard, so nothing is kept locally that
could be lost. A dashboard whose current content no longer matches its own fingerprint was
saved by someone else since: that is drift (a "Save as" copy never matches either: its uid and
title differ from what was fingerprinted).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

PROVENANCE_TAG = "obsgen"
FINGERPRINT_PREFIX = "obsgen-sha256:"
PROJECT_PREFIX = "obsgen-project:"
# Grafana stores each tag in dashboard_tag.term, NVARCHAR(50): MySQL and Postgres refuse a
# longer one, so a long project identity is shortened (stably) to fit.
MAX_TAG = 50
# Set by Grafana on save, never by the author: left out of every comparison.
SERVER_FIELDS = frozenset({"id", "version", "iteration"})

# Who a dashboard in Grafana belongs to, from its tags.
MINE, LEGACY, OTHER, NOT_OBSGEN = "mine", "legacy", "other", "not-obsgen"


def _is_ours(tag: object) -> bool:
    return tag == PROVENANCE_TAG or (isinstance(tag, str) and tag.startswith(
        (FINGERPRINT_PREFIX, PROJECT_PREFIX)))


def project_tag(project: str) -> str:
    tag = PROJECT_PREFIX + project
    if len(tag) <= MAX_TAG:
        return tag
    digest = hashlib.sha256(project.encode("utf-8")).hexdigest()[:8]
    return f"{tag[:MAX_TAG - 9]}-{digest}"


def content(model: Mapping[str, Any]) -> dict[str, Any]:
    """The dashboard without Grafana's own fields and without obsgen's tags."""
    out = {k: v for k, v in model.items() if k not in SERVER_FIELDS}
    # Always a list, so a dashboard without tags compares equal to itself once stamped.
    out["tags"] = [t for t in model.get("tags") or [] if not _is_ours(t)]
    return out


def canonical(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def fingerprint(model: Mapping[str, Any], folder_uid: str) -> str:
    payload = canonical({"dashboard": content(model), "folderUid": folder_uid})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _tags(model: Mapping[str, Any]) -> list[str]:
    return [t for t in model.get("tags") or [] if isinstance(t, str)]


def recorded_fingerprint(model: Mapping[str, Any]) -> str | None:
    for tag in _tags(model):
        if tag.startswith(FINGERPRINT_PREFIX):
            return tag[len(FINGERPRINT_PREFIX):]
    return None


def is_managed(model: Mapping[str, Any]) -> bool:
    return PROVENANCE_TAG in _tags(model)


def projects(model: Mapping[str, Any]) -> list[str]:
    """The projects a dashboard's tags name (as tagged: a long name is shortened)."""
    return sorted(t[len(PROJECT_PREFIX):] for t in _tags(model) if t.startswith(PROJECT_PREFIX))


def ownership(model: Mapping[str, Any], project: str) -> str:
    """MINE (tagged with this project only), LEGACY (an obsgen dashboard from before projects
    were recorded), OTHER (another project's, or several projects'), or NOT_OBSGEN."""
    if not is_managed(model):
        return NOT_OBSGEN
    named = [t for t in _tags(model) if t.startswith(PROJECT_PREFIX)]
    if not named:
        return LEGACY
    return MINE if set(named) == {project_tag(project)} else OTHER


def owner_text(model: Mapping[str, Any], project: str) -> str:
    """Who the dashboard belongs to, for a message."""
    kind = ownership(model, project)
    if kind == NOT_OBSGEN:
        return "not deployed by obsgen (no 'obsgen' tag)"
    if kind == LEGACY:
        return "deployed by an obsgen that did not record projects (no 'obsgen-project:' tag)"
    if kind == OTHER:
        names = ", ".join(repr(p) for p in projects(model))
        return f"deployed by obsgen project {names}"
    return f"deployed by this project ({project!r})"


def stamped(model: Mapping[str, Any], folder_uid: str, project: str) -> dict[str, Any]:
    """What obsgen posts: the content plus its provenance, project and fingerprint tags."""
    out = content(model)
    out["tags"] = [*out.get("tags", []), PROVENANCE_TAG, project_tag(project),
                   FINGERPRINT_PREFIX + fingerprint(model, folder_uid)]
    return out


def comparable_text(model: Mapping[str, Any], folder_uid: str) -> str:
    """The text a --dry-run diff is taken over."""
    return canonical({"folderUid": folder_uid, "dashboard": content(model)})
