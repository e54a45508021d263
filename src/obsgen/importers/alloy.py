"""`obsgen import` of an Alloy config: the inverse of `obsgen.emit.alloy`.

Every top-level block becomes one pipeline component, in the order of the file. A block the
pipeline model can state (`prometheus.scrape`, `prometheus.remote_write`, the OTLP receiver,
batch and exporter, the journal, `loki.process`, `loki.write`) becomes its model object when the
model emits exactly that block again (`env()` modernised to `sys.env()`); every other block, and
any the model would change, is kept as an `AlloyBlock` of its text in canonical layout, comments
included. A credential written as a string literal is never copied into Python: it is replaced by
`sys.env("NAME")` and reported (OBS985) with the NAME to export.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.parser import AlloySyntaxError, parse
from obsgen.alloy.printer import end_line, format_body
from obsgen.check.foreign import ForeignFile
from obsgen.diagnostics import DefinitionError, Diagnostic, Location
from obsgen.emit.alloy import component_blocks
from obsgen.importers.alloy_components import Candidate, Job, Target, Value, recognise
from obsgen.importers.contract import Code, Import, Imported, ImportEnv, Module, Survey
from obsgen.importers.pysource import Names, SourceModule, constant_name, literal, text
from obsgen.model.alloy_block import literal_secrets
from obsgen.model.pipeline import PipelineComponent, Scrape
from obsgen.model.pipeline_values import Env


def survey(file: ForeignFile) -> Survey:
    """An Alloy config defines no alert and reads no query: only whether it parses matters."""
    try:
        parse(file.text, file.path)
    except AlloySyntaxError as exc:
        return Survey(diagnostics=(Diagnostic.of(
            "OBS980", f"not valid Alloy syntax: {exc.message}",
            Location(file.path, exc.line, exc.column), "fix the config (obsgen lint shows every "
            "error), then import it again"),))
    return Survey()


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    """The pipeline module; nothing when the file does not parse (`survey` reported it)."""
    del env  # a pipeline refers to no metric or alert
    try:
        found, body = _without_secrets(file)
    except AlloySyntaxError:
        return Imported()
    found += [Diagnostic.of("OBS986", "a top-level attribute is no pipeline component; it was "
                            "kept as a comment of the pipeline module",
                            Location(file.path, s.pos.line), "Alloy reads attributes only inside "
                            "blocks: move it into the block it configures")
              for s in body.stmts if isinstance(s, ast.Attribute)]
    # Pieces are cut from the canonical text, so a kept block's text is canonical as it is.
    canonical = format_body(body)
    pieces, loose = _pieces(canonical, parse(canonical, file.path))
    if not pieces:
        found.append(Diagnostic.of("OBS980", "the config holds no block to import",
                                   Location(file.path, 1), "import a config with components"))
        return Imported(diagnostics=tuple(found))
    source = _module_source(file, module, pieces, _modelled(pieces), [t for _, t in loose])
    return Imported((Module(module, source, file.path),), tuple(found))


# --- secrets -----------------------------------------------------------------------------------


def _without_secrets(file: ForeignFile) -> tuple[list[Diagnostic], ast.Body]:
    """An OBS985 for every literal credential (the message names no value), and the file
    parsed with each replaced by `sys.env("NAME")`."""
    body = parse(file.text, file.path)
    names = Names()
    edits: list[tuple[int, int, str]] = []
    found: list[Diagnostic] = []
    for block in (s for s in body.stmts if isinstance(s, ast.Block)):
        owner = block.label or block.full_name
        for name, value in literal_secrets(ast.Body((block,))):
            placeholder = names.claim(constant_name(f"{owner}_{name}", "SECRET"))
            start = value.pos.offset
            edits.append((start, start + len(value.text or ""), f'sys.env("{placeholder}")'))
            found.append(Diagnostic.of(
                "OBS985", f'{block.full_name} gives "{name}" as a string literal; the secret is '
                          "not copied into the definitions",
                Location(file.path, value.pos.line, value.pos.column),
                f'the import writes sys.env("{placeholder}") in its place: export {placeholder} '
                "where Alloy runs, and rotate the secret if this file was ever shared"))
    if not edits:
        return found, body
    clean = file.text
    for start, end, replacement in sorted(edits, reverse=True):
        clean = clean[:start] + replacement + clean[end:]
    return found, parse(clean, file.path)


# --- the file's blocks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A top-level block with the source lines that belong to it: the comments and blank lines
    before it, and its own."""

    block: ast.Block
    text: str
    comments: tuple[str, ...]  # the comments among those lines, as written

    @property
    def id(self) -> str:
        name = self.block.full_name
        return f"{name}.{self.block.label}" if self.block.label is not None else name


