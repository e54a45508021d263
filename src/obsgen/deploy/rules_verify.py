"""Whether a Prometheus runs what a deploy wrote: `POST /-/reload`, then `/api/v1/rules` until
every group of the deployed files is loaded, none of their rules fails, and every group the
deploy changed has been evaluated since the reload.

Prometheus does not evaluate a group when it loads it: a new or changed group first waits for
its slot, up to one interval later (rules/manager.go, Group.run). A changed group gets new rule
objects, whose health is "unknown" and lastEvaluation Go's zero time until they run, while the
group's own lastEvaluation is copied from the group it replaces (Group.CopyState). So a changed
group counts as evaluated when each of its rules ran after the server's own clock read just
before the reload (clock skew between this machine and the server does not matter).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from obsgen.check import yamlguard
from obsgen.deploy.built import RULES_SUFFIX, BuiltRuleFile
from obsgen.deploy.failures import http_diagnostic
from obsgen.deploy.http import DeployHttpError, Session
from obsgen.deploy.run import DeployRun
from obsgen.diagnostics import Diagnostic, Location

URL_HINT = "check --prometheus-url (the server that loads --prometheus-dir)"
LIFECYCLE_HINT = "start Prometheus with --web.enable-lifecycle so POST /-/reload is allowed"
# On top of a changed group's interval: its first evaluation after a reload comes within one
# interval; the margin covers the evaluation itself and the polling.
EVALUATION_MARGIN = 15.0


@dataclass(frozen=True)
class PrometheusOptions:
    rules_dir: Path
    url: str
    dry_run: bool = False
    verify_timeout: float = 30.0  # how long to wait for the groups to load and run
    poll_interval: float = 1.0
    project: str = "obsgen"  # whose files this deploy may overwrite or prune
    force: bool = False  # overwrite files that are not this project's untouched output
    # Accept changed groups not evaluated within --verify-timeout (a warning, OBS526) instead
    # of waiting up to their interval + margin and failing (OBS535).
    allow_unverified: bool = False
    evaluation_margin: float = EVALUATION_MARGIN


GroupKey = tuple[str, str]  # (rule file name, group name)


@dataclass(frozen=True)
class Loaded:
    """What /api/v1/rules says about the groups of some files."""

    missing: tuple[str, ...]  # "file: group" not loaded
    unhealthy: tuple[str, ...]  # "group/rule: error"
    unevaluated: tuple[str, ...]  # "file: group" changed and not evaluated since the reload
    longest: float = 0.0  # the longest interval (s) among the unevaluated groups

    @property
    def failed(self) -> bool:
        return bool(self.missing or self.unhealthy)


_Run = DeployRun[PrometheusOptions]


def reload(run: _Run) -> Diagnostic | None:
    where = Location(str(run.options.rules_dir))
    try:
        reply = run.session.request("POST", "/-/reload", allow=frozenset({403, 500}))
    except DeployHttpError as error:
        return http_diagnostic(error, "reload", where, "OBS523", LIFECYCLE_HINT, URL_HINT)
    if reply.status >= 300:
        hint = LIFECYCLE_HINT if reply.status == 403 else (
            "Prometheus could not load the new files; its log says why")
        return Diagnostic.of("OBS523", f"POST /-/reload answered HTTP {reply.status}: "
                             f"{reply.text.strip()[:300]}", where, hint)
    return None


def server_time(session: Session) -> float | None:
    """The server's clock (`time()`), in seconds; None when it cannot be asked."""
    try:
        reply = session.request("GET", "/api/v1/query", params={"query": "time()"})
        value = reply.body["data"]["result"][0]
        return float(value)
    except (DeployHttpError, KeyError, IndexError, TypeError, ValueError):
        return None


def _epoch(stamp: object) -> float | None:
    try:
        return datetime.fromisoformat(str(stamp)).timestamp()
    except ValueError:
        return None


def _evaluated(group: Mapping[str, Any], since: float | None) -> bool:
    rules = [r for r in group.get("rules") or [] if isinstance(r, dict)]
    if any(r.get("health") not in ("ok", "err") for r in rules):
        return False
    stamps = [_epoch(r.get("lastEvaluation")) for r in rules] or [
        _epoch(group.get("lastEvaluation"))]
    return all(t is not None and t > (0.0 if since is None else since) for t in stamps)


def loaded_state(rules: Any, files: Sequence[Mapping[str, Any]],
                 changed: Collection[GroupKey] = (), since: float | None = None) -> Loaded:
    """Compare /api/v1/rules' data with the groups of `files` ({name, groups} each)."""
    groups = {(Path(str(g.get("file", ""))).name, g.get("name")): g
              for g in (rules or {}).get("groups", []) if isinstance(g, dict)}
    missing: list[str] = []
    unhealthy: list[str] = []
    unevaluated: list[str] = []
    longest = 0.0
    for spec in files:
        for group in spec["groups"]:
            label = f"{spec['name']}: {group.get('name')}"
            found = groups.get((spec["name"], group.get("name")))
            if found is None:
                missing.append(label)
                continue
            for rule in found.get("rules", []):
                if rule.get("health") == "err" or rule.get("lastError"):
                    unhealthy.append(f"{group.get('name')}/{rule.get('name')}: "
                                     f"{rule.get('lastError') or 'health err'}")
            if (spec["name"], group.get("name")) in changed and not _evaluated(found, since):
                unevaluated.append(label)
                longest = max(longest, float(found.get("interval") or 0.0))
    return Loaded(tuple(missing), tuple(unhealthy), tuple(unevaluated), longest)


