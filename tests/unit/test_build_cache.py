"""A build whose inputs did not change is skipped (obsgen/cache.py), and only then."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen import cache
from obsgen.config import load_config
from obsgen.diagnostics import Diagnostic, Location

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

SKIPPED = "nothing rebuilt"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(obsgen: RunObsgen, example_project: Path) -> Path:
    first = obsgen("build", cwd=example_project)
    assert first.exit_code == 0 and SKIPPED not in first.output, first.describe()
    assert (example_project / ".obsgen-cache" / "build.json").is_file()
    return example_project


def test_an_unchanged_project_is_not_rebuilt(obsgen: RunObsgen, built: Path) -> None:
    before = snapshot(built / "build")
    again = obsgen("build", cwd=built)
    assert again.exit_code == 0 and SKIPPED in again.output, again.describe()
    assert "(0 changed)" in again.output
    assert snapshot(built / "build") == before


@pytest.mark.parametrize("change", ["definitions", "config", "build-edited", "build-extra",
                                    "build-missing", "options"])
def test_any_changed_input_or_output_rebuilds(obsgen: RunObsgen, built: Path,
                                              change: str) -> None:
    expected = snapshot(built / "build")
    args: tuple[str, ...] = ()
    if change == "definitions":
        (built / "definitions" / "extra.py").write_text("# a new module\n")
    elif change == "config":
        config = built / "obsgen.toml"
        config.write_text(config.read_text() + "# a comment\n")
    elif change == "build-edited":
        first = next(p for p in sorted((built / "build").rglob("*.yml")))
        first.write_text("edited by hand\n")
    elif change == "build-extra":
        (built / "build" / "stray.txt").write_text("not ours\n")
    elif change == "build-missing":
        next(p for p in sorted((built / "build").rglob("*.json"))).unlink()
    else:
        args = ("--ignore", "OBS005")
    again = obsgen("build", *args, cwd=built)
    assert again.exit_code == 0 and SKIPPED not in again.output, again.describe()
    assert snapshot(built / "build") == expected  # the build put back exactly its output


def test_warnings_are_reported_again_when_skipped(obsgen: RunObsgen, example_project: Path
                                                  ) -> None:
    alerts = example_project / "definitions" / "alerts.py"
    alerts.write_text(alerts.read_text() + '\nSTRAY = AlertRule("StrayAlert", expr="up == 0", '
                      'severity="warning", summary="s", description="d")\n')
    first = obsgen("build", "--output-format", "concise", cwd=example_project)
    assert first.exit_code == 0, first.describe()
    assert first.stdout.startswith("definitions/alerts.py:") and " OBS005 " in first.stdout
    second = obsgen("build", "--output-format", "concise", cwd=example_project)
    assert SKIPPED in second.stderr and second.stdout == first.stdout, second.describe()


def test_the_cache_can_be_turned_off(obsgen: RunObsgen, built: Path) -> None:
    again = obsgen("build", cwd=built, env={"OBSGEN_NO_CACHE": "1"})
    assert again.exit_code == 0 and SKIPPED not in again.output, again.describe()


def test_a_failed_build_is_not_recorded(obsgen: RunObsgen, built: Path) -> None:
    metrics = built / "definitions" / "metrics.py"
    good = metrics.read_text()
    metrics.write_text(good + '\nBAD = Counter("bad_name", help="x")\n')
    assert obsgen("build", cwd=built).exit_code == 1
    assert obsgen("build", cwd=built).exit_code == 1  # still failing, never "skipped"
    metrics.write_text(good)
    again = obsgen("build", cwd=built)
    assert again.exit_code == 0 and SKIPPED in again.output, again.describe()


def test_a_corrupt_cache_is_ignored(tmp_path: Path, built: Path) -> None:
    config = load_config(built)
    (built / ".obsgen-cache" / "build.json").write_text("{not json")
    assert cache.lookup(config, cache.input_key(config)) is None


def test_diagnostics_round_trip_through_the_record(built: Path) -> None:
    config = load_config(built)
    found = [Diagnostic.of("OBS005", "m", Location("a.py", 3, 4), "h"),
             Diagnostic.of("OBS302", "v")]
    artifacts = {rel: data.decode() for rel, data in snapshot(config.build).items()}
    cache.store(config, "k", artifacts, found)
    hit = cache.lookup(config, "k")
    assert hit is not None and hit.diagnostics == found and hit.artifacts == len(artifacts)
    assert cache.lookup(config, "other key") is None
