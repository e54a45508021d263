"""Project discovery and settings."""

from pathlib import Path

import pytest

from obsgen.config import load_config
from obsgen.diagnostics import UsageError


def project(tmp_path: Path, toml: str, name: str = "obsgen.toml") -> Path:
    (tmp_path / "definitions").mkdir(exist_ok=True)
    (tmp_path / name).write_text(toml, encoding="utf-8")
    return tmp_path


def refused(start: Path) -> str:
    with pytest.raises(UsageError) as excinfo:
        load_config(start)
    assert excinfo.value.diagnostic.code == "OBS003"
    assert excinfo.value.diagnostic.hint
    return excinfo.value.diagnostic.message


def test_found_from_a_subfolder_via_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.obsgen]\n", "pyproject.toml")
    (root / "definitions" / "deep").mkdir()
    config = load_config(root / "definitions" / "deep")
    assert config.root == root.resolve()
    assert config.definitions == root.resolve() / "definitions"
    assert config.build == root.resolve() / "build"
    assert config.severities == ("critical", "warning", "info")


def test_pyproject_without_table_is_not_a_project(tmp_path: Path) -> None:
    project(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert "no obsgen project" in refused(tmp_path)


def test_runbook_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    root = project(tmp_path, 'runbook_base_url = "https://rb.example.org/ops"\n')
    assert load_config(root).runbook_base_url == "https://rb.example.org/ops/"


@pytest.mark.parametrize(("toml", "words"), [
    ("definitions = \n", "cannot parse"),
    ('colour = "red"\n', "unknown setting"),
    ('runbook_base_url = "runbooks/"\n', "not a URL"),
    ("severities = \"critical\"\n", "list of strings"),
    ('definitions = "missing"\n', "not found"),
])
def test_bad_settings_are_usage_errors(tmp_path: Path, toml: str, words: str) -> None:
    assert words in refused(project(tmp_path, toml))


@pytest.mark.parametrize("key", ["definitions", "build"])
def test_a_folder_setting_that_is_not_text_is_refused(tmp_path: Path, key: str) -> None:
    assert f"{key} must be a folder name" in refused(project(tmp_path, f"{key} = 3\n"))


@pytest.mark.parametrize("value", ["", "Upper", "a.b", "-x", "x" * 41, "3"])
def test_an_unusable_project_identity_is_refused(tmp_path: Path, value: str) -> None:
    toml = f'project = "{value}"\n' if value != "3" else "project = 3\n"
    assert "project identity" in refused(project(tmp_path, toml))


def test_project_identity_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "My Service"
    folder.mkdir()
    config = load_config(project(folder, 'definitions = "definitions"\n'))
    assert (config.project, config.project_from) == ("my-service", "folder")
    named = tmp_path / "named"
    named.mkdir()
    config = load_config(project(named, '[project]\nname = "Shop.API"\n[tool.obsgen]\n',
                                 "pyproject.toml"))
    assert (config.project, config.project_from) == ("shop-api", "pyproject")
    config = load_config(project(named, 'project = "checkout"\n'))
    assert (config.project, config.project_from) == ("checkout", "setting")