def _bound(options: PrometheusOptions, state: Loaded) -> float:
    """How long after the reload to keep asking, given what is still missing."""
    if state.missing or options.allow_unverified or not state.unevaluated:
        return options.verify_timeout
    return max(options.verify_timeout, state.longest + options.evaluation_margin)


def poll(run: _Run, files: Sequence[Mapping[str, Any]], changed: Collection[GroupKey] = (),
         since: float | None = None, wait: float | None = None) -> Loaded | Diagnostic:
    """Ask until loaded, healthy and evaluated, a rule fails, or the wait is over (`wait`, or
    else as long as `_bound` says)."""
    clock = run.session.clock
    started = clock.monotonic()
    told = False
    while True:
        try:
            reply = run.session.request("GET", "/api/v1/rules")
        except DeployHttpError as error:
            return http_diagnostic(error, "verify", Location(str(run.options.rules_dir)),
                                   "OBS524", LIFECYCLE_HINT, URL_HINT)
        body = reply.body if isinstance(reply.body, dict) else {}
        state = loaded_state(body.get("data"), files, changed, since)
        bound = _bound(run.options, state) if wait is None else wait
        if state.unhealthy or (not state.missing and not state.unevaluated) \
                or clock.monotonic() - started >= bound:
            return state
        if not told and bound > run.options.verify_timeout:
            told = True
            run.session.notify(f"waiting up to {bound:.0f} s for the first evaluation of "
                               f"{', '.join(state.unevaluated)}")
        clock.sleep(run.options.poll_interval)


def specs(files: Sequence[BuiltRuleFile]) -> list[dict[str, Any]]:
    return [{"name": f.name, "groups": list(f.groups)} for f in files]


def verify(run: _Run, files: Sequence[BuiltRuleFile], changed: Collection[GroupKey],
           since: float | None) -> Diagnostic | None:
    """A failure that undoes the deploy, or None; a deploy whose changed groups did not run in
    time is kept, with a warning (--allow-unverified) or an error."""
    state = poll(run, specs(files), changed, since)
    where = Location(str(run.options.rules_dir))
    if isinstance(state, Diagnostic):
        return state
    if state.missing:
        return Diagnostic.of(
            "OBS524", f"rule groups not loaded after reload: {', '.join(state.missing)}", where,
            f"does prometheus.yml's rule_files include {run.options.rules_dir}/*{RULES_SUFFIX}?")
    if state.unhealthy:
        return Diagnostic.of(
            "OBS524", f"rules failing after reload: {'; '.join(state.unhealthy)}", where,
            "the rule evaluates with an error in this Prometheus; fix the definition")
    if state.unevaluated:
        run.diagnostics.append(_unverified(run.options, state, where))
    return None


def _unverified(options: PrometheusOptions, state: Loaded, where: Location) -> Diagnostic:
    names = ", ".join(state.unevaluated[:5]) + (" ..." if len(state.unevaluated) > 5 else "")
    if options.allow_unverified:
        return Diagnostic.of(
            "OBS526", f"{len(state.unevaluated)} changed rule group(s) loaded but not evaluated "
            f"within {options.verify_timeout:g} s, accepted by --allow-unverified: {names}",
            where, "a group first runs up to one interval after the reload; without "
            "--allow-unverified the deploy waits for it")
    return Diagnostic.of(
        "OBS535", f"{len(state.unevaluated)} changed rule group(s) loaded but not evaluated "
        f"within their interval + {options.evaluation_margin:g} s of the reload: {names}; the "
        "deploy is not verified", where,
        "the rules stay deployed; Prometheus evaluates behind schedule (see "
        "prometheus_rule_group_iterations_missed_total). --allow-unverified accepts a deploy "
        "whose rules have not run yet")


def restored_loaded(run: _Run, texts: Mapping[str, str | None]) -> str | None:
    """After a rollback and its reload: what of the restored files is not loaded, if any."""
    state = poll(run, groups_of(texts), wait=0.0)
    if isinstance(state, Diagnostic):
        return state.message
    return ", ".join(state.missing) or None


def groups_of(texts: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """{name, groups} of rule files given as text; unreadable ones count as empty."""
    import yaml  # deferred, as before: only a rollback needs it

    out: list[dict[str, Any]] = []
    for name, text in texts.items():
        try:
            data = yamlguard.load(text or "") or {}
        except yaml.YAMLError:
            data = {}
        groups = data.get("groups") if isinstance(data, dict) else None
        out.append({"name": name, "groups": [g for g in groups if isinstance(g, dict)]
                    if isinstance(groups, list) else []})
    return out
