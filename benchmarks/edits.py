"""The one-file edits the check benchmark times: each rewrites one line of one definitions
module, as an editor save would, and names the text the next build must show."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synthetic import (
    DASHBOARDS_PER_MODULE,
    GROUP_SIZE,
    Size,
    alert_line,
    panel_line,
    quick_fix,
    runbook_line,
    tested,
)


@dataclass(frozen=True)
class Edit:
    name: str  # "one-rule edit"
    what: str  # how the header describes it
    module: str  # path relative to the project
    old: str
    new: str
    built: str  # the build/ subfolder whose files must show `shows` after the edit
    shows: str

    def apply(self, project: Path) -> None:
        path = project / self.module
        text = path.read_text()
        if text.count(self.old + "\n") != 1:
            raise RuntimeError(f"{self.name}: the line to edit is not in {self.module} once")
        path.write_text(text.replace(self.old + "\n", self.new + "\n"))

    def visible(self, build: Path) -> bool:
        """Whether the build shows the edit: a cache that kept the old artifact would not."""
        return any(self.shows in path.read_text(errors="replace")
                   for path in sorted((build / self.built).rglob("*")) if path.is_file())


def one_rule(size: Size, round_: int) -> Edit:
    """A threshold of an alert no test covers (its group's test file must still re-run)."""
    group = size.groups // 2
    n = group * GROUP_SIZE + 57
    if n in tested(group):
        raise AssertionError("the edited alert must not be a tested one")
    # Every round changes the file's size as well as its text, as an editor save usually
    # does; one digit more each round.
    old, new = (f"{n}.{'5' * round_}" if round_ else None), f"{n}.{'5' * (round_ + 1)}"
    return Edit("one-rule edit", f"alert BenchAlert{n}'s threshold in alerts_{group:03}.py",
                f"definitions/alerts_{group:03}.py", alert_line(n, old), alert_line(n, new),
                "prometheus", f"> {new}")


def one_panel(size: Size, round_: int) -> Edit:
    """The title of one panel of one dashboard."""
    d, p = size.dashboards // 2, 7
    module = d // DASHBOARDS_PER_MODULE * DASHBOARDS_PER_MODULE
    old = f"Panel {p} (edit {round_})" if round_ else None
    new = f"Panel {p} (edit {round_ + 1})"
    return Edit("one-panel edit", f"panel {p}'s title on dashboard bench-{d} in "
                f"dashboards_{module:03}.py", f"definitions/dashboards_{module:03}.py",
                panel_line(d, p, old), panel_line(d, p, new), "grafana", new)


def one_runbook(size: Size, round_: int) -> Edit:
    """The quick_fix text of one alert's runbook."""
    group = size.groups // 2
    n = group * GROUP_SIZE + 33
    old = f", then watch it (edit {round_})" if round_ else ""
    new = f", then watch it (edit {round_ + 1})"
    return Edit("one-runbook edit", f"BenchAlert{n}'s runbook quick_fix in "
                f"runbooks_{group:03}.py", f"definitions/runbooks_{group:03}.py",
                runbook_line(n, old), runbook_line(n, new), "runbooks", quick_fix(n, new))


EDITS = (one_rule, one_panel, one_runbook)
