"""`obsgen check` on the example project validates the emitted Alloy config and says which
validator ran; a project without a pipeline says nothing about Alloy."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

def _path_without_alloy() -> str:
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if not (Path(p) / "alloy").exists())


def test_check_says_it_used_the_built_in_validator(example_project: Path, obsgen: RunObsgen
                                                   ) -> None:
    result = obsgen("check", cwd=example_project, env={"PATH": _path_without_alloy()})
    assert result.exit_code == 0, result.describe()
    lines = [line for line in result.stderr.splitlines() if line.startswith("Alloy:")]
    assert lines == ["Alloy: 1 config checked by obsgen's built-in validator (no alloy binary "
                     "on PATH), clean."], result.describe()
    assert (example_project / "build" / "alloy" / "config.alloy").is_file()


def test_no_pipeline_no_alloy_line(example_project: Path, obsgen: RunObsgen) -> None:
    (example_project / "definitions" / "pipeline.py").unlink()
    result = obsgen("check", cwd=example_project, env={"PATH": _path_without_alloy()})
    assert result.exit_code == 0, result.describe()
    assert "Alloy:" not in result.stderr
    assert not (example_project / "build" / "alloy").exists()
