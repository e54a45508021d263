"""obsgen build/check/docs never delete what obsgen does not own (issue 12, items 1, 2, 8).

Every case runs the real CLI in a subprocess on real files: a refused build folder leaves the
project, its .git, a sibling's files and a symlink byte-for-byte as they were, with exit status
2, OBS502 and no traceback; a build killed at the swap leaves a whole build/ and the next build
sweeps what it left; a build/ holding files that cannot be read is rebuilt, not a traceback.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen import swap
from obsgen.build import changed_paths
from obsgen.buildfolder import MARKER

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

Tree = dict[str, tuple[str, bytes]]
NO_CACHE = {"OBSGEN_NO_CACHE": "1"}


def tree(folder: Path) -> Tree:
    """Everything below `folder`: files with their bytes, symlinks with their targets, and
    folders, without following any symlink."""
    found: Tree = {}
    for top, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("link", str(path.readlink()).encode())
            elif path.is_dir():
                found[rel] = ("dir", b"")
            else:
                found[rel] = ("file", path.read_bytes())
    return found


def files(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (kind, data) in tree(folder).items() if kind == "file"}


def set_build(project: Path, value: str) -> None:
    """obsgen.toml with `build` on line 2 (a TOML basic string, JSON-escaped)."""
    (project / "obsgen.toml").write_text(
        f'definitions = "definitions"\nbuild = {json.dumps(value)}\n'
        'runbook_base_url = "https://runbooks.example.org/"\n', encoding="utf-8")


def assert_refused(result: Result) -> None:
    assert result.exit_code == 2, result.describe()
    assert "Traceback" not in result.output, result.describe()
    [found] = result.diagnostics()
    assert found["code"] == "OBS502", result.describe()
    assert found["location"] == {"path": "obsgen.toml", "line": 2, "column": 1}
    assert 'set build = "' in found["hint"] or "move those files" in found["hint"]


@pytest.fixture
def world(example_project: Path) -> Path:
    """The example project as a git repository, with a sibling project beside it holding
    files; returns the folder holding both."""
    subprocess.run(["git", "init", "-q", str(example_project)], check=True)
    (example_project / ".git" / "precious").write_bytes(b"history\n")
    sibling = example_project.parent / "sibling"
    (sibling / "docs").mkdir(parents=True)
    (sibling / "docs" / "notes.md").write_bytes(b"the sibling's notes\n")
    (sibling / "data.bin").write_bytes(bytes(range(256)))
    return example_project.parent


# -- item 1: the build folder guard -------------------------------------------------------

DANGEROUS = {
    "dot": ".",
    "empty": "",
    "definitions": "definitions",
    "definitions-dotdot": "definitions/..",
    "root-absolute": "{root}",
    "parent": "..",
    "parent-absolute": "{parent}",
    "sibling": "../sibling",
    "sibling-absolute": "{parent}/sibling",
    "config-file": "obsgen.toml",
    "git": ".git",
}


@pytest.mark.parametrize("setting", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_a_build_folder_that_would_delete_others_is_refused(obsgen: RunObsgen, world: Path,
                                                            setting: str) -> None:
    project = world / "project"
    set_build(project, setting.format(root=project, parent=world))
    before = tree(world)
    result = obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE)
    assert_refused(result)
    assert tree(world) == before


@pytest.mark.parametrize("command", ["check", "docs"])
def test_check_and_docs_refuse_too(obsgen: RunObsgen, world: Path, command: str) -> None:
    project = world / "project"
    set_build(project, ".")
    before = tree(world)
    assert_refused(obsgen(command, "--output-format", "json", cwd=project, env=NO_CACHE))
    assert tree(world) == before


@pytest.mark.parametrize("points_at", ["{root}", "{root}/definitions", "{parent}",
                                       "{parent}/sibling"],
                         ids=["root", "definitions", "parent", "sibling"])
def test_a_symlinked_build_folder_is_judged_by_its_target(obsgen: RunObsgen, world: Path,
                                                          points_at: str) -> None:
    project = world / "project"
    set_build(project, "build")
    (project / "build").symlink_to(points_at.format(root=project, parent=world))
    before = tree(world)
    assert_refused(obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE))
    assert tree(world) == before


def test_a_folder_with_someone_elses_files_is_refused(obsgen: RunObsgen, world: Path) -> None:
    project = world / "project"
    (project / "build" / "lib" / "pkg").mkdir(parents=True)  # a setuptools build/, say
    (project / "build" / "lib" / "pkg" / "__init__.py").write_bytes(b"VERSION = 1\n")
    before = tree(world)
    result = obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE)
    assert_refused(result)
    assert MARKER in result.diagnostics()[0]["message"]
    assert tree(world) == before


def test_the_setting_is_located_in_pyproject(obsgen: RunObsgen, world: Path) -> None:
    project = world / "project"
    (project / "obsgen.toml").unlink()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.other]\nbuild = "elsewhere"\n\n'
        '[tool.obsgen]\ndefinitions = "definitions"\nbuild = "."\n', encoding="utf-8")
    before = tree(world)
    result = obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.describe()
    [found] = result.diagnostics()
    assert (found["code"], found["location"]) == (
        "OBS502", {"path": "pyproject.toml", "line": 9, "column": 1})
    assert tree(world) == before


def test_every_build_carries_the_marker(obsgen: RunObsgen, world: Path) -> None:
    project = world / "project"
    (project / "build").mkdir()  # an empty folder is obsgen's to fill
    assert obsgen("build", cwd=project, env=NO_CACHE).exit_code == 0
    marker = (project / "build" / MARKER).read_text(encoding="utf-8")
    assert '"project"' in marker and "replaces this whole folder" in marker
    # a foreign file dropped into a marked build goes with the next build, by design
    (project / "build" / "stray.txt").write_text("gone next build\n", encoding="utf-8")
    again = obsgen("build", cwd=project)
    assert again.exit_code == 0 and not (project / "build" / "stray.txt").exists()


def test_a_build_from_before_the_marker_is_still_obsgens(obsgen: RunObsgen,
                                                         world: Path) -> None:
    project = world / "project"
    assert obsgen("build", cwd=project, env=NO_CACHE).exit_code == 0
    expected = files(project / "build")
    (project / "build" / MARKER).unlink()  # what an obsgen before the marker wrote:
    for later in ("python", "openslo"):  # ... which had no instrumentation or SLOs yet
        shutil.rmtree(project / "build" / later, ignore_errors=True)
    result = obsgen("build", cwd=project, env=NO_CACHE)
    assert result.exit_code == 0, result.describe()
    assert files(project / "build") == expected


def test_a_legacy_looking_build_with_other_files_is_refused(obsgen: RunObsgen,
                                                            world: Path) -> None:
    project = world / "project"
    assert obsgen("build", cwd=project, env=NO_CACHE).exit_code == 0
    (project / "build" / MARKER).unlink()
    (project / "build" / "notes.txt").write_bytes(b"mine, not obsgen's\n")
    before = tree(world)
    assert_refused(obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE))
    assert tree(world) == before


def test_a_symlinked_build_folder_stays_a_symlink(obsgen: RunObsgen, world: Path) -> None:
    project = world / "project"
    (world / "site-root").mkdir()
    (project / "build").symlink_to("../site-root")
    for _ in range(2):  # the first fills the empty target, the second replaces a marked one
        result = obsgen("build", cwd=project, env=NO_CACHE)
        assert result.exit_code == 0, result.describe()
        assert (project / "build").readlink() == Path("../site-root")
        assert (world / "site-root" / MARKER).is_file()
        assert (world / "site-root" / "prometheus").is_dir()
    assert sorted(p.name for p in world.iterdir()) == ["project", "sibling", "site-root"]


# -- item 2: an atomic swap, and the sweep of what killed builds left ---------------------

# Runs a build and SIGKILLs it at the swap: right before, or right after, the first call that
# moves build/ (a rename, or obsgen's atomic exchange where it has one) — the instant between
# the two renames of a non-atomic swap.
KILLER = r"""
import os, pathlib, signal, sys

