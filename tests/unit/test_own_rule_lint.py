"""Our own rules linted as strictly as anyone's: the rule lint `obsgen lint` runs on a foreign
rule file runs in `obsgen build`/`check` on the definitions, at the definition's line, and
`obsgen lint build/` on our own build finds nothing `obsgen check` did not report first."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.check.rules.checks import check_rules
from obsgen.check.rules.rulefile import read_rule_file
from obsgen.codes import Severity
from obsgen.config import load_config
from obsgen.load import load_project
from obsgen.model.project import Project

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import Result, RunObsgen

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "rules" / "own"
EXPECT = re.compile(r"# expect: ((?:OBS\d+ ?)+)")
RULE_LINT = re.compile(r"^OBS9(2\d|3[0-2])$")  # the rule-lint codes, OBS920-OBS932


def load(root: Path) -> Project:
    project, diagnostics = load_project(load_config(root))
    assert project is not None, diagnostics
    return project


def planted(path: Path) -> set[tuple[int, str]]:
    return {(number, code)
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            for match in EXPECT.finditer(line) for code in match.group(1).split()}


def test_each_planted_defect_is_found_at_its_definition() -> None:
    found = [d for d in check_rules(load(OWN)) if RULE_LINT.match(d.code)]
    alerts = OWN / "definitions" / "alerts.py"
    assert {(d.location.line, d.code) for d in found if d.location} == planted(alerts)
    assert all(d.location is not None and Path(d.location.path) == alerts for d in found)
    assert {d.severity for d in found} == {Severity.WARNING}


def test_a_missing_runbook_url_says_which_setting_gives_one() -> None:
    found = [d for d in check_rules(load(OWN)) if d.code == "OBS923"]
    assert found and all("runbook_base_url" in (d.hint or "") for d in found)


SEVERITY_ALERTS = '''
from obsgen import AlertRule, RuleGroup, up

from .metrics import SHOP_JOB

PAGED = AlertRule("ShopPaged", expr=up(SHOP_JOB).eq(0), for_="5m", severity="page",
                  summary="s", description="d")
CONVENTIONAL = AlertRule("ShopWarned", expr=up(SHOP_JOB).eq(0), for_="5m",
                         severity="warning", summary="s", description="d")
GROUP = RuleGroup("severities", rules=[PAGED, CONVENTIONAL])
'''


def test_own_severities_are_held_to_the_project_set(tmp_path: Path) -> None:
    """A foreign file is held to the conventional set (OBS931); our own rules to the set the
    project configures (OBS202), and not to both."""
    root = tmp_path / "project"
    shutil.copytree(OWN, root)
    (root / "obsgen.toml").write_text('definitions = "definitions"\nseverities = ["page"]\n'
                                      'runbook_base_url = "https://runbooks.example.org/"\n',
                                      encoding="utf-8")
    (root / "definitions" / "alerts.py").write_text(SEVERITY_ALERTS, encoding="utf-8")
    (root / "definitions" / "runbooks.py").unlink()
    found = {(d.code, d.message.split()[1]) for d in check_rules(load(root))
             if d.code in ("OBS202", "OBS931")}
    assert found == {("OBS202", "ShopWarned")}


# --- the oracle: `obsgen lint build/` on our own build ------------------------------------------

RuleAt = Callable[[str, int], "str | None"]  # the rule behind a finding's path and line


def by_rule(result: Result, rule_at: RuleAt) -> set[tuple[str, str]]:
    """(code, rule name) of each finding placed at a rule; every rule-lint finding must be."""
    found = set()
    for d in result.diagnostics():
        where = d["location"] or {"path": "", "line": 0}
        rule = rule_at(where["path"], where["line"])
        assert rule is not None or not RULE_LINT.match(d["code"]), d
        if rule is not None:
            found.add((d["code"], rule))
    return found


def definitions_of(root: Path) -> RuleAt:
    """A finding of `obsgen check` is at the line of the rule's definition."""
    project = load(root)
    at = {(Path(rule.source.path).relative_to(root.resolve()).as_posix(), rule.source.line):
          rule.name for group in project.groups for rule in group.rules}
    return lambda path, line: at.get((path, line))


def emitted_rules_of(root: Path) -> RuleAt:
    """A finding of `obsgen lint` is on one of the lines of the rule in the built file."""
    spans: dict[str, list[tuple[int, str]]] = {}
    for path in sorted((root / "build" / "prometheus").glob("*.rules.yml")):
        rel = path.relative_to(root).as_posix()
        parsed = read_rule_file(rel, path.read_text(encoding="utf-8"))
        spans[rel] = [(e.line, e.name) for g in parsed.groups for e in g.rules]

    def rule_at(path: str, line: int) -> str | None:
        return next((name for start, name in reversed(spans.get(path, [])) if start <= line),
                    None)
    return rule_at


def own_and_linted(root: Path, obsgen: RunObsgen, *catalog: str
                   ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    checked = obsgen("check", "--output-format", "json", cwd=root)
    assert checked.exit_code == 0, checked.describe()
    linted = obsgen("lint", *catalog, "build", "--output-format", "json", cwd=root)
    assert linted.exit_code == 0, linted.describe()
    return by_rule(checked, definitions_of(root)), by_rule(linted, emitted_rules_of(root))


PLANTED = {("OBS921", "QueueTooDeep"), ("OBS920", "orders_failing"),
           ("OBS926", "OrdersStopped"), ("OBS932", "ShopDown"),
           ("OBS925", "shop_orders_rate5m"),
           *(("OBS923", alert) for alert in ("QueueTooDeep", "orders_failing", "OrdersStopped",
                                             "ShopDown"))}


@pytest.mark.parametrize("catalog", [(), ("--catalog", ".")], ids=["catalog-free", "catalog"])
def test_linting_the_build_of_planted_defects_finds_only_what_check_reported(
        tmp_path: Path, obsgen: RunObsgen, catalog: tuple[str, ...]) -> None:
    root = tmp_path / "project"
    shutil.copytree(OWN, root, ignore=shutil.ignore_patterns("__pycache__", "build"))
    own, linted = own_and_linted(root, obsgen, *catalog)
    assert {f for f in linted if RULE_LINT.match(f[0])} == PLANTED  # the oracle is not idle
    assert linted <= own, f"lint found what check did not: {linted - own}"


def test_linting_the_example_projects_build_finds_only_what_check_reported(
        example_project: Path, obsgen: RunObsgen) -> None:
    for catalog in ((), ("--catalog", ".")):
        own, linted = own_and_linted(example_project, obsgen, *catalog)
        assert linted <= own, f"lint found what check did not: {linted - own}"
