"""Building: deterministic output, atomic swap, and loader isolation."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from obsgen.build import changed_paths, compile_project, write_atomically
from obsgen.cli import main
from obsgen.config import load_config

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    (tmp_path / "obsgen.toml").write_text(
        'definitions = "definitions"\nrunbook_base_url = "https://rb.example.org/"\n',
        encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(project: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["build", "-C", str(project)])
    assert first.exit_code == 0, first.output
    before = snapshot(project / "build")
    second = runner.invoke(main, ["build", "-C", str(project)])
    assert second.exit_code == 0, second.output
    assert snapshot(project / "build") == before
    assert "(0 changed)" in second.output


def test_output_is_lf_utf8_with_trailing_newline(project: Path) -> None:
    compiled = compile_project(load_config(project))
    for text in compiled.artifacts.values():
        assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")


def test_loading_leaves_no_bytecode_and_no_modules(project: Path) -> None:
    import sys

    compile_project(load_config(project))
    assert not list((project / "definitions").rglob("__pycache__"))
    assert not [m for m in sys.modules if m == "definitions" or m.startswith("definitions.")]


def test_two_projects_with_same_folder_name_do_not_mix(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "definitions").mkdir(parents=True)
    (other / "obsgen.toml").write_text('definitions = "definitions"\n', encoding="utf-8")
    (other / "definitions" / "metrics.py").write_text(
        'from obsgen import Counter\nX = Counter("other_total", help="h")\n', encoding="utf-8")
    seed = compile_project(load_config(project))
    small = compile_project(load_config(other))
    assert seed.project is not None and small.project is not None
    assert [m.name for m in small.project.metrics] == ["other_total"]
    assert len(seed.project.metrics) == 8


def test_swap_replaces_stale_files_and_reports_changes(tmp_path: Path) -> None:
    build = tmp_path / "build"
    write_atomically(build, {"a.txt": "one\n", "old/b.txt": "two\n"})
    assert changed_paths(build, {"a.txt": "one\n"}) == ["old/b.txt"]
    assert changed_paths(build, {"a.txt": "uno\n", "old/b.txt": "two\n"}) == ["a.txt"]
    write_atomically(build, {"a.txt": "uno\n"})
    assert snapshot(build) == {"a.txt": b"uno\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_failed_write_keeps_old_build(tmp_path: Path) -> None:
    build = tmp_path / "build"
    write_atomically(build, {"a.txt": "kept\n"})
    with pytest.raises(OSError):
        write_atomically(build, {"x": "file\n", "x/y": "needs x as a folder\n"})
    assert snapshot(build) == {"a.txt": b"kept\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_codes_command_explains_a_code() -> None:
    result = CliRunner().invoke(main, ["codes", "obs102"])
    assert result.exit_code == 0
    assert result.output.startswith("OBS102  error")
    bad = CliRunner().invoke(main, ["codes", "OBS999"])
    assert bad.exit_code == 2


def test_help_everywhere() -> None:
    for args in (["-h"], ["build", "-h"], ["check", "--help"], ["codes", "-h"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize(("folder", "message"), [
    ("my-defs", "not a Python identifier"),
    ("json", "would shadow"),
    ("obsgen", "would shadow"),
])
def test_definitions_folder_must_be_a_safe_package_name(tmp_path: Path, folder: str,
                                                        message: str) -> None:
    (tmp_path / folder).mkdir()
    (tmp_path / "obsgen.toml").write_text(f'definitions = "{folder}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(tmp_path), "--color", "never"])
    assert result.exit_code == 2
    assert "OBS003" in result.output and message in result.output


def test_unwritable_build_folder_is_reported(project: Path) -> None:
    (project / "blocker").write_text("a file where a folder must go\n", encoding="utf-8")
    with (project / "obsgen.toml").open("a", encoding="utf-8") as toml:
        toml.write('build = "blocker/build"\n')
    result = CliRunner().invoke(main, ["build", "-C", str(project), "--output-format",
                                       "concise"])
    assert result.exit_code == 1
    assert "OBS501" in result.output and "blocker/build" in result.output
    assert (project / "blocker").read_text(encoding="utf-8") == "a file where a folder must go\n"
