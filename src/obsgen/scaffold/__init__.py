"""`obsgen init`: a starter project that builds and checks clean."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from obsgen.config import slug

# Template file in this package → path in the new project. The templates carry a .txt suffix
# so that neither tools nor the package import machinery treat them as modules of obsgen.
FILES = {
    "obsgen.toml": "obsgen.toml",
    "metrics.py.txt": "definitions/metrics.py",
    "alerts.py.txt": "definitions/alerts.py",
    "alert_tests.py.txt": "definitions/alert_tests.py",
    "runbooks.py.txt": "definitions/runbooks.py",
    "dashboards.py.txt": "definitions/dashboards.py",
}


PLACEHOLDER_PROJECT = 'project = "my-service"'


def create(directory: Path) -> list[Path]:
    """Write the starter files under `directory`; raises FileExistsError, before writing
    anything, if one of them exists. The project identity is the folder's name, written out
    so that it stays the same wherever the project is checked out later."""
    targets = {directory / rel: name for name, rel in FILES.items()}
    for target in targets:
        if target.exists():
            raise FileExistsError(0, "exists", str(target))
    package = resources.files("obsgen.scaffold")
    identity = slug(directory.resolve().name) or "my-service"
    for target, name in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        text = package.joinpath(name).read_text(encoding="utf-8")
        text = text.replace(PLACEHOLDER_PROJECT, f'project = "{identity}"')
        target.write_text(text, encoding="utf-8")
    return list(targets)
