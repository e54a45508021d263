"""The manifest obsgen keeps in every ruler namespace it writes.

The ruler's configuration API stores rule groups and nothing else, so what obsgen needs to
remember about a namespace lives in the namespace itself: a group named `obsgen-manifest`
holding one alerting rule that can never fire (`vector(0) > 1` compares two constants: it
never has a sample, so the alert stays inactive; promtool accepts it). Its annotations record
which project (and namespace prefix) wrote the namespace and, per group obsgen wrote, the
fingerprint(s) of its content. A group whose current content matches one of its recorded
fingerprints is obsgen's to update or delete; anything else is someone's edit or someone's
group.

Annotation values are Go templates to the ruler (it parses them on every write), so group
names are percent-encoded: no `{{` ever reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from obsgen.model.rules import MANIFEST_GROUP  # reserved there: no definition can take it

__all__ = ["MANIFEST_GROUP", "Manifest", "read_manifest"]
MANIFEST_ALERT = "ObsgenManifest"
MANIFEST_EXPR = "vector(0) > 1"
MANIFEST_INTERVAL = "1h"  # nothing to evaluate: as rarely as possible
FORMAT = "1"
DESCRIPTION = ("obsgen's record of the rule groups it wrote in this namespace: the project "
               "that owns it and a fingerprint of each group's content. This rule never "
               "fires. Editing or deleting it makes obsgen leave the namespace alone.")
_SAFE = "-_.:/"


@dataclass(frozen=True)
class Manifest:
    project: str
    prefix: str
    entries: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group, fingerprints), sorted

    @classmethod
    def of(cls, project: str, prefix: str,
           entries: Mapping[str, Iterable[str]]) -> Manifest:
        kept = ((name, tuple(sorted(set(prints)))) for name, prints in entries.items())
        return cls(project, prefix, tuple(sorted((n, p) for n, p in kept if p)))

    def fingerprints(self, group: str) -> frozenset[str]:
        return frozenset(dict(self.entries).get(group, ()))

    def owned_by(self, project: str, prefix: str) -> bool:
        return (self.project, self.prefix) == (project, prefix)

    def owner(self) -> str:
        return f"obsgen project {self.project!r} (namespace prefix {self.prefix!r})"

    def group(self) -> dict[str, Any]:
        lines = "\n".join(" ".join([quote(name, safe=_SAFE), *prints])
                          for name, prints in self.entries)
        annotations = {"description": DESCRIPTION, "obsgen_manifest": FORMAT,
                       "obsgen_project": self.project,
                       "obsgen_namespace_prefix": quote(self.prefix, safe=_SAFE),
                       "obsgen_groups": lines}
        return {"name": MANIFEST_GROUP, "interval": MANIFEST_INTERVAL, "rules": [
            {"alert": MANIFEST_ALERT, "expr": MANIFEST_EXPR,
             "annotations": {k: v for k, v in annotations.items() if v}}]}


def read_manifest(group: Mapping[str, Any] | None) -> Manifest | None:
    """The manifest a group holds; None when it is not one obsgen can read."""
    rules = group.get("rules") if isinstance(group, Mapping) else None
    if not isinstance(rules, list) or len(rules) != 1 or not isinstance(rules[0], Mapping):
        return None
    notes = rules[0].get("annotations")
    if rules[0].get("alert") != MANIFEST_ALERT or not isinstance(notes, Mapping) \
            or str(notes.get("obsgen_manifest")) != FORMAT or not notes.get("obsgen_project"):
        return None
    entries: dict[str, list[str]] = {}
    for line in str(notes.get("obsgen_groups") or "").splitlines():
        name, *prints = line.split() or [""]
        if name:
            entries.setdefault(unquote(name), []).extend(prints)
    return Manifest.of(str(notes["obsgen_project"]),
                       unquote(str(notes.get("obsgen_namespace_prefix") or "")), entries)
