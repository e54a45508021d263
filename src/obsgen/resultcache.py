"""Results of per-artifact checks, kept by the hash of everything they read.

`obsgen check` runs the same pure checks on the same artifacts again and again: a one-rule edit
changes one rule file, yet every dashboard's schema, every page's rendering and every promtool
run would be redone. Each such check asks this cache first, under a key made of the check's
name, the texts it reads, obsgen's own code and dependencies (`code_key`), and for promtool its
version. A key says everything the result depends on, so an entry is never stale: it is
either found or missing. Entries live in `.obsgen-cache/results/<check>/`, one small JSON file
each, written atomically; entries a run did not use are swept at its end, so the folder holds
one project's worth. `OBSGEN_NO_CACHE=1` (see `cache.enabled`) gives the cold path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from obsgen.atomicfile import write_atomically
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location

Json = object
T = TypeVar("T")
_FOLDER = "results"


@dataclass(frozen=True)
class ResultCache:
    """`folder` None: nothing is kept (the cold path). `salt` is obsgen's `code_key`."""

    folder: Path | None
    salt: str = ""
    # The entries this run read or wrote, for `sweep` (the cache's own bookkeeping).
    used: set[Path] = field(default_factory=set, compare=False, hash=False)

    def _path(self, check: str, parts: tuple[str, ...]) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(self.salt.encode())
        for part in (check, *parts):
            digest.update(b"\0" + hashlib.sha256(part.encode("utf-8", "surrogatepass")).digest())
        return self.folder / _FOLDER / check / f"{digest.hexdigest()}.json"

    def get(self, check: str, *parts: str) -> Json | None:
        path = self._path(check, parts)
        if path is None:
            return None
        try:
            value = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        self.used.add(path)
        return value if isinstance(value, dict) and "v" in value else None

    def put(self, check: str, value: Json, *parts: str) -> None:
        """Keep `value` (plain JSON); a cache that cannot be written is no error, only slower."""
        path = self._path(check, parts)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps({"v": value}, sort_keys=True))
        except OSError:
            return
        self.used.add(path)

    def kept(self, check: str, parts: tuple[str, ...], load: Callable[[Json], T]) -> T | None:
        """The kept result for these inputs, read back with `load`; None if there is none (or
        it is damaged: it is then worked out again)."""
        found = self.get(check, *parts)
        if not isinstance(found, dict):
            return None
        try:
            return load(found["v"])
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def remember(self, check: str, parts: tuple[str, ...], compute: Callable[[], T],
                 dump: Callable[[T], Json], load: Callable[[Json], T]) -> T:
        """The kept result for these inputs, else `compute()`'s, then kept."""
        found = self.kept(check, parts, load)
        if found is not None:
            return found
        value = compute()
        self.put(check, dump(value), *parts)
        return value

    def sweep(self, checks: tuple[str, ...]) -> None:
        """Remove the entries of `checks` this run did not use (they are of older inputs)."""
        if self.folder is None:
            return
        for check in checks:
            try:
                kept = list((self.folder / _FOLDER / check).iterdir())
            except OSError:
                continue
            for path in kept:
                if path not in self.used:
                    path.unlink(missing_ok=True)


NO_CACHE = ResultCache(None)


def dump_diagnostics(found: Iterable[Diagnostic]) -> Json:
    return [{"code": d.code, "message": d.message, "hint": d.hint, "severity": d.severity.value,
             "location": None if d.location is None else
             [d.location.path, d.location.line, d.location.column]} for d in found]


def load_diagnostics(data: Json) -> list[Diagnostic]:
    if not isinstance(data, list):
        raise TypeError("a list of diagnostics")
    found = []
    for item in data:
        where = item["location"]
        location = Location(str(where[0]), int(where[1]), int(where[2])) if where else None
        hint = item["hint"]
        found.append(Diagnostic(str(item["code"]), str(item["message"]), location,
                                hint if isinstance(hint, str) else None,
                                Severity(str(item["severity"]))))
    return found
