"""Reading and writing files of a Prometheus rules folder, and holding it for one deploy."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from obsgen.atomicfile import write_atomically
from obsgen.check.reading import regular_bytes


class BusyError(Exception):
    """Another deploy holds the rules folder."""


def read_regular(path: Path) -> str | None:
    """The exact text of a regular file; None when absent, not a regular file, or not UTF-8.
    Never follows a symlink nor opens a FIFO (that would block), and keeps \\r\\n as it is,
    so a fingerprint sees every byte."""
    data = regular_bytes(path)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def put_files(rules_dir: Path, contents: Mapping[str, str | None]) -> None:
    """Write (text) or remove (None) each file."""
    rules_dir.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        path = rules_dir / name
        if text is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        else:
            write_atomically(path, text)


def sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(rules_dir: Path) -> Iterator[None]:
    """One deploy at a time per rules folder: a second one would take the first one's rollback
    journal for an interrupted deploy and undo it. The kernel drops the lock with the process,
    so a killed deploy never leaves it held."""
    rules_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(rules_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(f"another deploy is writing to {rules_dir}") from None
        yield
    finally:
        os.close(fd)
