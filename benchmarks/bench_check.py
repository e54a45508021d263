"""How fast `obsgen build` and `obsgen check` are, cold, no-op and after one-file edits, next to
promtool on the same rule files, at 1x and 2x the size of a 5,000-alert project (issue 17).

A generator (synthetic.py) writes the project into a temporary folder; scenario.py times each
command as a subprocess (measure.py); report.py prints the table and the verdicts against the
issue's targets. Also printed: PromQL analysis throughput (throughput.py).

Run with `make benchmark`; `--scale 0.1 --sizes 1,2` for a quick run. Figures are from this
machine: compare them between commits on one machine, not across machines. The temporary
folder is removed at the end, on error and on Ctrl-C/SIGTERM too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import FrameType

import report
from edits import EDITS
from measure import CommandFailedError, Runner
from scenario import SizeResult, measure_size
from synthetic import TEST_EVERY, Size


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are whole multiples >= 1, e.g. 1,2")
    return sizes


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of 1x as a share of the 5,000-alert project (default 1)")
    parser.add_argument("--sizes", type=_sizes, default=[1, 2],
                        help="multiples of 1x to measure, comma-separated (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per figure; each figure is their median by CPU (default 1)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder with the generated projects")
    return parser.parse_args()


def _header(sizes: list[tuple[int, Size]], repeat: int) -> list[str]:
    tests = ", ".join(f"{s.tests:,} at {f}x" for f, s in sizes)
    runs = "one run" if repeat == 1 else f"the median by CPU of {repeat} runs"
    return [
        "obsgen build/check benchmark (issue 17): cold, no-op and after one-file edits, "
        "against promtool",
        *(f"  {factor}x: {size.describe()}" for factor, size in sizes),
        "How each figure is measured:",
        f"  - each is {runs} of the command, as a subprocess in the project folder",
        "  - CPU s: user+system of the process and every child it waited for (os.wait4), "
        "promtool included; wall s: elapsed",
        "  - x ptool: CPU as a multiple of `promtool check rules` CPU at the same size; growth: "
        "CPU at the last size / CPU at the first",
        "  - RSS MB: peak RSS of the largest single process of the run (obsgen or a promtool it "
        "ran); parallel children are not summed",
        "  - cold: build/, .obsgen-cache/ and definitions' __pycache__ removed first (the OS file "
        "cache stays warm); no-op: the same command again at once, nothing changed",
        "  - after an X edit: one line of one definitions module rewritten (one alert's "
        "threshold; one panel's title; one runbook's quick_fix), then `obsgen build` (timed), "
        "then `obsgen check` (timed, right after that build); at the first size: "
        + "; ".join(make(sizes[0][1], 0).what for make in EDITS),
        "  - promtool check rules: one process over every rule file of the build; promtool test "
        "rules: one process over every test file, which promtool runs one after another",
        f"  - rule tests: one per {TEST_EVERY} alerts ({tests}), each a silent and a firing "
        "expectation, one test file per group; rule_test_coverage = \"off\" (coverage warnings "
        "for the untested alerts would time terminal output)",
        "  - obsgen runs with PROMTOOL set to a wrapper that logs each promtool call (the file "
        "counts below) and TMPDIR inside the benchmark's temporary folder",
        "  - (*) cold check less promtool test rules: an estimate of obsgen's own part "
        "(obsgen runs the tests in its own promtool processes)",
    ]


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _leftovers(scratch: Path) -> str:
    left = sorted(p.name for p in (scratch / "tmp").iterdir())
    return ("none" if not left else
            f"{len(left)} ({', '.join(left[:5])}{', ...' if len(left) > 5 else ''}; removed "
            "with the benchmark's folder)")


def _print(lines: list[str]) -> None:
    print("\n".join(lines), flush=True)


def _wrapped(lines: list[str]) -> list[str]:
    """The header's bullets wrapped at 100 columns, continuations under their text."""
    return [part for text in lines
            for part in textwrap.wrap(text, 100, subsequent_indent=" " * (len(text) - len(
                text.lstrip(" -")))) or [""]]


def run(args: argparse.Namespace, promtool: str, root: Path) -> int:
    sizes = [(factor, Size.of(args.scale, factor)) for factor in args.sizes]
    _print(_wrapped(_header(sizes, args.repeat)))
    if os.environ.get("OBSGEN_NO_CACHE", "") not in ("", "0"):
        print("  NOTE: OBSGEN_NO_CACHE is set: obsgen's cache is off for every run")
    runner = Runner(promtool, root)
    runner.prepare()
    results: list[SizeResult] = []
    started = time.perf_counter()
    for factor, size in sizes:
        results.append(measure_size(runner, root, factor, size, args.repeat,
                                    lambda text: print(text, file=sys.stderr, flush=True)))
    print()
    _print(report.timings(results))
    print()
    _print(report.promtool_files(results))
    print()
    _print([f"PromQL analysis throughput at {r.factor}x: {r.throughput}" for r in results])
    print()
    _print(["Targets (issue 17):", *(f"  {line}" for line in report.targets(results))])
    print(f"\nTemporary files obsgen and promtool left in TMPDIR: {_leftovers(root)}")
    print(f"Benchmark took {time.perf_counter() - started:.0f} s.")
    return 0


def main() -> int:
    args = _arguments()
    promtool = shutil.which(os.environ.get("PROMTOOL", "promtool"))
    if promtool is None:
        print("promtool not found (make setup installs it)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    root = Path(tempfile.mkdtemp(prefix="obsgen-bench-"))
    try:
        return run(args, str(Path(promtool).resolve()), root)
    except CommandFailedError as failed:
        print(f"\nBENCHMARK FAILED: {failed}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; removing the temporary folder", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"temporary folder kept: {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
            if root.exists():
                print(f"could not remove all of {root}: remove it by hand", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
