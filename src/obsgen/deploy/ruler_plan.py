"""What a ruler deploy does in one namespace, decided from what the ruler holds and the
namespace's manifest (ruler_manifest.py) before anything is written.

Only a namespace whose manifest names this project (and namespace prefix) is written to or
pruned; a fresh one becomes this project's. In it, a group is updated or deleted only while
its content matches a fingerprint the manifest recorded: an edited group is drift (OBS516), a
group obsgen did not write is someone's (OBS517 when this deploy would overwrite it, OBS528
when it is merely left). --force overwrites drift and groups obsgen did not write, takes over
a built namespace that is not this project's, and deletes this project's drifted groups; it
never deletes a group obsgen did not write nor touches a namespace it does not build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from obsgen.deploy.plan import Action, unified_diff
from obsgen.deploy.ruler_content import fingerprint, group_yaml, normalised
from obsgen.deploy.ruler_manifest import MANIFEST_GROUP, Manifest, read_manifest
from obsgen.diagnostics import Diagnostic, Location

NONE: frozenset[str] = frozenset()
FORCE_HINT = ("port the change into the definitions (`--dry-run` shows it), or rerun with "
              "--force to {verb} it")


@dataclass(frozen=True)
class RulerOptions:
    url: str
    dry_run: bool = False
    namespace_prefix: str = "obsgen-"
    project: str = "obsgen"
    force: bool = False

    def namespace(self, stem: str) -> str:
        return f"{self.namespace_prefix}{self.project}-{stem}"

    def in_scope(self, namespace: str) -> bool:
        """Namespaces looked at beyond the built ones: those with obsgen's prefix (only this
        project's own, when there is no prefix)."""
        return namespace.startswith(self.namespace_prefix or f"{self.project}-")

    def owns(self, manifest: Manifest | None) -> bool:
        return manifest is not None and manifest.owned_by(self.project, self.namespace_prefix)


@dataclass(frozen=True)
class Wanted:
    """A group this deploy builds, and where it was built from."""

    group: Mapping[str, Any]
    file: str
    source: Location

    @property
    def name(self) -> str:
        return str(self.group.get("name"))


@dataclass(frozen=True)
class Step:
    action: Action
    op: str = ""  # "post", "delete", or "" (nothing is sent)
    group: Mapping[str, Any] | None = None
    done: frozenset[str] = NONE  # the group's fingerprints in the manifest once done
    kept: frozenset[str] = NONE  # ... while it is not done (refused, failed, not reached)
    built: bool = False  # a group this deploy builds (it stays in the namespace)

    @property
    def name(self) -> str:
        return self.action.key.split("/", 1)[1]


@dataclass(frozen=True)
class NamespacePlan:
    namespace: str
    steps: tuple[Step, ...]
    current: Manifest | None  # the manifest the ruler holds now
    writable: bool  # this project's (or fresh, or taken over with --force)

    def manifest(self, options: RulerOptions, done: Mapping[str, bool] | None = None) -> Manifest:
        """The manifest to write: before the groups (`done` None) it names every fingerprint
        a group may have once this deploy is cut off anywhere; after, the final ones."""
        entries: dict[str, set[str]] = {}
        for step in self.steps:
            if done is None:
                prints = step.done | step.kept
            else:
                prints = step.done if done.get(step.action.key) else step.kept
            entries.setdefault(step.name, set()).update(prints)
        return Manifest.of(options.project, options.namespace_prefix, entries)


def plan_namespace(namespace: str, wanted: Sequence[Wanted],
                   remote: Mapping[str, Mapping[str, Any]],
                   options: RulerOptions) -> tuple[NamespacePlan | None, list[Diagnostic]]:
    """None when the namespace is another project's and this deploy does not build it."""
    current = read_manifest(remote.get(MANIFEST_GROUP))
    groups = {n: g for n, g in remote.items() if n != MANIFEST_GROUP}
    if not remote or options.owns(current) or (wanted and options.force):
        recorded = current if options.owns(current) else None
        return _own(namespace, wanted, groups, recorded, current, options)
    if wanted:
        return _refused(namespace, wanted, current)
    if current is not None:
        return None, []
    return _unmarked(namespace, groups)


def _own(namespace: str, wanted: Sequence[Wanted], groups: Mapping[str, Mapping[str, Any]],
         recorded: Manifest | None, current: Manifest | None,
         options: RulerOptions) -> tuple[NamespacePlan, list[Diagnostic]]:
    notes: list[Diagnostic] = []
    steps = [_built(namespace, w, groups.get(w.name), _prints(recorded, w.name), options, notes)
             for w in wanted]
    built = {w.name for w in wanted}
    for name in sorted(set(groups) - built):
        steps.append(_unbuilt(f"{namespace}/{name}", groups[name], _prints(recorded, name),
                              options, notes))
    return NamespacePlan(namespace, tuple(steps), current, True), notes


