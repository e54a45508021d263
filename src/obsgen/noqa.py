"""`# obsgen: noqa OBS123` comments: silence the diagnostics located at that line.

The marker is found anywhere on the line, so it works in any comment syntax: `#` in Python
definitions and YAML, `//` in Alloy, `<!-- … -->` in Markdown. `# obsgen: noqa` with no code
silences every diagnostic of the line; `# obsgen: noqa OBS110, OBS116` only those codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from obsgen.diagnostics import Diagnostic

_MARKER = re.compile(r"obsgen:\s*noqa\b:?(?P<codes>(?:[\s,]*OBS\d+)*)", re.IGNORECASE)
_CODE = re.compile(r"OBS\d+", re.IGNORECASE)
ALL: frozenset[str] = frozenset()  # an empty set of codes: every code of the line


def noqa_codes(line: str) -> frozenset[str] | None:
    """The codes a line silences: None when it has no marker, ALL for a bare marker."""
    found = _MARKER.search(line)
    if found is None:
        return None
    return frozenset(c.upper() for c in _CODE.findall(found.group("codes")))


def _lines(path: str, cache: dict[str, list[str]]) -> list[str]:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError, ValueError):
            cache[path] = []
    return cache[path]


def silenced(diagnostic: Diagnostic, cache: dict[str, list[str]]) -> bool:
    location = diagnostic.location
    if location is None or location.line < 1:
        return False
    lines = _lines(location.path, cache)
    if location.line > len(lines):
        return False
    codes = noqa_codes(lines[location.line - 1])
    return codes is not None and (codes == ALL or diagnostic.code in codes)


def without_noqa(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that no noqa comment at their line silences."""
    cache: dict[str, list[str]] = {}
    return [d for d in diagnostics if not silenced(d, cache)]
