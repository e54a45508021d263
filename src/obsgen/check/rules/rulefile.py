"""A Prometheus rule file read for linting: its groups and rules with the YAML line of every
node, from a plain rule file or the `spec.groups` of a PrometheusRule manifest.

Structure problems are findings (code, message, hint, line), never exceptions: a linter reads
anyone's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import jsonschema
import yaml

from obsgen.check import yamlguard
from obsgen.check.rules.dialect import (
    VMALERT_GROUP_KEYS,
    Dialect,
    vmalert_dialect,
    without_engine_keys,
)
from obsgen.check.schemas import RULES_SCHEMA, schema_validator
from obsgen.check.yamlnodes import scalar_text, value_of
from obsgen.diagnostics import Location

Problem = tuple[str, str, str, int]  # code, message, hint, line
RULE_FILE_HINT = ("a rule file is `groups: [{name: ..., rules: [{alert|record: ..., expr: ...}]}]`"
                  ", or a PrometheusRule with those groups under `spec:`")


@dataclass(frozen=True)
class Entry:
    """One rule as written."""

    kind: str  # "alert" or "record"
    name: str
    line: int
    expr: str
    expr_at: Location  # where the expression's text starts (column 0: not exactly known)
    group: str
    for_: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # "labels.x"/"annotations.x" -> line


@dataclass(frozen=True)
class Group:
    name: str
    line: int
    interval: str | None
    rules: tuple[Entry, ...]


@dataclass(frozen=True)
class RuleFile:
    path: str
    groups: tuple[Group, ...]
    problems: tuple[Problem, ...]
    dialect: Dialect | None = None  # None: a Prometheus rule file


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _string_map(node: yaml.Node | None, prefix: str, lines: dict[str, int]) -> dict[str, str]:
    found: dict[str, str] = {}
    if not isinstance(node, yaml.MappingNode):
        return found
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
            found[str(key.value)] = str(value.value)
            lines[f"{prefix}.{key.value}"] = _line(value)
    return found


def expression_start(path: str, node: yaml.Node, source: str) -> Location:
    """Where the first character of a scalar's text is in the file. Exact for one-line plain
    scalars and `|` blocks; for others (folded, quoted across lines) only the line is known."""
    start, end = node.start_mark, node.end_mark
    style = getattr(node, "style", None)
    if style == "|":
        lines = source.splitlines()
        first = start.line + 1
        while first < len(lines) and not lines[first].strip():
            first += 1
        if first < len(lines):
            indent = len(lines[first]) - len(lines[first].lstrip(" "))
            return Location(path, first + 1, indent + 1)
    if start.line == end.line or (style in ('"', "'") and end.line == start.line + 1
                                  and end.column == 0):
        return Location(path, start.line + 1, start.column + 1 + (1 if style in ('"', "'")
                                                                   else 0))
    return Location(path, start.line + 1)


def _documents(text: str) -> Iterator[yaml.Node]:
    for document in yamlguard.compose_all(text, yaml.SafeLoader):
        if document is not None:
            yield document


def _rules_node(document: yaml.Node) -> yaml.Node | None:
    """The mapping that holds `groups`: the document, or a PrometheusRule's `spec`."""
    if value_of(document, "groups") is not None:
        return document
    if scalar_text(value_of(document, "kind")) == "PrometheusRule":
        spec = value_of(document, "spec")
        return spec if spec is not None and value_of(spec, "groups") is not None else None
    return None


def _node_at(node: yaml.Node, path: list[str | int]) -> yaml.Node:
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = value_of(node, str(step))
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            found = node.value[step] if step < len(node.value) else None
        else:
            found = None
        if found is None:
            break
        node = found
    return node


