"""What definitions read besides their own source while they load: environment variables and
files outside the definitions folder.

A build's record (cache.py) is keyed by the definitions' source; a definition that reads
`os.environ["REGION"]` or a YAML file next to the project makes other artifacts from the same
source. So the loader records those reads, and the record is used again only while every
variable still has the value read and every file still has the bytes read.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVERYTHING = "*"  # the whole environment was read (iterated, copied)


@dataclass(frozen=True)
class Reads:
    env: dict[str, str | None] = field(default_factory=dict)  # value read, None: was unset
    files: dict[str, str | None] = field(default_factory=dict)  # sha256, None: unreadable

    def as_json(self) -> dict[str, dict[str, str | None]]:
        return {"env": dict(sorted(self.env.items())), "files": dict(sorted(self.files.items()))}

    def still_hold(self) -> bool:
        """Whether reading again would give what was read."""
        return (all(_env_value(name) == value for name, value in self.env.items())
                and all(file_digest(path) == digest for path, digest in self.files.items()))


def _env_value(name: str) -> str | None:
    if name == EVERYTHING:
        return _whole_environment()
    return os.environ.get(name)


def _whole_environment() -> str:
    return hashlib.sha256(repr(sorted(os.environ.items())).encode()).hexdigest()


def file_digest(path: str, opener: Any = open) -> str | None:
    try:
        with opener(path, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()
    except OSError:
        return None


def from_json(data: object) -> Reads | None:
    if not isinstance(data, dict):
        return None
    env, files = data.get("env"), data.get("files")
    if not isinstance(env, dict) or not isinstance(files, dict):
        return None
    return Reads({str(k): None if v is None else str(v) for k, v in env.items()},
                 {str(k): None if v is None else str(v) for k, v in files.items()})


class _Recording(MutableMapping[str, str]):
    """os.environ as definitions see it while they load: the same variables, each read noted."""

    def __init__(self, real: MutableMapping[str, str], reads: Reads) -> None:
        self.real, self.reads = real, reads

    def __getitem__(self, key: str) -> str:
        value = self.real.get(key)
        self.reads.env.setdefault(key, value)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        self.real[key] = value

    def __delitem__(self, key: str) -> None:
        del self.real[key]

    def __iter__(self) -> Iterator[str]:
        self.reads.env[EVERYTHING] = _whole_environment()
        return iter(self.real)

    def __len__(self) -> int:
        return len(self.real)

    def copy(self) -> dict[str, str]:
        self.reads.env[EVERYTHING] = _whole_environment()
        return dict(self.real)


@contextmanager
def recorded(*own: Path) -> Iterator[Reads]:
    """Within the block, note every environment variable read and every file opened for
    reading outside the `own` folders (the definitions, obsgen's cache)."""
    reads = Reads()
    inside = [folder.resolve() for folder in own]
    real_environ, real_open = os.environ, builtins.open

    def noting_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike) and not any(c in mode for c in "wax+"):
            path = Path(os.fsdecode(file)).resolve()
            if not any(path.is_relative_to(folder) for folder in inside) and (
                    str(path) not in reads.files):
                reads.files[str(path)] = file_digest(str(path), real_open)
        return real_open(file, mode, *args, **kwargs)

    # Rebinding (not clearing) is the point: os.getenv and definitions see the recording view
    # of the same variables, and writes still reach the real environment.
    os.environ = _Recording(real_environ, reads)  # type: ignore[assignment]  # noqa: B003
    builtins.open = io.open = noting_open  # pathlib opens through io.open
    try:
        yield reads
    finally:
        os.environ = real_environ  # noqa: B003
        builtins.open = io.open = real_open
