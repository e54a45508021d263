"""Replace a folder by a staged one with no instant in which neither exists.

On Linux the two folders trade places in one `renameat2(..., RENAME_EXCHANGE)` call: a kill at
any point leaves the build folder either as it was or as the new build, whole. Where the call is
missing (not Linux, an old C library or kernel, a file system that refuses it) the folders move
by two renames, as obsgen always did; a kill between those leaves the old build beside the
target, marked, for the next run to sweep.

A staged folder is held with an exclusive `flock` for as long as its run works on it, so a
concurrent run sweeping leftovers never removes a folder another run is still writing; the
kernel drops the lock when the holder dies, which is what makes a killed run's folder litter.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# renameat2's number where the C library has no wrapper (glibc before 2.28, some musl).
_SYSCALLS = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "i386": 353, "i686": 353,
             "armv7l": 382, "ppc64le": 357, "s390x": 347}
# What a kernel or file system says when it cannot exchange: fall back to two renames.
_CANNOT = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})
LITTER = ("tmp", "old")


def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    wrapper = getattr(libc, "renameat2", None)
    if wrapper is not None:
        return wrapper  # type: ignore[no-any-return]
    number = _SYSCALLS.get(platform.machine())
    if number is None:
        return None
    return lambda *args: int(libc.syscall(number, *args))


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two existing paths; False when this system cannot, changing nothing."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
            _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _CANNOT:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def replace_by_renames(staging: Path, target: Path) -> None:
    """The swap where no exchange is possible: not atomic, but the old build waits beside the
    target, marked, until the new one is in."""
    retired = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        raise
    remove(retired)


def replace(staging: Path, target: Path) -> None:
    """Put `staging` in `target`'s place; what `target` held ends up at `staging` (to be
    removed by the caller) or is already gone."""
    if not os.path.lexists(target):
        staging.rename(target)
    elif not exchange(staging, target):
        replace_by_renames(staging, target)


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Held:
    """A folder this run owns, and the descriptor that holds its lock (closed by `release`)."""

    path: Path
    fd: int


def hold(folder: Path) -> Held:
    """Lock a folder this run just made, before anything is written into it."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return Held(folder, fd)


def release(held: Held) -> None:
    os.close(held.fd)


def litter(target: Path) -> list[Path]:
    """Folders beside `target` named like the ones a build stages or retires."""
    try:
        names = [e.name for e in os.scandir(target.parent)]
    except OSError:
        return []
    return sorted(target.parent / n for n in names
                  if any(n.startswith(f"{target.name}.{kind}-") for kind in LITTER))


def sweep(target: Path, ours: Callable[[Path], bool]) -> tuple[list[Path], list[Path]]:
    """Remove the leftovers of killed runs beside `target` that `ours` accepts; leave the
    rest, and skip any another run still holds. Returns (removed, left)."""
    removed: list[Path] = []
    left: list[Path] = []
    for path in litter(target):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            left.append(path)  # a file or a symlink: not a folder obsgen made
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # another run is working in it
        try:
            if ours(path):
                remove(path)
            (left if os.path.lexists(path) else removed).append(path)
        finally:
            os.close(fd)
    return removed, left
