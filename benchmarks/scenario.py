"""One size of the check benchmark, start to finish: generate the project, then time cold,
no-op and edited builds and checks, and promtool on the same built files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import throughput
from edits import EDITS
from measure import Runner, Timed, obsgen_command
from synthetic import Size, generate


@dataclass(frozen=True)
class SizeResult:
    factor: int
    size: Size
    runs: dict[str, Timed]
    throughput: str
    stale: tuple[str, ...]  # edits a build did not show
    test_files: int  # rule-test files in build/prometheus/tests


def _clean(project: Path) -> None:
    """Remove everything obsgen derives: build/, .obsgen-cache/ and bytecode of definitions."""
    for derived in ("build", ".obsgen-cache"):
        shutil.rmtree(project / derived, ignore_errors=True)
    for cached in sorted((project / "definitions").rglob("__pycache__")):
        shutil.rmtree(cached, ignore_errors=True)


def _median(samples: list[Timed]) -> Timed:
    return sorted(samples, key=lambda t: t.cpu)[len(samples) // 2]


def measure_size(runner: Runner, root: Path, factor: int, size: Size, repeat: int,
                 say: Callable[[str], None]) -> SizeResult:
    """Every figure at one size; each the median (by CPU time) of `repeat` runs."""
    project = generate(root / f"project-{factor}x", size)
    obsgen = obsgen_command()
    commands = {"build": [*obsgen, "build", "--output-format", "concise"],
                "check": [*obsgen, "check", "--output-format", "concise"]}

    def run(key: str, args: list[str]) -> Timed:
        return runner.run(args, project, f"{key} on the {factor}x project")

    def series(key: str, args: list[str], prepare: Callable[[], None] = lambda: None) -> Timed:
        say(f"  {factor}x: {key} ...")
        samples = []
        for _ in range(repeat):
            prepare()
            samples.append(run(key, args))
        return _median(samples)

    runs = {"cold build": series("cold build", commands["build"], lambda: _clean(project)),
            "no-op build": series("no-op build", commands["build"]),
            "cold check": series("cold check", commands["check"], lambda: _clean(project)),
            "no-op check": series("no-op check", commands["check"])}
    built = project / "build"
    rule_files = sorted(str(p.relative_to(project)) for p in built.rglob("*.rules.yml"))
    test_files = sorted(str(p.relative_to(project)) for p in built.rglob("*.test.yml"))
    runs["promtool check"] = series("promtool check rules",
                                    [runner.promtool, "check", "rules", *rule_files])
    runs["promtool test"] = series("promtool test rules",
                                   [runner.promtool, "test", "rules", *test_files])
    say(f"  {factor}x: PromQL analysis throughput ...")
    rate = throughput.line(built)
    stale = []
    for make_edit in EDITS:
        rounds = [make_edit(size, r) for r in range(repeat)]
        name = rounds[0].name
        say(f"  {factor}x: {name}, then build, then check ...")
        samples: dict[str, list[Timed]] = {"build": [], "check": []}
        for edit in rounds:
            edit.apply(project)
            for verb in ("build", "check"):
                samples[verb].append(run(f"{verb} after {name}", commands[verb]))
                if not edit.visible(built):
                    stale.append(f"{verb} after {name} ({edit.what})")
        for verb, timed in samples.items():
            runs[f"{verb} after {name}"] = _median(timed)
    return SizeResult(factor, size, runs, rate, tuple(stale), len(test_files))
