"""`obsgen init`: a starter project that builds and checks clean."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

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


def create(directory: Path) -> list[Path]:
    """Write the starter files under `directory`; raises FileExistsError, before writing
    anything, if one of them exists."""
    targets = {directory / rel: name for name, rel in FILES.items()}
    for target in targets:
        if target.exists():
            raise FileExistsError(0, "exists", str(target))
    package = resources.files("obsgen.scaffold")
    for target, name in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(package.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    return list(targets)
