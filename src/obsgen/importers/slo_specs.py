"""SLO specs for `obsgen import`: a Sloth spec or an OpenSLO v1 document, each read by its own
importer (sloth, openslo); this module picks the one whose format the text is in."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from obsgen.check.foreign import ForeignFile
from obsgen.check.lint import Candidate, read_text
from obsgen.importers import openslo, sloth
from obsgen.importers.contract import Imported, ImportEnv, Survey
from obsgen.importers.slo_spec import SpecFile


def recognises(text: str) -> bool:
    return sloth.recognises(text) or openslo.recognises(text)


def _reader(file: ForeignFile) -> ModuleType:
    return sloth if sloth.recognises(file.text) else openslo


def survey(file: ForeignFile) -> Survey:
    return _reader(file).survey(file)  # type: ignore[no-any-return]


def write(file: ForeignFile, env: ImportEnv, module: str) -> Imported:
    return _reader(file).write(file, env, module)  # type: ignore[no-any-return]


def split_specs(candidates: Iterable[Candidate]) -> tuple[list[ForeignFile], list[Candidate]]:
    """The YAML files of a run that are SLO specs, and the other candidates: `obsgen lint`
    finds no kind in a spec, so the import takes them aside before the others are read.
    Each Sloth spec is handed the periods of the run's Sloth windows files (sloth.py)."""
    specs, rest = [], []
    for candidate in candidates:
        text = read_text(candidate.path) if Path(candidate.path).suffix.lower() in (
            ".yml", ".yaml") else None
        if isinstance(text, str) and recognises(text):
            specs.append(ForeignFile(candidate.path, text, "slo"))
        else:
            rest.append(candidate)
    periods = tuple(p for file in specs for p in sloth.periods_of(file))
    return [SpecFile(f.path, f.text, f.kind, periods=periods) if sloth.recognises(f.text)
            else f for f in specs], rest