mode, build, project = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]

def moves_build(args):
    return any(isinstance(a, (str, bytes, os.PathLike))
               and os.path.realpath(os.fsdecode(a)) == build for a in args)

def hook(owner, name):
    original = getattr(owner, name)
    def hooked(*args, **kwargs):
        hit = moves_build(args)
        if hit and mode == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if hit:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(owner, name, hooked)

for owner, name in [(os, "rename"), (os, "replace"), (pathlib.Path, "rename"),
                    (pathlib.Path, "replace")]:
    hook(owner, name)
try:
    import obsgen.swap
    hook(obsgen.swap, "exchange")
except ImportError:
    pass
from obsgen.cli import main
main(["build", "-C", project])
"""


def litter(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith("build."))


@pytest.mark.parametrize("mode", ["before", "after"])
def test_a_build_killed_at_the_swap_leaves_a_whole_build(obsgen: RunObsgen, world: Path,
                                                         mode: str) -> None:
    project = world / "project"
    assert obsgen("build", cwd=project, env=NO_CACHE).exit_code == 0
    old = files(project / "build")
    config = project / "obsgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "runbooks.example.org", "runbooks.example.com"), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLER, mode, str(project / "build"),
                             str(project)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, **NO_CACHE}, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (project / "build").is_dir(), f"no build/ after a kill {mode} the swap"
    at_kill = files(project / "build")
    assert litter(project), "the killed build left nothing to sweep"

    after = obsgen("build", cwd=project, env=NO_CACHE)
    assert after.exit_code == 0 and "OBS503" in after.output, after.describe()
    assert litter(project) == []
    new = files(project / "build")
    assert new != old
    assert at_kill == (old if mode == "before" else new)


def test_the_sweep_removes_only_obsgens_leftovers(obsgen: RunObsgen, world: Path) -> None:
    project = world / "project"
    assert obsgen("build", cwd=project, env=NO_CACHE).exit_code == 0
    marked, legacy, empty, foreign, held, linked = (
        project / "build.tmp-marked", project / "build.old-legacy", project / "build.tmp-empty",
        project / "build.tmp-foreign", project / "build.tmp-held", project / "build.old-link")
    for folder in (marked, legacy, empty, foreign, held):
        folder.mkdir()
    (marked / MARKER).write_bytes((project / "build" / MARKER).read_bytes())
    (marked / "half.yml").write_bytes(b"half written")
    (legacy / "prometheus").mkdir()
    (legacy / "prometheus" / "a.rules.yml").write_bytes(b"# Generated by obsgen from x.\n")
    (foreign / "thesis.tex").write_bytes(b"not obsgen's\n")
    (held / MARKER).write_bytes((project / "build" / MARKER).read_bytes())
    linked.symlink_to("../sibling")
    keep = {p.name: tree(p) for p in (foreign, held)}
    sibling = tree(world / "sibling")
    holder = os.open(held, os.O_RDONLY | os.O_DIRECTORY)  # a build still running in it
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        result = obsgen("build", "--output-format", "json", cwd=project, env=NO_CACHE)
    finally:
        os.close(holder)
    assert result.exit_code == 0, result.describe()
    swept = sorted(Path(d["location"]["path"]).name for d in result.diagnostics()
                   if d["code"] == "OBS503")
    assert swept == ["build.old-legacy", "build.tmp-empty", "build.tmp-marked"]
    assert litter(project) == ["build.old-link", "build.tmp-foreign", "build.tmp-held"]
    assert {p.name: tree(p) for p in (foreign, held)} == keep
    assert linked.readlink() == Path("../sibling") and tree(world / "sibling") == sibling


def test_the_exchange_is_atomic_here(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "one").write_bytes(b"1")
    (second / "two").write_bytes(b"2")
    assert swap.exchange(first, second) is (sys.platform == "linux")
    if sys.platform == "linux":
        assert (files(first), files(second)) == ({"two": b"2"}, {"one": b"1"})


def test_the_two_rename_fallback_replaces_and_cleans_up(tmp_path: Path) -> None:
    staging, target = tmp_path / "build.tmp-x", tmp_path / "build"
    staging.mkdir()
    target.mkdir()
    (staging / "new").write_bytes(b"new")
    (target / "old").write_bytes(b"old")
    swap.replace_by_renames(staging, target)
    assert files(target) == {"new": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


# -- item 8: a build/ holding files that cannot be read ----------------------------------

def _without_dac_override() -> None:
    """In the child: drop the capabilities that let root read any file, so that a chmod-000
    file is unreadable even when the tests run as root."""
    if os.geteuid() == 0:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def run_unprivileged(*args: str, cwd: Path, env: dict[str, str] | None = None
                     ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1", **(env or {})},
                          check=False, preexec_fn=_without_dac_override)


def _spoil(build: Path, how: str) -> None:
    rules = sorted((build / "prometheus").glob("*.rules.yml"))
    if how == "latin-1":
        rules[0].write_bytes("# caf\xe9 edited in latin-1\n".encode("latin-1"))
    elif how == "chmod-000":
        rules[0].chmod(0)
    else:  # not a regular file where one was written: a FIFO, a dangling symlink, a folder
        rules[0].unlink()
        os.mkfifo(rules[0])
        rules[1].unlink()
        rules[1].symlink_to("nowhere.yml")
        dashboard = next(iter(sorted((build / "grafana").rglob("*.json"))))
        dashboard.unlink()
        (dashboard / "inside").mkdir(parents=True)


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
@pytest.mark.parametrize("how", ["latin-1", "chmod-000", "not-a-file"])
def test_unreadable_files_in_build_are_rebuilt_not_a_traceback(
        obsgen: RunObsgen, example_project: Path, how: str, cache: str) -> None:
    project = example_project
    assert obsgen("build", cwd=project).exit_code == 0
    expected = files(project / "build")
    _spoil(project / "build", how)
    if how == "chmod-000":
        spoiled = sorted((project / "build" / "prometheus").glob("*.rules.yml"))[0]
        probe = run_unprivileged("-c", "import sys; open(sys.argv[1], 'rb').read()",
                                 str(spoiled), cwd=project)
        assert "PermissionError" in probe.stderr, "the test could not make a file unreadable"
    done = run_unprivileged("-m", "obsgen", "build", "-C", str(project), cwd=project,
                            env=NO_CACHE if cache == "no-cache" else {})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "nothing rebuilt" not in done.stderr
    assert files(project / "build") == expected


def test_changed_paths_compares_bytes(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "latin.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (build / "same.txt").write_bytes("café\n".encode())
    os.mkfifo(build / "pipe.txt")
    assert changed_paths(build, {"latin.txt": "café\n", "same.txt": "café\n",
                                 "pipe.txt": "x\n"}) == ["latin.txt", "pipe.txt"]
