"""`obsgen init` scaffolds a project that builds and checks clean, and never overwrites."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import RunObsgen


def test_init_scaffold_builds_and_checks_clean(tmp_path: Path, obsgen: RunObsgen) -> None:
    created = obsgen("init", str(tmp_path / "new"), cwd=tmp_path)
    assert created.exit_code == 0, created.describe()
    project = tmp_path / "new"
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*.py")) == [
        "definitions/alert_tests.py", "definitions/alerts.py", "definitions/dashboards.py",
        "definitions/metrics.py", "definitions/runbooks.py"]
    checked = obsgen("check", cwd=project)
    assert checked.exit_code == 0, checked.describe()
    assert "4 of 4 cases passed" in checked.stderr
    assert sorted(p.name for p in (project / "build" / "prometheus").rglob("*.yml")) == [
        "my-app.rules.yml", "my-app.test.yml"]


def test_init_refuses_to_overwrite(tmp_path: Path, obsgen: RunObsgen) -> None:
    (tmp_path / "definitions").mkdir()
    mine = tmp_path / "definitions" / "alerts.py"
    mine.write_text("# mine\n", encoding="utf-8")
    result = obsgen("init", cwd=tmp_path)
    assert result.exit_code == 2
    assert "alerts.py already exists" in result.stderr
    assert mine.read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "obsgen.toml").exists()


def test_init_writes_a_stable_project_identity(tmp_path: Path, obsgen: RunObsgen) -> None:
    result = obsgen("init", str(tmp_path / "Shop API"), cwd=tmp_path)
    assert result.exit_code == 0, result.describe()
    toml = (tmp_path / "Shop API" / "obsgen.toml").read_text(encoding="utf-8")
    assert 'project = "shop-api"' in toml
    assert "my-service" not in toml
