"""Skip a build whose inputs did not change: `obsgen build` run twice in a row does the work
once.

The key is a hash of everything a build reads: every file under the definitions folder, the
project configuration, obsgen's own source, the Python version, the installed versions of
obsgen's dependencies, and the --select/--ignore choice. The cache (in `.obsgen-cache/`
beside the config, never in build/) records that key, the hash of every artifact, and the
findings of that build. A later build with the same key, and a build/ whose files are still
exactly those artifacts (nothing edited, added or removed), is reported as before and changes
nothing. Anything else builds as usual.

Definitions that read environment variables or files outside the definitions folder while
they load have those reads recorded (obsgen.reads): the record is used only while each still
gives what it gave. What no record can see is the clock or the network; a definition that
depends on those needs `OBSGEN_NO_CACHE=1`, which turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

from obsgen.atomicfile import write_atomically
from obsgen.buildfolder import entries
from obsgen.check.reading import regular_bytes
from obsgen.config import Config
from obsgen.diagnostics import Diagnostic
from obsgen.reads import Reads, from_json
from obsgen.resultcache import dump_diagnostics, load_diagnostics

CACHE_DIR = ".obsgen-cache"
BUILD_RECORD = "build.json"
CHECK_RECORD = "check.json"  # `obsgen check`'s: also the status lines of its checks
_PACKAGE = Path(__file__).resolve().parent
_FORMAT = 1


def folder(config: Config) -> Path:
    """The project's cache folder, made if missing, with a .gitignore that keeps it out of
    version control (a folder that cannot be made only means no cache)."""
    path = config.root / CACHE_DIR
    try:
        path.mkdir(exist_ok=True)
        ignore = path / ".gitignore"
        if not ignore.is_file():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError:
        pass
    return path


def enabled() -> bool:
    return os.environ.get("OBSGEN_NO_CACHE", "") in ("", "0")


def _files(folder: Path) -> Iterable[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path


def _digest_files(update: Callable[[bytes], None], folder: Path) -> None:
    for path in _files(folder):
        update(path.relative_to(folder).as_posix().encode() + b"\0")
        try:
            update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:  # loading reports it; the key only has to differ from a readable one
            update(b"\0unreadable\0")


def _dependencies() -> str:
    try:
        wanted = requires("obsgen") or []
    except PackageNotFoundError:
        return ""
    names = sorted({w.split(";")[0].split("[")[0].split(">")[0].split("=")[0].split("<")[0]
                    .strip() for w in wanted})
    found = []
    for name in names:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}==absent")
    return ",".join(found)


def code_key() -> str:
    """A hash of the code a result depends on: obsgen's own source, the Python version and
    the installed versions of obsgen's dependencies."""
    digest = hashlib.sha256()
    for part in (f"format {_FORMAT}", sys.version, _dependencies()):
        digest.update(part.encode() + b"\1")
    _digest_files(digest.update, _PACKAGE)
    return digest.hexdigest()


def input_key(config: Config, options: Sequence[str] = (), code: str | None = None) -> str:
    """A hash of everything a build of `config` reads (`code`: `code_key()`, if known)."""
    digest = hashlib.sha256()
    for part in (code or code_key(), repr(config), config.file.read_text(encoding="utf-8"),
                 "\0".join(options)):
        digest.update(part.encode() + b"\1")
    _digest_files(digest.update, config.definitions)
    return digest.hexdigest()


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Hit:
    artifacts: int
    diagnostics: list[Diagnostic]
    lines: tuple[str, ...] = ()  # status lines the run printed


def _path(config: Config, record: str) -> Path:
    return config.root / CACHE_DIR / record


def _build_matches(build: Path, hashes: dict[str, str]) -> bool:
    """Whether build/ holds exactly these files, byte for byte (anything unreadable or not a
    regular file does not match)."""
    if not build.is_dir() or entries(build) != set(hashes):
        return False
    for rel, digest in hashes.items():
        data = regular_bytes(build / rel)
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return False
    return True


def lookup(config: Config, key: str, record: str = BUILD_RECORD) -> Hit | None:
    """The recorded result of the run with this key, if build/ still holds its output."""
    try:
        data = json.loads(_path(config, record).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    hashes = data.get("artifacts")
    findings = data.get("diagnostics")
    lines = data.get("lines", [])
    if not isinstance(hashes, dict) or not isinstance(findings, list) or not isinstance(lines,
                                                                                       list):
        return None
    reads = from_json(data.get("reads", {"env": {}, "files": {}}))
    try:
        if reads is None or not reads.still_hold() or not _build_matches(config.build, hashes):
            return None
        return Hit(len(hashes), load_diagnostics(findings), tuple(map(str, lines)))
    except (OSError, KeyError, TypeError, ValueError):
        return None


def store(config: Config, key: str, artifacts: dict[str, str],
          diagnostics: Sequence[Diagnostic], lines: Sequence[str] = (),
          record: str = BUILD_RECORD, reads: Reads | None = None) -> None:
    """Record a successful run (`reads`: what its definitions read besides their source); a
    cache that cannot be written is no error, only slower."""
    data = {"key": key, "artifacts": {rel: _text_hash(t) for rel, t in sorted(artifacts.items())},
            "diagnostics": dump_diagnostics(diagnostics), "lines": list(lines),
            "reads": (reads or Reads()).as_json()}
    try:
        write_atomically(folder(config) / record, json.dumps(data, sort_keys=True) + "\n")
    except OSError:
        return


def forget(config: Config) -> None:
    for record in (BUILD_RECORD, CHECK_RECORD):
        try:
            _path(config, record).unlink()
        except OSError:
            continue
