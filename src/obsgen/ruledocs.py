"""What `obsgen rules` and `obsgen rule CODE` print: the code registry, read for people."""

from __future__ import annotations

from obsgen.codes import CODES, Code

# The ranges reserved in codes.py, by the number after "OBS".
AREAS: tuple[tuple[int, int, str], ...] = (
    (0, 99, "loading and project"), (100, 199, "metric catalog"),
    (200, 299, "rules and rule tests"), (300, 399, "promtool"), (400, 499, "schemas"),
    (500, 509, "build output"), (510, 539, "deploy"), (600, 629, "dashboards"),
    (630, 669, "dashboard schema and lint"), (700, 749, "runbooks and docs"),
    (800, 819, "Alloy syntax"), (820, 899, "Alloy components and pipeline"),
    (900, 959, "cross-checks and rule lint"), (960, 999, "obsgen lint inputs and output"),
)


def area(code: str) -> str:
    number = int(code.removeprefix("OBS"))
    return next((name for low, high, name in AREAS if low <= number <= high), "other")


def line(entry: Code) -> str:
    return f"{entry.code}  {entry.severity.value:<7}  {entry.summary}"


def matching(prefix: str = "") -> list[Code]:
    wanted = prefix.upper()
    return [entry for code, entry in sorted(CODES.items()) if code.startswith(wanted)]


def listing(prefix: str = "") -> str:
    """Every code starting with `prefix`, one line each, under a heading per area."""
    out: list[str] = []
    for entry in matching(prefix):
        heading = f"# {area(entry.code)}"
        if heading not in out:
            out += ["", heading] if out else [heading]
        out.append(line(entry))
    return "\n".join(out) + "\n" if out else ""


def explain(code: str) -> str:
    """One code's doc: severity, area, meaning, and how to silence it."""
    entry = CODES[code.upper()]
    return "\n".join([
        line(entry), "",
        f"area:     {area(entry.code)}",
        f"severity: {entry.severity.value} (an error fails the run with exit status 1)"
        if entry.severity.value == "error" else
        f"severity: {entry.severity.value} (reported; the exit status stays 0)",
        "", entry.summary, "",
        "To silence it:",
        f"  at one line     a comment `# obsgen: noqa {entry.code}` on the line it points at",
        f"  in one file     a comment `# obsgen: noqa-file {entry.code}` on any line of it",
        f"  for a run       obsgen lint|build|check --ignore {entry.code}",
        f"  only this code  obsgen lint|build|check --select {entry.code}",
    ]) + "\n"
