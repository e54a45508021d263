"""Replacing one file so that a reader sees the old bytes or the new ones, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: str | bytes, durable: bool = False) -> None:
    """A temp file in the same folder, renamed over the target (text is written as UTF-8,
    newlines as given). The temp name ends in .tmp, so a `*.rules.yml` glob never matches it.
    `durable` also flushes it to disk before the rename (for what must survive a power cut)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        temp.chmod(0o644)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
