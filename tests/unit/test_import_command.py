"""`obsgen import` end to end, through the real CLI: what it writes, that it builds, and each
class of bad input as a diagnostic at file:line with its code while the rest is imported."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen


RULES = """\
groups:
  - name: app
    interval: 30s
    rules:
      - alert: AppDown
        expr: up{job="app"} == 0
        for: 5m
        labels:
          severity: page
          team: core
        annotations:
          summary: App is down
          runbook_url: https://wiki.example.org/app-down
      - record: job:app_requests:rate5m
        expr: sum by (job) (rate(app_requests_total{code="500"}[5m]))
"""

OTHER = """\
groups:
  - name: other
    rules:
      - alert: QueueStuck
        expr: app_queue_depth > 100
        labels:
          severity: warning
        annotations:
          summary: Queue is stuck
          description: Nothing leaves the queue.
"""


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _findings(stdout: str) -> list[tuple[str, str, int]]:
    return [(Path(d["location"]["path"]).name, d["code"], d["location"]["line"])
            for d in json.loads(stdout)]


def test_import_writes_a_project_that_builds_back(obsgen: RunObsgen, tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {"app.yml": RULES})
    done = obsgen("import", str(inputs), "-o", "out", cwd=tmp_path)
    assert done.exit_code == 0, done.describe()
    out = tmp_path / "out"
    module = (out / "definitions" / "rules" / "app.py").read_text(encoding="utf-8")
    assert 'runbook_url="https://wiki.example.org/app-down"' in module
    assert 'labels={"team": "core"}' in module
    assert '"page"' in (out / "obsgen.toml").read_text(encoding="utf-8")
    metrics = (out / "definitions" / "metrics.py").read_text(encoding="utf-8")
    assert 'APP_REQUESTS_TOTAL = Counter(' in metrics and '"code"' in metrics
    assert "# review: inferred from app.yml" in metrics
    built = obsgen("build", cwd=out)
    assert built.exit_code == 0, built.describe()
    emitted = (out / "build" / "prometheus" / "app.rules.yml").read_text(encoding="utf-8")
    assert "runbook_url: https://wiki.example.org/app-down" in emitted
    assert "interval: 30s" in emitted and "severity: page" in emitted
    assert "description" not in emitted  # not in the input, so not invented


def test_importing_twice_gives_the_same_bytes(obsgen: RunObsgen, tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {"app.yml": RULES, "other.yml": OTHER})
    texts = []
    for out in ("a", "b"):
        assert obsgen("import", str(inputs), "-o", out, cwd=tmp_path).exit_code == 0
        texts.append({p.relative_to(tmp_path / out): p.read_bytes()
                      for p in sorted((tmp_path / out).rglob("*")) if p.is_file()})
    texts[0].pop(Path("obsgen.toml"))
    texts[1].pop(Path("obsgen.toml"))  # the project is named after its folder
    assert texts[0] == texts[1]


def test_bad_inputs_are_findings_and_the_rest_is_imported(obsgen: RunObsgen,
                                                          tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {
        "app.yml": RULES,
        "broken.yml": 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: "up\n',
        "same.yml": "groups:\n  - name: other\n    rules: []\n  - name: app\n    rules: []\n",
        "zz.yml": OTHER,
    })
    done = obsgen("import", str(inputs), "-o", "out", "--output-format", "json", cwd=tmp_path)
    assert done.exit_code == 1, done.describe()
    found = _findings(done.stdout)
    assert ("broken.yml", "OBS980", 5) in found  # where the unterminated quote starts
    # same.yml's `other` clashes with nothing yet, its `app` with app.yml: not imported at all.
    assert ("same.yml", "OBS983", 4) in found
    rules = tmp_path / "out" / "definitions" / "rules"
    assert sorted(p.name for p in rules.glob("*.py")) == ["__init__.py", "app.py", "zz.py"]
    assert obsgen("build", cwd=tmp_path / "out").exit_code == 0


def test_a_named_file_of_a_kind_import_does_not_read(obsgen: RunObsgen, tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {"app.yml": RULES, "notes.txt": "hello\n",
                                      "compose.yml": "services:\n  web: {}\n"})
    done = obsgen("import", str(inputs / "app.yml"), str(inputs / "notes.txt"),
                  str(inputs / "compose.yml"), "-o", "out", "--output-format", "json",
                  cwd=tmp_path)
    assert done.exit_code == 1, done.describe()
    found = _findings(done.stdout)
    assert ("notes.txt", "OBS960", 0) in [(n, c, ln or 0) for n, c, ln in found]
    assert ("compose.yml", "OBS963", 1) in found
    assert (tmp_path / "out" / "definitions" / "rules" / "app.py").is_file()


def test_existing_definitions_are_refused_without_force(obsgen: RunObsgen,
                                                        tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {"app.yml": RULES})
    out = _write(tmp_path / "out" / "definitions", {"mine.py": "KEEP = 1\n"}).parent
    done = obsgen("import", str(inputs), "-o", "out", "--output-format", "json", cwd=tmp_path)
    assert done.exit_code == 1, done.describe()
    assert [c for _, c, _ in _findings(done.stdout)] == ["OBS984"]
    assert (out / "definitions" / "mine.py").read_text(encoding="utf-8") == "KEEP = 1\n"
    assert not (out / "obsgen.toml").exists()

    forced = obsgen("import", str(inputs), "-o", "out", "--force", cwd=tmp_path)
    assert forced.exit_code == 0, forced.describe()
    assert not (out / "definitions" / "mine.py").exists()
    assert (out / "definitions" / "rules" / "app.py").is_file()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # nor a ruff cache


def test_output_is_all_or_nothing(obsgen: RunObsgen, tmp_path: Path) -> None:
    """A run that cannot finish (here: the catalog cannot be read) leaves no folder behind."""
    inputs = _write(tmp_path / "in", {"app.yml": RULES})
    done = obsgen("import", str(inputs), "-o", "out", "--catalog", "missing.txt", cwd=tmp_path)
    assert done.exit_code == 2, done.describe()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_catalog_from_a_scrape(obsgen: RunObsgen, tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {"other.yml": OTHER})
    (tmp_path / "metrics.txt").write_text(
        "# HELP app_queue_depth Jobs waiting.\n# TYPE app_queue_depth gauge\n"
        'app_queue_depth{queue="mail"} 3\n', encoding="utf-8")
    done = obsgen("import", str(inputs), "-o", "out", "--catalog", "metrics.txt", cwd=tmp_path)
    assert done.exit_code == 0, done.describe()
    metrics = (tmp_path / "out" / "definitions" / "metrics.py").read_text(encoding="utf-8")
    assert 'help="Jobs waiting."' in metrics and "review:" not in metrics
    assert obsgen("build", cwd=tmp_path / "out").exit_code == 0


def test_catalog_from_a_metrics_url(obsgen: RunObsgen, tmp_path: Path) -> None:
    served = _write(tmp_path / "www", {"metrics": "# TYPE app_queue_depth gauge\n"
                                                  'app_queue_depth{queue="mail"} 3\n'})
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/metrics"
        inputs = _write(tmp_path / "in", {"other.yml": OTHER})
        done = obsgen("import", str(inputs), "-o", "out", "--catalog", url, cwd=tmp_path)
        server.shutdown()
    assert done.exit_code == 0, done.describe()
    metrics = (tmp_path / "out" / "definitions" / "metrics.py").read_text(encoding="utf-8")
    assert f'"""The metric catalog, from the scrape of {url}."""' in metrics
    assert 'Label("queue", description="values seen in the scrape: mail")' in metrics


def test_catalog_from_an_obsgen_project(obsgen: RunObsgen, tmp_path: Path,
                                        example_project: Path) -> None:
    inputs = _write(tmp_path / "in", {"app.yml": RULES})
    done = obsgen("import", str(inputs), "-o", "out", "--catalog", str(example_project),
                  cwd=tmp_path)
    assert done.exit_code == 0, done.describe()
    metrics = (tmp_path / "out" / "definitions" / "metrics.py").read_text(encoding="utf-8")
    assert '"hypertool_persona_switches_total"' in metrics and "review:" not in metrics


def test_help_teaches_with_an_example(obsgen: RunObsgen, tmp_path: Path) -> None:
    done = obsgen("import", "--help", cwd=tmp_path)
    assert done.exit_code == 0
    assert "obsgen import rules/ dashboards/ --catalog metrics.txt -o platform" in done.stdout