def _prints(manifest: Manifest | None, name: str) -> frozenset[str]:
    return manifest.fingerprints(name) if manifest is not None else NONE


def _diff(key: str, have: Mapping[str, Any], wanted: Wanted) -> str:
    return unified_diff(group_yaml(normalised(have)), group_yaml(normalised(wanted.group)),
                        f"ruler:{key}", f"{wanted.file}:{wanted.name}")


def _built(namespace: str, wanted: Wanted, have: Mapping[str, Any] | None,
           old: frozenset[str], options: RulerOptions, notes: list[Diagnostic]) -> Step:
    key, new = f"{namespace}/{wanted.name}", fingerprint(wanted.group)
    base = Action("group", key, "create", source=wanted.source)
    if have is None:
        return Step(base, "post", wanted.group, frozenset({new}), old, True)
    actual = fingerprint(have)
    if actual == new:
        return Step(Action("group", key, "unchanged", source=wanted.source), "", None,
                    frozenset({new}), frozenset({new}), True)
    diff = _diff(key, have, wanted)
    if actual in old:
        return Step(Action("group", key, "update", source=wanted.source, diff=diff), "post",
                    wanted.group, frozenset({new}), old, True)
    kind = "drift" if old else "foreign"
    why = ("changed in the ruler since obsgen wrote it" if old
           else "exists in the ruler but obsgen did not write it")
    action = Action("group", key, kind, source=wanted.source, diff=diff, detail=why)
    if options.force:
        return Step(action, "post", wanted.group, frozenset({new}), old, True)
    notes.append(Diagnostic.of(
        "OBS516" if old else "OBS517", f"rule group {key!r} {why}; not overwritten",
        wanted.source, FORCE_HINT.format(verb="overwrite") if old else
        "rename the group in the definitions, or rerun with --force to overwrite it"))
    return Step(action, "", None, NONE, old, True)


def _unbuilt(key: str, have: Mapping[str, Any], old: frozenset[str], options: RulerOptions,
             notes: list[Diagnostic]) -> Step:
    if not old:
        notes.append(Diagnostic.of(
            "OBS528", f"rule group {key!r} is in this project's namespace but obsgen did not "
            "write it; left alone", None,
            "move it to a namespace of its own: obsgen never deletes what it did not write"))
        return Step(Action("group", key, "foreign", detail="not written by obsgen; left alone"))
    if fingerprint(have) in old:
        return Step(Action("group", key, "prune", detail="no longer built"), "delete",
                    done=NONE, kept=old)
    action = Action("group", key, "drift", detail="no longer built, but changed in the ruler "
                    "since obsgen wrote it")
    if options.force:
        return Step(action, "delete", done=NONE, kept=old)
    notes.append(Diagnostic.of(
        "OBS516", f"rule group {key!r} is no longer built but was changed in the ruler since "
        "obsgen wrote it; not deleted", None, FORCE_HINT.format(verb="delete")))
    return Step(action, kept=old)


def _refused(namespace: str, wanted: Sequence[Wanted],
             current: Manifest | None) -> tuple[NamespacePlan, list[Diagnostic]]:
    why = (f"belongs to {current.owner()}" if current is not None
           else "holds no obsgen manifest (made by hand, or by an obsgen that did not record "
                "projects)")
    steps = tuple(Step(Action("group", f"{namespace}/{w.name}", "foreign", source=w.source,
                              detail=f"namespace {why}"), built=True) for w in wanted)
    note = Diagnostic.of(
        "OBS517", f"ruler namespace {namespace!r} exists and {why}; nothing written to it",
        wanted[0].source, "rerun with --force to take it over, or deploy under another "
        "--namespace-prefix or project identity")
    return NamespacePlan(namespace, steps, current, False), [note]


def _unmarked(namespace: str, groups: Mapping[str, Mapping[str, Any]]
              ) -> tuple[NamespacePlan, list[Diagnostic]]:
    action = Action("namespace", namespace, "foreign",
                    detail=f"{len(groups)} group(s), no obsgen manifest; left alone")
    note = Diagnostic.of(
        "OBS528", f"ruler namespace {namespace!r} has obsgen's prefix but no obsgen manifest "
        f"(made by hand, or by an obsgen that did not record projects); its {len(groups)} "
        "group(s) are left alone", None,
        "if an earlier obsgen deployed it (its namespaces were then named <prefix><file>), "
        f"delete it once: DELETE <ruler>/config/v1/rules/{namespace}")
    return NamespacePlan(namespace, (Step(action),), None, False), [note]
