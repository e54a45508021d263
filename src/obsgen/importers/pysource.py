"""The Python that importers write: literals, names and modules.

Modules are built unformatted; the run formats every module it writes with `ruff format` in one
call (`format_tree`), so the code reads as a person would have laid it out and importing the
same inputs twice gives the same bytes.
"""

from __future__ import annotations

import keyword
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from obsgen.importers.contract import Code, Import


def literal(value: object) -> str:
    """`value` (str, int, float, bool, None, list, tuple, dict of those) as Python source."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        items = ", ".join(literal(v) for v in value)
        if isinstance(value, tuple):
            return f"({items},)" if len(value) == 1 else f"({items})"
        return f"[{items}]"
    raise TypeError(f"no Python literal for {type(value).__name__}")


_PLAIN_BLOCK = re.compile(r"[^\\\x00-\x08\x0b-\x1f\x7f]*")


def text(value: str) -> str:
    """A string literal; a multi-line text becomes a triple-quoted block a person can edit."""
    if "\n" in value.strip("\n") and '"""' not in value and not value.endswith('"') \
            and _PLAIN_BLOCK.fullmatch(value):
        return '"""\\\n' + value + '"""'
    return repr(value)


def _words(value: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def constant_name(value: str, fallback: str = "ITEM") -> str:
    """`HighErrorRate`, `node-exporter`, `up:ratio` -> `HIGH_ERROR_RATE`, `NODE_EXPORTER`..."""
    name = "_".join(w.upper() for w in _words(value)) or fallback
    return f"_{name}" if name[0].isdigit() else name


def module_name(value: str, fallback: str = "imported") -> str:
    """A file or title as a module name: `Kubernetes / Pods.json` -> `kubernetes_pods`."""
    name = "_".join(w.lower() for w in _words(value)) or fallback
    name = f"m_{name}" if name[0].isdigit() else name
    return f"{name}_" if keyword.iskeyword(name) else name


@dataclass
class Names:
    """Unique names within one scope (a module, or the run's set of modules): the second
    `HIGH_LOAD` becomes `HIGH_LOAD_2`. Handed out in input order, so runs are repeatable."""

    taken: set[str] = field(default_factory=set)

    def claim(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.taken:
            n += 1
            name = f"{wanted}_{n}"
        self.taken.add(name)
        return name


@dataclass
class SourceModule:
    """A module being written: its docstring, the names it imports, its statements."""

    name: str  # dotted, relative to the definitions package
    docstring: str
    imports: set[Import] = field(default_factory=set)
    statements: list[str] = field(default_factory=list)

    def use(self, code: Code) -> str:
        self.imports |= code.imports
        return code.text

    def need(self, module: str, *names: str) -> None:
        self.imports |= {Import(module, n) for n in names}

    def add(self, statement: str) -> None:
        self.statements.append(statement)

    def render(self) -> str:
        head = f'"""{self.docstring}"""' if '"""' not in self.docstring and \
            not self.docstring.endswith('"') else repr(self.docstring)
        parts = [head, "\n".join(self._import_lines())] if self.imports else [head]
        return "\n\n".join(parts + self.statements) + "\n"

    def _import_lines(self) -> Iterable[str]:
        by_module: dict[str, set[str]] = {}
        for item in self.imports:
            by_module.setdefault(self._resolve(item.module), set()).add(item.name)
        absolute = sorted(m for m in by_module if not m.startswith("."))
        relative = sorted((m for m in by_module if m.startswith(".")),
                          key=lambda m: (-len(m) + len(m.lstrip(".")), m))
        for group in (absolute, relative):
            for module in group:
                yield f"from {module} import {', '.join(sorted(by_module[module]))}"
            if group and group is absolute and relative:
                yield ""

    def _resolve(self, module: str) -> str:
        if not module.startswith(":"):
            return module
        return "." * (self.name.count(".") + 1) + module[1:]


class FormatError(Exception):
    pass


def _ruff() -> list[str]:
    beside = Path(sys.executable).parent / "ruff"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("ruff")
    return [found] if found else [sys.executable, "-m", "ruff"]


def format_tree(folder: Path) -> None:
    """Lay out every Python file under `folder` as `ruff format` does (its defaults, whatever
    configuration surrounds the folder) and sort their imports."""
    for args in (["check", "--select", "I", "--fix", "--quiet"], ["format", "--quiet"]):
        # Run from the folder itself: isort's first-party guess (the imported project's own
        # package vs obsgen) must be the one `ruff check` makes later in the written project.
        run = subprocess.run([*_ruff(), *args, "--isolated", "--no-cache", "."], cwd=folder,
                             capture_output=True, text=True, timeout=300, check=False)
        if run.returncode != 0:
            raise FormatError(run.stderr.strip() or run.stdout.strip())
