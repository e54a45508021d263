"""The generated instrumentation module (build/python/<project>_metrics.py): it imports without
registering anything, registers every catalog metric into the registry it is given, exposes
exactly what the catalog declares, and refuses what the catalog does not allow."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
import types
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from obsgen import scaffold
from obsgen.build import compile_project
from obsgen.config import load_config
from obsgen.emit.python import module_path
from obsgen.instrumentation import check_instrumentation

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
_NAMES = count()


def emitted(project: Path) -> tuple[str, str]:
    """(path in build/, text) of the project's instrumentation module."""
    config = load_config(project)
    compiled = compile_project(config)
    assert compiled.ok, compiled.diagnostics
    rel = module_path(config)
    return rel, compiled.artifacts[rel]


def load(text: str, folder: Path) -> types.ModuleType:
    """Import `text` as a fresh module (a new name each time: nothing is shared)."""
    name = f"generated_metrics_{next(_NAMES)}"
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclass-free, but typing.get_args wants a real module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("example")
    (root / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    (root / "definitions").symlink_to(REPO / "definitions")
    rel, text = emitted(root)
    assert rel == "python/hypertool_metrics.py"
    return text


@pytest.fixture
def hm(example_text: str, tmp_path: Path) -> types.ModuleType:
    return load(example_text, tmp_path)


def small_project(root: Path, extra: str, toml: str = "") -> Path:
    """The `obsgen init` project with `extra` appended to its catalog."""
    scaffold.create(root)
    if toml:
        with (root / "obsgen.toml").open("a", encoding="utf-8") as f:
            f.write(toml)
    with (root / "definitions" / "metrics.py").open("a", encoding="utf-8") as f:
        f.write("\nfrom obsgen import Gauge, Info, Summary\n" + extra)
    return root


def test_counter_gauge_histogram_info_exposition(hm: types.ModuleType) -> None:
    registry = CollectorRegistry()
    metrics = hm.Metrics(registry)
    gate = metrics.hypertool_workflow_quality_gate_total
    gate.inc(workflow="ci", stage="lint", result="passed")
    gate.inc(2, workflow="ci", stage="lint", result="failed")
    metrics.hypertool_persona_token_budget_remaining.set(1200, persona="data-scientist")
    metrics.hypertool_persona_duration_seconds.observe(
        0.7, persona="backend-engineer", chatmode="agent")
    metrics.hypertool_persona_info.set(persona="data-scientist", token_budget="1700")
    text = generate_latest(registry).decode()
    for line in (
        "# HELP hypertool_workflow_quality_gate_total Quality-gate evaluations at the end of "
        "a workflow stage, by result.",
        "# TYPE hypertool_workflow_quality_gate_total counter",
        'hypertool_workflow_quality_gate_total{result="passed",stage="lint",workflow="ci"} 1.0',
        'hypertool_workflow_quality_gate_total{result="failed",stage="lint",workflow="ci"} 2.0',
        "# TYPE hypertool_persona_token_budget_remaining gauge",
        'hypertool_persona_token_budget_remaining{persona="data-scientist"} 1200.0',
        "# TYPE hypertool_persona_duration_seconds histogram",
        'hypertool_persona_duration_seconds_bucket{chatmode="agent",le="0.5",'
        'persona="backend-engineer"} 0.0',
        'hypertool_persona_duration_seconds_bucket{chatmode="agent",le="1.0",'
        'persona="backend-engineer"} 1.0',
        'hypertool_persona_duration_seconds_bucket{chatmode="agent",le="300.0",'
        'persona="backend-engineer"} 1.0',
        'hypertool_persona_duration_seconds_sum{chatmode="agent",persona="backend-engineer"} 0.7',
        'hypertool_persona_info{persona="data-scientist",token_budget="1700"} 1.0',
    ):
        assert line in text.splitlines(), line
    # Every catalog metric is registered, with its declared name, and nothing else.
    families = {m.name for m in registry.collect()}
    assert families == {"hypertool_persona_switches", "hypertool_persona_duration_seconds",
                        "hypertool_persona_tokens_used", "hypertool_persona_token_budget_remaining",
                        "hypertool_workflow_stage_duration_seconds",
                        "hypertool_workflow_quality_gate", "hypertool_persona",
                        "langfuse_traces_created"}


def test_import_registers_nothing_and_registries_are_separate(example_text: str,
                                                               tmp_path: Path) -> None:
    (tmp_path / "hypertool_metrics.py").write_text(example_text, encoding="utf-8")
    probe = ("import prometheus_client as p, hypertool_metrics as h\n"
             "before = sorted(p.REGISTRY._names_to_collectors)\n"
             "h.Metrics(p.CollectorRegistry()); h.Metrics(p.CollectorRegistry())\n"
             "assert sorted(p.REGISTRY._names_to_collectors) == before, 'registered'\n"
             "m = h.Metrics()\n"
             "assert 'hypertool_workflow_quality_gate_total' in p.REGISTRY._names_to_collectors\n"
             "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert done.stdout == "ok\n", done.stderr


def test_undeclared_value_raises_naming_metric_label_and_values(hm: types.ModuleType) -> None:
    metrics = hm.Metrics(CollectorRegistry())
    with pytest.raises(hm.UndeclaredLabelValueError) as raised:
        metrics.hypertool_workflow_quality_gate_total.inc(workflow="ci", stage="lint",
                                                          result="fail")
    assert str(raised.value) == ("hypertool_workflow_quality_gate_total: 'fail' is not a "
                                 "declared value of label 'result' (declared: passed, failed)")
    assert isinstance(raised.value, ValueError)


def test_labels_are_keyword_only(hm: types.ModuleType) -> None:
    metrics = hm.Metrics(CollectorRegistry())
    with pytest.raises(TypeError):
        metrics.hypertool_persona_tokens_used_total.inc(1, "data-scientist", "agent", "gpt")
    with pytest.raises(TypeError):  # a label left out
        metrics.hypertool_persona_tokens_used_total.inc(persona="data-scientist")


def test_drop_switch_counts_and_drops(hm: types.ModuleType) -> None:
    registry = CollectorRegistry()
    metrics = hm.Metrics(registry, on_violation="drop")
    gate = metrics.hypertool_workflow_quality_gate_total
    gate.inc(workflow="ci", stage="lint", result="fail")
    gate.inc(workflow="ci", stage="lint", result="fail")
    metrics.hypertool_persona_token_budget_remaining.set(-3, persona="data-scientist")
    dropped = "obsgen_instrumentation_dropped_total"
    assert registry.get_sample_value(dropped, {
        "metric": "hypertool_workflow_quality_gate_total", "reason": "undeclared_value"}) == 2
    assert registry.get_sample_value(dropped, {
        "metric": "hypertool_persona_token_budget_remaining", "reason": "out_of_bounds"}) == 1
    text = generate_latest(registry).decode()
    assert 'result="fail"' not in text
    assert "hypertool_persona_token_budget_remaining{" not in text
    with pytest.raises(ValueError, match="on_violation must be 'raise' or 'drop'"):
        hm.Metrics(CollectorRegistry(), on_violation="ignore")


def test_bounded_gauge_refuses_out_of_bounds_and_nan(hm: types.ModuleType) -> None:
    registry = CollectorRegistry()
    budget = hm.Metrics(registry).hypertool_persona_token_budget_remaining
    with pytest.raises(hm.OutOfBoundsError, match=r"-1 is outside the declared bounds \[0.0, "):
        budget.set(-1, persona="devops-engineer")
    with pytest.raises(hm.OutOfBoundsError):
        budget.set(math.nan, persona="devops-engineer")
    budget.set(0, persona="devops-engineer")
    assert registry.get_sample_value("hypertool_persona_token_budget_remaining",
                                     {"persona": "devops-engineer"}) == 0
    assert not hasattr(budget, "inc")  # only set(), so that every value is checked


def test_clamping_gauge_and_unusual_label_names(tmp_path: Path) -> None:
    root = small_project(tmp_path / "svc", (
        'FILL = Gauge("myapp_queue_fill_ratio", help="How full the queue is.", min=0, max=1,\n'
        '             out_of_bounds="clamp", labels=[Label("class", values=("a", "b")),\n'
        '             Label("amount")])\n'
        'BUILD = Info("myapp_build_info", help="The running build.", labels=["version"])\n'
        'WAIT = Summary("myapp_wait_seconds", help="Time waited.", unit="seconds")\n'))
    _rel, text = emitted(root)
    module = load(text, tmp_path)
    registry = CollectorRegistry()
    metrics = module.Metrics(registry)
    metrics.myapp_queue_fill_ratio.set(7, class_="a", amount="x")
    metrics.myapp_queue_fill_ratio.set(-7, class_="b", amount="x")
    metrics.myapp_build_info.set(version="1.2.3")
    metrics.myapp_wait_seconds.observe(2)
    value = registry.get_sample_value
    assert value("myapp_queue_fill_ratio", {"class": "a", "amount": "x"}) == 1
    assert value("myapp_queue_fill_ratio", {"class": "b", "amount": "x"}) == 0
    assert value("myapp_build_info", {"version": "1.2.3"}) == 1
    assert value("myapp_wait_seconds_count", {}) == 1
    with pytest.raises(module.OutOfBoundsError):  # NaN is never clamped
        metrics.myapp_queue_fill_ratio.set(math.nan, class_="a", amount="x")


def test_gauge_bounds_choice_is_checked(tmp_path: Path, obsgen: RunObsgen) -> None:
    root = small_project(tmp_path / "svc", (
        'G = Gauge("myapp_level", help="Level.", min=0, out_of_bounds="wrap")\n'))
    result = obsgen("build", "--output-format", "json", cwd=root)
    assert result.exit_code == 1, result.describe()
    assert [d["code"] for d in result.diagnostics()] == ["OBS004"]
    assert "out_of_bounds" in result.diagnostics()[0]["message"]


def test_module_and_package_names_come_from_the_config(tmp_path: Path) -> None:
    root = small_project(tmp_path / "svc", "",
                         '\n[python]\nmodule = "svc_obs"\npackage = "svc.telemetry"\n')
    rel, text = emitted(root)
    assert rel == "python/svc/telemetry/svc_obs.py"
    assert "    from svc.telemetry.svc_obs import Metrics" in text
    default_rel, _ = emitted(small_project(tmp_path / "my-svc", ""))
    assert default_rel == "python/my_svc_metrics.py"


@pytest.mark.parametrize("table", ['[python]\nmodule = "my-mod"\n',
                                   '[python]\npackage = "a..b"\n',
                                   '[python]\nmodul = "x"\n'])
def test_bad_python_settings_are_usage_errors(tmp_path: Path, obsgen: RunObsgen,
                                              table: str) -> None:
    root = small_project(tmp_path / "svc", "", "\n" + table)
    result = obsgen("build", cwd=root)
    assert result.exit_code == 2, result.describe()
    assert "OBS003" in result.output and "Traceback" not in result.output


def test_module_is_deterministic_and_passes_ruff_and_mypy_strict(example_text: str,
                                                                   tmp_path: Path) -> None:
    root = tmp_path / "again"
    root.mkdir()
    (root / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    (root / "definitions").symlink_to(REPO / "definitions")
    assert emitted(root)[1] == example_text
    path = tmp_path / "hypertool_metrics.py"
    path.write_text(example_text, encoding="utf-8")
    ruff = subprocess.run([str(VENV_BIN / "ruff"), "check", "--isolated", "--select",
                           "E,F,W,I,B,UP,SIM,RUF,N,C4,PTH,RET", str(path)],
                          capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout
    mypy = run_mypy(tmp_path, path)
    assert mypy.returncode == 0, mypy.stdout


def run_mypy(folder: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(VENV_BIN / "mypy"), "--strict", "--no-incremental",
                           "--cache-dir", str(folder / ".mypy_cache"),
                           "--config-file", "/dev/null", *map(str, files)],
                          cwd=folder, capture_output=True, text=True, check=False)


CONSUMER = """\
from prometheus_client import CollectorRegistry

from hypertool_metrics import Metrics

metrics = Metrics(CollectorRegistry())
metrics.hypertool_workflow_quality_gate_total.inc(workflow="ci", stage="lint", result={!r})
"""


def test_mypy_rejects_an_undeclared_literal_and_accepts_a_declared_one(
        example_text: str, tmp_path: Path) -> None:
    (tmp_path / "hypertool_metrics.py").write_text(example_text, encoding="utf-8")
    app = tmp_path / "app.py"
    app.write_text(CONSUMER.format("fail"), encoding="utf-8")
    rejected = run_mypy(tmp_path, app)
    assert rejected.returncode == 1, rejected.stdout
    assert 'Argument "result" to "inc" of "HypertoolWorkflowQualityGateTotal" has ' \
           'incompatible type "Literal[\'fail\']"' in rejected.stdout
    app.write_text(CONSUMER.format("failed"), encoding="utf-8")
    accepted = run_mypy(tmp_path, app)
    assert accepted.returncode == 0, accepted.stdout


def test_check_reports_a_module_that_does_not_load(tmp_path: Path) -> None:
    broken = {"python/x_metrics.py": "class Metrics:\n    def __init__(self, r, *, on_violation):"
                                     "\n        raise RuntimeError('boom')\n",
              "python/y_metrics.py": "def (\n", "prometheus/a.rules.yml": "groups: []\n"}
    found = check_instrumentation(broken, tmp_path)
    assert [(d.code, d.location.path if d.location else "") for d in found] == [
        ("OBS119", str(tmp_path / "python/x_metrics.py")),
        ("OBS119", str(tmp_path / "python/y_metrics.py"))]
    assert "RuntimeError: boom" in found[0].message
    assert "does not compile" in found[1].message
