"""Prometheus rule files (plain, PrometheusRule manifests, several YAML documents) imported as
one definitions module each: `AlertRule`, `RecordingRule` and `RuleGroup` constants, in the
order the file has them, that `obsgen build` emits back as the same groups and rules.

Structure and lines come from check.rules.rulefile, the reader `obsgen lint` uses; a file it
finds problems in is not imported (OBS980 at each problem's line), since promtool would refuse
it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown.extensions.toc import slugify

from obsgen.check import yamlguard
from obsgen.check.foreign import ForeignFile
from obsgen.check.rules.rulefile import read_rule_file
from obsgen.diagnostics import Diagnostic, Location
from obsgen.importers.contract import Claim, Imported, ImportEnv, Module, Ref, Survey
from obsgen.importers.pysource import Names, SourceModule, constant_name, literal, text
from obsgen.model.names import METRIC_NAME
from obsgen.model.rules import _FILE_NAME, DEFAULT_SEVERITIES, MANAGED_LABELS

_TEMPLATE_LABEL = re.compile(r"\$labels\.([A-Za-z_]\w*)|\.Labels\.([A-Za-z_]\w*)"
                             r"|index\s+\$labels\s+\"([A-Za-z_]\w*)\"")
NO_RUNBOOK_NOTE = ("# obsgen: noqa-file OBS702 (imported alerts whose runbooks are not part of "
                   "this project; delete this line to list them)")


@dataclass(frozen=True)
class Rule:
    kind: str  # "alert" or "record"
    name: str
    line: int
    expr: str
    for_: str | None
    keep_firing_for: str | None
    labels: Mapping[str, str]
    annotations: Mapping[str, str]


@dataclass(frozen=True)
class Group:
    name: str
    line: int
    rules: tuple[Rule, ...]
    interval: str | None = None
    limit: int | None = None
    query_offset: str | None = None
    file: str = ""  # the rule file's own name, where obsgen would name it otherwise


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in value.items()}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _group_data(text: str) -> list[dict[str, Any]]:
    """Every group mapping of the file, across documents and PrometheusRule specs."""
    groups: list[dict[str, Any]] = []
    for node in yamlguard.compose_all(text):  # lines come from rulefile: the fast loader
        if node is None:
            continue
        data = yaml.SafeLoader("").construct_document(node)
        if isinstance(data, dict) and data.get("kind") == "PrometheusRule" \
                and "groups" not in data:
            data = data.get("spec")
        if isinstance(data, dict) and isinstance(data.get("groups"), list):
            groups += [g for g in data["groups"] if isinstance(g, dict)]
    return groups


@lru_cache(maxsize=1024)
def read(file: ForeignFile) -> tuple[tuple[Group, ...], tuple[Diagnostic, ...]]:
    """The file's groups as written, or the reasons it is not imported (cached: both passes
    and the run's project settings read each file)."""
    parsed = read_rule_file(file.path, file.text)
    problems = tuple(
        Diagnostic.of("OBS980", f"not imported: {message} ({code})", Location(file.path, line),
                      hint) for code, message, hint, line in parsed.problems)
    if problems:
        return (), problems
    data = _group_data(file.text)
    groups = []
    for group, raw in zip(parsed.groups, data, strict=False):
        rules = tuple(Rule(entry.kind, entry.name, entry.line, entry.expr,
                           _text(item.get("for")), _text(item.get("keep_firing_for")),
                           _strings(item.get("labels")), _strings(item.get("annotations")))
                      for entry, item in zip(group.rules, raw.get("rules") or [], strict=False))
        limit = raw.get("limit")
        groups.append(Group(group.name, group.line, rules, _text(raw.get("interval")),
                            limit if isinstance(limit, int) and limit else None,
                            _text(raw.get("query_offset"))))
    if len(groups) == 1:  # the file keeps its name: prometheus/<name>.rules.yml
        own = re.sub(r"\.rules$", "", Path(file.path).stem)
        if _FILE_NAME.match(own) and own != default_file(groups[0].name):
            groups[0] = replace(groups[0], file=own)
    return tuple(groups), ()


def default_file(group: str) -> str:
    """The file name obsgen gives a group of this name (see RuleGroup)."""
    return re.sub(r"[^a-z0-9_.-]+", "-", group.lower()).strip("-")


