"""How fast `obsgen lint` reads real dashboards: the 41 shared corpus dashboards
(../shared/corpus/dashboards), every query of them parsed and checked.

Prints the median wall time of `obsgen lint <corpus>` over --runs runs (a subprocess, as a
user runs it), and how many queries it read and how many non-Prometheus targets it skipped.
Target (issue 13): at most 1.5x the time before every dashboard query was checked, which was
1.87 s on the development machine (a 2-core VM; compare between commits on one machine).

Run with `make benchmark`, or `python benchmarks/bench_lint.py --runs 5 [CORPUS]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from obsgen.check.dashboards.targets import dashboard_queries

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dashboards"
BEFORE_SECONDS = 1.87  # median of 3, the commit before dashboard queries were checked
TARGET_RATIO = 1.5


def _obsgen() -> list[str]:
    script = Path(sys.executable).parent / "obsgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "obsgen"]


def _one_run(corpus: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*_obsgen(), "lint", str(corpus)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.corpus.rglob("*.json"))
    if not files:
        print(f"no dashboards under {args.corpus}; nothing to measure")
        return 0
    counts = [dashboard_queries(f.read_text(encoding="utf-8")) for f in files]
    median = statistics.median(_one_run(args.corpus) for _ in range(args.runs))
    print(f"obsgen lint, {len(files)} dashboards: {sum(len(c.queries) for c in counts)} "
          f"queries checked, {sum(c.skipped_targets for c in counts)} non-Prometheus targets "
          f"skipped")
    print(f"  median of {args.runs}: {median:.2f} s (before: {BEFORE_SECONDS:.2f} s; "
          f"ratio {median / BEFORE_SECONDS:.2f}, target <= {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
