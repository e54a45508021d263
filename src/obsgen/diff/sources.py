"""The build to compare with: a folder holding a build (or being one), or the project's
definitions at a git ref, built in a temporary folder by this obsgen.

Why build the ref rather than read its committed build/: the same compiler on both sides means
the diff shows what the definitions change, whether or not build/ is committed or up to date
at that ref. Only when the definitions at the ref do not build is its committed build/ read
instead (and the report says so)."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from obsgen.build import compile_project
from obsgen.buildfolder import MARKER
from obsgen.codes import Severity
from obsgen.config import Config, load_config
from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.diff.model import Side
from obsgen.emit.mkdocs import SITE_DIR

Keep = Callable[[list[Diagnostic]], list[Diagnostic]]
# Top-level folders a build holds: a folder with one of these and no marker is still a build.
BUILD_PARTS = ("prometheus", "grafana", "runbooks", "alloy", "python")


def _usage(message: str, where: Path, hint: str) -> UsageError:
    return UsageError(Diagnostic.of("OBS003", message, Location(str(where)), hint))


def read_folder(folder: Path) -> dict[str, str]:
    """Every file of a build folder by its path inside it, the docs site left out."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if not rel.startswith(f"{SITE_DIR}/"):
            found[rel] = path.read_bytes().decode("utf-8", errors="replace")
    return found


def _is_build(folder: Path) -> bool:
    return (folder / MARKER).is_file() or any((folder / p).is_dir() for p in BUILD_PARTS)


def from_folder(folder: Path) -> Side:
    for candidate in (folder, folder / "build"):
        if candidate.is_dir() and _is_build(candidate):
            return Side(str(candidate), read_folder(candidate))
    raise _usage(f"{folder} is no build folder and holds none", folder,
                 "pass a folder `obsgen build` wrote (build/) or the folder that holds it")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def _commit(config: Config, ref: str) -> tuple[Path, str]:
    """The repository's top folder and the full commit `ref` names."""
    top = _git(config.root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise _usage(f"--against {ref}: no such folder, and {config.root} is in no git "
                     "repository", config.root, "pass --against DIR, a folder holding a build")
    found = _git(config.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise _usage(f"--against {ref}: no such folder or git commit", config.root,
                     "pass a branch, tag or commit (e.g. origin/main), or a build folder")
    return Path(top.stdout.decode().strip()), found.stdout.decode().strip()


def from_git(config: Config, ref: str, keep: Keep) -> tuple[Side, tuple[str, ...]]:
    """The build of the definitions at `ref` (see the module's docstring)."""
    top, commit = _commit(config, ref)
    label = f"{ref} ({commit[:7]})" if not commit.startswith(ref) else commit[:7]
    rel = config.root.resolve().relative_to(top.resolve()).as_posix()
    archive = _git(top, "archive", "--format=tar", commit, *(() if rel == "." else ("--", rel)))
    if archive.returncode != 0:
        return Side(label, {}), (f"the project folder {rel} does not exist at {label}",)
    with tempfile.TemporaryDirectory(prefix="obsgen-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / rel
        if not (root / config.file.name).is_file():
            return Side(label, {}), (f"there is no {config.file.name} at {label}: every "
                                     "artifact is new",)
        return _built(load_config(root), config, label, keep)


def _built(there: Config, here: Config, label: str, keep: Keep) -> tuple[Side, tuple[str, ...]]:
    compiled = compile_project(there, keep)
    if compiled.ok:
        return Side(label, compiled.artifacts), ()
    committed = there.root / here.build.relative_to(here.root)
    if committed.is_dir() and _is_build(committed):
        return Side(label, read_folder(committed)), (
            f"the definitions at {label} do not build; compared with the build folder "
            "committed there",)
    errors = [d for d in compiled.diagnostics if d.severity is Severity.ERROR]
    if not errors:
        raise _usage(f"the definitions at {label} do not load", there.root,
                     "compare with a build folder instead: --against DIR")
    raise UsageError(replace(errors[0], message=f"at {label}: {errors[0].message}"))


def against(config: Config, spec: str, keep: Keep) -> tuple[Side, tuple[str, ...]]:
    """A folder if `spec` names one, else a git ref."""
    folder = Path(spec)
    if folder.is_dir():
        return from_folder(folder), ()
    return from_git(config, spec, keep)
