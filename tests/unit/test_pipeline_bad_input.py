"""Bad pipeline input, through the real CLI: every class gives exit 1, one error with its code
at the user's line and a hint, no traceback, and the previous build/ left as it was. And no
secret value from the environment ever reaches build/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

JSON = ("--output-format", "json")
MARK = "# <-- BAD"
PIPELINE = "pipeline.py"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def line_of(text: str) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(hits) == 1, hits
    return hits[0]


def replace(root: Path, old: str, new: str) -> str:
    path = root / "definitions" / PIPELINE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture
def built(example_project: Path, obsgen: RunObsgen) -> tuple[Path, dict[str, bytes]]:
    """The example project after one good build, and a snapshot of that build/."""
    first = obsgen("build", *JSON, cwd=example_project)
    assert first.exit_code == 0, first.describe()
    build = snapshot(example_project / "build")
    assert "alloy/config.alloy" in build
    return example_project, build


def rejected(built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen, code: str, line: int,
             file: str = PIPELINE) -> dict[str, Any]:
    root, before = built
    result: Result = obsgen("build", *JSON, cwd=root)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.output, result.describe()
    errors = [d for d in result.diagnostics() if d["severity"] == "error"]
    assert [d["code"] for d in errors] == [code], result.describe()
    (found,) = errors
    assert found["hint"] and found["hint"].strip(), found
    assert Path(found["location"]["path"]).as_posix().endswith(f"definitions/{file}"), found
    assert found["location"]["line"] == line, found
    assert snapshot(root / "build") == before, "build/ changed after a rejected build"
    return found


def test_forwarding_to_a_component_not_in_the_pipeline(built: tuple[Path, dict[str, bytes]],
                                                       obsgen: RunObsgen) -> None:
    text = replace(built[0], "SCRAPE = Scrape(HYPERTOOL_JOB, forward_to=PROMETHEUS)", f"""\
ELSEWHERE = RemoteWrite(
    "elsewhere",
    url="https://mimir.example.org/api/v1/push",
    username=Env("MIMIR_USER"),
    password=Env("MIMIR_PASSWORD"),
)
SCRAPE = Scrape(HYPERTOOL_JOB, forward_to=ELSEWHERE)  {MARK}""")
    found = rejected(built, obsgen, "OBS842", line_of(text))
    assert "prometheus.remote_write.elsewhere" in found["message"]


def test_two_components_with_one_label(built: tuple[Path, dict[str, bytes]],
                                       obsgen: RunObsgen) -> None:
    text = replace(built[0], 'LOKI = LokiWrite(\n    "grafana_cloud",', f"""\
