"""`obsgen diff --output-format json`: the changes for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict

from obsgen.diff.model import Diff


def render(diff: Diff) -> str:
    summary: dict[str, dict[str, int]] = {}
    for change in diff.changes:
        area = summary.setdefault(change.area, {"added": 0, "removed": 0, "changed": 0})
        area[change.status] += 1
    document = {"before": diff.before, "after": diff.after, "changed": diff.changed,
                "notes": list(diff.notes), "summary": summary,
                "changes": [asdict(c) for c in diff.changes]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
