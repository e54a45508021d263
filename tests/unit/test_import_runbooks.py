"""`obsgen import` of runbook Markdown: obsgen's own pages rebuild byte for byte onto the same
Runbook fields; a hand-written page lands on the fields its sections name, and what none takes
is kept in `notes`, so no text is lost."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from import_project import SETTINGS, load_imported

from obsgen.check.foreign import ForeignFile
from obsgen.emit.runbooks import artifacts
from obsgen.importers import runbooks
from obsgen.importers.contract import Imported, ImportEnv, Module, Ref
from obsgen.importers.pysource import constant_name
from obsgen.model.project import Project
from obsgen.model.runbooks import Runbook

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
HAND = ROOT / "tests" / "fixtures" / "import" / "runbooks" / "RUNBOOK.md"

PAYMENTS_RULES = '''"""Two alerts for the hand-written runbook to cover."""
from obsgen import AlertRule, RuleGroup

HIGHERRORRATE = AlertRule("HighErrorRate", expr="sum(rate(http_requests_total[5m])) > 1",
                          severity="critical", summary="Checkout requests fail",
                          description="Checkout requests fail")
QUEUEBACKLOG = AlertRule("QueueBacklog", expr="max(charge_queue_depth) > 100",
                         severity="warning", summary="Orders wait to be charged",
                         description="Orders wait to be charged")
GROUP = RuleGroup("payments", rules=[HIGHERRORRATE, QUEUEBACKLOG])
'''


def _own_alerts() -> dict[str, Ref]:
    names = [rule["alert"] for path in sorted((BUILD / "prometheus").glob("*.rules.yml"))
             for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
             for rule in group["rules"] if "alert" in rule]
    return {name: Ref("alerts", constant_name(name)) for name in names}


def _import(path: Path, env: ImportEnv, module: str) -> Imported:
    return runbooks.write(ForeignFile(str(path), path.read_text(encoding="utf-8"), "markdown"),
                          env, module)


def _own_pages() -> list[Path]:
    """build/runbooks' pages of the alerts' rule groups; the slo-* pages are compiled from
    definitions/slos.py with the SLOs' alerts, not written as Runbook definitions."""
    return [p for p in sorted((BUILD / "runbooks").glob("*.md")) if not p.stem.startswith("slo-")]


def _own_imported(tmp_path: Path) -> Project:
    env = ImportEnv(alerts=_own_alerts())
    modules = [m for page in _own_pages()
               for m in _import(page, env, "runbooks." + page.stem.replace("-", "_")).modules]
    shutil.copytree(ROOT / "definitions", tmp_path / "definitions",
                    ignore=shutil.ignore_patterns("__pycache__", "runbooks.py"))
    # The example's identity: its SLOs' alert summaries name the service after the project.
    return load_imported(tmp_path, modules,
                         settings='project = "hypertool"\n' + SETTINGS)


def test_own_runbook_pages_rebuild_byte_for_byte(tmp_path: Path) -> None:
    rebuilt = artifacts(_own_imported(tmp_path))
    committed = {f"runbooks/{p.name}": p.read_text(encoding="utf-8") for p in _own_pages()}
    assert sorted(rebuilt) == sorted({*committed, *(f"runbooks/{p.name}" for p in (
        BUILD / "runbooks").glob("slo-*.md"))})
    for path, text in committed.items():
        assert rebuilt[path] == text, path


def _fields(runbook: Runbook) -> tuple[object, ...]:
    steps = [(s.text, s.promql.text if s.promql else None, s.command)
             for s in runbook.investigation]
    causes = [(c.cause, c.confirm, c.fix) for c in runbook.root_causes]
    return (runbook.alert.name, runbook.description, runbook.impact, steps, causes,
            runbook.quick_fix, runbook.long_term, runbook.prevention,
            [r.name for r in runbook.related], runbook.escalation, runbook.notes)


def test_own_runbooks_import_onto_the_same_fields(tmp_path: Path, example_project: Path) -> None:
    from obsgen.config import load_config
    from obsgen.load import load_project
    original, _ = load_project(load_config(example_project))
    assert original is not None
    imported = _own_imported(tmp_path)
    assert sorted(map(_fields, imported.runbooks), key=str) == \
        sorted(map(_fields, original.runbooks), key=str)  # the SLOs' compiled ones included
    guide, = imported.guides
    mine, = original.guides
    for key in ("title", "introduction", "troubleshooting", "escalation_path", "notes"):
        assert getattr(guide, key) == getattr(mine, key), key
    assert [(c.purpose, c.command) for c in guide.commands] == \
        [(c.purpose, c.command) for c in mine.commands]


