"""Diagnostics as a SARIF 2.1.0 log, the format code-scanning services (GitHub, GitLab,
Azure DevOps) read.

One run, tool `obsgen`; its rules are the codes that occur, each with its registered summary
and severity; each result names its rule, level, message (with the hint) and location. The log
carries no timestamp or absolute path of the machine it ran on, so it is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from obsgen.codes import Severity, lookup
from obsgen.diagnostics import Diagnostic, Location

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
Json = dict[str, object]


def _version() -> str:
    try:
        return version("obsgen")
    except PackageNotFoundError:
        return "0+unknown"


def artifact_uri(path: str) -> str:
    """A URI reference for a path: relative paths stay relative (code scanning resolves them
    against the repository root), absolute ones become file: URIs."""
    posix = path.replace("\\", "/")
    # A byte of the name that was not UTF-8 (kept by surrogateescape) is percent-encoded as it.
    if PurePosixPath(posix).is_absolute() or PureWindowsPath(path).is_absolute():
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix,
                                 errors="surrogateescape")
    return quote(posix, errors="surrogateescape")


def _location(location: Location, shown: Callable[[str], str]) -> Json:
    physical: Json = {"artifactLocation": {"uri": artifact_uri(shown(location.path))}}
    if location.line > 0:
        region: Json = {"startLine": location.line}
        if location.column > 0:
            region["startColumn"] = location.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _rule(code: str) -> Json:
    entry = lookup(code)
    return {"id": code, "name": code, "shortDescription": {"text": entry.summary},
            "defaultConfiguration": {"level": _LEVELS[entry.severity]},
            "help": {"text": f"{entry.summary} Run `obsgen rule {code}` for more."}}


def _result(d: Diagnostic, index: int, shown: Callable[[str], str]) -> Json:
    text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    result: Json = {"ruleId": d.code, "ruleIndex": index, "level": _LEVELS[d.severity],
                    "message": {"text": text}}
    if d.location is not None:
        result["locations"] = [_location(d.location, shown)]
    return result


def sarif_log(diagnostics: Sequence[Diagnostic], shown: Callable[[str], str]) -> Json:
    """The SARIF log of `diagnostics`; `shown` turns a path into the one to print."""
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    driver: Json = {"name": "obsgen", "version": _version(),
                    "rules": [_rule(code) for code in codes]}
    run: Json = {"tool": {"driver": driver},
                 "results": [_result(d, index[d.code], shown) for d in diagnostics]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
