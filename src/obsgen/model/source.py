"""Where a definition was written: the first stack frame outside obsgen itself."""

from __future__ import annotations

import sys
from pathlib import Path

from obsgen.diagnostics import Location

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


def _is_ours(filename: str) -> bool:
    # "<string>" frames are dataclass-generated __init__ methods.
    return filename.startswith(_PACKAGE_DIR) or filename.startswith("<")


def caller_location() -> Location:
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not _is_ours(filename):
            return Location(filename, frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return Location("<unknown>")