def _hand_project(tmp_path: Path) -> tuple[Project, Imported]:
    env = ImportEnv(alerts={"HighErrorRate": Ref("rules.payments", "HIGHERRORRATE"),
                            "QueueBacklog": Ref("rules.payments", "QUEUEBACKLOG")})
    imported = _import(HAND, env, "runbooks.payments")
    rules = Module("rules.payments", PAYMENTS_RULES, "")
    return load_imported(tmp_path, [rules, *imported.modules]), imported


def test_hand_written_sections_land_on_the_runbook_fields(tmp_path: Path) -> None:
    project, _ = _hand_project(tmp_path)
    by_alert = {r.alert.name: r for r in project.runbooks}
    high = by_alert["HighErrorRate"]
    assert high.description.startswith("Fires when more than 5%")
    assert high.description.endswith("retry, which doubles the load.")  # "What it means"
    assert high.impact.startswith("Lost orders")
    first, second, third = high.investigation
    assert first.promql is not None and first.promql.text.startswith("sum by (endpoint)")
    assert second.command.startswith("kubectl logs -l app=checkout")
    assert "```yaml\nreplicas: 6" in third.text  # a code block of no step field stays in text
    assert [c.cause for c in high.root_causes] == ["Bad deploy", "Database saturated"]
    assert high.root_causes[0].fix == "Roll back with `helm rollback checkout`"
    assert high.quick_fix.startswith("Roll back the last deploy")
    assert high.long_term.startswith("Canary every release")
    assert high.prevention == ("Canary analysis gates every rollout",
                               "Load tests run against the pool size")
    assert [r.name for r in high.related] == ["QueueBacklog"]
    assert high.escalation == "Page the payments lead after 30 minutes."
    assert high.notes.startswith("### Dashboards\n\nThe *Checkout overview* dashboard")
    backlog = by_alert["QueueBacklog"]  # heading: `QueueBacklog` in a code span, and more
    assert backlog.description == "orders wait to be charged\n\nOrders pile up in the charge queue."
    assert [(s.promql.text if s.promql else None, s.command) for s in backlog.investigation] == [
        ("max(charge_queue_depth)", ""), (None, 'journalctl -u charge-worker --since "30 min ago"')]
    guide, = project.guides
    assert guide.title == "Payments on-call runbook"
    assert len(guide.troubleshooting) == 2 and len(guide.escalation_path) == 3
    assert [(c.purpose, c.command) for c in guide.commands] == [
        ("Restart the charge worker", "systemctl restart charge-worker")]
    assert re.findall(r"^## (.+)$", guide.notes, re.M) == [
        "Contents", "DiskAlmostFull", "Glossary"]


# Lines whose words are obsgen's labels for a section it maps (the rebuilt page writes its own
# heading: "What it means" becomes "Description"), the root-cause table's header row, and the
# opening line of the shell blocks that became step and guide commands (written as ```sh).
RELABELLED = {"### What it means", "### Possible causes", "### Mitigation", "### Long-term fix",
              "### Related alerts", "## General troubleshooting", "## Useful commands",
              "| Cause | How to check | Fix |", "```bash"}
_MARKUP = re.compile(r"^\s*(#+|[-*+]( \[[ xX]\])?|\d+[.)])\s")


