"""The `job` values an Alloy config gives the series it scrapes, read from the syntax tree.

A `prometheus.scrape` component's job is its `job_name`, else the component's id
(`prometheus.scrape.<label>`, Alloy's default), unless a target carries a `job` label of its
own. Where the set cannot be known from the file (targets from file/HTTP discovery or an
exporter, relabelling from a capture, honor_labels, metrics received rather than scraped,
components inside modules) it is open: None.
"""

from __future__ import annotations

from collections.abc import Iterator

from obsgen.alloy import ast
from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.check.prometheus_config import literal_job

Jobs = frozenset[str] | None
DEFAULT = ""  # stands for "the scrape component's own job name" until it is known
# Targets from these carry no `job` label: only `__meta_*` labels and the address.
_LABEL_FREE = ("discovery.kubernetes", "discovery.docker", "discovery.dns", "discovery.ec2",
               "discovery.consul", "discovery.azure", "discovery.gce", "discovery.nomad",
               "discovery.dockerswarm", "discovery.eureka", "discovery.openstack")
# Components through which series arrive with jobs set elsewhere.
_OPEN = ("prometheus.receive_http", "prometheus.operator.", "otelcol.exporter.prometheus",
         "import.")


def _blocks(body: ast.Body) -> dict[str, ast.Block]:
    return {f"{b.full_name}.{b.label}": b for b in body.stmts
            if isinstance(b, ast.Block) and b.label is not None}


def _attr(block: ast.Block, name: str) -> ast.Expr | None:
    return next((s.value for s in block.body.stmts
                 if isinstance(s, ast.Attribute) and s.name == name), None)


def _string(expr: ast.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ast.StringLiteral) else None


def _rule_jobs(block: ast.Block) -> Iterator[str | None]:
    for rule in block.body.stmts:
        if isinstance(rule, ast.Block) and rule.full_name == "rule" and _string(
                _attr(rule, "target_label")) == "job":
            replacement = _attr(rule, "replacement")
            yield literal_job(_string(_attr(rule, "action")),
                              "$1" if replacement is None else _string(replacement))


def _reference(expr: ast.Expr) -> str | None:
    """`discovery.relabel.pods.output` -> `discovery.relabel.pods`."""
    parts: list[str] = []
    while isinstance(expr, ast.Access):
        parts.insert(0, expr.name)
        expr = expr.value
    if not isinstance(expr, ast.Identifier) or len(parts) < 2:
        return None
    return ".".join([expr.name, *parts[:-1]])


def _is_concat(func: ast.Expr) -> bool:
    return isinstance(func, ast.Access) and func.name == "concat" and isinstance(
        func.value, ast.Identifier) and func.value.name == "array"


class _Resolver:
    def __init__(self, body: ast.Body) -> None:
        self.blocks = _blocks(body)

    def targets(self, expr: ast.Expr | None, depth: int = 0) -> Jobs:
        """The `job` labels targets carry (DEFAULT: none of their own)."""
        if expr is None or depth > 20:
            return None
        if isinstance(expr, ast.Array):
            return self.union(self.target(e) for e in expr.elements)
        if isinstance(expr, ast.Call) and _is_concat(expr.func):
            return self.union(self.targets(a, depth + 1) for a in expr.args)
        name = _reference(expr)
        block = self.blocks.get(name or "")
        if block is None:
            return None
        if block.full_name.startswith(_LABEL_FREE):
            return frozenset({DEFAULT})
        if block.full_name == "discovery.relabel":
            return self.union([self.targets(_attr(block, "targets"), depth + 1),
                               self.relabelled(block)])
        return None

    def target(self, expr: ast.Expr) -> Jobs:
        if not isinstance(expr, ast.Object):
            return None
        job = next((f.value for f in expr.fields if f.key == "job"), None)
        if job is None:
            return frozenset({DEFAULT})
        value = _string(job)
        return frozenset({value}) if value is not None else None

    @staticmethod
    def relabelled(block: ast.Block) -> Jobs:
        jobs = list(_rule_jobs(block))
        return None if None in jobs else frozenset(j for j in jobs if j is not None)

    @staticmethod
    def union(parts: Iterator[Jobs] | list[Jobs]) -> Jobs:
        found: set[str] = set()
        for part in parts:
            if part is None:
                return None
            found |= part
        return frozenset(found)


def _scrape_jobs(resolver: _Resolver, block: ast.Block) -> Jobs:
    honor = _attr(block, "honor_labels")
    if isinstance(honor, ast.BoolLiteral) and honor.value:
        return None
    name_expr = _attr(block, "job_name")
    own = _string(name_expr) if name_expr is not None else f"prometheus.scrape.{block.label}"
    found = resolver.targets(_attr(block, "targets"))
    if own is None or found is None:
        return None
    return frozenset(own if job == DEFAULT else job for job in found)


def alloy_jobs(text: str) -> Jobs:
    """Every job the config's scrape components give their series; None when open."""
    try:
        body = parse(text)
    except (AlloySyntaxError, RecursionError):
        return None
    resolver = _Resolver(body)
    jobs: set[str] = set()
    for stmt in body.stmts:
        if not isinstance(stmt, ast.Block):
            continue
        name = stmt.full_name
        if name.startswith(_OPEN) or name in ("declare", "module.file", "module.git"):
            return None
        found: Jobs = frozenset()
        if name == "prometheus.scrape":
            found = _scrape_jobs(resolver, stmt)
        elif name == "prometheus.relabel":
            found = resolver.relabelled(stmt)
        if found is None:
            return None
        jobs |= found
    return frozenset(jobs)
