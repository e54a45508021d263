"""A time-series panel gets no "red at 80" threshold unless its definition asks for one
(issue 18, item 8); thresholds given are kept, and other panel kinds are unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import RunObsgen

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "diff" / "project"


def panels(root: Path) -> dict[str, dict[str, object]]:
    board = json.loads((root / "build" / "grafana" / "my-app" / "my-app-overview.json")
                       .read_text(encoding="utf-8"))
    return {p["title"]: p["fieldConfig"]["defaults"]["thresholds"] for p in board["panels"]
            if p["type"] != "row"}


def test_time_series_thresholds(tmp_path: Path, obsgen: RunObsgen) -> None:
    root = tmp_path / "p"
    shutil.copytree(PROJECT, root)
    dashboards = root / "definitions" / "dashboards.py"
    text = dashboards.read_text(encoding="utf-8")
    asked = text.replace('                    legendFormat="{{route}}")],\n)',
                         '                    legendFormat="{{route}}")],\n'
                         '    thresholds=[(None, "green"), (2.5, "red")],\n)')
    assert asked != text
    dashboards.write_text(asked, encoding="utf-8")
    built = obsgen("build", cwd=root, env={"OBSGEN_NO_CACHE": "1"})
    assert built.exit_code == 0, built.describe()
    found = panels(root)
    assert found["Requests per second by status"] == {
        "mode": "absolute", "steps": [{"color": "green", "value": None}]}
    assert found["Request duration p95 by route"] == {
        "mode": "absolute", "steps": [{"color": "green", "value": None},
                                      {"color": "red", "value": 2.5}]}
    assert found["Share of 5xx answers"] == {  # a stat: its own thresholds, as before
        "mode": "absolute", "steps": [{"color": "green", "value": None},
                                      {"color": "yellow", "value": 0.01},
                                      {"color": "red", "value": 0.05}]}
