"""`obsgen init` scaffolds a project that builds and checks clean, and never overwrites."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from tests.conftest import RunObsgen


def test_init_scaffold_builds_and_checks_clean(tmp_path: Path, obsgen: RunObsgen) -> None:
    created = obsgen("init", str(tmp_path / "new"), cwd=tmp_path)
    assert created.exit_code == 0, created.describe()
    project = tmp_path / "new"
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*.py")) == [
        "definitions/alert_tests.py", "definitions/alerts.py", "definitions/dashboards.py",
        "definitions/metrics.py", "definitions/pipeline.py", "definitions/runbooks.py"]
    checked = obsgen("check", cwd=project)
    assert checked.exit_code == 0, checked.describe()
    assert checked.stdout == ""  # no finding at all, not even a warning
    assert "4 of 4 cases passed" in checked.stderr
    assert "alerts 2/2 fire and stay silent" in checked.stderr
    assert "Alloy: 1 config checked" in checked.stderr
    assert sorted(p.name for p in (project / "build" / "prometheus").rglob("*.yml")) == [
        "my-app.rules.yml", "my-app.test.yml"]
    alloy = (project / "build" / "alloy" / "config.alloy").read_text(encoding="utf-8")
    assert 'job_name        = "my-app"' in alloy
    assert 'sys.env("PROMETHEUS_REMOTE_WRITE_PASSWORD")' in alloy


def test_init_writes_gitignore_and_a_ci_workflow_that_checks(tmp_path: Path,
                                                             obsgen: RunObsgen) -> None:
    created = obsgen("init", cwd=tmp_path)
    assert created.exit_code == 0, created.describe()
    assert "created .github/workflows/obsgen.yml" in created.stdout
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"build/site/", ".obsgen-cache/", ".venv/"} <= set(ignored)
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "obsgen.yml").read_text(
        encoding="utf-8"))
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as True
    runs = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert any(r.startswith("obsgen check") for r in runs)
    assert any("apt-get install" in r and "prometheus" in r for r in runs)  # promtool
    assert any("obsgen diff" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)


def test_init_adds_to_an_existing_gitignore(tmp_path: Path, obsgen: RunObsgen) -> None:
    (tmp_path / ".gitignore").write_text("node_modules\n.venv", encoding="utf-8")
    result = obsgen("init", cwd=tmp_path)
    assert result.exit_code == 0, result.describe()
    assert "updated .gitignore" in result.stdout
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == (
        "node_modules\n.venv\n# added by obsgen init\nbuild/site/\n.obsgen-cache/\n"
        "__pycache__/\n")


def test_init_refuses_to_overwrite_a_workflow(tmp_path: Path, obsgen: RunObsgen) -> None:
    mine = tmp_path / ".github" / "workflows" / "obsgen.yml"
    mine.parent.mkdir(parents=True)
    mine.write_text("name: mine\n", encoding="utf-8")
    result = obsgen("init", cwd=tmp_path)
    assert result.exit_code == 2
    assert mine.read_text(encoding="utf-8") == "name: mine\n"
    assert not (tmp_path / "obsgen.toml").exists() and not (tmp_path / ".gitignore").exists()


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