def _pieces(text: str, body: ast.Body) -> tuple[list[Piece], list[tuple[int, str]]]:
    """The file's blocks with their lines, and its top-level attributes (line, text): Alloy
    runs no attribute outside a block, and a pipeline has no place for one."""
    lines = text.split("\n")
    pieces: list[Piece] = []
    loose: list[tuple[int, str]] = []
    first = 1
    for n, stmt in enumerate(body.stmts):
        last = end_line(stmt) if n + 1 < len(body.stmts) else len(lines)
        part = "\n".join(lines[first - 1:last])
        if isinstance(stmt, ast.Block):
            comments = tuple(c.text for g in body.comments for c in g.comments
                             if first <= c.pos.line <= last)
            pieces.append(Piece(stmt, part, comments))
        else:
            loose.append((stmt.pos.line, part.strip("\n")))
        first = last + 1
    return pieces, loose


def _modern(node: object) -> object:
    """`env("X")` as `sys.env("X")`: the model writes the current spelling of the same call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Identifier) \
            and node.func.name == "env":
        node = dataclasses.replace(node, func=ast.Access(ast.Identifier("sys"), "env"))
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return tuple(_modern(i) for i in node) if isinstance(node, tuple) else node
    changes = {f.name: _modern(getattr(node, f.name)) for f in dataclasses.fields(node)
               if f.compare}
    return dataclasses.replace(node, **changes)


# --- which blocks the model states -------------------------------------------------------------


def _modelled(pieces: list[Piece]) -> dict[int, PipelineComponent]:
    """The model object of every piece that is one (by index), after its targets."""
    candidates: dict[int, Candidate] = {}
    for i, piece in enumerate(pieces):
        found = recognise(piece.block, pieces[i - 1].block if i else None)
        if found is not None:
            candidates[i] = found
    while True:
        built, failed = _build_all(pieces, candidates)
        if not failed:
            return built
        for i in failed:
            del candidates[i]


def _build_all(pieces: list[Piece], candidates: Mapping[int, Candidate]
               ) -> tuple[dict[int, PipelineComponent], set[int]]:
    index = {p.id: i for i, p in enumerate(pieces)}
    built: dict[int, PipelineComponent] = {}
    failed: set[int] = set()

    def build(i: int, visiting: frozenset[int]) -> bool:
        if i in built or i in failed:
            return i in built
        targets = [index.get(t, -1) for t in candidates[i].targets]
        if any(t not in candidates or t in visiting or not build(t, visiting | {i})
               for t in targets):
            failed.add(i)
            return False
        by_id = {pieces[t].id: built[t] for t in targets}
        try:
            component = candidates[i].build(by_id)
        except DefinitionError:
            failed.add(i)
            return False
        original = tuple(p.block for p in pieces[i + 1 - candidates[i].blocks:i + 1])
        if _modern(component_blocks(component)) != _modern(original):
            failed.add(i)
            return False
        built[i] = component
        return True

    for i in candidates:
        build(i, frozenset())
    return built, failed


# --- the Python module -------------------------------------------------------------------------


def _pipeline_name(path: str) -> str:
    stem = re.sub(r"\.alloy$", "", path.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return name if name and re.match(r"^[a-z0-9]", name) else "config"


def _obsgen(name: str) -> Code:
    return Code(name, frozenset({Import("obsgen", name)}))


def _module_source(file: ForeignFile, module: str, pieces: list[Piece],
                   built: dict[int, PipelineComponent], loose: list[str]) -> str:
    candidates = {i: recognise(pieces[i].block, pieces[i - 1].block if i else None)
                  for i in built}
    consumed = {i - 1 for i, c in candidates.items() if c is not None and c.blocks == 2}
    kept = [i for i in range(len(pieces)) if i not in built and i not in consumed]
    out = SourceModule(module, f"Alloy pipeline imported from {file.path}: {len(built)} "
                               f"components as model objects, {len(kept)} blocks kept as "
                               "written.")
    names = Names()
    constants: dict[int, str] = {}
    for i in _order(pieces, candidates, consumed):
        candidate = candidates.get(i)
        statement = _model_statement(out, names, candidate, pieces, constants, i) \
            if candidate is not None else _kept_statement(out, names, pieces[i], constants, i)
        out.add(statement)
    members = ", ".join(constants[i] for i in sorted(constants))
    pipeline = out.use(_obsgen("Pipeline"))
    lines = ["Top-level attributes of the config, not imported:",
             *(line for t in loose for line in t.split("\n"))] if loose else []
    note = "".join(f"# {line}\n".replace("# \n", "#\n") for line in lines)
    out.add(f"{note}PIPELINE = {pipeline}([{members}], "
            f"name={literal(_pipeline_name(file.path))})")
    return out.render()


def _order(pieces: list[Piece], candidates: Mapping[int, Candidate | None],
           consumed: set[int]) -> list[int]:
    """The file's order, except that a model object comes after the objects it names."""
    index = {p.id: n for n, p in enumerate(pieces)}
    done: list[int] = []

    def visit(i: int) -> None:
        if i in done:
            return
        candidate = candidates.get(i)
        for target in candidate.targets if candidate is not None else ():
            visit(index[target])
        done.append(i)

    for i in range(len(pieces)):
        if i not in consumed:
            visit(i)
    return done