def test_hand_written_page_loses_no_text(tmp_path: Path) -> None:
    project, _ = _hand_project(tmp_path)
    rebuilt = " ".join(artifacts(project).values())
    have = set(re.findall(r"\w+", rebuilt))
    missing = {}
    for n, line in enumerate(HAND.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() in RELABELLED or not line.strip():
            continue
        lost = set(re.findall(r"\w+", _MARKUP.sub("", line))) - have
        if lost:
            missing[n] = sorted(lost)
    assert missing == {}


def test_unmapped_sections_are_reported_where_they_start(tmp_path: Path) -> None:
    _, imported = _hand_project(tmp_path)
    found = [(d.code, d.location.line if d.location else 0, d.severity.value)
             for d in imported.diagnostics]
    assert found == [("OBS986", 6, "warning"), ("OBS986", 73, "warning"),
                     ("OBS986", 95, "warning"), ("OBS986", 118, "warning")]
    disk = imported.diagnostics[2]
    assert "'DiskAlmostFull' looks like an alert's name" in disk.message


def test_survey_names_alert_like_headings_and_promql_blocks() -> None:
    survey = runbooks.survey(ForeignFile(str(HAND), HAND.read_text(encoding="utf-8"),
                                         "markdown"))
    assert survey.runbook_alerts == ("HighErrorRate", "QueueBacklog", "DiskAlmostFull")
    assert "max(charge_queue_depth)" in survey.queries and len(survey.queries) == 2


def test_a_second_section_for_one_alert_is_kept_in_the_guide() -> None:
    page = "## HighErrorRate\n\nFirst.\n\n## HighErrorRate\n\nSecond, later.\n"
    env = ImportEnv(alerts={"HighErrorRate": Ref("rules.payments", "HIGHERRORRATE")})
    result = runbooks.write(ForeignFile("r.md", page, "markdown"), env, "runbooks.r")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "OBS986" and diagnostic.location is not None
    assert diagnostic.location.line == 5
    assert "Second, later." in result.modules[0].source


def test_importing_twice_gives_the_same_source() -> None:
    env = ImportEnv(alerts=_own_alerts())
    page = BUILD / "runbooks" / "persona.md"
    assert _import(page, env, "runbooks.persona") == _import(page, env, "runbooks.persona")


def _one_alert(page: str, path: str = "r.md") -> Imported:
    env = ImportEnv(alerts={"HighErrorRate": Ref("rules.payments", "HIGHERRORRATE")})
    return runbooks.write(ForeignFile(path, page, "markdown"), env, "runbooks.r")


def test_a_heading_with_more_than_the_alert_name_still_names_it() -> None:
    result = _one_alert("## Runbook: HighErrorRate\n\nCheckout fails.\n")
    (module,) = result.modules
    assert "Runbook(HIGHERRORRATE, description=" in module.source
    assert "Runbook\n\nCheckout fails." in module.source  # the rest of the heading is kept


def test_a_page_named_after_its_alert_is_its_runbook_with_sections_at_obsgen_levels(
        tmp_path: Path) -> None:
    page = ("# Checkout errors\n\nThe checkout fails.\n\n## Impact\n\nLost orders.\n\n"
            "## Dashboards\n\nSee *Checkout*.\n\n### Panels\n\nErrors by endpoint.\n")
    result = _one_alert(page, "runbooks/high-error-rate.md")
    rules = Module("rules.payments", PAYMENTS_RULES, "")
    project = load_imported(tmp_path, [rules, *result.modules])
    (runbook,) = project.runbooks
    assert runbook.description == "Checkout errors\n\nThe checkout fails."
    assert runbook.impact == "Lost orders."
    # Under the alert's ## heading on obsgen's page, its other sections sit at ### and below.
    assert runbook.notes == ("### Dashboards\n\nSee *Checkout*.\n\n#### Panels\n\n"
                             "Errors by endpoint.")


PIECES = ["# Title", "#", "## HighErrorRate", "## `HighErrorRate` - more", "### Investigation",
          "### Impact", "### Root causes", "### Prevention", "### Related alerts", "Title\n===",
          "---\ntitle: x\n---", 'text *x* \\ """ \'\'\'', "```promql\nup\n```",
          "```promql\nnot ( valid\n```", "```sh\necho hi\n```", "````md\n```inner```\n````",
          "1. step\n   ```promql\n   rate(x[5m])\n   ```", "- [ ] check\n- [x] done",
          "- HighErrorRate", "| Cause | How | Fix |\n|---|---|---|\n| a | b | c |",
          "| a | b |\n|---|---|\n| | |", "> quote", "<div>html</div>", "    code", "* * *",
          "## Diagnostic commands", "Run it:", "## Escalation path", "1. one\n2. two", ""]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_any_page_imports_into_definitions_that_construct(parts: list[str]) -> None:
    """write() never raises, and the module it writes builds valid model objects."""
    from obsgen import AlertRule
    page = "\n\n".join(parts)
    runbooks.survey(ForeignFile("p.md", page, "markdown"))
    result = _one_alert(page)
    alert = AlertRule("HighErrorRate", expr="up == 0", severity="warning", summary="s",
                      description="d")
    for module in result.modules:
        source = re.sub(r"^from \.\.rules\.payments import .*$", "", module.source, flags=re.M)
        exec(compile(source, module.path, "exec"), {"HIGHERRORRATE": alert})
