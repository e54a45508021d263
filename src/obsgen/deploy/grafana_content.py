"""Dashboard content as obsgen compares it: without the fields Grafana manages itself, and
stamped with the provenance tags that let a later deploy tell its own writes from edits made
in the UI.

How obsgen remembers what it wrote: every dashboard it posts carries two tags, `obsgen` (it
is managed: --prune may delete it) and `obsgen-sha256:<fingerprint>`, the fingerprint of the
content and folder obsgen posted. Grafana keeps tags with the dashboard, so nothing is kept
locally that could be lost. A dashboard whose current content no longer matches its own
fingerprint was saved by someone else since: that is drift.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

PROVENANCE_TAG = "obsgen"
FINGERPRINT_PREFIX = "obsgen-sha256:"
# Set by Grafana on save, never by the author: left out of every comparison.
SERVER_FIELDS = frozenset({"id", "version", "iteration"})


def _is_ours(tag: object) -> bool:
    return tag == PROVENANCE_TAG or (isinstance(tag, str) and tag.startswith(FINGERPRINT_PREFIX))


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


def recorded_fingerprint(model: Mapping[str, Any]) -> str | None:
    for tag in model.get("tags") or []:
        if isinstance(tag, str) and tag.startswith(FINGERPRINT_PREFIX):
            return tag[len(FINGERPRINT_PREFIX):]
    return None


def is_managed(model: Mapping[str, Any]) -> bool:
    return PROVENANCE_TAG in (model.get("tags") or [])


def stamped(model: Mapping[str, Any], folder_uid: str) -> dict[str, Any]:
    """What obsgen posts: the content plus its provenance and fingerprint tags."""
    out = content(model)
    out["tags"] = [*out.get("tags", []), PROVENANCE_TAG,
                   FINGERPRINT_PREFIX + fingerprint(model, folder_uid)]
    return out


def comparable_text(model: Mapping[str, Any], folder_uid: str) -> str:
    """The text a --dry-run diff is taken over."""
    return canonical({"folderUid": folder_uid, "dashboard": content(model)})
