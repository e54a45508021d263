"""`obsgen check` on the generated instrumentation module: it compiles, it imports, and
`Metrics(CollectorRegistry())` registers every catalog metric (prometheus_client itself then
vouches for each name, label name and bucket list). Any failure is obsgen's bug (OBS119)."""

from __future__ import annotations

import types
from pathlib import Path

from prometheus_client import CollectorRegistry

from obsgen.diagnostics import Diagnostic, Location
from obsgen.emit.python import PYTHON_DIR

_HINT = "obsgen generated this module; please report it as a bug"


def _load(text: str, shown: str) -> str | None:
    """None when the module loads and registers; else what went wrong."""
    try:
        code = compile(text, shown, "exec")
    except SyntaxError as exc:
        return f"does not compile: {exc.msg} (line {exc.lineno})"
    module = types.ModuleType("obsgen_instrumentation_check")
    try:
        exec(code, module.__dict__)  # obsgen's own output, from the catalog
        module.Metrics(CollectorRegistry(), on_violation="drop")
    except Exception as exc:  # any failure of generated code is reported, never raised
        return f"does not load: {type(exc).__name__}: {exc}"
    return None


def check_instrumentation(artifacts: dict[str, str], shown_as: Path) -> list[Diagnostic]:
    found = []
    for rel, text in artifacts.items():
        if rel.startswith(f"{PYTHON_DIR}/") and rel.endswith(".py"):
            problem = _load(text, str(shown_as / rel))
            if problem:
                found.append(Diagnostic.of("OBS119", f"{rel} {problem}",
                                           Location(str(shown_as / rel)), _HINT))
    return found