def schema_problems(holder: yaml.Node, dialect: Dialect | None = None) -> list[Problem]:
    """The rule-file schema (the one obsgen's own output is held to) on `{groups: ...}`; the
    keys only a `dialect`'s engine reads are its own, not the schema's."""
    try:
        data = without_engine_keys(yaml.SafeLoader("").construct_document(holder), dialect)
    except yaml.YAMLError as exc:  # a tag no safe loader knows (`!Ref`, `!!python/...`)
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc).strip()
        return [("OBS940", f"not valid YAML: {problem}", "remove the tag (`!name`): a rule "
                 "file holds plain strings, numbers, lists and mappings",
                 mark.line + 1 if mark is not None else _line(holder))]
    validator = schema_validator(RULES_SCHEMA)  # built once a process, compiled fast path
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        if _utf8_name(error):
            continue
        path = list(error.absolute_path)
        where = "/".join(map(str, path)) or "(document)"
        problems.append(("OBS401", f"{where}: {error.message}", "promtool refuses this too; "
                         "see the rule-file format in the Prometheus docs",
                         _line(_node_at(holder, path))))
    return problems


def _utf8_name(error: jsonschema.ValidationError) -> bool:
    """A label name outside [a-zA-Z_][a-zA-Z0-9_]* (`team-name`): Prometheus takes any UTF-8
    name since 3.0, so a file written for it is not wrong (obsgen's own output keeps to the
    classic names, which its schema check holds it to)."""
    return error.validator == "pattern" and "propertyNames" in error.relative_schema_path


@lru_cache(maxsize=4096)
def read_rule_file(path: str, text: str) -> RuleFile:
    """The file's groups and rules, and its structure problems; cached, since every file of a
    lint run is read again for the names its recording rules define."""
    try:
        documents = list(_documents(text))
    except yamlguard.Refused as exc:  # an alias bomb, or nesting too deep: nothing is walked
        return RuleFile(path, (), ((exc.code, exc.message, exc.hint, exc.line),))
    except yaml.YAMLError as exc:
        # An unterminated quote is reported at the end of the file; its start is the place
        # to fix.
        quoted = "quoted scalar" in str(getattr(exc, "context", "") or "")
        marks = ("context_mark", "problem_mark") if quoted else ("problem_mark", "context_mark")
        mark = getattr(exc, marks[0], None) or getattr(exc, marks[1], None)
        line = mark.line + 1 if mark is not None else 1
        problem = str(getattr(exc, "problem", None) or exc).strip()
        return RuleFile(path, (), (("OBS940", f"not valid YAML: {problem}",
                                    "fix the YAML syntax (indentation, quoting, `:` in values)",
                                    line),))
    groups: list[Group] = []
    problems: list[Problem] = []
    holders = [h for h in map(_rules_node, documents) if h is not None]
    dialect = vmalert_dialect(holders)
    for holder in holders:
        if _empty(value_of(holder, "groups")):
            continue  # `groups: []` or `groups:` left empty: a placeholder, said below
        reader = _Reader(path, text, [])
        node = value_of(holder, "groups") or holder
        groups += reader.groups(node)
        if reader.problems and not isinstance(node, yaml.SequenceNode):
            problems += reader.problems  # `groups` is no list: there are no groups at all
            continue
        # The schema says precisely what is wrong; the reader only what it had to skip.
        problems += schema_problems(holder, dialect) or reader.problems
    if _placeholder(documents, holders) and not problems:
        problems.append(("OBS942", "the file holds no rules: a placeholder (promtool accepts "
                         "it)", "add rule groups, or delete the file if nothing will go in it",
                         _line(documents[0]) if documents else 1))
    elif not holders:
        line = _line(documents[0]) if documents else 1
        problems.append(("OBS941", "not a rule file: no top-level `groups`, and not a "
                         "PrometheusRule with `spec.groups`", RULE_FILE_HINT, line))
    return RuleFile(path, tuple(groups), tuple(problems), dialect)


def _empty(node: yaml.Node | None) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag.endswith(":null")
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.value


def _placeholder(documents: list[yaml.Node], holders: list[yaml.Node]) -> bool:
    """`null`, `{}`, comments only, or `groups: []` / `groups:`: a file kept for rules to come."""
    if not holders:
        return all(isinstance(d, yaml.ScalarNode | yaml.MappingNode) and _empty(d)
                   for d in documents)
    return all(_empty(value_of(h, "groups")) for h in holders)


