"""`obsgen docs`: the runbook site, built by mkdocs-material from build/runbooks/ with the
generated build/mkdocs.yml, in strict mode (any warning fails), and served locally on request.

The site lands in build/site/, which is derived output: never committed (.gitignore), not an
artifact (`obsgen build` does not count it and swaps it away), and rebuilt in full by every
`obsgen docs` inside the same staged build, so a failed docs build leaves build/ as it was.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.emit.mkdocs import CONFIG_FILE, SITE_DIR
from obsgen.emit.runbooks import RUNBOOKS_DIR

_DOC_FILE = re.compile(r"Doc file '(?P<page>[^']+)' contains (?:a|an \w+ relative) link "
                       r"'(?P<link>[^']+)'")
TIMEOUT = 300


def require_mkdocs() -> None:
    """Refuse to start (exit 2) when mkdocs or its material theme is missing."""
    missing = [m for m in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(Diagnostic.of(
            "OBS712", f"{' and '.join(missing)} not installed in this Python environment",
            Location(sys.executable), "install obsgen's dependencies (make setup, or pip install "
            "mkdocs mkdocs-material mkdocstrings-python)"))


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if f"]({needle}" in line or needle in line:
            return number
    return 0


def _findings(output: str, build_dir: Path, shown_as: Path) -> Iterator[Diagnostic]:
    for line in output.splitlines():
        level, _, message = line.partition(" -  ")
        if level.strip() not in ("WARNING", "ERROR"):
            continue
        match = _DOC_FILE.search(message)
        where = Location(str(shown_as / CONFIG_FILE))
        if match:
            page = build_dir / RUNBOOKS_DIR / match["page"]
            text = page.read_text(encoding="utf-8") if page.is_file() else ""
            where = Location(str(shown_as / RUNBOOKS_DIR / match["page"]),
                             _line_of(text, match["link"]))
        yield Diagnostic.of("OBS711", f"mkdocs: {message.strip()}", where,
                            "fix the Markdown in the definitions (the page is generated); "
                            "links are relative to the page, to a .md file and an anchor "
                            "that exists")


def build_site(build_dir: Path, shown_as: Path | None = None) -> list[Diagnostic]:
    """Run `mkdocs build --strict` on the runbooks in `build_dir` (a staged build), writing
    the site to `build_dir`/site; diagnostics name files under `shown_as`."""
    shown_as = shown_as or build_dir
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "-f", str(build_dir / CONFIG_FILE), "-d", str(build_dir / SITE_DIR)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        return [Diagnostic.of("OBS711", f"mkdocs build did not finish in {TIMEOUT} s",
                              Location(str(shown_as / CONFIG_FILE)), "run it by hand: "
                              + " ".join(command))]
    if done.returncode == 0:
        return []
    found = list(_findings(done.stdout + done.stderr, build_dir, shown_as))
    if not found:
        tail = "\n    ".join((done.stdout + done.stderr).strip().splitlines()[-10:])
        found = [Diagnostic.of("OBS711", f"mkdocs build failed (exit {done.returncode})",
                               Location(str(shown_as / CONFIG_FILE)), "mkdocs says:\n    "
                               + tail)]
    return found


def serve_live(site: Path, host: str, port: int, rebuild: Callable[[], None],
               watched: Sequence[Path], status: Callable[[str], None]) -> None:
    """Serve the site with mkdocs' live-reload server until Ctrl-C: after every change under
    `watched` it runs `rebuild` (which rebuilds build/ and the site), then each open page
    reloads itself (mkdocs injects a small script that waits for the new build)."""
    from mkdocs.livereload import LiveReloadServer  # only `obsgen docs --serve` needs it

    class Server(LiveReloadServer):
        def server_activate(self) -> None:  # listening: the address can be given out
            super().server_activate()
            bound_host, bound_port = self.server_address[:2]
            status(f"Serving {site} at http://{bound_host!s}:{bound_port}/ with live reload "
                   "(Ctrl-C stops).")

    server = Server(builder=rebuild, host=host, port=port, root=str(site))
    for path in watched:
        server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]  # mkdocs leaves it unannotated
    except OSError as exc:
        raise UsageError(Diagnostic.of(
            "OBS714", f"cannot serve on {host}:{port}: {exc.strerror or exc}",
            Location(str(site)), "pick another --port (0 picks a free one)")) from None
    except KeyboardInterrupt:
        status("Stopped serving.")
    finally:
        server.shutdown()
