"""What a deploy to a Prometheus rules folder does to each file there, decided by who owns it.

Who owns a file is read from its obsgen header (emit/provenance.py):
- ours: this project's, byte for byte as obsgen wrote it: the only kind updated or pruned;
- drift: this project's, edited since (its fingerprint no longer matches);
- other: another obsgen project's (several projects may share one rules folder);
- legacy: written by an obsgen that recorded no project or fingerprint;
- foreign: no obsgen header, not a regular file, or not readable as UTF-8.

A built file whose name is taken by anything but `ours` is refused (OBS516 for drift, OBS517
otherwise) unless --force, and then nothing at all is deployed: rule files depend on each other
(an alert reads a recording rule of another file), so part of a build is never deployed alone.
A file no longer built is pruned only when it is `ours` (or `drift` with --force); the other
obsgen files are reported (OBS528) and left; files without obsgen's header are not looked at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from obsgen.deploy.built import RULES_SUFFIX, BuiltRuleFile
from obsgen.deploy.plan import Action, unified_diff
from obsgen.deploy.rules_folder import read_regular
from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit import provenance
from obsgen.report import display_path

OURS, DRIFT, OTHER, LEGACY, FOREIGN = "ours", "drift", "other", "legacy", "foreign"
NOTHING_DEPLOYED = "; nothing was deployed"


@dataclass(frozen=True)
class Existing:
    """A file found in the rules folder."""

    text: str | None  # None: not a regular file, or not readable as UTF-8
    owner: str
    project: str | None = None  # the project its header names

    def why(self) -> str:
        return {
            DRIFT: "edited since obsgen wrote it (its content no longer matches its "
                   "obsgen-sha256 fingerprint)",
            OTHER: f"written by obsgen for project {self.project!r}",
            LEGACY: "written by an older obsgen that recorded no project or fingerprint",
            FOREIGN: "not written by obsgen (no obsgen header)" if self.text is not None
                     else "not a regular file readable as UTF-8",
        }.get(self.owner, "obsgen's own")


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    writes: Mapping[str, str | None]  # file name → its new text, or None to remove it
    previous: Mapping[str, str | None]  # the same names → their text now (None: absent)
    refused: tuple[Diagnostic, ...]  # OBS516 / OBS517: nothing is deployed
    left: tuple[Diagnostic, ...]  # OBS528: obsgen files no longer built and not ours to prune


def owner_of(text: str | None, project: str) -> Existing:
    found = None if text is None else provenance.read(text)
    if found is None:
        return Existing(text, FOREIGN)
    if found.project is None or found.recorded is None:
        return Existing(text, LEGACY, found.project)
    if found.project != project:
        return Existing(text, OTHER, found.project)
    return Existing(text, OURS if found.intact else DRIFT, project)


def read_current(rules_dir: Path, project: str) -> dict[str, Existing]:
    if not rules_dir.is_dir():
        return {}
    return {path.name: owner_of(read_regular(path), project)
            for path in sorted(rules_dir.glob(f"*{RULES_SUFFIX}"))}


def unstamped(files: Sequence[BuiltRuleFile], project: str) -> list[Diagnostic]:
    """Built files a later deploy could not recognise as this project's: refused up front."""
    out: list[Diagnostic] = []
    for built in files:
        found = built.provenance
        if found is None or found.project is None or found.recorded is None:
            why = "records no project or fingerprint (built by an older obsgen, or not at all)"
        elif found.project != project:
            why = f"was built for project {found.project!r}, and this project is {project!r}"
        elif not found.intact:
            why = "was changed after obsgen built it (its obsgen-sha256 fingerprint differs)"
        else:
            continue
        out.append(Diagnostic.of("OBS519", f"{display_path(str(built.file))} {why}",
                                 Location(str(built.file)),
                                 "run `obsgen build` again, then deploy" + NOTHING_DEPLOYED))
    return out


def make_plan(files: Sequence[BuiltRuleFile], current: Mapping[str, Existing],
              rules_dir: Path, force: bool) -> Plan:
    actions: list[Action] = []
    refused: list[Diagnostic] = []
    writes: dict[str, str | None] = {}
    for built in files:
        action, refusal = _built(built, current.get(built.name), rules_dir, force)
        actions.append(action)
        if refusal is not None:
            refused.append(refusal)
        if action.action in ("create", "update"):
            writes[built.name] = built.text
    built_names = {f.name for f in files}
    left: list[Diagnostic] = []
    for name, existing in current.items():
        if name in built_names or existing.owner == FOREIGN:
            continue
        action, note = _unbuilt(name, existing, rules_dir, force)
        actions.append(action)
        if note is not None:
            left.append(note)
        if action.action == "prune":
            writes[name] = None
    previous = {name: current[name].text if name in current else None for name in writes}
    return Plan(tuple(actions), writes, previous, tuple(refused), tuple(left))


def _built(built: BuiltRuleFile, existing: Existing | None, rules_dir: Path,
           force: bool) -> tuple[Action, Diagnostic | None]:
    source = Location(str(built.file))
    if existing is None:
        return Action("rule-file", built.name, "create", source=source), None
    if existing.text == built.text:
        return Action("rule-file", built.name, "unchanged", source=source), None
    target = rules_dir / built.name
    diff = unified_diff(existing.text or "", built.text, display_path(str(target)),
                        display_path(str(built.file)))
    if existing.owner == OURS or force:
        detail = "" if existing.owner == OURS else f"--force: overwrote a file {existing.why()}"
        return Action("rule-file", built.name, "update", source=source, diff=diff,
                      detail=detail), None
    where = Location(str(target))
    if existing.owner == DRIFT:
        return (Action("rule-file", built.name, "drift", source=source, diff=diff,
                       detail=existing.why()),
                Diagnostic.of("OBS516", f"{display_path(str(target))} was {existing.why()}",
                              where, f"move the edit into the definitions (compare it with "
                              f"{display_path(str(built.file))}), then deploy with --force to "
                              "overwrite it" + NOTHING_DEPLOYED))
    hint = ("if it is this project's, deploy once with --force: files written since are "
            "recognised" if existing.owner == LEGACY else
            "rename the rule group's file in the definitions, or move that file away, or "
            "deploy with --force to overwrite it")
    return (Action("rule-file", built.name, "foreign", source=source, detail=existing.why()),
            Diagnostic.of("OBS517", f"{display_path(str(target))} exists and is "
                          f"{existing.why()}; obsgen does not overwrite it", where,
                          hint + NOTHING_DEPLOYED))


def _unbuilt(name: str, existing: Existing, rules_dir: Path,
             force: bool) -> tuple[Action, Diagnostic | None]:
    if existing.owner == OURS:
        return Action("rule-file", name, "prune", detail="written by obsgen, no longer built"), None
    if existing.owner == DRIFT and force:
        return Action("rule-file", name, "prune",
                      detail=f"--force: no longer built, and {existing.why()}"), None
    kind = "drift" if existing.owner == DRIFT else "foreign"
    subject = {DRIFT: f"no longer built, and was {existing.why()}",
               OTHER: f"another project's ({existing.project!r})"}.get(
        existing.owner, f"{existing.why()}, so not known to be this project's")
    hint = ("deploy with --force to remove it, or delete it by hand" if existing.owner == DRIFT
            else "nothing to do: it is not this project's to remove"
            if existing.owner == OTHER else "delete it by hand if no project builds it any more")
    path = rules_dir / name
    return (Action("rule-file", name, kind, detail=f"{subject}; left alone"),
            Diagnostic.of("OBS528", f"{display_path(str(path))} is {subject}: left alone",
                          Location(str(path)), hint))
