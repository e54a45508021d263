"""How fast `obsgen check` is on a large project, next to promtool on the same rule files.

A generator writes a synthetic project into a temporary folder: a catalog, 5,000 alerting
rules in 50 groups, a runbook for each alert, 200 dashboards of 20 panels, and one pipeline
(each kind only where this obsgen has its model; the output says which). Then, in one run,
it prints:

  - PromQL analysis throughput: obsgen.check.promql.analysis.analyse over every rule expression and
    dashboard target (expressions/s; target >= 30,000/s);
  - the wall time of a full `obsgen check` (a fresh build, every check) and of
    `promtool check rules` on the same rule files, and their ratio (target <= 1.5);
  - the peak RSS of the `obsgen check` process (target <= 500 MB);
  - a no-op `obsgen build` (nothing changed) as a share of a full one (target <= 10%).

Run with `make benchmark`. Wall times are single runs on this machine: compare them between
commits on one machine, not across machines. `--scale 0.1` makes a project a tenth the size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

import obsgen

KINDS = {"rules": "AlertRule", "runbooks": "Runbook", "dashboards": "Dashboard",
         "pipeline": "Pipeline"}
GROUP_SIZE = 100
COUNTERS, GAUGES, HISTOGRAMS = 100, 50, 50


@dataclass(frozen=True)
class Size:
    rules: int
    dashboards: int
    panels: int

    @classmethod
    def scaled(cls, scale: float) -> Size:
        return cls(max(GROUP_SIZE, int(5000 * scale) // GROUP_SIZE * GROUP_SIZE),
                   max(1, int(200 * scale)), 20)


def available_kinds() -> list[str]:
    return [kind for kind, name in KINDS.items() if hasattr(obsgen, name)]


# the generator ------------------------------------------------------------------------------

def _metrics_module() -> str:
    lines = ["from obsgen import Counter, Gauge, Histogram, Label, ScrapeJob", "",
             'JOB = ScrapeJob("bench", targets=["localhost:9464"])',
             'KIND = Label("kind", values=("a", "b", "c"))', "ROUTE = Label(\"route\")", ""]
    for i in range(COUNTERS):
        lines.append(f'C{i} = Counter("bench_events_{i}_total", help="Events of service {i}.", '
                     "labels=[KIND, ROUTE])")
    for i in range(GAUGES):
        lines.append(f'G{i} = Gauge("bench_queue_{i}_depth", help="Queue depth {i}.", '
                     "labels=[ROUTE], min=0)")
    for i in range(HISTOGRAMS):
        lines.append(f'H{i} = Histogram("bench_call_{i}_seconds", help="Call latency {i}.", '
                     "labels=[KIND, ROUTE], buckets=[0.1, 0.5, 1, 5])")
    return "\n".join(lines) + "\n"


def _alert(n: int) -> tuple[str, str]:
    """The expression of alert n (three shapes, in turn) and the metric it reads."""
    shape = n % 3
    if shape == 0:
        metric = f"C{n % COUNTERS}"
        return (f'rate({metric}.where(kind="a"), "5m").sum(by="route") > {n + 1}', metric)
    if shape == 1:
        metric = f"G{n % GAUGES}"
        return (f"{metric}.selector().sum(by=\"route\") > {n + 10}", metric)
    metric = f"H{n % HISTOGRAMS}"
    return (f'histogram_quantile(0.99, {metric}.where(kind="b"), "5m", by="route") > {n}',
            metric)


def _alerts_module(group: int) -> str:
    lines = ["from obsgen import AlertRule, RuleGroup, histogram_quantile, rate", "",
             "from .metrics import *  # noqa: F403", ""]
    names = []
    for k in range(GROUP_SIZE):
        n = group * GROUP_SIZE + k
        expr, _ = _alert(n)
        names.append(f"A{n}")
        lines.append(
            f'A{n} = AlertRule("BenchAlert{n}", expr={expr}, for_="10m", severity="warning", '
            f'summary="Alert {n} on {{{{ $labels.route }}}}", '
            f'description="Synthetic alert {n} of group {group}.")')
    lines.append(f'GROUP = RuleGroup("bench-{group}", interval="1m", rules=[{", ".join(names)}])')
    return "\n".join(lines) + "\n"


def _runbooks_module(group: int) -> str:
    lines = ["from obsgen import Runbook, Step, rate", "",
             f"from .alerts_{group:03} import *  # noqa: F403",
             "from .metrics import *  # noqa: F403", ""]
    for k in range(GROUP_SIZE):
        n = group * GROUP_SIZE + k
        _, metric = _alert(n)
        query = (f'{metric}.selector().sum(by="route")' if metric.startswith("G")
                 else f'rate({metric}.where(kind="a"), "5m").sum(by="route")'
                 if metric.startswith("C") else f'rate({metric}.series("count"), "5m").sum()')
        lines.append(
            f'R{n} = Runbook(A{n}, description="What alert {n} means.", impact="Some.", '
            f'investigation=[Step("Look at the series.", query={query})], '
            f'quick_fix="Restart service {n % COUNTERS}.")')
    return "\n".join(lines) + "\n"


def _dashboards_module(start: int, count: int, panels: int) -> str:
    lines = ["from grafanalib.core import Target", "",
             "from obsgen import Dashboard, Folder, Row, TimeSeries, rate", "",
             "from .metrics import *  # noqa: F403", "", 'FOLDER = Folder("Bench")', ""]
    for d in range(start, start + count):
        panel_list = []
        for p in range(panels):
            metric = f"C{(d * panels + p) % COUNTERS}"
            lines.append(
                f'P{d}_{p} = TimeSeries(title="Panel {p}", unit="ops", targets=[Target('
                f'expr=rate({metric}.where(kind="a")).sum(by="route"), '
                f'legendFormat="{{{{route}}}}")])')
            panel_list.append(f"P{d}_{p}")
        lines.append(f'D{d} = Dashboard(uid="bench-{d}", title="Bench {d}", folder=FOLDER, '
                     f'rows=[Row("Traffic", [{", ".join(panel_list)}])])')
    return "\n".join(lines) + "\n"


PIPELINE_MODULE = """\
from obsgen import Env, Pipeline, RemoteWrite, Scrape

