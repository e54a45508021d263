"""The on-disk rollback of a Prometheus rules deploy (deploy/rollback.py), on real files: what a
journal restores, what it leaves, and the journals it refuses to act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from obsgen.deploy import rollback

OLD, NEW = "groups: []\n# old\n", "groups: []\n# new\n"


def rules_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_a_journal_puts_back_replaced_removed_and_created_files(tmp_path: Path) -> None:
    folder = rules_dir(tmp_path, {"a.rules.yml": OLD, "b.rules.yml": OLD})
    journal = rollback.begin(folder, "shop", {"a.rules.yml": OLD, "b.rules.yml": OLD,
                                              "c.rules.yml": None},
                             {"a.rules.yml": NEW, "b.rules.yml": None, "c.rules.yml": NEW})
    assert journal.folder == tmp_path / ".rules.obsgen-rollback"
    # The deploy writes, then is killed: only the journal on disk is left to go by.
    (folder / "a.rules.yml").write_text(NEW, encoding="utf-8")
    (folder / "b.rules.yml").unlink()
    (folder / "c.rules.yml").write_text(NEW, encoding="utf-8")
    found = rollback.pending(folder)
    assert found is not None and found.project == "shop"
    restored = rollback.restore(found)
    assert contents(folder) == {"a.rules.yml": OLD, "b.rules.yml": OLD}
    assert set(restored.files) == {"a.rules.yml", "b.rules.yml", "c.rules.yml"}
    rollback.finish(found)
    assert not journal.folder.exists() and rollback.pending(folder) is None


def test_a_file_changed_by_someone_else_since_is_left(tmp_path: Path) -> None:
    folder = rules_dir(tmp_path, {"a.rules.yml": OLD})
    rollback.begin(folder, "shop", {"a.rules.yml": OLD}, {"a.rules.yml": NEW})
    (folder / "a.rules.yml").write_text("groups: []\n# a third party\n", encoding="utf-8")
    journal = rollback.pending(folder)
    assert journal is not None
    assert rollback.restore(journal).left == ("a.rules.yml",)
    assert contents(folder) == {"a.rules.yml": "groups: []\n# a third party\n"}


def test_copies_without_a_journal_are_not_a_pending_deploy(tmp_path: Path) -> None:
    folder = rules_dir(tmp_path, {"a.rules.yml": OLD})
    leftover = tmp_path / ".rules.obsgen-rollback" / "previous"
    leftover.mkdir(parents=True)
    (leftover / "a.rules.yml").write_text("half a copy", encoding="utf-8")
    assert rollback.pending(folder) is None
    journal = rollback.begin(folder, "shop", {"a.rules.yml": OLD}, {"a.rules.yml": NEW})
    assert (journal.folder / "previous" / "a.rules.yml").read_text(encoding="utf-8") == OLD


@pytest.mark.parametrize("name", ["../outside.rules.yml", "/etc/x.rules.yml", "a.yml",
                                  ".hidden.rules.yml", 7])
def test_a_journal_naming_a_file_outside_the_folder_is_refused(tmp_path: Path,
                                                               name: object) -> None:
    folder = rules_dir(tmp_path, {})
    journal = rollback.begin(folder, "shop", {}, {"a.rules.yml": NEW})
    path = journal.folder / "journal.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"][0]["name"] = name
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(rollback.JournalError):
        rollback.pending(folder)
    assert not (tmp_path / "outside.rules.yml").exists()


def test_a_damaged_copy_is_refused_rather_than_restored(tmp_path: Path) -> None:
    folder = rules_dir(tmp_path, {"a.rules.yml": OLD})
    journal = rollback.begin(folder, "shop", {"a.rules.yml": OLD}, {"a.rules.yml": NEW})
    (folder / "a.rules.yml").write_text(NEW, encoding="utf-8")
    (journal.folder / "previous" / "a.rules.yml").write_text("truncat", encoding="utf-8")
    with pytest.raises(rollback.JournalError, match="damaged"):
        rollback.restore(journal)
    assert contents(folder) == {"a.rules.yml": NEW}
