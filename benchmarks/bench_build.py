"""Print how long compiling takes: the seed project, and synthetic projects of growing size.

Run with `make benchmark`. Figures are wall-clock medians of several runs on this machine;
compare them between commits, not across machines.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from obsgen.build import compile_project, write_atomically
from obsgen.config import load_config

REPO = Path(__file__).resolve().parent.parent


def synthetic(root: Path, metrics: int, alerts_per_metric: int) -> Path:
    """A project with `metrics` counters and `alerts_per_metric` tested alerts on each."""
    (root / "definitions").mkdir(parents=True)
    (root / "obsgen.toml").write_text('definitions = "definitions"\n'
                                      'runbook_base_url = "https://rb.example.org/"\n')
    lines = ["from obsgen import *", "RULES = []", "TESTS = []", "RUNBOOKS = []"]
    for i in range(metrics):
        lines += [
            f'M{i} = Counter("svc_events_{i}_total", help="events", '
            f'labels=[Label("kind", values=("a", "b")), "route"])',
        ]
        for j in range(alerts_per_metric):
            lines += [
                f'A{i}_{j} = AlertRule("Svc{i}Alert{j}", expr=rate(M{i}.where(kind="a"), "5m")'
                f'.sum(by="route") > {j + 1}, for_="5m", severity="warning", '
                f'summary="route {{{{ $labels.route }}}}", description="d")',
                f"RULES.append(A{i}_{j})",
                f'RUNBOOKS.append(Runbook(A{i}_{j}, description="Look at the route."))',
                f'TESTS.append(RuleTest("t{i}_{j}", series=[Series(M{i}.where(kind="a", '
                f'route="/"), "0+600x20")], expect=[ExpectAlert(A{i}_{j}, at="10m", '
                f'firing=[{{"route": "/"}}])]))',
            ]
    lines.append('GROUP = RuleGroup("svc", interval="1m", rules=RULES)')
    (root / "definitions" / "all.py").write_text("\n".join(lines) + "\n")
    return root


def median_seconds(run: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, root: Path) -> None:
    config = load_config(root)
    compiled = compile_project(config)
    assert compiled.ok, compiled.diagnostics
    size = sum(len(t) for t in compiled.artifacts.values())
    compile_s = median_seconds(lambda: compile_project(config))
    with tempfile.TemporaryDirectory(prefix="obsgen-bench-") as scratch:
        write_s = median_seconds(lambda: write_atomically(Path(scratch) / "build",
                                                          compiled.artifacts))
    assert compiled.project is not None
    rules = sum(len(g.rules) for g in compiled.project.groups)
    print(f"{name:<28} {len(compiled.project.metrics):>6} {rules:>6} "
          f"{len(compiled.project.tests):>6} {size / 1024:>9.1f} {compile_s * 1000:>11.1f} "
          f"{write_s * 1000:>9.1f}")


def main() -> None:
    print(f"{'project':<28} {'metrics':>6} {'rules':>6} {'tests':>6} {'KiB out':>9} "
          f"{'compile ms':>11} {'write ms':>9}")
    report("seed (definitions/)", REPO)
    for metrics, per in ((50, 2), (200, 5)):
        with tempfile.TemporaryDirectory() as tmp:
            report(f"synthetic {metrics}x{per}", synthetic(Path(tmp), metrics, per))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