from .metrics import JOB

REMOTE = RemoteWrite("cloud", url="https://prometheus.example.org/api/prom/push",
                     username=Env("BENCH_USER"), password=Env("BENCH_KEY"))
PIPELINE = Pipeline([Scrape(JOB, forward_to=REMOTE), REMOTE])
"""


def generate(root: Path, size: Size, kinds: list[str]) -> Path:
    definitions = root / "definitions"
    definitions.mkdir(parents=True)
    (root / "obsgen.toml").write_text('definitions = "definitions"\nbuild = "build"\n'
                                      'runbook_base_url = "https://runbooks.example.org/"\n')
    (definitions / "metrics.py").write_text(_metrics_module())
    for group in range(size.rules // GROUP_SIZE):
        (definitions / f"alerts_{group:03}.py").write_text(_alerts_module(group))
        if "runbooks" in kinds:
            (definitions / f"runbooks_{group:03}.py").write_text(_runbooks_module(group))
    if "dashboards" in kinds:
        for start in range(0, size.dashboards, 10):
            count = min(10, size.dashboards - start)
            (definitions / f"dashboards_{start:03}.py").write_text(
                _dashboards_module(start, count, size.panels))
    if "pipeline" in kinds:
        (definitions / "pipeline.py").write_text(PIPELINE_MODULE)
    return root


# measuring ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Timed:
    seconds: float
    cpu_seconds: float  # user + system of it and its children: steadier on a busy machine
    exit_code: int
    peak_rss_mb: float
    output: str


def run_timed(args: list[str], cwd: Path) -> Timed:
    """Run a command; wall time, and the peak RSS of it and the children it waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "NO_COLOR": "1"})
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return Timed(seconds, cpu, process.returncode, usage.ru_maxrss / 1024, output)


def obsgen_command() -> list[str]:
    script = Path(sys.executable).parent / "obsgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "obsgen"]


