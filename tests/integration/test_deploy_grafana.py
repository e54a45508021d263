"""`obsgen deploy grafana` against a Grafana: our stand-in (tests/standin/grafana.py) by
default, or a real Grafana when OBSGEN_TEST_GRAFANA_URL and OBSGEN_TEST_GRAFANA_TOKEN are set
(an Editor service-account token; OBSGEN_TEST_GRAFANA_VIEWER_TOKEN adds the 403 test). Every
test then talks to it over HTTP only, in folders of its own with a random uid prefix, and
deletes them afterwards. Fault-injection tests need the stand-in and are skipped otherwise.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from obsgen.config import slug
from obsgen.deploy.built import Definitions, read_dashboards
from obsgen.deploy.grafana import GrafanaOptions, deploy_grafana
from obsgen.deploy.http import RetryPolicy, Session, SystemClock
from obsgen.deploy.plan import Report
from standin import helpers
from standin.grafana import ADMIN_TOKEN, VIEWER_TOKEN, GrafanaStandIn
from standin.helpers import FakeClock, findings, json_report, make_project
from standin.server import Faults

REAL_URL = os.environ.get("OBSGEN_TEST_GRAFANA_URL", "")
REAL_TOKEN = os.environ.get("OBSGEN_TEST_GRAFANA_TOKEN", "")
REAL_VIEWER = os.environ.get("OBSGEN_TEST_GRAFANA_VIEWER_TOKEN", "")
PROJECT = "demo"  # the identity these tests deploy as, through the API and the CLI alike


@dataclass
class Target:
    url: str
    token: str
    viewer_token: str | None
    standin: GrafanaStandIn | None
    prefix: str  # every folder and dashboard uid of this test starts with it

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with httpx.Client(base_url=self.url, timeout=30,
                          headers={"Authorization": f"Bearer {self.token}"}) as client:
            return client.request(method, path, **kwargs)

    def dashboard(self, uid: str) -> dict[str, Any] | None:
        response = self.api("GET", f"/api/dashboards/uid/{uid}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def version(self, uid: str) -> int:
        found = self.dashboard(uid)
        assert found is not None, f"dashboard {uid} is missing"
        return int(found["dashboard"]["version"])

    def search(self, **params: Any) -> list[dict[str, Any]]:
        response = self.api("GET", "/api/search", params={"type": "dash-db", "limit": 5000,
                                                          **params})
        response.raise_for_status()
        return [h for h in response.json() if str(h["uid"]).startswith(self.prefix)]

    def plant(self, uid: str, title: str, folder_uid: str = "",
              tags: tuple[str, ...] = ()) -> None:
        """A dashboard made by someone else, straight through the API."""
        response = self.api("POST", "/api/dashboards/db", json={
            "dashboard": {"uid": uid, "title": title, "tags": list(tags), "panels": []},
            "folderUid": folder_uid, "overwrite": True})
        assert response.status_code == 200, response.text

    def edit(self, uid: str, change: dict[str, Any]) -> None:
        """What a person saving the dashboard in the UI does."""
        current = self.dashboard(uid)
        assert current is not None
        model = {**current["dashboard"], **change}
        response = self.api("POST", "/api/dashboards/db", json={
            "dashboard": model, "folderUid": current["meta"].get("folderUid", ""),
            "overwrite": False, "message": "edited by hand"})
        assert response.status_code == 200, response.text

    def save_as(self, uid: str, new_uid: str, title: str) -> None:
        """The UI's "Save as" with "Copy tags" on: the same content under a new uid and title,
        in the same folder."""
        current = self.dashboard(uid)
        assert current is not None
        model = {k: v for k, v in current["dashboard"].items() if k not in ("id", "version")}
        response = self.api("POST", "/api/dashboards/db", json={
            "dashboard": {**model, "uid": new_uid, "title": title},
            "folderUid": current["meta"].get("folderUid", ""), "overwrite": False})
        assert response.status_code == 200, response.text

    def folder_title(self, uid: str) -> str:
        response = self.api("GET", f"/api/folders/{uid}")
        response.raise_for_status()
        return str(response.json()["title"])


@pytest.fixture
def grafana() -> Iterator[Target]:
    prefix = f"og{secrets.token_hex(3)}"
    if REAL_URL and REAL_TOKEN:
        target = Target(REAL_URL.rstrip("/"), REAL_TOKEN, REAL_VIEWER or None, None, prefix)
        yield target
        for hit in target.search():
            target.api("DELETE", f"/api/dashboards/uid/{hit['uid']}")
        for folder in target.api("GET", "/api/folders").json():
            if str(folder["uid"]).startswith(prefix):
                target.api("DELETE", f"/api/folders/{folder['uid']}")
        return
    standin = GrafanaStandIn()
    standin.start()
    try:
        yield Target(standin.url, ADMIN_TOKEN, VIEWER_TOKEN, standin, prefix)
    finally:
        standin.stop()


def needs_standin(target: Target) -> GrafanaStandIn:
    if target.standin is None:
        pytest.skip("fault injection needs the stand-in, not a real Grafana")
    return target.standin


# --- built dashboards ---------------------------------------------------------------------

def panel(index: int, title: str) -> dict[str, Any]:
    return {"id": index, "type": "timeseries", "title": title,
            "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "targets": [{"refId": "A", "expr": f"sum(rate(demo_requests_total[$__rate_interval]))"
                                               f" * {index + 1}"}]}


def dashboard_json(uid: str, title: str, panels: int = 2, **extra: Any) -> dict[str, Any]:
    return {"uid": uid, "title": title, "tags": ["demo"], "schemaVersion": 39,
            "timezone": "browser", "editable": True, "time": {"from": "now-6h", "to": "now"},
            "panels": [panel(i, f"Panel {i}") for i in range(panels)], **extra}


def write_build(build: Path, folders: dict[str, list[dict[str, Any]]]) -> Path:
    """build/grafana/<folder uid>/<uid>.json, as the emitter lays them out."""
    for folder_uid, models in folders.items():
        for model in models:
            path = build / "grafana" / folder_uid / f"{model['uid']}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return build


def project_of(build: Path, project: str = PROJECT) -> Path:
    """A project folder around `build` whose identity (obsgen.toml `project`) is `project`."""
    return make_project(build, project)


def remove_built(build: Path, folder_uid: str, uid: str) -> None:
    (build / "grafana" / folder_uid / f"{uid}.json").unlink()


def seed(target: Target, tmp_path: Path, count: int = 3) -> tuple[Path, str, list[str]]:
    folder = f"{target.prefix}-platform"
    uids = [f"{target.prefix}-d{i:02d}" for i in range(count)]
    build = write_build(tmp_path / "build", {folder: [
        dashboard_json(uid, f"{target.prefix} dashboard {i}") for i, uid in enumerate(uids)]})
    return build, folder, uids


def deploy(target: Target, build: Path, clock: FakeClock | None = None,
           policy: RetryPolicy | None = None, **options: Any) -> Report:
    dashboards = read_dashboards(build, Definitions({}, {}))
    use_clock = SystemClock() if target.standin is None else (clock or FakeClock())
    with Session(target.url, {"Authorization": f"Bearer {target.token}"},
                 policy=policy or RetryPolicy(timeout=10), clock=use_clock,
                 rng=random.Random(7)) as session:
        return deploy_grafana(session, dashboards,
                              GrafanaOptions(target.url, **{"project": PROJECT, **options}))


def actions(report: Report, kind: str = "dashboard") -> dict[str, str]:
    return {a.key: a.action for a in report.actions if a.kind == kind}


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


# --- done when: create, unchanged, update with a diff -------------------------------------

def test_first_deploy_creates_folders_and_dashboards(grafana: Target, tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    report = deploy(grafana, build)
    assert codes(report) == []
    assert actions(report, "folder") == {folder: "create"}
    assert actions(report) == dict.fromkeys(uids, "create")
    assert all(a.outcome == "done" for a in report.actions)
    for uid in uids:
        found = grafana.dashboard(uid)
        assert found is not None
        assert found["meta"]["folderUid"] == folder
        assert found["dashboard"]["version"] == 1
        tags = found["dashboard"]["tags"]
        assert "demo" in tags and "obsgen" in tags
        assert any(t.startswith("obsgen-sha256:") for t in tags)
    assert sorted(h["uid"] for h in grafana.search(tag="obsgen")) == uids


def test_second_deploy_reports_all_unchanged_and_posts_nothing(grafana: Target,
                                                               tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    if grafana.standin:
        grafana.standin.clear_log()
    again = deploy(grafana, build)
    assert codes(again) == []
    assert actions(again) == dict.fromkeys(uids, "unchanged")
    assert actions(again, "folder") == {folder: "unchanged"}
    assert again.writes == 0
    if grafana.standin:
        assert grafana.standin.writes() == []
    assert [grafana.version(uid) for uid in uids] == [1] * len(uids)


def test_changed_panel_is_one_update_with_a_diff_in_dry_run(grafana: Target, tmp_path: Path,
                                                            obsgen: Any) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    changed = dashboard_json(uids[1], f"{grafana.prefix} dashboard 1")
    changed["panels"][0]["title"] = "Requests per second"
    write_build(build, {folder: [changed]})
    project = project_of(build)

    dry = obsgen("deploy", "grafana", "--dry-run", "--url", grafana.url, cwd=project,
                 env={"GRAFANA_TOKEN": grafana.token})
    assert dry.exit_code == 0, dry.describe()
    assert f"update    dashboard {uids[1]}" in dry.stdout
    assert '-        "title": "Panel 0",' in dry.stdout
    assert '+        "title": "Requests per second",' in dry.stdout
    for uid in (uids[0], uids[2]):
        assert f"unchanged dashboard {uid}" in dry.stdout
    assert grafana.version(uids[1]) == 1, "a dry run changed Grafana"

    as_json = obsgen("deploy", "grafana", "--dry-run", "--output-format", "json", "--url",
                     grafana.url, cwd=project, env={"GRAFANA_TOKEN": grafana.token})
    plan = json.loads(as_json.stdout)
    assert plan["dry_run"] is True and plan["writes"] == 0
    assert plan["summary"] == {"update": 1, "unchanged": 3}  # 2 dashboards + the folder
    assert [a["key"] for a in plan["actions"] if a["action"] == "update"] == [uids[1]]

    done = obsgen("deploy", "grafana", "--url", grafana.url, cwd=project,
                  env={"GRAFANA_TOKEN": grafana.token})
    assert done.exit_code == 0, done.describe()
    assert [grafana.version(uid) for uid in uids] == [1, 2, 1]
    model = grafana.dashboard(uids[1])
    assert model is not None
    assert model["dashboard"]["panels"][0]["title"] == "Requests per second"


# --- drift, foreign dashboards, prune -----------------------------------------------------

def test_dashboard_edited_in_grafana_is_drift_and_kept_until_force(grafana: Target,
                                                                   tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    grafana.edit(uids[0], {"description": "tuned by hand"})
    changed = dashboard_json(uids[0], f"{grafana.prefix} dashboard 0", panels=3)
    write_build(build, {folder: [changed]})

    report = deploy(grafana, build)
    assert actions(report)[uids[0]] == "drift"
    assert "OBS516" in codes(report)
    found = grafana.dashboard(uids[0])
    assert found is not None and found["dashboard"].get("description") == "tuned by hand"
    assert found["dashboard"]["version"] == 2

    forced = deploy(grafana, build, force=True)
    assert "OBS516" not in codes(forced)
    found = grafana.dashboard(uids[0])
    assert found is not None and "description" not in found["dashboard"]
    assert len(found["dashboard"]["panels"]) == 3
    assert actions(deploy(grafana, build))[uids[0]] == "unchanged"


def test_existing_dashboard_not_from_obsgen_is_not_taken_over(grafana: Target,
                                                              tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    grafana.api("POST", "/api/folders", json={"uid": folder, "title": "platform"})
    grafana.plant(uids[2], "Somebody's dashboard", folder)
    report = deploy(grafana, build)
    assert actions(report)[uids[2]] == "foreign"
    assert "OBS517" in codes(report)
    found = grafana.dashboard(uids[2])
    assert found is not None and found["dashboard"]["title"] == "Somebody's dashboard"


def test_prune_deletes_only_obsgen_dashboards_in_obsgen_folders(grafana: Target,
                                                                tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    other_folder = f"{grafana.prefix}-elsewhere"
    grafana.api("POST", "/api/folders", json={"uid": other_folder, "title": "elsewhere"})
    planted = {
        f"{grafana.prefix}-hand-made": folder,  # untagged, in obsgen's folder
        f"{grafana.prefix}-hand-general": "",  # untagged, General
        f"{grafana.prefix}-tagged-elsewhere": other_folder,  # tagged obsgen, foreign folder
        f"{grafana.prefix}-other-tags": folder,  # tagged, but not `obsgen`
    }
    for uid, in_folder in planted.items():
        tags = ("obsgen",) if "tagged" in uid else ("obsgen-like", "team") if "tags" in uid \
            else ()
        grafana.plant(uid, uid, in_folder, tags)
    remove_built(build, folder, uids[0])

    dry = deploy(grafana, build, prune=True, dry_run=True)
    assert {k for k, v in actions(dry).items() if v == "prune"} == {uids[0]}
    assert grafana.dashboard(uids[0]) is not None

    report = deploy(grafana, build, prune=True)
    assert codes(report) == []
    assert grafana.dashboard(uids[0]) is None
    for uid in planted:
        assert grafana.dashboard(uid) is not None, f"prune deleted {uid}"
    assert grafana.dashboard(uids[1]) is not None


# --- ownership: projects, edits, copies, folders --------------------------------------------

def cli_deploy(obsgen: Any, grafana: Target, project: Path, *args: str) -> dict[str, Any]:
    """`obsgen deploy grafana ... --output-format json` in `project`; the parsed report."""
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", "json", *args,
                    cwd=project, env={"GRAFANA_TOKEN": grafana.token})
    return json_report(result)


def planned(report: dict[str, Any], kind: str = "dashboard") -> dict[str, str]:
    return helpers.planned(report, kind)


def test_two_projects_in_one_folder_never_touch_each_other(grafana: Target, tmp_path: Path,
                                                           obsgen: Any) -> None:
    folder = f"{grafana.prefix}-shared"
    alpha = [f"{grafana.prefix}-a{i}" for i in range(2)]
    beta = [f"{grafana.prefix}-b{i}" for i in range(2)]
    build_a = write_build(tmp_path / "alpha" / "build", {folder: [
        dashboard_json(uid, f"Alpha {i}") for i, uid in enumerate(alpha)]})
    build_b = write_build(tmp_path / "beta" / "build", {folder: [
        dashboard_json(uid, f"Beta {i}") for i, uid in enumerate(beta)]})
    project_a, project_b = project_of(build_a, "alpha"), project_of(build_b, "beta")
    assert cli_deploy(obsgen, grafana, project_a)["exit_code"] == 0
    assert cli_deploy(obsgen, grafana, project_b)["exit_code"] == 0
    theirs = {uid: grafana.dashboard(uid) for uid in beta}
    assert all("obsgen-project:beta" in d["dashboard"]["tags"] for d in theirs.values() if d)

    remove_built(build_a, folder, alpha[1])
    dry = cli_deploy(obsgen, grafana, project_a, "--prune", "--dry-run")
    assert planned(dry) == {alpha[0]: "unchanged", alpha[1]: "prune", beta[0]: "foreign",
                            beta[1]: "foreign"}
    pruned = cli_deploy(obsgen, grafana, project_a, "--prune")
    assert pruned["exit_code"] == 0
    assert grafana.dashboard(alpha[1]) is None and grafana.dashboard(alpha[0]) is not None
    assert {uid: grafana.dashboard(uid) for uid in beta} == theirs  # byte for byte
    left = findings(pruned, "OBS528")
    assert len(left) == 2 and all("deployed by obsgen project 'beta'" in m for m in left)

    # One project's definitions claiming the other's uid: refused, until --force.
    write_build(build_a, {folder: [dashboard_json(beta[0], "Alpha's take on Beta 0")]})
    clash = cli_deploy(obsgen, grafana, project_a)
    assert clash["exit_code"] == 1 and planned(clash)[beta[0]] == "foreign"
    assert any("project 'beta'" in m for m in findings(clash, "OBS517"))
    assert grafana.dashboard(beta[0]) == theirs[beta[0]]
    forced = cli_deploy(obsgen, grafana, project_a, "--force")
    assert forced["exit_code"] == 0
    taken = grafana.dashboard(beta[0])
    assert taken is not None and "obsgen-project:alpha" in taken["dashboard"]["tags"]


def test_edited_dashboard_and_save_as_copy_survive_prune(grafana: Target, tmp_path: Path,
                                                         obsgen: Any) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    copy_uid = f"{grafana.prefix}-copy"
    grafana.edit(uids[0], {"description": "tuned by hand"})
    grafana.save_as(uids[1], copy_uid, "My own copy")
    edited_before = grafana.dashboard(uids[0])
    remove_built(build, folder, uids[0])
    project = project_of(build)

    report = cli_deploy(obsgen, grafana, project, "--prune")
    assert report["exit_code"] == 0
    assert planned(report) == {uids[0]: "drift", uids[1]: "unchanged", uids[2]: "unchanged",
                               copy_uid: "foreign"}
    details = {a["key"]: a["detail"] for a in report["actions"]}
    assert "edited in Grafana since obsgen wrote it" in details[uids[0]]
    assert f"copy of {uids[1]!r}" in details[copy_uid]
    assert len(findings(report, "OBS528")) == 2
    assert grafana.dashboard(uids[0]) == edited_before
    assert grafana.dashboard(copy_uid) is not None

    # The original goes once it is no longer defined; its copy still stays.
    remove_built(build, folder, uids[1])
    again = cli_deploy(obsgen, grafana, project, "--prune", "--force")
    assert planned(again)[uids[1]] == "prune" and planned(again)[copy_uid] == "foreign"
    assert planned(again)[uids[0]] == "drift", "--force must not widen --prune"
    assert grafana.dashboard(uids[1]) is None
    assert grafana.dashboard(copy_uid) is not None and grafana.dashboard(uids[0]) is not None


def test_dashboards_of_an_obsgen_without_projects(grafana: Target, tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    deploy(grafana, build)
    for uid in uids[:2]:  # as the previous obsgen left them: no project tag
        found = grafana.dashboard(uid)
        assert found is not None
        tags = [t for t in found["dashboard"]["tags"] if not t.startswith("obsgen-project:")]
        grafana.api("POST", "/api/dashboards/db", json={
            "dashboard": {**found["dashboard"], "tags": tags}, "folderUid": folder,
            "overwrite": True}).raise_for_status()
    remove_built(build, folder, uids[1])

    report = deploy(grafana, build, prune=True)
    assert actions(report) == {uids[0]: "update", uids[1]: "foreign", uids[2]: "unchanged"}
    adopted = grafana.dashboard(uids[0])
    assert adopted is not None and f"obsgen-project:{PROJECT}" in adopted["dashboard"]["tags"]
    assert grafana.dashboard(uids[1]) is not None, "pruned a dashboard of unknown project"
    [left] = [d for d in report.diagnostics if d.code == "OBS528"]
    assert "did not record projects" in left.message
    assert actions(deploy(grafana, build))[uids[0]] == "unchanged"


def test_existing_folder_title_is_kept_without_force(grafana: Target, tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    grafana.api("POST", "/api/folders", json={"uid": folder, "title": "Somebody's folder"})
    report = deploy(grafana, build)
    assert actions(report, "folder") == {folder: "foreign"}
    assert [d.code for d in report.diagnostics] == ["OBS528"]
    assert "Somebody's folder" in report.diagnostics[0].message
    assert grafana.folder_title(folder) == "Somebody's folder"
    assert actions(report) == dict.fromkeys(uids, "create")  # deployed into it all the same
    assert all(grafana.dashboard(uid) for uid in uids)

    forced = deploy(grafana, build, force=True)
    assert actions(forced, "folder") == {folder: "update"} and codes(forced) == []
    assert grafana.folder_title(folder) == folder


def test_the_longest_project_identity_fits_grafanas_tags(grafana: Target,
                                                        tmp_path: Path) -> None:
    build, _, uids = seed(grafana, tmp_path, count=1)
    report = deploy(grafana, build, project="p" * 40)  # the longest config.PROJECT_ID allows
    assert codes(report) == [], report.diagnostics
    found = grafana.dashboard(uids[0])
    assert found is not None and all(len(t) <= 50 for t in found["dashboard"]["tags"])
    assert actions(deploy(grafana, build, project="p" * 40)) == {uids[0]: "unchanged"}


def test_identity_from_the_folder_name_is_a_warning(grafana: Target, tmp_path: Path,
                                                    obsgen: Any) -> None:
    build, _, uids = seed(grafana, tmp_path, count=1)
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", "json",
                    cwd=make_project(build), env={"GRAFANA_TOKEN": grafana.token})
    assert result.exit_code == 0, result.describe()
    report = json.loads(result.stdout)
    [note] = report["diagnostics"]
    assert note["code"] == "OBS006" and note["severity"] == "warning"
    assert report["project"] == slug(tmp_path.name)
    found = grafana.dashboard(uids[0])
    assert found is not None and f"obsgen-project:{report['project']}" in found["dashboard"]["tags"]


# --- Grafana says no --------------------------------------------------------------------------

def test_dashboard_rejected_by_grafana_shows_its_message_uid_and_file(grafana: Target,
                                                                      tmp_path: Path) -> None:
    build, folder, uids = seed(grafana, tmp_path)
    bad = dashboard_json(uids[1], f"{grafana.prefix} dashboard 1", refresh="1s")
    write_build(build, {folder: [bad]})
    report = deploy(grafana, build)
    [diagnostic] = report.diagnostics
    assert diagnostic.code == "OBS515"
    assert "Dashboard refresh interval is too low" in diagnostic.message
    assert repr(uids[1]) in diagnostic.message
    assert diagnostic.location is not None
    assert diagnostic.location.path.endswith(f"grafana/{folder}/{uids[1]}.json")
    assert grafana.dashboard(uids[1]) is None
    assert grafana.dashboard(uids[0]) is not None and grafana.dashboard(uids[2]) is not None


def test_rejection_points_at_the_definition_when_the_project_knows_it(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X", refresh="1s")]})
    from obsgen.diagnostics import Location

    [built] = read_dashboards(build, Definitions({"x": Location("defs/dash.py", 12)},
                                                 {"f": "Folder F"}))
    assert built.source == Location("defs/dash.py", 12)
    assert built.folder_title == "Folder F"


def test_missing_token_exits_2_with_a_hint(grafana: Target, tmp_path: Path,
                                           obsgen: Any) -> None:
    build, _, _ = seed(grafana, tmp_path)
    result = obsgen("deploy", "grafana", "--url", grafana.url, cwd=project_of(build),
                    env={"GRAFANA_TOKEN": ""})
    assert result.exit_code == 2, result.describe()
    assert "OBS511" in result.output and "GRAFANA_TOKEN" in result.output
    assert "hint: export GRAFANA_TOKEN=" in result.output


def test_token_flag_does_not_exist(grafana: Target, tmp_path: Path, obsgen: Any) -> None:
    build, _, _ = seed(grafana, tmp_path)
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--token", "x",
                    cwd=project_of(build))
    assert result.exit_code == 2
    assert "No such option '--token'" in result.output


def test_bad_token_is_401_and_never_printed(grafana: Target, tmp_path: Path,
                                            obsgen: Any) -> None:
    build, _, _ = seed(grafana, tmp_path)
    secret = "glsa_wrong_" + secrets.token_hex(8)
    result = obsgen("deploy", "grafana", "--url", grafana.url,
                    cwd=project_of(build), env={"GRAFANA_TOKEN": secret})
    assert result.exit_code == 1, result.describe()
    assert "OBS513" in result.output and "HTTP 401" in result.output
    assert secret not in result.output


def test_viewer_token_is_403_and_changes_nothing(grafana: Target, tmp_path: Path,
                                                 obsgen: Any) -> None:
    if grafana.viewer_token is None:
        pytest.skip("set OBSGEN_TEST_GRAFANA_VIEWER_TOKEN to run this against a real Grafana")
    build, _, uids = seed(grafana, tmp_path)
    result = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", "json",
                    cwd=project_of(build),
                    env={"GRAFANA_TOKEN": grafana.viewer_token})
    assert result.exit_code == 1, result.describe()
    report = json.loads(result.stdout)
    assert [d["code"] for d in report["diagnostics"]] == ["OBS514"]
    assert "HTTP 403" in report["diagnostics"][0]["message"]
    assert grafana.viewer_token not in result.output
    assert grafana.dashboard(uids[0]) is None


def test_unresolvable_host_is_reported_without_retrying(tmp_path: Path, obsgen: Any) -> None:
    build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X")]})
    result = obsgen("deploy", "grafana", "--url", "http://grafana.invalid",
                    cwd=project_of(build), env={"GRAFANA_TOKEN": "t"}, timeout=60)
    assert result.exit_code == 1, result.describe()
    assert "OBS512" in result.output and "cannot resolve the host name" in result.output
    assert "retrying" not in result.output


def test_refused_connection_is_retried_then_reported(tmp_path: Path, obsgen: Any) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X")]})
    result = obsgen("deploy", "grafana", "--url", f"http://127.0.0.1:{port}", "--retries", "2",
                    cwd=project_of(build), env={"GRAFANA_TOKEN": "t"})
    assert result.exit_code == 1, result.describe()
    assert "OBS512" in result.output and "gave up after 3 tries" in result.output
    assert result.output.count("retrying GET") == 2


def test_url_that_is_not_http_is_a_usage_error(tmp_path: Path, obsgen: Any) -> None:
    build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X")]})
    result = obsgen("deploy", "grafana", "--url", "grafana.example.org",
                    cwd=project_of(build), env={"GRAFANA_TOKEN": "t"})
    assert result.exit_code == 2 and "OBS511" in result.output


def test_no_built_dashboards_is_a_usage_error(tmp_path: Path, obsgen: Any) -> None:
    build = tmp_path / "build"
    build.mkdir()
    result = obsgen("deploy", "grafana", "--url", "http://127.0.0.1:9",
                    cwd=project_of(build), env={"GRAFANA_TOKEN": "t"})
    assert result.exit_code == 2 and "OBS519" in result.output and "obsgen build" in result.output


# --- faults ---------------------------------------------------------------------------------

def test_fifty_dashboards_under_thirty_percent_transient_failures(grafana: Target,
                                                                  tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    folders = {f"{grafana.prefix}-f{f}": [
        dashboard_json(f"{grafana.prefix}-{f}-{i:02d}", f"Dashboard {f}-{i}")
        for i in range(25)] for f in range(2)}
    build = write_build(tmp_path / "build", folders)
    uids = sorted(m["uid"] for models in folders.values() for m in models)
    standin.faults = Faults(rate=0.3, seed=11, delay=0.6)
    policy = RetryPolicy(attempts=12, timeout=0.3, budget=600)
    clock = FakeClock()

    first = deploy(grafana, build, clock, policy)
    standin.faults = Faults()  # the test's own look at the result goes through undisturbed
    injected, sent, retries = sum(1 for e in standin.log if e.fault), len(standin.log), len(
        clock.sleeps)
    assert codes(first) == [], first.diagnostics
    assert injected >= 0.2 * sent, "the schedule injected too few faults"
    assert clock.sleeps, "no retry happened"
    assert sorted(h["uid"] for h in grafana.search(tag="obsgen")) == uids  # exactly once
    assert all(standin.dashboards[uid].version == 1 for uid in uids)

    changed = uids[::10]
    for uid in changed:
        folder = next(f for f, models in folders.items() if any(m["uid"] == uid
                                                                  for m in models))
        write_build(build, {folder: [dashboard_json(uid, f"Retitled {uid}")]})
    standin.faults = Faults(rate=0.3, seed=12, delay=0.6)
    second = deploy(grafana, build, clock, policy)
    standin.faults = Faults()
    assert codes(second) == [], second.diagnostics
    assert {k for k, v in actions(second).items() if v == "update"} == set(changed)
    assert sorted(h["uid"] for h in grafana.search(tag="obsgen")) == uids
    for uid in uids:
        assert standin.dashboards[uid].version == (2 if uid in changed else 1), uid
    print(f"first run: {sent} requests, {injected} faults injected, {retries} retries; "
          f"both runs: {sum(clock.sleeps):.1f} s of backoff (not slept)")


def test_retry_after_of_a_429_is_honoured(grafana: Target, tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, _, uids = seed(grafana, tmp_path, count=1)
    standin.faults = Faults(script=["429", "429"], retry_after=7)
    clock = FakeClock()
    report = deploy(grafana, build, clock)
    assert codes(report) == []
    assert clock.sleeps == [7.0, 7.0]
    assert grafana.version(uids[0]) == 1


def test_retries_are_bounded_in_count(grafana: Target, tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, _, _ = seed(grafana, tmp_path, count=2)
    standin.faults = Faults(script=["503"] * 50)
    clock = FakeClock()
    report = deploy(grafana, build, clock, RetryPolicy(attempts=4, timeout=5))
    assert codes(report) == ["OBS518"]
    assert "gave up after 4 tries" in report.diagnostics[0].message
    assert len(standin.log) == 4, "the run went on after the target kept failing"
    assert len(clock.sleeps) == 3


def test_retries_are_bounded_in_time(grafana: Target, tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, _, _ = seed(grafana, tmp_path, count=1)
    standin.faults = Faults(script=["429"] * 50, retry_after=15)
    clock = FakeClock()
    report = deploy(grafana, build, clock, RetryPolicy(attempts=50, budget=40, timeout=5))
    assert codes(report) == ["OBS518"]
    assert sum(clock.sleeps) <= 40


def test_client_errors_other_than_conflicts_are_not_retried(grafana: Target,
                                                            tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, folder, uids = seed(grafana, tmp_path, count=1)
    write_build(build, {folder: [dashboard_json(uids[0], "  ")]})  # empty title: 400
    clock = FakeClock()
    report = deploy(grafana, build, clock)
    assert codes(report) == ["OBS515"]
    assert "Dashboard title cannot be empty (empty-name)" in report.diagnostics[0].message
    assert [e.path for e in standin.log if e.method == "POST"] == [
        "/api/folders", "/api/dashboards/db"]
    assert clock.sleeps == []


def test_an_interrupted_deploy_can_simply_be_run_again(grafana: Target,
                                                       tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, _, uids = seed(grafana, tmp_path, count=6)
    # health + folder GET + 6 dashboard GETs + folder POST + 3 dashboard POSTs, then the line
    # dies.
    standin.faults = Faults(script=[None] * 12 + ["drop"] * 100)
    cut = deploy(grafana, build, FakeClock(), RetryPolicy(attempts=2, timeout=5))
    assert codes(cut) == ["OBS512"]
    assert sum(1 for uid in uids if uid in standin.dashboards) == 3

    standin.faults = Faults()
    rerun = deploy(grafana, build)
    assert codes(rerun) == []
    assert actions(rerun) == {**dict.fromkeys(uids[:3], "unchanged"),
                              **dict.fromkeys(uids[3:], "create")}
    assert sorted(h["uid"] for h in grafana.search(tag="obsgen")) == uids
    assert all(standin.dashboards[uid].version == 1 for uid in uids)


def test_a_post_that_landed_but_timed_out_is_not_saved_twice(grafana: Target,
                                                             tmp_path: Path) -> None:
    standin = needs_standin(grafana)
    build, folder, uids = seed(grafana, tmp_path, count=1)
    deploy(grafana, build)
    write_build(build, {folder: [dashboard_json(uids[0], "New title")]})
    only_posts = Faults(script=["slow", "drop-after"], delay=0.6,
                        applies=lambda method, path: path == "/api/dashboards/db")
    standin.faults = only_posts
    report = deploy(grafana, build, FakeClock(), RetryPolicy(timeout=0.3))
    assert codes(report) == []
    assert actions(report)[uids[0]] == "update"
    assert standin.dashboards[uids[0]].version == 2
    assert standin.dashboards[uids[0]].model["title"] == "New title"


# --- the example project's own dashboards ---------------------------------------------------

def test_seed_dashboards_are_created_then_unchanged(grafana: Target, example_project: Path,
                                                    obsgen: Any) -> None:
    built = obsgen("build", cwd=example_project)
    assert built.exit_code == 0, built.describe()
    files = sorted((example_project / "build" / "grafana").glob("*/*.json"))
    assert files, "the example project builds no dashboards"
    folders = sorted({f.parent.name for f in files})
    if grafana.standin is None and any(
            grafana.api("GET", f"/api/folders/{uid}").status_code == 200 for uid in folders):
        pytest.skip(f"folders {folders} already exist in this Grafana; not touching them")
    try:
        first = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", "json",
                       cwd=example_project, env={"GRAFANA_TOKEN": grafana.token})
        assert first.exit_code == 0, first.describe()
        report = json.loads(first.stdout)
        dashboards = {a["key"]: a for a in report["actions"] if a["kind"] == "dashboard"}
        assert set(dashboards) == {f.stem for f in files}
        assert {a["action"] for a in dashboards.values()} == {"create"}
        for action in dashboards.values():  # tied back to the definition, not the JSON
            assert action["source"].startswith("definitions/"), action["source"]
            assert action["source"].split(":")[0].endswith(".py")
        for file in files:
            found = grafana.dashboard(file.stem)
            assert found is not None and found["meta"]["folderUid"] == file.parent.name
            model = json.loads(file.read_text(encoding="utf-8"))
            assert found["dashboard"]["panels"] == model["panels"]

        second = obsgen("deploy", "grafana", "--url", grafana.url, "--output-format", "json",
                        cwd=example_project, env={"GRAFANA_TOKEN": grafana.token})
        again = json.loads(second.stdout)
        assert second.exit_code == 0 and again["writes"] == 0
        assert {a["action"] for a in again["actions"]} == {"unchanged"}
    finally:
        if grafana.standin is None:
            for uid in folders:
                grafana.api("DELETE", f"/api/folders/{uid}")


def test_a_url_that_is_not_grafana_is_one_clear_error(tmp_path: Path, obsgen: Any) -> None:
    from standin.ruler import RulerStandIn  # any HTTP server that is not Grafana

    other = RulerStandIn()
    other.start()
    try:
        build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X")]})
        result = obsgen("deploy", "grafana", "--url", other.url, "--output-format", "json",
                        cwd=project_of(build), env={"GRAFANA_TOKEN": "t"})
        assert result.exit_code == 1, result.describe()
        [diagnostic] = json.loads(result.stdout)["diagnostics"]
        assert diagnostic["code"] == "OBS512"
        assert "does not look like a Grafana" in diagnostic["message"]
        assert [e.method for e in other.log] == ["GET"]
    finally:
        other.stop()


def test_tls_failure_is_reported_without_retrying(grafana: Target, tmp_path: Path,
                                                  obsgen: Any) -> None:
    needs_standin(grafana)
    build = write_build(tmp_path / "build", {"f": [dashboard_json("x", "X")]})
    https = grafana.url.replace("http://", "https://")  # TLS to a plain-HTTP server
    result = obsgen("deploy", "grafana", "--url", https, cwd=project_of(build),
                    env={"GRAFANA_TOKEN": grafana.token})
    assert result.exit_code == 1, result.describe()
    assert "OBS512" in result.output and "TLS handshake failed" in result.output
    assert "retrying" not in result.output
