"""Artifacts no other module reads (mkdocs.yml, OpenSLO specs, a file obsgen adds later...):
YAML and JSON setting by setting, anything else as text; and the fallback for an artifact that
no longer parses."""

from __future__ import annotations

import json
from typing import Any

import yaml

from obsgen.buildfolder import MARKER
from obsgen.diff.flatten import flatten
from obsgen.diff.model import Item


def is_compared(path: str) -> bool:
    # The marker only says whose folder it is; the docs site is derived, not an artifact.
    return path != MARKER and not path.startswith("site/")


def items(path: str, text: str) -> list[Item]:
    """One item per file; a YAML or JSON mapping (or list of documents) by its settings."""
    data = _structured(path, text)
    fields = flatten(data) if isinstance(data, dict | list) and data else {"text": text}
    return [Item("files", "file", f"file:{path}", path, path, fields)]


def as_text(path: str, text: str) -> list[Item]:
    """An artifact that no longer parses as its kind, compared as text."""
    return [Item("files", "file", f"file:{path}", path, path, {"text": text})]


def _structured(path: str, text: str) -> Any:
    try:
        if path.endswith((".yml", ".yaml")):
            documents = [d for d in yaml.safe_load_all(text) if d is not None]
            return documents[0] if len(documents) == 1 else documents
        if path.endswith(".json"):
            return json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError):
        return None
    return None