def _comments(piece: Piece, consumed: Piece | None = None) -> str:
    texts = [*(consumed.comments if consumed else ()), *piece.comments]
    lines = [line.strip() for c in texts for line in c.removeprefix("//").split("\n")]
    return "".join(f"# {line}\n".replace("# \n", "#\n") for line in lines)


def _kept_statement(out: SourceModule, names: Names, piece: Piece, constants: dict[int, str],
                    i: int) -> str:
    constants[i] = names.claim(constant_name(piece.id, "BLOCK"))
    block = out.use(_obsgen("AlloyBlock"))
    return f"{constants[i]} = {block}({text(piece.text.strip(chr(10)))})"


def _model_statement(out: SourceModule, names: Names, candidate: Candidate, pieces: list[Piece],
                     constants: dict[int, str], i: int) -> str:
    index = {p.id: n for n, p in enumerate(pieces)}
    constants[i] = names.claim(constant_name(f"{candidate.label} {candidate.cls.__name__}"))
    defaults = {f.name: f.default for f in dataclasses.fields(candidate.cls)}
    lead: list[str] = []
    args: list[str] = []
    for key, value in candidate.arguments:
        if key != "job" and defaults.get(key, dataclasses.MISSING) == _plain(value):
            continue
        if isinstance(value, Job):
            job = names.claim(constant_name(value.name) + "_JOB")
            kwargs = "".join(f", {k}={literal(v)}" for k, v in value.arguments().items())
            lead.append(f"{job} = {out.use(_obsgen('ScrapeJob'))}({literal(value.name)}"
                        f"{kwargs})")
            args.append(job)
        else:
            args.append(f"{key}={_value(out, value, index, constants)}")
    if candidate.cls is Scrape:
        spec = next(v for k, v in candidate.arguments if k == "job")
        assert isinstance(spec, Job)
        if re.sub(r"\W", "_", spec.name) != candidate.label:
            args.append(f"label={literal(candidate.label)}")
    else:
        args.insert(0, literal(candidate.label))
    cls = out.use(_obsgen(candidate.cls.__name__))
    consumed = pieces[i - 1] if candidate.blocks == 2 else None
    head = _comments(pieces[i], consumed)
    return "\n".join([*lead, f"{head}{constants[i]} = {cls}({', '.join(args)})"])


def _plain(value: Value) -> object:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def _value(out: SourceModule, value: Value, index: dict[str, int],
           constants: dict[int, str]) -> str:
    if isinstance(value, Env):
        return f"{out.use(_obsgen('Env'))}({literal(value.name)})"
    if isinstance(value, Target):
        return constants[index[value.id]]
    if isinstance(value, tuple):
        items = [_value(out, v, index, constants) for v in value]
        return items[0] if len(items) == 1 else f"[{', '.join(items)}]"
    return literal(value)

