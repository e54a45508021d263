"""Values an imported dashboard is written with, held twice: as the Python the module says and
as the object it makes, so the importer can emit what the module will emit and keep the rest
of the input in `extra=` (see grafana_extra_diff)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from obsgen.importers.contract import Code, Import
from obsgen.importers.pysource import SourceModule, literal


@dataclass(frozen=True)
class Py:
    """A part of a definition: `code` in the module, `value` in the importer's own copy."""

    code: Code
    value: Any


def call(module: str, name: str, args: Mapping[str, Any], cls: Any) -> Py:
    """`name(k=v, ...)` imported from `module`; the object is `cls(**values)`."""
    return Py(written(module, name, args).code, cls(**{k: build(v) for k, v in args.items()}))


def written(module: str, name: str, args: Mapping[str, Any]) -> Py:
    """`name(k=v, ...)` as Python only (no object made: the build checks it)."""
    code = Code(f"{name}({', '.join(f'{k}={_text(v)}' for k, v in args.items())})",
                frozenset({Import(module, name)}) | _imports(args))
    return Py(code, None)


def _text(value: Any) -> str:
    if isinstance(value, Py):
        return value.code.text
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return literal(value)


def _imports(value: Any) -> frozenset[Import]:
    if isinstance(value, Py):
        return value.code.imports
    items = value.values() if isinstance(value, Mapping) else value if isinstance(
        value, list | tuple) else ()
    found: frozenset[Import] = frozenset()
    for item in items:
        found |= _imports(item)
    return found


def build(value: Any) -> Any:
    if isinstance(value, Py):
        return value.value
    if isinstance(value, Mapping):
        return {k: build(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [build(v) for v in value]
    return value


def source(module: SourceModule, value: Any) -> str:
    """The Python text of `value`, its imports added to `module`."""
    module.imports |= _imports(value)
    return _text(value)
