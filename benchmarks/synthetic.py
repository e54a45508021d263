"""The synthetic project the check benchmark measures, and the one-file edits it times.

At 1x: a catalog of 200 metrics, 5,000 alerting rules in 50 groups of 100 (one definitions
module per group), a runbook for every alert (one module per group), one rule test for every
TEST_EVERY alerts (one module per group, so promtool gets one test file per rule file), 200
dashboards of 20 panels (ten dashboards per module) and one Alloy pipeline. A size k has k
times the groups and dashboards, so 2x is exactly twice 1x.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GROUP_SIZE = 100
TEST_EVERY = 20  # one rule test per 20 alerts: promtool costs about 0.1 s CPU per case
GROUPS_1X, DASHBOARDS_1X, PANELS = 50, 200, 20
DASHBOARDS_PER_MODULE = 10
COUNTERS, GAUGES, HISTOGRAMS = 100, 50, 50
# Rule-test coverage warnings would be 2 per untested alert (10,000 lines at 1x): printing
# them would time obsgen's terminal output, not its checks.
CONFIG = ('definitions = "definitions"\nbuild = "build"\n'
          'runbook_base_url = "https://runbooks.example.org/"\nrule_test_coverage = "off"\n')


@dataclass(frozen=True)
class Size:
    groups: int
    dashboards: int
    panels: int = PANELS

    @classmethod
    def of(cls, scale: float, factor: int) -> Size:
        """`factor` times the project at `scale` (1.0 is the 5,000-rule project)."""
        return cls(max(1, round(GROUPS_1X * scale)) * factor,
                   max(1, round(DASHBOARDS_1X * scale)) * factor)

    @property
    def rules(self) -> int:
        return self.groups * GROUP_SIZE

    @property
    def tests(self) -> int:
        return self.groups * (GROUP_SIZE // TEST_EVERY)

    def describe(self) -> str:
        return (f"{self.rules:,} alerts in {self.groups} groups, {self.rules:,} runbooks, "
                f"{self.tests:,} rule tests ({self.groups} test files), "
                f"{self.dashboards} dashboards x {self.panels} panels, 1 pipeline")


# the definitions ----------------------------------------------------------------------------

def _metrics_module() -> str:
    lines = ["from obsgen import Counter, Gauge, Histogram, Label, ScrapeJob", "",
             'JOB = ScrapeJob("bench", targets=["localhost:9464"])',
             'KIND = Label("kind", values=("a", "b", "c"))', 'ROUTE = Label("route")', ""]
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


def _shape(n: int) -> int:
    """Alert n reads a counter (0), a gauge (1) or a histogram (2), in turn."""
    return n % 3


def _threshold(n: int) -> int:
    return (n + 1, n + 10, n)[_shape(n)]


def _expression(n: int, threshold: str) -> str:
    if _shape(n) == 0:
        return f'rate(C{n % COUNTERS}.where(kind="a"), "5m").sum(by="route") > {threshold}'
    if _shape(n) == 1:
        return f'G{n % GAUGES}.selector().sum(by="route") > {threshold}'
    return (f'histogram_quantile(0.99, H{n % HISTOGRAMS}.where(kind="b"), "5m", by="route") '
            f"> {threshold}")


def alert_line(n: int, threshold: str | None = None) -> str:
    expr = _expression(n, str(_threshold(n)) if threshold is None else threshold)
    return (f'A{n} = AlertRule("BenchAlert{n}", expr={expr}, for_="10m", severity="warning", '
            f'summary="Alert {n} on {{{{ $labels.route }}}}", '
            f'description="Synthetic alert {n} of group {n // GROUP_SIZE}.")')


def _alerts_module(group: int) -> str:
    numbers = range(group * GROUP_SIZE, (group + 1) * GROUP_SIZE)
    lines = ["from obsgen import AlertRule, RuleGroup, histogram_quantile, rate", "",
             "from .metrics import *  # noqa: F403", "", *(alert_line(n) for n in numbers),
             f'GROUP = RuleGroup("bench-{group}", interval="1m", '
             f'rules=[{", ".join(f"A{n}" for n in numbers)}])']
    return "\n".join(lines) + "\n"


def _step_query(n: int) -> str:
    if _shape(n) == 0:
        return f'rate(C{n % COUNTERS}.where(kind="a"), "5m").sum(by="route")'
    if _shape(n) == 1:
        return f'G{n % GAUGES}.selector().sum(by="route")'
    return f'rate(H{n % HISTOGRAMS}.series("count"), "5m").sum()'


def quick_fix(n: int, edit: str = "") -> str:
    return f"Restart service {n % COUNTERS}{edit}."


def runbook_line(n: int, edit: str = "") -> str:
    return (f'R{n} = Runbook(A{n}, description="What alert {n} means.", impact="Some.", '
            f'investigation=[Step("Look at the series.", query={_step_query(n)})], '
            f'quick_fix="{quick_fix(n, edit)}")')


def _runbooks_module(group: int) -> str:
    lines = ["from obsgen import Runbook, Step, rate", "",
             f"from .alerts_{group:03} import *  # noqa: F403",
             "from .metrics import *  # noqa: F403", "",
             *(runbook_line(n) for n in range(group * GROUP_SIZE, (group + 1) * GROUP_SIZE))]
    return "\n".join(lines) + "\n"


def tested(group: int) -> list[int]:
    """The alerts of a group that have a rule test: the first counter or gauge alert of every
    TEST_EVERY (a histogram's 0.99 quantile cannot pass these thresholds)."""
    firsts = range(group * GROUP_SIZE, (group + 1) * GROUP_SIZE, TEST_EVERY)
    return [n if _shape(n) != 2 else n + 1 for n in firsts]


def _test_line(n: int) -> str:
    """Alert n stays silent while pending (5m) and fires once `for_` has passed (15m: a
    counter's rate needs samples first)."""
    if _shape(n) == 0:  # (n + 2) per second is above the threshold n + 1
        series = f'C{n % COUNTERS}.where(kind="a", route="/"), "0+{60 * (n + 2)}x20"'
    else:
        series = f'G{n % GAUGES}.where(route="/"), "{n + 11}+0x20"'
    return (f'T{n} = RuleTest("alert {n} fires after 10 minutes", series=[Series({series})], '
            f'expect=[ExpectAlert(A{n}, at="5m"), '
            f'ExpectAlert(A{n}, at="15m", firing=[{{"route": "/"}}])])')


def _tests_module(group: int) -> str:
    lines = ["from obsgen import ExpectAlert, RuleTest, Series", "",
             f"from .alerts_{group:03} import *  # noqa: F403",
             "from .metrics import *  # noqa: F403", "", *(_test_line(n) for n in tested(group))]
    return "\n".join(lines) + "\n"


def panel_line(d: int, p: int, title: str | None = None) -> str:
    metric = f"C{(d * PANELS + p) % COUNTERS}"
    return (f'P{d}_{p} = TimeSeries(title="{title or f"Panel {p}"}", unit="ops", '
            f'targets=[Target(expr=rate({metric}.where(kind="a")).sum(by="route"), '
            f'legendFormat="{{{{route}}}}")])')


def _dashboards_module(start: int, count: int, panels: int) -> str:
    lines = ["from grafanalib.core import Target", "",
             "from obsgen import Dashboard, Folder, Row, TimeSeries, rate", "",
             "from .metrics import *  # noqa: F403", "", 'FOLDER = Folder("Bench")', ""]
    for d in range(start, start + count):
        lines += [panel_line(d, p) for p in range(panels)]
        lines.append(f'D{d} = Dashboard(uid="bench-{d}", title="Bench {d}", folder=FOLDER, '
                     f'rows=[Row("Traffic", [{", ".join(f"P{d}_{p}" for p in range(panels))}])])')
    return "\n".join(lines) + "\n"


PIPELINE_MODULE = """\
from obsgen import Env, Pipeline, RemoteWrite, Scrape

from .metrics import JOB

REMOTE = RemoteWrite("cloud", url="https://prometheus.example.org/api/prom/push",
                     username=Env("BENCH_USER"), password=Env("BENCH_KEY"))
PIPELINE = Pipeline([Scrape(JOB, forward_to=REMOTE), REMOTE])
"""


def generate(root: Path, size: Size) -> Path:
    """Write the project into root (which must not exist yet); returns root."""
    definitions = root / "definitions"
    definitions.mkdir(parents=True)
    (root / "obsgen.toml").write_text(CONFIG)
    (definitions / "metrics.py").write_text(_metrics_module())
    for group in range(size.groups):
        (definitions / f"alerts_{group:03}.py").write_text(_alerts_module(group))
        (definitions / f"runbooks_{group:03}.py").write_text(_runbooks_module(group))
        (definitions / f"tests_{group:03}.py").write_text(_tests_module(group))
    for start in range(0, size.dashboards, DASHBOARDS_PER_MODULE):
        count = min(DASHBOARDS_PER_MODULE, size.dashboards - start)
        (definitions / f"dashboards_{start:03}.py").write_text(
            _dashboards_module(start, count, size.panels))
    (definitions / "pipeline.py").write_text(PIPELINE_MODULE)
    return root
