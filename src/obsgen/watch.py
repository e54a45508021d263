"""Watch mode: run a build now and again after every change under the definitions folder or
to the project's config file (`obsgen build --watch`), printing each build's findings, until
Ctrl-C.

Changes are found by watchdog's polling observer (it is already installed with mkdocs, and
polling works wherever the project lives: network folders, containers, editors that replace
files instead of writing them). A burst of changes (an editor saving several files, a
formatter rewriting them) gives one rebuild once the files have been quiet for `settle`
seconds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from obsgen.cli_output import Output
from obsgen.config import Config
from obsgen.diagnostics import Diagnostic, UsageError, sorted_unique
from obsgen.report import display_path, summary

POLL = 0.5  # seconds between two looks at the files
SETTLE = 0.3  # seconds without a change before a rebuild starts
# Files editors and Python leave beside the ones being edited.
NOISE = (".pyc", ".swp", ".swx", "~", ".tmp")


class _Changes(FileSystemEventHandler):
    """Sets `changed` for a change to a file `wanted` accepts."""

    def __init__(self, changed: threading.Event, wanted: Callable[[Path], bool]) -> None:
        self.changed = changed
        self.wanted = wanted

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if raw and self.wanted(path) and not path.name.endswith(NOISE) \
                    and "__pycache__" not in path.parts and not path.name.startswith(".#"):
                self.changed.set()


def watched(config: Config) -> Callable[[Path], bool]:
    definitions, file = config.definitions.resolve(), config.file.resolve()
    return lambda path: path.resolve() == file or path.resolve().is_relative_to(definitions)


def watch(config: Config, rebuild: Callable[[], None], stop: threading.Event | None = None,
          poll: float = POLL, settle: float = SETTLE) -> None:
    """Call `rebuild` now and after every change, until Ctrl-C or `stop` is set."""
    stop = stop or threading.Event()
    changed = threading.Event()
    handler = _Changes(changed, watched(config))
    observer = PollingObserver(timeout=poll)
    observer.schedule(handler, str(config.definitions), recursive=True)
    observer.schedule(handler, str(config.file.parent), recursive=False)
    observer.start()
    try:
        rebuild()
        while not stop.is_set():
            if not changed.wait(timeout=0.2):
                continue
            while changed.is_set():  # wait for the burst to end
                changed.clear()
                changed.wait(timeout=settle)
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()


def report(out: Output, build: Callable[[], list[Diagnostic]], paths: Sequence[Path]) -> None:
    """Run one build and print its findings (a usage problem too) without ending the run,
    then say what is watched."""
    try:
        found = out.keep(sorted_unique(build()))
    except UsageError as exc:
        found = [exc.diagnostic]
    out.emit(found)
    out.status(summary(found))
    names = " and ".join(display_path(str(p)) for p in paths)
    out.status(f"Watching {names} for changes (Ctrl-C stops).")
