"""`obsgen init`: a starter project that builds and checks clean, with a .gitignore and a CI
workflow that runs `obsgen check`."""

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
    "pipeline.py.txt": "definitions/pipeline.py",
    "github-workflow.yml.txt": ".github/workflows/obsgen.yml",
}
# Merged into an existing .gitignore (the lines it lacks are added) rather than refused.
GITIGNORE = "gitignore.txt"


PLACEHOLDER_PROJECT = 'project = "my-service"'


def create(directory: Path) -> list[tuple[str, Path]]:
    """Write the starter files under `directory`; raises FileExistsError, before writing
    anything, if one of them exists. The project identity is the folder's name, written out
    so that it stays the same wherever the project is checked out later. Returns what was
    done to each file ("created", or "updated" for a .gitignore that lacked lines)."""
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
    ignore = directory / ".gitignore"
    verb = "updated" if ignore.exists() else "created"
    done = [("created", target) for target in targets]
    if merge_gitignore(ignore, package.joinpath(GITIGNORE).read_text(encoding="utf-8")):
        done.append((verb, ignore))
    return done


def merge_gitignore(path: Path, wanted: str) -> bool:
    """Add the lines of `wanted` that `path` lacks (all of it to a new file); whether the
    file changed."""
    if not path.exists():
        path.write_text(wanted, encoding="utf-8")
        return True
    have = path.read_text(encoding="utf-8")
    present = {line.strip().rstrip("/") for line in have.splitlines()}
    missing = [line for line in wanted.splitlines()
               if line.strip() and not line.startswith("#")
               and line.strip().rstrip("/") not in present]
    if not missing:
        return False
    joiner = "" if not have or have.endswith("\n") else "\n"
    path.write_text(f"{have}{joiner}# added by obsgen init\n" + "\n".join(missing) + "\n",
                    encoding="utf-8")
    return True
