"""Print how long `obsgen import` takes on the whole shared corpus (41 dashboards and 120 rule
files) in one run, and how long `obsgen build` of the project it wrote takes. Target: import
<= 10 s on the project's 2-core machines.

Run with `make benchmark`. Both are timed as the CLI runs (a subprocess, ruff format
included): wall-clock, and the CPU time the run used (on a shared machine the wall clock also
counts the time other processes held the cores). 33 of the rule files name a rule group
another file already has (most are `EmbeddedExporter`); a project holds one group of a name,
so those are reported (OBS983) and not imported: the corpus's round-trip test imports them in
projects of their own. The build's findings (defects the imported files carry) are ignored
for the timing.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
OBSGEN = [str(Path(sys.executable).parent / "obsgen")]


def timed(args: list[str], cwd: Path) -> tuple[float, float, str, int]:
    """Wall-clock seconds, CPU seconds of the run (and its children), its stdout and exit
    status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout, done.returncode


def main() -> None:
    rules = sorted((CORPUS / "rules").glob("*/*.yml"))
    dashboards = sorted((CORPUS / "dashboards").glob("*/*.json"))
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "imported"
        wall, cpu, out, _ = timed([*OBSGEN, "import", str(CORPUS / "rules"),
                                str(CORPUS / "dashboards"), "-o", str(project),
                                "--output-format", "json"], Path(tmp))
        refused = {d["location"]["path"] for d in json.loads(out or "[]")
                   if d["severity"] == "error"}
        print(f"import: {len(dashboards)} dashboards + {len(rules)} rule files in one run: "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU (target <= 10 s); {len(refused)} files "
              "refused (their rule group name is taken)")
        modules = sum(1 for _ in (project / "definitions").rglob("*.py"))
        lines = sum(len(p.read_text().splitlines())
                    for p in (project / "definitions").rglob("*.py"))
        print(f"  wrote {modules} modules, {lines} lines of Python")
        wall, cpu, _, status = timed([*OBSGEN, "build", "--ignore", "OBS1,OBS7,OBS9"],
                                     project)
        print(f"build of the imported project: {wall:.1f} s wall, {cpu:.1f} s CPU, exit "
              f"{status}" + ("" if status == 0 else " (a definition error stops the build at "
                             "load; run obsgen build there to see it)"))


if __name__ == "__main__":
    main()