def is_rule_file(text: str) -> bool:
    """Whether YAML text is a rule file however its keys are written (quoted, flow style,
    JSON) or a placeholder one (`null`, `{}`); text that does not parse is not."""
    try:
        documents = list(_documents(text))
    except yaml.YAMLError:
        return False
    holders = [h for h in map(_rules_node, documents) if h is not None]
    return bool(holders) or _placeholder(documents, holders)


_TEMPLATE = re.compile(r"\{%|^\s*\{\{", re.MULTILINE)  # Jinja/Liquid tags, Helm actions
_RULE_KEY = re.compile(r"^\s*(?:-\s*)?[\"']?(alert|record)[\"']?\s*:", re.MULTILINE)
# Keys a rule group may have (Prometheus, Thanos' and Cortex/Mimir's additions, vmalert's).
GROUP_KEYS = frozenset({"name", "interval", "rules", "limit", "query_offset", "labels",
                        "partial_response_strategy", "source_tenants",
                        "evaluation_delay", "align_evaluation_time_on_interval"}
                       ) | VMALERT_GROUP_KEYS


def _parses(text: str) -> list[yaml.Node] | None:
    try:
        return list(_documents(text))
    except yaml.YAMLError:
        return None


def something_else(text: str) -> bool:
    """Whether a YAML file with a top-level `groups` is no rule file after all, as a folder
    walk meets them: a template (Jinja, Liquid or Helm) that is no YAML until rendered, or a
    data file whose groups hold other things than rules (a site's catalogue of alerts)."""
    if _TEMPLATE.search(text):
        return _parses(text) is None
    if _RULE_KEY.search(text):
        return False  # it holds rules: whatever is wrong with it is for the linter to say
    documents = _parses(text) or []
    groups = [g for d in documents for h in [_rules_node(d)] if h is not None
              for g in getattr(value_of(h, "groups"), "value", None) or []]
    keys = {str(k.value) for g in groups if isinstance(g, yaml.MappingNode) for k, _ in g.value}
    return bool(keys - GROUP_KEYS)


@dataclass
class _Reader:
    path: str
    source: str
    problems: list[Problem]

    def problem(self, message: str, node: yaml.Node) -> None:
        self.problems.append(("OBS941", message, RULE_FILE_HINT, _line(node)))

    def groups(self, node: yaml.Node) -> list[Group]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem("`groups` is not a list of rule groups", node)
            return []
        return [g for g in (self.group(item) for item in node.value) if g is not None]

    def group(self, node: yaml.Node) -> Group | None:
        name = scalar_text(value_of(node, "name"))
        if not isinstance(node, yaml.MappingNode) or not name:
            self.problem("a group is not a mapping with a `name`", node)
            return None
        rules = value_of(node, "rules")
        if isinstance(rules, yaml.ScalarNode) and rules.tag.endswith(":null"):
            rules = None  # `rules:` left empty: promtool accepts it, so do we
        if rules is not None and not isinstance(rules, yaml.SequenceNode):
            self.problem(f"`rules` of group {name!r} is not a list", rules)
            rules = None
        entries = [self.rule(item, name) for item in (rules.value if rules else [])]
        return Group(name, _line(node), scalar_text(value_of(node, "interval")),
                     tuple(e for e in entries if e is not None))

    def rule(self, node: yaml.Node, group: str) -> Entry | None:
        kind = "alert" if value_of(node, "alert") is not None else "record"
        name = scalar_text(value_of(node, kind))
        expr = value_of(node, "expr")
        if not isinstance(node, yaml.MappingNode) or not name or scalar_text(expr) is None:
            self.problem(f"a rule of group {group!r} lacks `alert` or `record`, or `expr`", node)
            return None
        assert expr is not None
        lines: dict[str, int] = {}
        labels = _string_map(value_of(node, "labels"), "labels", lines)
        annotations = _string_map(value_of(node, "annotations"), "annotations", lines)
        return Entry(kind, name, _line(node), str(expr.value),
                     expression_start(self.path, expr, self.source), group,
                     scalar_text(value_of(node, "for")), labels, annotations, lines)
