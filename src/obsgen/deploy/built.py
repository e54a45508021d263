"""Read what `obsgen build` wrote, for deploying: dashboards under build/grafana/<folder
uid>/<dashboard uid>.json and rule files build/prometheus/<file>.rules.yml. Each artifact is
tied back to its definition when the project loads, so a rejection can point at the line the
user wrote."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from obsgen.config import Config
from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.emit import provenance
from obsgen.emit.provenance import Provenance

GRAFANA_DIR = "grafana"
PROMETHEUS_DIR = "prometheus"
RULES_SUFFIX = ".rules.yml"
BUILD_HINT = "run `obsgen build` (or `make build`) first"


@dataclass(frozen=True)
class BuiltDashboard:
    uid: str
    folder_uid: str
    folder_title: str
    model: Mapping[str, Any]
    file: Path
    source: Location  # the definition when known, else the built file

    @property
    def title(self) -> str:
        return str(self.model.get("title", self.uid))


@dataclass(frozen=True)
class BuiltRuleFile:
    name: str  # "persona.rules.yml"
    text: str
    file: Path
    groups: tuple[Mapping[str, Any], ...]

    @property
    def stem(self) -> str:
        return self.name[: -len(RULES_SUFFIX)]

    @property
    def provenance(self) -> Provenance | None:
        """The project and fingerprint its obsgen header records (None: no obsgen header)."""
        return provenance.read(self.text)


@dataclass(frozen=True)
class Definitions:
    """What the loaded project says about dashboards: uid → (definition, folder title)."""

    sources: Mapping[str, Location]
    folder_titles: Mapping[str, str]


def project_definitions(config: Config) -> Definitions:
    """Map dashboard uids to their definitions through the loaded project. Best effort: a
    project that does not load (or predates dashboards) just gives no mapping, and errors
    then point at the built file instead."""
    from obsgen.build import compile_project  # deferred: loading imports the definitions

    try:
        project = compile_project(config).project
    except Exception:  # a broken definition must not stop a deploy of what was built
        return Definitions({}, {})
    sources: dict[str, Location] = {}
    folders: dict[str, str] = {}
    for dashboard in getattr(project, "dashboards", ()) if project else ():
        uid = getattr(dashboard, "uid", None)
        source = getattr(dashboard, "source", None)
        folder = getattr(dashboard, "folder", None)
        if isinstance(uid, str) and isinstance(source, Location):
            sources[uid] = source
        folder_uid, title = getattr(folder, "uid", None), getattr(folder, "title", None)
        if isinstance(folder_uid, str) and isinstance(title, str):
            folders[folder_uid] = title
    return Definitions(sources, folders)


def _missing(path: Path, what: str) -> UsageError:
    return UsageError(Diagnostic.of("OBS519", f"no {what} in {path}", Location(str(path)),
                                    BUILD_HINT))


def read_dashboards(build: Path, definitions: Definitions) -> list[BuiltDashboard]:
    root = build / GRAFANA_DIR
    files = sorted(root.glob("*/*.json")) if root.is_dir() else []
    if not files:
        raise _missing(root, "built dashboards (<folder uid>/<dashboard uid>.json)")
    out: list[BuiltDashboard] = []
    for file in files:
        try:
            model = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(Diagnostic.of("OBS519", f"cannot read {file}: {exc}",
                                           Location(str(file)), BUILD_HINT)) from None
        if not isinstance(model, dict):
            raise UsageError(Diagnostic.of("OBS519", f"{file} does not hold a dashboard object",
                                           Location(str(file)), BUILD_HINT))
        uid = str(model.get("uid") or file.stem)
        folder_uid = file.parent.name
        out.append(BuiltDashboard(
            uid, folder_uid, definitions.folder_titles.get(folder_uid, folder_uid),
            {**model, "uid": uid}, file, definitions.sources.get(uid, Location(str(file)))))
    return out


def read_rule_files(build: Path) -> list[BuiltRuleFile]:
    import yaml

    from obsgen.check import yamlguard

    root = build / PROMETHEUS_DIR
    files = sorted(root.glob(f"*{RULES_SUFFIX}")) if root.is_dir() else []
    if not files:
        raise _missing(root, f"built rule files (*{RULES_SUFFIX})")
    out: list[BuiltRuleFile] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
            data = yamlguard.load(text, yaml.SafeLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise UsageError(Diagnostic.of("OBS519", f"cannot read {file}: {exc}",
                                           Location(str(file)), BUILD_HINT)) from None
        groups = data.get("groups") if isinstance(data, dict) else None
        if not isinstance(groups, list):
            raise UsageError(Diagnostic.of("OBS519", f"{file} has no `groups` list",
                                           Location(str(file)), BUILD_HINT))
        out.append(BuiltRuleFile(file.name, text, file, tuple(groups)))
    return out
