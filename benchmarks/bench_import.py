"""Print how long `obsgen import` takes on the whole shared corpus (41 dashboards and 120 rule
files) and how long `obsgen build` of the imported project takes. Target: import <= 10 s on
the project's 2-core machines.

Run with `make benchmark`. Both are timed as the CLI runs (subprocesses, ruff format
included); the corpus's rule files are imported in as few projects as keep their group names
apart (obsgen refuses two groups of one name in a project), and the figures are summed.
Findings of the build (defects the imported files carry) are ignored for the timing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
OBSGEN = [str(Path(sys.executable).parent / "obsgen")]


def _group_names(path: Path) -> set[str]:
    names = set()
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        if isinstance(document, dict) and "groups" not in document:
            document = document.get("spec")
        if isinstance(document, dict):
            names |= {g["name"] for g in document.get("groups") or []}
    return names


def batches(files: list[Path]) -> list[list[Path]]:
    out: list[tuple[set[str], list[Path]]] = []
    for path in files:
        names = _group_names(path)
        home = next((b for b in out if not b[0] & names), None)
        if home is None:
            home = (set(), [])
            out.append(home)
        home[0].update(names)
        home[1].append(path)
    return [paths for _, paths in out]


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    rules = sorted((CORPUS / "rules").glob("*/*.yml"))
    dashboards = sorted((CORPUS / "dashboards").glob("*/*.json"))
    groups = batches(rules)
    groups[0] = [*dashboards, *groups[0]]
    imported = built = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for number, inputs in enumerate(groups, start=1):
            project = Path(tmp) / f"p{number}"
            imported += timed([*OBSGEN, "import", *map(str, inputs), "-o", str(project)],
                              Path(tmp))
            built += timed([*OBSGEN, "build", "--ignore", "OBS1,OBS6,OBS7,OBS9"], project)
    print(f"import: {len(dashboards)} dashboards + {len(rules)} rule files in {len(groups)} "
          f"projects: {imported:.1f} s (target <= 10 s)")
    print(f"build of the imported projects: {built:.1f} s")


if __name__ == "__main__":
    main()