LOKI_BACKUP = LokiWrite(
    "grafana_cloud",
    url="https://logs.example.org/loki/api/v1/push",
    username=Env("LOKI_USER"),
    password=Env("LOKI_PASSWORD"),
)
LOKI = LokiWrite(  {MARK}
    "grafana_cloud",""")
    replace(built[0], "LEVELS = LogProcess(\"levels\", forward_to=LOKI)",
            "LEVELS = LogProcess(\"levels\", forward_to=[LOKI, LOKI_BACKUP])")
    replace(built[0], "JOURNAL, LEVELS, LOKI])", "JOURNAL, LEVELS, LOKI_BACKUP, LOKI])")
    found = rejected(built, obsgen, "OBS843", line_of(text))
    assert "loki.write.grafana_cloud" in found["message"]


def test_scrape_job_not_the_catalogs(built: tuple[Path, dict[str, bytes]],
                                     obsgen: RunObsgen) -> None:
    text = replace(built[0], "SCRAPE = Scrape(HYPERTOOL_JOB, forward_to=PROMETHEUS)",
                   f'SCRAPE = Scrape("hypertool-app", forward_to=PROMETHEUS)  {MARK}')
    found = rejected(built, obsgen, "OBS844", line_of(text))
    assert "'hypertool-app'" in found["message"] and "'hypertool'" in found["message"]


def test_scrape_of_a_look_alike_job_not_the_catalog_object(
        built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    """Same name, but a second definition: its interval or targets could drift from the
    catalog's, so only the catalog's object is accepted."""
    replace(built[0], "from obsgen import (\n", "from obsgen import (\n    ScrapeJob,\n")
    text = replace(built[0], "SCRAPE = Scrape(HYPERTOOL_JOB, forward_to=PROMETHEUS)",
                   'SCRAPE = Scrape(ScrapeJob("hypertool", targets=["localhost:9464"]),  '
                   f"{MARK}\n                forward_to=PROMETHEUS)")
    found = rejected(built, obsgen, "OBS844", line_of(text))
    assert "not the catalog's object" in found["message"]


def test_secret_literal_where_an_env_reference_is_required(
        built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    secret = "glc_eyJvIjoiMTIzNDU2In0fake"
    replace(built[0], "    password=API_KEY,\n)\nSCRAPE", f'    password="{secret}",\n)\nSCRAPE')
    # The error points at the constructor call that received the literal.
    text = replace(built[0], "PROMETHEUS = RemoteWrite(", f"PROMETHEUS = RemoteWrite(  {MARK}")
    found = rejected(built, obsgen, "OBS841", line_of(text))
    assert secret not in found["message"] and secret not in (found["hint"] or "")


def test_invalid_url(built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    replace(built[0], '    url="https://logs-prod-021.grafana.net/loki/api/v1/push",',
            '    url="logs-prod-021.grafana.net/loki/api/v1/push",')
    text = replace(built[0], "LOKI = LokiWrite(", f"LOKI = LokiWrite(  {MARK}")
    rejected(built, obsgen, "OBS840", line_of(text))


def test_invalid_duration(built: tuple[Path, dict[str, bytes]], obsgen: RunObsgen) -> None:
    text = replace(built[0], 'BATCH = Batch("default", forward_to=TEMPO)',
                   f'BATCH = Batch("default", forward_to=TEMPO, timeout="5 seconds")  {MARK}')
    rejected(built, obsgen, "OBS201", line_of(text))


def test_scrape_interval_alloy_cannot_parse(built: tuple[Path, dict[str, bytes]],
                                            obsgen: RunObsgen) -> None:
    """`1d` is a Prometheus duration (so the catalog accepts it) but not a Go one."""
    metrics = built[0] / "definitions" / "metrics.py"
    text = metrics.read_text(encoding="utf-8")
    assert text.count('    interval="15s",\n') == 1
    text = text.replace('    interval="15s",\n', '    interval="1d",\n').replace(
        "HYPERTOOL_JOB = ScrapeJob(", f"HYPERTOOL_JOB = ScrapeJob(  {MARK}")
    metrics.write_text(text, encoding="utf-8")
    found = rejected(built, obsgen, "OBS201", line_of(text), file="metrics.py")
    assert "'1d'" in found["message"]


def test_catalog_job_no_pipeline_scrapes_is_a_warning(example_project: Path,
                                                     obsgen: RunObsgen) -> None:
    metrics = example_project / "definitions" / "metrics.py"
    text = metrics.read_text(encoding="utf-8") + (
        f'\nSIDECAR_JOB = ScrapeJob("sidecar", targets=["localhost:9465"])  {MARK}\n')
    metrics.write_text(text, encoding="utf-8")
    result = obsgen("build", *JSON, cwd=example_project)
    assert result.exit_code == 0, result.describe()
    (found,) = result.diagnostics()
    assert (found["code"], found["severity"]) == ("OBS847", "warning"), found
    assert found["location"]["line"] == line_of(text)
    assert "'sidecar'" in found["message"]


FAKE_SECRETS = {
    "GRAFANA_CLOUD_API_KEY": "glc_fake-3b1f0c9d7e-SECRET",
    "GRAFANA_CLOUD_PROMETHEUS_USERNAME": "7070707",
    "GRAFANA_CLOUD_TEMPO_USERNAME": "8080808",
    "GRAFANA_CLOUD_LOKI_USERNAME": "9090909",
}


def test_no_secret_value_lands_in_build(example_project: Path, obsgen: RunObsgen) -> None:
    result = obsgen("build", *JSON, cwd=example_project, env=FAKE_SECRETS)
    assert result.exit_code == 0, result.describe()
    build = snapshot(example_project / "build")
    config = build["alloy/config.alloy"].decode("utf-8")
    for name in FAKE_SECRETS:  # the config does name every variable it needs ...
        assert f'sys.env("{name}")' in config
    for rel, data in build.items():  # ... and no value of any of them is anywhere in build/
        text = data.decode("utf-8", errors="replace")
        for value in FAKE_SECRETS.values():
            assert value not in text, f"{value!r} leaked into build/{rel}"


def test_lint_of_a_malformed_foreign_alloy_file(tmp_path: Path, obsgen: RunObsgen) -> None:
    bad = tmp_path / "agent.alloy"
    bad.write_text('loki.write "a" {\n\tendpoint {\n\t\turl = "https://l.example.org\n\t}\n}\n',
                   encoding="utf-8")
    result = obsgen("lint", *JSON, str(bad), cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.output, result.describe()
    first = result.diagnostics()[0]
    assert first["code"] == "OBS801", first
    assert Path(first["location"]["path"]).name == "agent.alloy"
    assert (first["location"]["line"], first["location"]["column"]) == (3, 9)


def test_lint_of_a_foreign_config_forwarding_to_nothing(tmp_path: Path, obsgen: RunObsgen
                                                        ) -> None:
    config = tmp_path / "agent.alloy"
    config.write_text('prometheus.scrape "app" {\n\ttargets    = []\n'
                      "\tforward_to = [prometheus.remote_write.missing.receiver]\n}\n",
                      encoding="utf-8")
    result = obsgen("lint", *JSON, str(config), cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    (found,) = result.diagnostics()
    assert found["code"] == "OBS824", found
    assert (found["location"]["line"], found["location"]["column"]) == (3, 16)
