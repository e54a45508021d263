"""The rollback of a deploy to a Prometheus rules folder, kept on disk so that it survives the
deploy being killed.

Before the first rule file is written, every file about to be replaced or removed is copied
into a folder beside the rules folder, `.<rules folder name>.obsgen-rollback/`, and a journal
lists each file the deploy changes with the fingerprint of its text before (none: the deploy
creates it) and after (none: the deploy removes it). The journal is written last and flushed to
disk, so a journal always has its copies complete. It is removed only once the deploy is
verified or rolled back. A deploy that finds a journal knows the one before was cut off between
writing and verifying, and restores the previous files before anything else.

The folder is beside the rules folder and never inside it: Prometheus loads `rule_files`
globs such as `rules/*` or `rules/*.yml`, and would load the saved copies as live rules.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from obsgen.atomicfile import write_atomically
from obsgen.deploy.built import RULES_SUFFIX
from obsgen.deploy.rules_folder import read_regular, sync_folder
from obsgen.emit.provenance import fingerprint

JOURNAL = "journal.json"
SAVED = "previous"
VERSION = 1
_SHA = re.compile(r"[0-9a-f]{64}")


class JournalError(Exception):
    """The rollback folder cannot be read or used: the rules folder needs a person."""


@dataclass(frozen=True)
class Entry:
    name: str  # a rule file name in the rules folder
    before: str | None  # fingerprint of its text before the deploy; None: it did not exist
    after: str | None  # fingerprint of what the deploy writes; None: the deploy removes it


@dataclass(frozen=True)
class Journal:
    folder: Path
    rules_dir: Path
    project: str
    started: str  # ISO 8601, UTC
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Restored:
    files: tuple[str, ...]  # put back as they were before the deploy
    left: tuple[str, ...]  # changed by someone else since: not touched
    previous: Mapping[str, str | None]  # every journaled file's text before the deploy


def folder_for(rules_dir: Path) -> Path:
    return rules_dir.parent / f".{rules_dir.name}.obsgen-rollback"


def _state(path: Path) -> str | None:
    """Fingerprint of a rule file now: None when absent, "?" when it is not a readable file."""
    if not path.exists() and not path.is_symlink():
        return None
    text = read_regular(path)
    return "?" if text is None else fingerprint(text)


def begin(rules_dir: Path, project: str, previous: Mapping[str, str | None],
          writes: Mapping[str, str | None]) -> Journal:
    """Save the files `writes` replaces or removes, then the journal. Raises OSError."""
    folder = folder_for(rules_dir)
    if folder.is_symlink() or (folder.exists() and (folder / JOURNAL).exists()):
        raise OSError(f"{folder} is in the way")
    if folder.exists():  # copies of a deploy killed before its journal: nothing was changed
        shutil.rmtree(folder)
    (folder / SAVED).mkdir(parents=True)
    entries: list[Entry] = []
    for name, text in writes.items():
        before = previous.get(name)
        if before is not None:
            write_atomically(folder / SAVED / name, before, durable=True)
        entries.append(Entry(name, None if before is None else fingerprint(before),
                             None if text is None else fingerprint(text)))
    journal = Journal(folder, rules_dir, project,
                      datetime.now(UTC).isoformat(timespec="seconds"), tuple(entries))
    sync_folder(folder / SAVED)
    data = {"version": VERSION, "project": project, "started": journal.started,
            "entries": [asdict(e) for e in entries]}
    write_atomically(folder / JOURNAL, json.dumps(data, indent=2) + "\n", durable=True)
    sync_folder(folder)
    return journal


def finish(journal: Journal) -> None:
    """The deploy is verified or rolled back: forget it. The journal goes first, so a kill in
    between leaves only copies, which the next deploy sweeps away."""
    (journal.folder / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(journal.folder, ignore_errors=True)


def pending(rules_dir: Path) -> Journal | None:
    """The journal of an interrupted deploy to `rules_dir`, if there is one."""
    folder = folder_for(rules_dir)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise JournalError(f"{folder} is not a folder obsgen made")
    path = folder / JOURNAL
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JournalError(f"cannot read {path}: {exc}") from None
    return _parse(data, folder, rules_dir, path)


def _parse(data: Any, folder: Path, rules_dir: Path, path: Path) -> Journal:
    if not isinstance(data, dict) or data.get("version") != VERSION \
            or not isinstance(data.get("entries"), list):
        raise JournalError(f"{path} is not a journal this obsgen writes")
    entries: list[Entry] = []
    for item in data["entries"]:
        fields = item if isinstance(item, dict) else {}
        name, before, after = (fields.get(k) for k in ("name", "before", "after"))
        if not isinstance(name, str) or not _plain_name(name) \
                or not all(v is None or (isinstance(v, str) and _SHA.fullmatch(v))
                           for v in (before, after)):
            raise JournalError(f"{path} holds an entry obsgen did not write: {item!r:.120}")
        entries.append(Entry(name, before, after))
    return Journal(folder, rules_dir, str(data.get("project", "?")),
                   str(data.get("started", "?")), tuple(entries))


def _plain_name(name: str) -> bool:
    """Only a file directly in the rules folder: a journal edited to name `../x` must not
    make a rollback write outside it."""
    return name.endswith(RULES_SUFFIX) and "/" not in name \
        and "\\" not in name and "\x00" not in name and not name.startswith(".")


def saved_texts(journal: Journal) -> dict[str, str | None]:
    """Each journaled file's text before the deploy, checked against its fingerprint."""
    out: dict[str, str | None] = {}
    for entry in journal.entries:
        if entry.before is None:
            out[entry.name] = None
            continue
        text = read_regular(journal.folder / SAVED / entry.name)
        if text is None or fingerprint(text) != entry.before:
            raise JournalError(f"the saved copy of {entry.name} in {journal.folder / SAVED} is "
                               "missing or damaged")
        out[entry.name] = text
    return out


def restore(journal: Journal) -> Restored:
    """Put back each file the deploy changed, if it is still what the deploy left there; a
    file changed since by someone else is left as it is. Raises JournalError, OSError."""
    previous = saved_texts(journal)
    put_back: list[str] = []
    left: list[str] = []
    for entry in journal.entries:
        path = journal.rules_dir / entry.name
        now = _state(path)
        if now == entry.before:
            continue
        if now != entry.after:
            left.append(entry.name)
            continue
        text = previous[entry.name]
        if text is None:
            path.unlink(missing_ok=True)
        else:
            write_atomically(path, text)
        put_back.append(entry.name)
    return Restored(tuple(put_back), tuple(left), previous)
