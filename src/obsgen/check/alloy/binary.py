"""Where the `alloy` binary is, if anywhere: `obsgen check` runs it when there is one, so
whether there is one is also part of what a recorded check depended on."""

from __future__ import annotations

import os
import shutil


def find_alloy() -> str | None:
    """$ALLOY (a name or a path), else `alloy` on PATH."""
    named = os.environ.get("ALLOY")
    return shutil.which(named) if named else shutil.which("alloy")