def expressions(build: Path) -> list[str]:
    """Every rule expression and dashboard target expression in a build folder."""
    found = []
    for path in sorted(build.rglob("*.rules.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            found += [rule["expr"] for rule in group["rules"]]
    for path in sorted(build.rglob("*.json")):
        found += _targets(path.read_text())
    return found


def _targets(text: str) -> list[str]:
    import json

    def walk(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["expr"]] if isinstance(node.get("expr"), str) else []
            return own + [e for value in node.values() for e in walk(value)]
        if isinstance(node, list):
            return [e for value in node for e in walk(value)]
        return []

    return walk(json.loads(text))


def analysis_throughput(texts: list[str], rounds: int = 3) -> tuple[float, int] | str:
    """Expressions analysed per CPU second (the best of `rounds`, so that other work on a
    shared machine counts as little as possible), and how many failed; or why it cannot be
    measured."""
    try:
        from obsgen.check.promql.analysis import analyse  # type: ignore[attr-defined]
    except ImportError as exc:
        return f"not measured: obsgen.check.promql.analysis.analyse is not available ({exc})"
    analyser: Callable[[str], object] = analyse
    clear = getattr(analyse, "cache_clear", None)
    best, failed = 0.0, 0
    for _ in range(rounds):
        if clear is not None:
            clear()  # analyse memoises by text: measure parsing, not cache hits
        failed = 0
        start = time.process_time()
        for text in texts:
            try:
                analyser(text)
            except Exception:  # a failure counts, it must not stop the measurement
                failed += 1
        best = max(best, len(texts) / max(time.process_time() - start, 1e-9))
    return best, failed


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="project size factor")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args()
    promtool = shutil.which(os.environ.get("PROMTOOL", "promtool"))
    if promtool is None:
        print("promtool not found (make setup installs it)", file=sys.stderr)
        return 2
    kinds = available_kinds()
    size = Size.scaled(args.scale)
    root = Path(tempfile.mkdtemp(prefix="obsgen-bench-"))
    try:
        generate(root / "project", size, kinds)
        return report(root / "project", size, kinds, promtool)
    finally:
        if args.keep:
            print(f"project kept in {root / 'project'}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def report(project: Path, size: Size, kinds: list[str], promtool: str) -> int:
    missing = sorted(set(KINDS) - set(kinds))
    print(f"synthetic project: {size.rules} alerting rules in {size.rules // GROUP_SIZE} groups"
          + (f", {size.rules} runbooks" if "runbooks" in kinds else "")
          + (f", {size.dashboards} dashboards x {size.panels} panels" if "dashboards" in kinds
             else "")
          + (", 1 pipeline" if "pipeline" in kinds else "")
          + (f"; not generated (no model in this obsgen): {', '.join(missing)}" if missing
             else ""))
    check = run_timed([*obsgen_command(), "check", "--output-format", "concise"], project)
    if check.exit_code != 0:
        print(f"obsgen check failed (exit {check.exit_code}):\n{check.output[-3000:]}")
        return 1
    rule_files = sorted(str(p) for p in (project / "build").rglob("*.rules.yml"))
    tool = run_timed([promtool, "check", "rules", *rule_files], project)
    if tool.exit_code != 0:
        print(f"promtool check rules failed:\n{tool.output[-3000:]}")
        return 1
    texts = sorted(set(expressions(project / "build")))  # distinct: no memoised repeats
    throughput = analysis_throughput(texts)
    for derived in ("build", ".obsgen-cache"):  # a full build starts from nothing
        shutil.rmtree(project / derived, ignore_errors=True)
    full = run_timed([*obsgen_command(), "build"], project)
    noop = run_timed([*obsgen_command(), "build"], project)
    ratio = check.seconds / tool.seconds
    share = noop.seconds / full.seconds
    print("  PromQL analysis:           " + (
        throughput if isinstance(throughput, str) else
        f"{throughput[0]:,.0f} expressions/CPU-s over {len(texts):,} distinct expressions "
        f"({throughput[1]} failed)  [{verdict(throughput[0] >= 30_000)}: >= 30,000/s]"))
    cpu_ratio = check.cpu_seconds / max(tool.cpu_seconds, 1e-6)
    print(f"  obsgen check (full):       {check.seconds:8.2f} s wall, "
          f"{check.cpu_seconds:8.2f} s CPU")
    print(f"  promtool check rules:      {tool.seconds:8.2f} s wall, {tool.cpu_seconds:8.2f} s CPU"
          f"  ({len(rule_files)} files)")
    print(f"  ratio check / promtool:    {ratio:8.2f} wall, {cpu_ratio:8.2f} CPU  "
          f"[{verdict(ratio <= 1.5)}: <= 1.5]")
    print(f"  peak RSS of obsgen check:  {check.peak_rss_mb:8.0f} MB "
          f"[{verdict(check.peak_rss_mb <= 500)}: <= 500 MB]")
    print(f"  obsgen build (full):       {full.seconds:8.2f} s wall, "
          f"{full.cpu_seconds:8.2f} s CPU")
    print(f"  obsgen build (no-op):      {noop.seconds:8.2f} s wall, {noop.cpu_seconds:8.2f} s CPU"
          f"  = {share:.0%} of a full build [{verdict(share <= 0.10)}: <= 10%]")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (this script's own peak RSS, analysis included: {own:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
