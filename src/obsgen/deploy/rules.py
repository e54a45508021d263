"""`obsgen deploy rules --prometheus-dir DIR --prometheus-url URL`: rule files into the folder a
Prometheus loads them from, then a reload that is verified and undone when it fails.

Order: `promtool check rules` on the built files, and each must carry this project's obsgen
header (nothing is touched otherwise) → finish the rollback of an interrupted deploy, if its
journal is found → plan by ownership: only this project's untouched files are overwritten or
pruned (rules_plan.py) → save the files about to change beside the folder, with a journal
(rollback.py) → write each file atomically → `POST /-/reload` → poll `/api/v1/rules` until every
group is loaded and healthy and every changed group has run once (rules_verify.py). Any failure
restores the saved files and reloads again. One deploy at a time holds the folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from obsgen.check.rules import promtool
from obsgen.deploy import rollback
from obsgen.deploy.built import BuiltRuleFile
from obsgen.deploy.http import Session
from obsgen.deploy.plan import Action, Report
from obsgen.deploy.rules_folder import BusyError, locked, put_files
from obsgen.deploy.rules_plan import Plan, make_plan, read_current, unstamped
from obsgen.deploy.rules_verify import (
    LIFECYCLE_HINT,
    URL_HINT,
    GroupKey,
    PrometheusOptions,
    groups_of,
    reload,
    restored_loaded,
    server_time,
    verify,
)
from obsgen.deploy.run import DeployRun, Hints
from obsgen.diagnostics import Diagnostic, Location

__all__ = ["PrometheusOptions", "deploy_prometheus"]

_Run = DeployRun[PrometheusOptions]
REFUSED = frozenset({"unchanged", "drift", "foreign"})  # never written by this run


def deploy_prometheus(session: Session, files: Sequence[BuiltRuleFile],
                      options: PrometheusOptions, tool: promtool.Promtool,
                      on_action: Callable[[Action], None] = lambda _: None) -> Report:
    run = DeployRun(session, options, on_action, Hints("OBS523", LIFECYCLE_HINT, URL_HINT))
    rejected = [*_promtool(tool, files), *unstamped(files, options.project)]
    if rejected:
        return _report(run, rejected)
    if options.dry_run:
        _dry_run(run, files)
        return _report(run)
    try:
        with locked(options.rules_dir):
            if _recover(run):
                _deploy(run, files)
    except BusyError as busy:
        run.diagnostics.append(Diagnostic.of(
            "OBS522", f"{busy}; nothing was deployed", _where(run),
            "wait for the other deploy to finish, then run this one again"))
    except OSError as exc:
        run.diagnostics.append(_cannot_write(run, exc))
    return _report(run)


def _report(run: _Run, extra: Sequence[Diagnostic] = ()) -> Report:
    return Report("prometheus", run.options.url, run.options.dry_run, tuple(run.actions),
                  (*run.diagnostics, *extra), run.session.requests_sent, run.session.writes_sent,
                  {"rules_dir": str(run.options.rules_dir)})


def _where(run: _Run) -> Location:
    return Location(str(run.options.rules_dir))


def _cannot_write(run: _Run, exc: OSError) -> Diagnostic:
    return Diagnostic.of("OBS522", f"cannot write {run.options.rules_dir}: {exc.strerror or exc}",
                         _where(run), "check the folder's permissions and space")


def _promtool(tool: promtool.Promtool, files: Sequence[BuiltRuleFile]) -> list[Diagnostic]:
    if not files:
        return []
    folder = files[0].file.parent
    findings = promtool.check_rules(tool, [f.name for f in files], folder)
    return [Diagnostic.of("OBS521", f"promtool check rules: {f.message}",
                          Location(str(folder / f.file), f.line, f.column),
                          "fix the definition and rebuild; nothing was deployed")
            for f in findings]


def _plan(run: _Run, files: Sequence[BuiltRuleFile]) -> Plan:
    options = run.options
    plan = make_plan(files, read_current(options.rules_dir, options.project),
                     options.rules_dir, options.force)
    run.diagnostics.extend([*plan.refused, *plan.left])
    return plan


def _dry_run(run: _Run, files: Sequence[BuiltRuleFile]) -> None:
    try:
        journal = rollback.pending(run.options.rules_dir)
    except rollback.JournalError as exc:
        run.diagnostics.append(_unusable_journal(run, exc))
        journal = None
    if journal is not None:
        run.diagnostics.append(Diagnostic.of(
            "OBS529", f"an interrupted deploy of project {journal.project!r} (started "
            f"{journal.started}) would be rolled back first; this plan is against the files "
            "as they are now", _where(run), "deploy without --dry-run to roll it back"))
    for action in _plan(run, files).actions:
        run.record(action)


# --- an interrupted deploy ---------------------------------------------------------------------

def _unusable_journal(run: _Run, exc: Exception) -> Diagnostic:
    folder = rollback.folder_for(run.options.rules_dir)
    return Diagnostic.of(
        "OBS525", f"an interrupted deploy left a rollback obsgen cannot use: {exc}", _where(run),
        f"put back the files saved in {folder / rollback.SAVED} by hand, reload Prometheus, "
        f"then remove {folder}; nothing was deployed")


def _recover(run: _Run) -> bool:
    """Roll back a deploy cut off before it was verified; False when that failed."""
    try:
        journal = rollback.pending(run.options.rules_dir)
    except rollback.JournalError as exc:
        run.diagnostics.append(_unusable_journal(run, exc))
        return False
    if journal is None:
        return True
    restored = _roll_back(run, journal, also_reload=True)
    if restored is None:
        return False
    back = [e.name for e in journal.entries if e.name not in restored.left]
    left = (f"; left {', '.join(restored.left)}, changed by someone else since"
            if restored.left else "")
    run.diagnostics.append(Diagnostic.of(
        "OBS529", f"an interrupted deploy of project {journal.project!r} (started "
        f"{journal.started}) was rolled back first: {', '.join(back) or 'no file'} as before "
        f"it{left}, and Prometheus reloaded", _where(run),
        "nothing to do: this deploy started from the restored files"))
    return True


def _roll_back(run: _Run, journal: rollback.Journal,
               also_reload: bool) -> rollback.Restored | None:
    """Put the saved files back and, when Prometheus may have read the new ones, reload. The
    journal is kept (and the next run retries) when the files or the reload did not make it."""
    where = _where(run)
    try:
        restored = rollback.restore(journal)
    except (rollback.JournalError, OSError) as exc:
        run.diagnostics.append(Diagnostic.of(
            "OBS525", f"could not restore the previous rule files: {exc}", where,
            f"restore them by hand from {journal.folder / rollback.SAVED}, then POST /-/reload; "
            "the next deploy retries"))
        return None
    if also_reload:
        failure = reload(run)
        if failure is not None:
            run.diagnostics.append(Diagnostic.of(
                "OBS525", f"previous rule files restored, but the reload failed: "
                f"{failure.message}", where, "reload Prometheus by hand (POST /-/reload or "
                "SIGHUP); the next deploy retries"))
            return None
        missing = restored_loaded(run, restored.previous)
        if missing:
            run.diagnostics.append(Diagnostic.of(
                "OBS525", f"previous rule files restored and reloaded, but not all their "
                f"groups are loaded: {missing}", where, "check the Prometheus log"))
    rollback.finish(journal)
    return restored


# --- this deploy ---------------------------------------------------------------------------------

def _deploy(run: _Run, files: Sequence[BuiltRuleFile]) -> None:
    plan = _plan(run, files)
    if plan.refused:
        _finish(run, plan, "skipped")
        return
    journal = _begin(run, plan)
    if journal is None and plan.writes:
        _finish(run, plan, "failed")
        return
    try:
        put_files(run.options.rules_dir, plan.writes)
    except OSError as exc:
        run.diagnostics.append(_cannot_write(run, exc))
        _finish(run, plan, "failed")
        if journal is not None:
            _roll_back(run, journal, also_reload=False)
        return
    changed = changed_groups(files, plan.previous)
    since = server_time(run.session) if changed else None
    failure = reload(run) or verify(run, files, changed, since)
    if failure is None:
        if journal is not None:
            rollback.finish(journal)
        _finish(run, plan, "done")
        return
    run.diagnostics.append(failure)
    _finish(run, plan, "failed")
    if journal is not None:
        _roll_back(run, journal, also_reload=True)


def _begin(run: _Run, plan: Plan) -> rollback.Journal | None:
    if not plan.writes:
        return None
    options = run.options
    try:
        return rollback.begin(options.rules_dir, options.project, plan.previous, plan.writes)
    except OSError as exc:
        folder = rollback.folder_for(options.rules_dir)
        run.diagnostics.append(Diagnostic.of(
            "OBS522", f"cannot keep the previous rule files in {folder}: {exc}; nothing was "
            "deployed", _where(run), f"obsgen keeps them beside the rules folder until the "
            f"deploy is verified: let this user create {folder}"))
        return None


def changed_groups(files: Sequence[BuiltRuleFile],
                   previous: Mapping[str, str | None]) -> set[GroupKey]:
    """The groups of the files being written whose definition is new or differs: those
    Prometheus replaces on reload, and which have to run once before the deploy is verified."""
    before = {spec["name"]: {g.get("name"): g for g in spec["groups"]}
              for spec in groups_of(previous)}
    return {(f.name, str(g.get("name"))) for f in files if f.name in previous
            for g in f.groups if before.get(f.name, {}).get(g.get("name")) != g}


def _finish(run: _Run, plan: Plan, outcome: str) -> None:
    for action in plan.actions:
        run.record(action.finished("skipped" if action.action in REFUSED else outcome))