def _template_labels(rule: Rule) -> tuple[str, ...]:
    texts = [*rule.labels.values(), *rule.annotations.values()]
    return tuple(sorted({next(g for g in m.groups() if g) for t in texts
                         for m in _TEMPLATE_LABEL.finditer(t)}))


def survey(file: ForeignFile) -> Survey:
    groups, problems = read(file)
    rules = [r for g in groups for r in g.rules]
    return Survey(
        queries=tuple(r.expr for r in rules),
        alerts=tuple(r.name for r in rules if r.kind == "alert"),
        diagnostics=problems,
        claims=(*(Claim("rule group", g.name, g.line) for g in groups),
                # Each group is emitted to prometheus/<file>.rules.yml: one file per group.
                *(Claim("rule file name", g.file or default_file(g.name), g.line)
                  for g in groups)),
        template_labels=tuple((r.expr, labels) for r in rules
                              if (labels := _template_labels(r))),
        recorded=tuple(r.name for r in rules if r.kind == "record"),
    )


def _constants(groups: tuple[Group, ...], taken: Iterator[str]
               ) -> list[tuple[str, list[str]]]:
    """Each group's constant and its rules' constants, unique in the module (and apart from
    the catalog constants it may import)."""
    names = Names(set(taken))
    out = []
    for group in groups:
        rules = [names.claim(constant_name(r.name, "RULE")) for r in group.rules]
        out.append((names.claim(constant_name(group.name, "GROUP") + "_GROUP"), rules))
    return out


def alert_refs(file: ForeignFile, module: str, env: ImportEnv) -> dict[str, Ref]:
    """Where each alert of the file will be written (the first of a name wins)."""
    groups, _ = read(file)
    refs: dict[str, Ref] = {}
    for group, (_, rules) in zip(groups, _constants(groups, _taken(env)), strict=True):
        for rule, constant in zip(group.rules, rules, strict=True):
            if rule.kind == "alert":
                refs.setdefault(rule.name, Ref(module, constant))
    return refs


def _taken(env: ImportEnv) -> Iterator[str]:
    return (ref.name for ref in env.metrics.values())


def _line_noqa(*codes: tuple[str, bool]) -> str:
    wanted = [code for code, needed in codes if needed]
    return f"  # obsgen: noqa {', '.join(wanted)}" if wanted else ""


def _alert_arguments(rule: Rule, env: ImportEnv, source: SourceModule, repeated: bool,
                     page: str) -> tuple[list[str], str]:
    """The AlertRule's arguments, and a `# obsgen: noqa` for its line where needed: no
    severity (OBS202), or a name an earlier alert of its group has, whose runbook heading
    cannot get the same anchor (OBS707)."""
    labels = dict(rule.labels)
    notes = dict(rule.annotations)
    args = [literal(rule.name), f"expr={source.use(env.query(rule.expr))}"]
    args += [f"{key}={literal(value)}" for key, value in
             (("for_", rule.for_), ("keep_firing_for", rule.keep_firing_for)) if value]
    severity = labels.pop("severity", "")
    args.append(f"severity={literal(severity)}")
    args += [f"{key}={literal(labels.pop(key))}" for key in MANAGED_LABELS[1:] if labels.get(key)]
    args += [f"{key}={text(notes.pop(key))}" for key in ("summary", "description")
             if notes.get(key)]
    if labels:
        args.append(f"labels={_mapping(labels)}")
    url = notes.pop("runbook_url", "")
    if notes:
        args.append(f"annotations={_mapping(notes)}")
    if _keeps_url(rule, page, env):
        args.append(f"runbook_url={literal(url)}")
    noqa = [code for code, needed in (
        ("OBS203", not (rule.annotations.get("summary") and rule.annotations.get("description"))),
        ("OBS206", not METRIC_NAME.match(rule.name))) if needed]
    if noqa:
        args.append(f"noqa={literal(tuple(noqa))}")
    return args, _line_noqa(("OBS202", not severity), ("OBS707", repeated))


def _mapping(values: Mapping[str, str]) -> str:
    items = ", ".join(f"{literal(k)}: {text(v)}" for k, v in values.items())
    return "{" + items + "}"


