"""Semantic checks of Alloy configs over their syntax tree, without the Alloy binary.

What `alloy validate` reports for the components in obsgen.alloy.components (unknown component,
unknown or missing argument or block, wrong literal type, reference to a component or export that
does not exist, duplicate labels, cycles), plus obsgen's own lint: deprecated functions and
arguments, credentials written as literals, listeners on every interface.

Several files given together form one config, as in an Alloy config directory: they share one
scope. `lint_alloy` is the `obsgen lint` entry point (contract in obsgen.check.foreign). Blocks
and arguments are checked here, values in check/alloy/values.py, and references, once every
scope is known, in check/alloy/references.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.component_table.config_blocks import CONFIG_BLOCKS, SERVICE_BLOCKS
from obsgen.alloy.component_types import Attr, Block, Members, ValueType
from obsgen.alloy.components import BY_NAME, GO_TYPES, OTHER_COMPONENTS
from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.check.alloy.references import Collected, reference_findings
from obsgen.check.alloy.scope import Node, Scope, declared_component
from obsgen.check.alloy.values import at, type_findings, value_findings
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.diagnostics import Diagnostic, Location

SYNTAX_CODE = "OBS801"  # the Alloy syntax helper's code for a parse error


@dataclass(frozen=True)
class AlloyFile:
    path: str
    body: ast.Body


def lint_alloy(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
    """`obsgen lint` on one foreign .alloy file: a syntax error becomes diagnostics at its
    line:col, else the semantic checks run. Never raises on bad input."""
    try:
        body = parse(file.text, file.path)
        return validate([AlloyFile(file.path, body)])
    except AlloySyntaxError as exc:
        return [Diagnostic.of(SYNTAX_CODE, issue.message,
                              Location(file.path, issue.line, issue.column),
                              "fix the Alloy syntax at this position")
                for issue in exc.errors]
    except RecursionError:  # pathological nesting must not crash `obsgen lint`
        return [Diagnostic.of(SYNTAX_CODE, "expressions or blocks are nested too deeply",
                              Location(file.path, 1, 1), "flatten the nesting")]


def validate_text(text: str, path: str) -> list[Diagnostic]:
    """Parse and validate one config (our own emitted output, or a test's input)."""
    return lint_alloy(ForeignFile(path, text, "alloy"), LintContext(()))


def validate(files: Sequence[AlloyFile]) -> list[Diagnostic]:
    """Validate the files of one config; findings in source order per file."""
    checker = _Checker()
    root = Scope("root", None)
    stmts = [(f.path, s) for f in files for s in f.body.stmts]
    checker.body(stmts, root)
    found = [*checker.found, *reference_findings(checker.exprs, checker.nodes)]
    return sorted(found, key=Diagnostic.sort_key)


# --- the checker ---------------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self.nodes: list[Node] = []
        self.exprs: list[Collected] = []

    def add(self, code: str, message: str, where: Location, hint: str | None = None) -> None:
        self.found.append(Diagnostic.of(code, message, where, hint))

    # -- statements --

    def body(self, stmts: list[tuple[str, ast.Stmt]], scope: Scope) -> None:
        """One scope's statements: declarations first (a block may use a `declare` written
        after it), then every block."""
        for _, stmt in stmts:
            if isinstance(stmt, ast.Block) and stmt.full_name == "declare" and stmt.label:
                scope.custom.setdefault(stmt.label, stmt)
            if isinstance(stmt, ast.Block) and stmt.name[0] == "import" and stmt.label:
                scope.namespaces.add(stmt.label)
        seen: dict[str, tuple[str, ast.Block]] = {}
        for path, stmt in stmts:
            if isinstance(stmt, ast.Block):
                self._duplicate(path, stmt, seen)
                self.block(path, stmt, scope)

    def _duplicate(self, path: str, block: ast.Block, seen: dict[str, tuple[str, ast.Block]]
                   ) -> None:
        key = block.full_name + (f".{block.label}" if block.label else "")
        if block.label is None and block.full_name not in SERVICE_BLOCKS:
            return
        if key in seen:
            first_path, first = seen[key]
            self.add("OBS825", f"block {key} already declared at "
                     f"{first_path}:{first.pos.line}:{first.pos.column}", at(path, block.pos),
                     "give each block its own label, or remove the copy")
        else:
            seen[key] = (path, block)

    def block(self, path: str, block: ast.Block, scope: Scope) -> None:
        name = block.full_name
        if name in SERVICE_BLOCKS:
            self._service(path, block, scope)
        elif name == "declare":
            self._declare(path, block, scope)
        elif name in ("argument", "export"):
            self._module_block(path, block, scope)
        elif name == "foreach" or name.startswith("import."):
            self._labelled_config(path, block, scope)
        else:
            self._component(path, block, scope)

    def _service(self, path: str, block: ast.Block, scope: Scope) -> None:
        if scope.kind != "root":
            where = "module" if scope.kind == "module" else "foreach"
            self.add("OBS821", f"{block.full_name} not allowed in {where}",
                     at(path, block.pos), "service blocks belong at the top of the root config")
            return
        schema = CONFIG_BLOCKS.get(block.full_name)
        if schema is not None:
            self.members(path, block, schema.arguments, scope, None, [])
        else:
            self._expressions(path, block.body, scope, None)

    def _declare(self, path: str, block: ast.Block, scope: Scope) -> None:
        if block.label is None:
            self.add("OBS830", "declare block must have a label", at(path, block.pos),
                     'declare "name" { ... }')
            return
        module = Scope("module", scope)
        self.body([(path, s) for s in block.body.stmts], module)

    def _module_block(self, path: str, block: ast.Block, scope: Scope) -> None:
        name = block.full_name
        if scope.kind != "module":
            self.add("OBS821", f"{name} blocks only allowed inside a module",
                     at(path, block.pos), "argument and export belong inside a declare block")
            return
        if block.label is None:
            self.add("OBS830", f"{name} block must have a label", at(path, block.pos),
                     f'{name} "name" {{ ... }}')
        elif name == "argument":
            scope.nodes[f"argument.{block.label}"] = Node(
                f"argument.{block.label}", path, block, None, scope)
        self.members(path, block, CONFIG_BLOCKS[name].arguments, scope, None, [])

    def _labelled_config(self, path: str, block: ast.Block, scope: Scope) -> None:
        name = block.full_name
        schema = CONFIG_BLOCKS.get(name)
        if schema is None:
            self._component(path, block, scope)
            return
        if block.label is None:
            self.add("OBS830", f"{name} block must have a label", at(path, block.pos),
                     f'{name} "name" {{ ... }}')
        self.members(path, block, schema.arguments, scope, None, [])
        if name == "foreach":
            self._template(path, block, scope)

    def _template(self, path: str, block: ast.Block, scope: Scope) -> None:
        inner = Scope("foreach", scope)
        for stmt in block.body.stmts:
            if (isinstance(stmt, ast.Attribute) and stmt.name == "var"
                    and isinstance(stmt.value, ast.StringLiteral)):
                inner.locals.add(stmt.value.value)
        for stmt in block.body.stmts:
            if isinstance(stmt, ast.Block) and stmt.full_name == "template":
                self.body([(path, s) for s in stmt.body.stmts], inner)

    def _component(self, path: str, block: ast.Block, scope: Scope) -> None:
        name = block.full_name
        declared = scope.declared(name)
        component = BY_NAME.get(name) or (declared_component(name, declared) if declared else None)
        if component is None and name not in OTHER_COMPONENTS and not scope.knows_component(name):
            self.add("OBS820", f'cannot find the definition of component name "{name}"',
                     at(path, block.pos), "check the component name against Alloy's reference")
            return
        if block.label is None:
            self.add("OBS830", f'component "{name}" must have a label', at(path, block.pos),
                     f'{name} "name" {{ ... }}')
            return
        ident = f"{name}.{block.label}"
        node = Node(ident, path, block, component, scope)
        scope.nodes.setdefault(ident, node)
        self.nodes.append(node)
        if component is not None:
            self.members(path, block, component.arguments, scope, node, [])
        else:
            self._expressions(path, block.body, scope, node)

    # -- bodies against a schema --

    def members(self, path: str, block: ast.Block, members: Members, scope: Scope,
                node: Node | None, stack: list[Block]) -> None:
        by_name = {m.name: m for m in members}
        present: dict[str, int] = {}
        for stmt in block.body.stmts:
            if isinstance(stmt, ast.Attribute):
                self._attribute(path, stmt, by_name.get(stmt.name), scope, node)
                present[stmt.name] = present.get(stmt.name, 0) + 1
            else:
                member = self._inner_block(path, stmt, by_name, scope, node, stack)
                if member is not None:
                    count = present.get(member.name, 0) + 1
                    present[member.name] = count
                    if count == 2 and not member.repeatable:
                        self.add("OBS831", f'block "{stmt.full_name}" may only be specified '
                                 "once", at(path, stmt.pos), "merge the two blocks into one")
        for required in members:
            if required.required and required.name not in present:
                kind = "attribute" if isinstance(required, Attr) else "block"
                self.add("OBS822", f'missing required {kind} "{required.name}"',
                         at(path, block.pos), f"add `{required.name}` to this block")

    def _attribute(self, path: str, stmt: ast.Attribute, member: Attr | Block | None,
                   scope: Scope, node: Node | None) -> None:
        if not isinstance(member, Attr):
            self.add("OBS821", f'unrecognized attribute name "{stmt.name}"',
                     at(path, stmt.pos), "check the argument name against the component's "
                     "reference; it may be a block, or belong to another block")
            self._collect(path, stmt.value, scope, node, None)
            return
        if member.deprecated:
            self.add("OBS827", f'argument "{stmt.name}" is deprecated', at(path, stmt.pos),
                     f"use {member.deprecated} instead")
        expected = GO_TYPES.get(member.go_type.lstrip("*"))
        self.found.extend(value_findings(path, stmt.name, stmt.value))
        if expected is not None:
            self.found.extend(type_findings(path, stmt.value, expected, member.go_type.lstrip("*")))
        self._collect(path, stmt.value, scope, node, expected)

    def _inner_block(self, path: str, stmt: ast.Block, by_name: dict[str, Attr | Block],
                     scope: Scope, node: Node | None, stack: list[Block]) -> Block | None:
        first, rest = stmt.name[0], ".".join(stmt.name[1:])
        member = by_name.get(stmt.full_name) or by_name.get(first)
        if isinstance(member, Block) and member.enum and member.name == first and rest:
            options = member.members
            if member.recursive:
                options = next((b.members for b in reversed(stack) if b.name == member.name
                                and not b.recursive), ())
            choice = next((m for m in options if m.name == rest and isinstance(m, Block)), None)
            if choice is None:
                self._unknown_block(path, stmt)
                return member
            self._descend(path, stmt, choice, scope, node, [*stack, member])
            return member
        if not isinstance(member, Block) or member.name != stmt.full_name:
            self._unknown_block(path, stmt)
            self._expressions(path, stmt.body, scope, node)
            return None
        self._descend(path, stmt, member, scope, node, [*stack, member])
        return member

    def _descend(self, path: str, stmt: ast.Block, member: Block, scope: Scope,
                 node: Node | None, stack: list[Block]) -> None:
        if member.unchecked:
            if member.name != "template":
                self._expressions(path, stmt.body, scope, node)
            return
        self.members(path, stmt, member.members, scope, node, stack)

    def _unknown_block(self, path: str, stmt: ast.Block) -> None:
        self.add("OBS821", f'unrecognized block name "{stmt.full_name}"', at(path, stmt.pos),
                 "check the block name against the component's reference")

    def _expressions(self, path: str, body: ast.Body, scope: Scope, node: Node | None
                     ) -> None:
        """An unmodelled body: its values are still linted and its references resolved."""
        for stmt in body.stmts:
            if isinstance(stmt, ast.Attribute):
                self.found.extend(value_findings(path, stmt.name, stmt.value))
                self._collect(path, stmt.value, scope, node, None)
            else:
                self._expressions(path, stmt.body, scope, node)

    def _collect(self, path: str, expr: ast.Expr, scope: Scope, node: Node | None,
                 expected: ValueType | None) -> None:
        self.exprs.append((path, expr, scope, node, expected))
