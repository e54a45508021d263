"""`obsgen lint` on Grafana dashboards shipped in Kubernetes ConfigMaps (kube-prometheus's
`grafana-dashboardDefinitions.yaml` is a ConfigMapList of them): each data value that is a
dashboard's JSON is linted as a dashboard, its findings placed at the YAML's line and column; a
ConfigMap of other data stays skipped. Expected places are read off the fixture's text, and for
the corpus off the findings for the same dashboards linted as .json files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "lint" / "configmap"
DEFINITIONS = FIXTURES / "grafana-dashboardDefinitions.yaml"
KUBE_PROMETHEUS = REPO.parent / "shared" / "corpus" / "dashboards" / "kube-prometheus"
JSON = ("--output-format", "json")


def _lint(obsgen: RunObsgen, *paths: Path) -> list[dict[str, Any]]:
    result = obsgen("lint", *JSON, *map(str, paths), cwd=REPO)
    assert result.exit_code in (0, 1), result.describe()
    return result.diagnostics()


def _summary(obsgen: RunObsgen, *paths: Path) -> str:
    result = obsgen("lint", "--output-format", "concise", *map(str, paths), cwd=REPO)
    return next(line for line in result.output.splitlines() if line.startswith("Linted "))


def _place_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the only occurrence of `needle` in `text`."""
    assert text.count(needle) == 1
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _place(d: dict[str, Any]) -> tuple[str, int, int]:
    location = d["location"]
    path = str((REPO / location["path"]).resolve())  # printed relative to the current folder
    return path, location.get("line", 0), location.get("column", 0)


def test_dashboards_of_a_configmap_list_are_linted_at_their_yaml_places(
        obsgen: RunObsgen) -> None:
    found = _lint(obsgen, DEFINITIONS)
    undefined = [d for d in found if d["code"] == "OBS644"]
    line, column = _place_of(DEFINITIONS.read_text(encoding="utf-8"), "$cluster")
    assert [_place(d) for d in undefined] == [(str(DEFINITIONS), line, column)]
    assert "'cluster'" in undefined[0]["message"]
    assert all("\x00" not in d["location"]["path"] for d in found)
    assert _summary(obsgen, DEFINITIONS) == "Linted 1 file (2 dashboards, 2 queries)."


def test_a_configmap_of_other_data_stays_skipped(obsgen: RunObsgen) -> None:
    other = FIXTURES / "app-config.yaml"
    assert [d["code"] for d in _lint(obsgen, other)] == ["OBS963"]  # named: not of a kind
    in_folder = [d for d in _lint(obsgen, FIXTURES) if _place(d)[0] == str(other)]
    assert in_folder == []
    assert _summary(obsgen, FIXTURES) == "Linted 1 file (2 dashboards, 2 queries)."


def test_a_dashboard_in_a_quoted_value_is_placed_at_the_value(obsgen: RunObsgen,
                                                              tmp_path: Path) -> None:
    board = json.loads(DEFINITIONS.read_text(encoding="utf-8").split("nodes.json: |-\n")[1]
                       .split("\n\n")[0])
    path = tmp_path / "nodes.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nodes\ndata:\n"
                    f"  nodes.json: {json.dumps(json.dumps(board))}\n", encoding="utf-8")
    found = [d for d in _lint(obsgen, path) if d["code"] == "OBS644"]
    assert [_place(d) for d in found] == [(str(path), 6, 15)]


def _configmap_list(boards: list[Path]) -> str:
    """The boards as kube-prometheus writes them: `|-` blocks, indented under the data key."""
    items = []
    for board in boards:
        body = "\n".join(f"      {line}" if line else "" for line in
                         board.read_text(encoding="utf-8").rstrip("\n").split("\n"))
        items.append(f"- apiVersion: v1\n  data:\n    {board.name}: |-\n{body}\n"
                     f"  kind: ConfigMap\n  metadata:\n    name: grafana-dashboard-{board.stem}\n")
    return "apiVersion: v1\nitems:\n" + "".join(items) + "kind: ConfigMapList\n"


@pytest.mark.skipif(not KUBE_PROMETHEUS.is_dir(), reason="the shared corpus is not here")
def test_kube_prometheus_configmap_list_gets_the_findings_of_its_json_files(
        obsgen: RunObsgen, tmp_path: Path) -> None:
    boards = sorted(KUBE_PROMETHEUS.glob("*.json"))[:6]
    written = tmp_path / "grafana-dashboardDefinitions.yaml"
    text = _configmap_list(boards)
    written.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    first = {Path(line.strip()[:-len(": |-")]).name: number + 2
             for number, line in enumerate(lines) if line.endswith(".json: |-")}
    expected = sorted(
        (d["code"], d["message"], first[Path(d["location"]["path"]).name]
         + d["location"]["line"] - 1, d["location"]["column"] + 6)
        for d in _lint(obsgen, *boards))
    got = sorted((d["code"], d["message"], d["location"]["line"], d["location"]["column"])
                 for d in _lint(obsgen, written))
    assert expected and got == expected
    assert _summary(obsgen, written).startswith(f"Linted 1 file ({len(boards)} dashboards, ")
