"""`obsgen lint` on hostile paths: only regular files are read (a FIFO, /dev/zero), never more
than the size limit, and a folder or path that cannot be read is a finding, never a traceback.

Each case runs the real CLI under a time and memory limit (bounded_cli.py): before these
guards a FIFO hung the run forever and /dev/zero was read until memory ran out.

Tests run as root, where chmod does not deny reads: "cannot be read" is provoked with chmod 000
in a run that has dropped root's override (CAP_DAC_OVERRIDE), and with paths the kernel refuses
for anyone: a path longer than PATH_MAX (ENAMETOOLONG), a name longer than NAME_MAX, and
symlinks that loop (ELOOP).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bounded_cli import Run, bounded_obsgen

from obsgen.check.reading import describe_size, parse_size

JSON = ("--output-format", "json")
# Linted, it gives warnings at line 4 (no `for`, no summary...): the witness that the other
# files of a run are still linted.
RULES = """\
groups:
- name: g
  rules:
  - alert: Down
    expr: up == 0
"""
WITNESS = ("OBS921", "rules/good.yml", 4)


def errors(result: Run) -> set[tuple[str, str, int]]:
    return {f for f in result.found() if f[1] != "rules/good.yml"}


def _project(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "good.yml").write_text(RULES, encoding="utf-8")
    return rules


def test_a_fifo_named_like_a_rule_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    rules = _project(tmp_path)
    os.mkfifo(rules / "pipe.yml")
    os.mkfifo(tmp_path / "named.yml")
    result = bounded_obsgen("lint", "rules", "named.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert errors(result) == {("OBS969", "rules/pipe.yml", 0), ("OBS969", "named.yml", 0)}
    assert all("FIFO" in d["message"] for d in result.diagnostics() if d["code"] == "OBS969")
    assert WITNESS in result.found()


def test_a_symlink_to_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    rules = _project(tmp_path)
    (rules / "zero.yml").symlink_to("/dev/zero")
    result = bounded_obsgen("lint", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert errors(result) == {("OBS969", "rules/zero.yml", 0)}
    assert any("character device" in d["message"] for d in result.diagnostics())


def test_a_fifo_given_as_the_catalog_is_refused(tmp_path: Path) -> None:
    _project(tmp_path)
    os.mkfifo(tmp_path / "metrics.txt")
    result = bounded_obsgen("lint", "--catalog", "metrics.txt", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert errors(result) == {("OBS969", "metrics.txt", 0)}


def test_a_file_over_the_size_limit_is_a_finding_and_not_read(tmp_path: Path) -> None:
    rules = _project(tmp_path)
    (rules / "big.yml").write_text(RULES + "#" * 2048 + "\n", encoding="utf-8")
    result = bounded_obsgen("lint", "--max-file-size", "1K", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert errors(result) == {("OBS970", "rules/big.yml", 0)}
    size = (rules / "big.yml").stat().st_size
    assert any(f"the file is {size:,} bytes, over the size limit of 1K" in d["message"]
               for d in result.diagnostics())
    assert WITNESS in result.found()  # good.yml is under the limit
    again = bounded_obsgen("lint", "rules", *JSON, cwd=tmp_path,
                           env={"OBSGEN_MAX_FILE_SIZE": "1K"})
    assert errors(again) == {("OBS970", "rules/big.yml", 0)}, again.describe()


def test_the_default_size_limit_is_32_mib(tmp_path: Path) -> None:
    rules = _project(tmp_path)
    with (rules / "huge.yml").open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(32 * 1024 * 1024 + 1)
    result = bounded_obsgen("lint", "rules", *JSON, cwd=tmp_path)
    assert errors(result) == {("OBS970", "rules/huge.yml", 0)}, result.describe()
    assert any("33,554,433 bytes, over the size limit of 32M" in d["message"]
               for d in result.diagnostics())


def test_an_unusable_size_is_a_usage_error(tmp_path: Path) -> None:
    _project(tmp_path)
    result = bounded_obsgen("lint", "--max-file-size", "10X", "rules", cwd=tmp_path)
    assert result.exit_code == 2, result.describe()
    assert "'10X' is not a size" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "size"), [
    ("512K", 512 * 1024), ("10M", 10 * 1024 ** 2), ("1g", 1024 ** 3), ("100", 100),
    ("10MiB", 10 * 1024 ** 2), (" 64 M ", 64 * 1024 ** 2), ("2KB", 2048),
])
def test_sizes_are_parsed_in_powers_of_1024(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "-1", "1.5M", "10X", "M", "1T"])
def test_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


def test_sizes_are_described_as_written() -> None:
    assert [describe_size(n) for n in (32 * 1024 ** 2, 512 * 1024, 1000, 1024 ** 3)] == [
        "32M", "512K", "1000 bytes", "1G"]


def _deeper_than_path_max(top: Path) -> None:
    """Folders nested until their path is longer than PATH_MAX (4096): made through file
    descriptors, since no path can name the deepest of them."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(22):
            os.mkdir("d" * 200, dir_fd=fd)
            deeper = os.open("d" * 200, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = deeper
    finally:
        os.close(fd)


def test_a_folder_that_cannot_be_read_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    rules = _project(tmp_path)
    _deeper_than_path_max(rules)
    result = bounded_obsgen("lint", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.stderr
    [d] = [d for d in result.diagnostics() if d["code"] == "OBS965"]
    assert "File name too long" in d["message"]
    assert d["location"]["path"].startswith("rules/" + "d" * 200)
    assert errors(result) == {("OBS965", d["location"]["path"], 0)}
    assert WITNESS in result.found()


def test_a_chmod_000_subfolder_and_file_are_findings_not_a_traceback(tmp_path: Path) -> None:
    """The case as the issue found it: permissions, with root's override dropped."""
    rules = _project(tmp_path)
    (rules / "locked").mkdir()
    (rules / "locked" / "inside.yml").write_text(RULES, encoding="utf-8")
    (rules / "secret.yml").write_text(RULES, encoding="utf-8")
    (rules / "locked").chmod(0)
    (rules / "secret.yml").chmod(0)
    try:
        result = bounded_obsgen("lint", "rules", *JSON, cwd=tmp_path, unprivileged=True)
    finally:
        (rules / "locked").chmod(0o755)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.stderr
    assert errors(result) == {("OBS965", "rules/locked", 0), ("OBS965", "rules/secret.yml", 0)}
    assert all("Permission denied" in d["message"] for d in result.diagnostics()
               if d["code"] == "OBS965"), result.describe()
    assert WITNESS in result.found()


def test_a_named_path_that_cannot_be_told_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    _project(tmp_path)
    too_long = "rules/" + "n" * 300 + ".yml"  # longer than NAME_MAX: ENAMETOOLONG
    (tmp_path / "a.yml").symlink_to("b.yml")
    (tmp_path / "b.yml").symlink_to("a.yml")  # ELOOP
    result = bounded_obsgen("lint", too_long, "a.yml", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.stderr
    assert errors(result) == {("OBS965", too_long, 0), ("OBS965", "a.yml", 0)}
    messages = {d["location"]["path"]: d["message"] for d in result.diagnostics()}
    assert "File name too long" in messages[too_long]
    assert "symbolic links" in messages["a.yml"]
    assert WITNESS in result.found()


def test_a_markdown_link_to_a_path_too_long_is_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "runbook.md"
    page.write_text(f"# Runbook\n\nSee [there]({'x' * 5000}.md).\n", encoding="utf-8")
    result = bounded_obsgen("lint", "runbook.md", *JSON, cwd=tmp_path)
    assert result.found() == {("OBS708", "runbook.md", 3)}, result.describe()


def test_a_markdown_link_to_a_fifo_page_does_not_wait_on_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    os.mkfifo(tmp_path / "other.md")
    (tmp_path / "docs" / "runbook.md").write_text(
        "# Runbook\n\nSee [there](../other.md#step).\n", encoding="utf-8")
    result = bounded_obsgen("lint", "docs", *JSON, cwd=tmp_path)
    assert result.found() == {("OBS709", "docs/runbook.md", 3)}, result.describe()
