"""`obsgen: noqa` comments: silence diagnostics at one line, or in a whole file.

The marker is found anywhere on a line, so it works in any comment syntax: `#` in Python
definitions and YAML, `//` in Alloy, `<!-- … -->` in Markdown.

- `# obsgen: noqa OBS110, OBS116` at the end of a line silences those codes at that line;
  `# obsgen: noqa` with no code silences every code at that line.
- `# obsgen: noqa-file OBS110` on any line silences OBS110 everywhere in that file;
  `# obsgen: noqa-file` with no code silences the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from obsgen.check.reading import read_bytes
from obsgen.diagnostics import Diagnostic

_CODES = r":?(?P<codes>(?:[\s,]*OBS\d+)*)"
_LINE = re.compile(r"obsgen:\s*noqa(?!-)\b" + _CODES, re.IGNORECASE)
_FILE = re.compile(r"obsgen:\s*noqa-file\b" + _CODES, re.IGNORECASE)
_CODE = re.compile(r"OBS\d+", re.IGNORECASE)
ALL: frozenset[str] = frozenset()  # an empty set of codes: every code


def _codes(marker: re.Pattern[str], line: str) -> frozenset[str] | None:
    found = marker.search(line)
    if found is None:
        return None
    return frozenset(c.upper() for c in _CODE.findall(found.group("codes")))


def noqa_codes(line: str) -> frozenset[str] | None:
    """The codes a line silences at itself: None without a marker, ALL for a bare one."""
    return _codes(_LINE, line)


def file_codes(lines: Iterable[str]) -> frozenset[str] | None:
    """The codes a file silences everywhere in it: None without a marker, ALL for a bare
    one."""
    found = [codes for line in lines if (codes := _codes(_FILE, line)) is not None]
    if not found:
        return None
    return ALL if ALL in found else frozenset().union(*found)


@dataclass(frozen=True)
class _Source:
    lines: list[str]
    whole_file: frozenset[str] | None


def _matches(codes: frozenset[str] | None, code: str) -> bool:
    return codes is not None and (codes == ALL or code in codes)


def _source(path: str, cache: dict[str, _Source]) -> _Source:
    if path not in cache:
        # Read like `obsgen lint` reads: a FIFO or /dev/zero a finding names is not opened.
        data = read_bytes(path)
        try:
            lines = data.decode("utf-8").splitlines() if isinstance(data, bytes) else []
        except UnicodeDecodeError:
            lines = []
        cache[path] = _Source(lines, file_codes(lines))
    return cache[path]


def silenced(diagnostic: Diagnostic, cache: dict[str, _Source]) -> bool:
    location = diagnostic.location
    if location is None:
        return False
    source = _source(location.path, cache)
    if _matches(source.whole_file, diagnostic.code):
        return True
    if not 1 <= location.line <= len(source.lines):
        return False
    return _matches(noqa_codes(source.lines[location.line - 1]), diagnostic.code)


def without_noqa(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that no noqa comment silences."""
    cache: dict[str, _Source] = {}
    return [d for d in diagnostics if not silenced(d, cache)]
