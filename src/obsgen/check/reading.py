"""Reading files anyone may have put in a linted folder: regular files only, never more than a
size limit, and never an exception.

A FIFO named `alerts.yml` would block a plain `open()` forever and a symlink to /dev/zero would
be read until memory runs out, so a path is stat'ed before it is opened, opened non-blocking,
and fstat'ed again (it may have been swapped in between); only regular files are read, and only
up to the limit.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from obsgen.diagnostics import Diagnostic, Location

DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024
MAX_FILE_SIZE_ENV = "OBSGEN_MAX_FILE_SIZE"
_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
_SIZE = re.compile(r"\s*(\d+)\s*([KMG]?)(?:I?B)?\s*", re.IGNORECASE)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"))
_NO_SUCH = (errno.ENOENT, errno.ENOTDIR)


def parse_size(text: str) -> int:
    """A size in bytes from `512K`, `10M`, `1G`, `10MiB` or a plain number of bytes (K, M and G
    are powers of 1024); ValueError says what is accepted."""
    found = _SIZE.fullmatch(text)
    if not found or int(found[1]) == 0:
        raise ValueError(f"{text!r} is not a size: give a positive number of bytes, or one "
                         "with K, M or G (powers of 1024), e.g. 512K or 64M")
    return int(found[1]) * _UNITS[found[2].upper()]


def describe_size(size: int) -> str:
    """`size` in the unit a person would write it in (32M, 512K, 1000 bytes)."""
    for unit in ("G", "M", "K"):
        if size >= _UNITS[unit] and size % _UNITS[unit] == 0:
            return f"{size // _UNITS[unit]}{unit}"
    return f"{size} bytes"


def _unreadable(path: str, exc: OSError) -> Diagnostic:
    return Diagnostic.of("OBS965", f"cannot read the file: {exc.strerror or exc}",
                         Location(path), "check that it exists and is readable (permissions, "
                         "symlinks that loop, a path too long)")


def _not_regular(path: str, mode: int) -> Diagnostic | None:
    what = next((name for test, name in _KINDS if test(mode)), None)
    if what is None and stat.S_ISREG(mode):
        return None
    return Diagnostic.of("OBS969", f"{what or 'not a regular file'}, not a regular file; it was "
                         "not read", Location(path), "obsgen lint reads regular files only; "
                         "rename or move it out of the linted folder")


def _too_large(path: str, size: int | None, limit: int) -> Diagnostic:
    shown = f"{size:,} bytes" if size is not None else f"more than {describe_size(limit)}"
    return Diagnostic.of("OBS970", f"the file is {shown}, over the size limit of "
                         f"{describe_size(limit)}; it was not read", Location(path),
                         f"raise the limit with --max-file-size (e.g. 64M) or ${MAX_FILE_SIZE_ENV}"
                         ", or leave the file out")


def read_bytes(path: str, limit: int = DEFAULT_MAX_FILE_SIZE) -> bytes | Diagnostic:
    """The content of a regular file of at most `limit` bytes, or the diagnostic saying why
    there is none (OBS965 unreadable, OBS969 not a regular file, OBS970 too large)."""
    try:
        refused = _not_regular(path, Path(path).stat().st_mode)
        if refused is not None:
            return refused
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        return _unreadable(path, exc)
    except ValueError as exc:  # an embedded NUL
        return _unreadable(path, OSError(errno.EINVAL, str(exc)))
    with os.fdopen(fd, "rb") as handle:
        try:
            status = os.fstat(fd)
            refused = _not_regular(path, status.st_mode)
            if refused is not None:
                return refused
            if status.st_size > limit:
                return _too_large(path, status.st_size, limit)
            data = handle.read(limit + 1)  # the file may have grown since fstat
        except OSError as exc:
            return _unreadable(path, exc)
    return _too_large(path, None, limit) if len(data) > limit else data


def _mode(path: Path | str) -> int:
    try:
        return Path(path).stat().st_mode
    except (OSError, ValueError):
        return 0


def is_regular_file(path: Path | str) -> bool:
    """Whether `path` is a regular file (following symlinks); False, never an exception, when
    it cannot be told."""
    return stat.S_ISREG(_mode(path))


def is_folder(path: Path | str) -> bool:
    """Whether `path` is a folder (following symlinks); False, never an exception, when it
    cannot be told."""
    return stat.S_ISDIR(_mode(path))


def stat_error(path: Path | str) -> OSError | None:
    """Why `path` cannot be stat'ed (None: it can). A path that does not exist gives
    FileNotFoundError, whatever the errno was (ENOENT, or ENOTDIR: a component is a file)."""
    try:
        Path(path).stat()
    except OSError as exc:
        if exc.errno in _NO_SUCH:
            return FileNotFoundError(exc.errno, exc.strerror, exc.filename)
        return exc
    except ValueError as exc:  # an embedded NUL
        return OSError(errno.EINVAL, str(exc), str(path))
    return None


def regular_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file that is not a symlink, or None for anything else or a file
    that cannot be read: what obsgen reads back of its own output (build/, a rules folder),
    where a symlink or a FIFO is never something obsgen wrote."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None
