"""Artifacts no other module reads (mkdocs.yml, a page obsgen adds later...), compared as
text; and the fallback for an artifact that no longer parses."""

from __future__ import annotations

from obsgen.buildfolder import MARKER
from obsgen.diff.model import Item


def is_compared(path: str) -> bool:
    # The marker only says whose folder it is; the docs site is derived, not an artifact.
    return path != MARKER and not path.startswith("site/")


def items(path: str, text: str) -> list[Item]:
    return [Item("files", "file", f"file:{path}", path, path, {"text": text})]