def _call(constant: str, cls: str, args: list[str], comment: str = "") -> str:
    body = ",\n".join(f"    {a}" for a in args)
    return f"{constant} = {cls}({comment}\n{body},\n)"


def _rule(rule: Rule, constant: str, env: ImportEnv, source: SourceModule,
          repeated: bool, page: str) -> str:
    if rule.kind == "alert":
        source.need("obsgen", "AlertRule")
        args, comment = _alert_arguments(rule, env, source, repeated, page)
        return _call(constant, "AlertRule", args, comment)
    source.need("obsgen", "RecordingRule")
    args = [literal(rule.name), f"expr={source.use(env.query(rule.expr))}"]
    if rule.labels:
        args.append(f"labels={_mapping(rule.labels)}")
    return _call(constant, "RecordingRule", args)


def _group(group: Group, constant: str, rules: list[str]) -> str:
    args = [literal(group.name), f"rules=[{', '.join(rules)}]"]
    args += [f"{key}={literal(value)}" for key, value in (
        ("interval", group.interval), ("limit", group.limit),
        ("query_offset", group.query_offset), ("file", group.file or None))
        if value is not None]
    names = [(r.kind, r.name) for r in group.rules]
    if len(set(names)) != len(names):
        args.append('noqa=("OBS204",)')
    return _call(constant, "RuleGroup", args)


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    groups, problems = read(file)
    if problems:
        return Imported((), problems)
    source = SourceModule(module, f"Rules imported from {file.path}.")
    source.need("obsgen", "RuleGroup")
    alerts = [r for g in groups for r in g.rules if r.kind == "alert"]
    if any(r.name not in env.runbook_alerts for r in alerts):
        source.add(NO_RUNBOOK_NOTE)
    for group, (constant, rules) in zip(groups, _constants(groups, _taken(env)), strict=True):
        seen: set[tuple[str, str]] = set()
        for rule, name in zip(group.rules, rules, strict=True):
            source.add(_rule(rule, name, env, source, (rule.kind, rule.name) in seen,
                             group.file or default_file(group.name)))
            seen.add((rule.kind, rule.name))
        source.add(_group(group, constant, rules))
    return Imported((Module(module, source.render(), file.path),))


def severities(files: Iterable[ForeignFile]) -> tuple[str, ...]:
    """The project's severity set: obsgen's own, then any other the files use, in order."""
    found = dict.fromkeys(DEFAULT_SEVERITIES)
    for file in files:
        groups, _ = read(file)
        found.update(dict.fromkeys(r.labels["severity"] for g in groups for r in g.rules
                                   if r.kind == "alert" and r.labels.get("severity")))
    return tuple(found)


def runbook_urls(files: Iterable[ForeignFile]) -> dict[str, tuple[str, str]]:
    """Each alert's hand-typed runbook_url (the first of a name), with the end obsgen would
    give it after the base URL: `<page>/#<anchor>`."""
    found: dict[str, tuple[str, str]] = {}
    for file in files:
        groups, _ = read(file)
        for group in groups:
            page = group.file or default_file(group.name)
            for rule in group.rules:
                url = rule.annotations.get("runbook_url", "")
                if rule.kind == "alert" and url:
                    found.setdefault(rule.name, (url, _url_tail(page, rule.name)))
    return found


def _url_tail(page: str, alert: str) -> str:
    return f"{page}/#{slugify(alert, '-')}"


def runbook_base(urls: Mapping[str, tuple[str, str]], covered: Iterable[str]) -> str:
    """The runbook_base_url that gives most alerts with an imported runbook the URL they had
    ("" if none does); an alert whose URL it does not give keeps its own."""
    bases: dict[str, int] = {}
    for alert in covered:
        url, tail = urls.get(alert, ("", "-"))
        if url.endswith(tail):
            bases[url[: -len(tail)]] = bases.get(url[: -len(tail)], 0) + 1
    return max(sorted(bases), key=lambda base: bases[base], default="")


def _keeps_url(rule: Rule, page: str, env: ImportEnv) -> bool:
    """Whether an alert's hand-typed runbook_url must be written: obsgen writes no other, or
    a different one."""
    url = rule.annotations.get("runbook_url", "")
    return bool(url) and (rule.name not in env.runbook_alerts or not env.runbook_base_url
                          or url != env.runbook_base_url + _url_tail(page, rule.name))
