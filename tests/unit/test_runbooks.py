"""Runbooks: the model, the Markdown pages (an mdformat fixed point whose anchors are the ones
mkdocs generates), the checks on the model, `lint_markdown` on foreign runbooks, and mkdocs
itself rejecting what the checks reject."""

from __future__ import annotations

import shutil
from pathlib import Path

import mdformat
import pytest
import yaml
from markdown.extensions.toc import slugify

from obsgen import AlertRule, Counter, Label, RootCause, RuleGroup, Runbook, Step, rate
from obsgen.build import compile_project
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.runbooks import mdlinks
from obsgen.check.runbooks.checks import check_query, lint_markdown
from obsgen.config import load_config
from obsgen.diagnostics import DefinitionError, Location
from obsgen.docs import build_site
from obsgen.emit.runbooks import table
from obsgen.model.catalog import Catalog
from obsgen.model.links import anchor, runbook_url

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "projects"
WHERE = Location("definitions/runbooks.py", 7)

RESULTS = Counter("app_results_total", help="Results.",
                  labels=[Label("result", values=("passed", "failed")), Label("stage")])
CATALOG = Catalog((RESULTS,), ())


def _alert(name: str = "ResultsFailing") -> AlertRule:
    return AlertRule(name, expr=rate(RESULTS, "5m").sum() > 1, severity="warning",
                     summary="s", description="d")


def _projects() -> list[Path]:
    return [REPO, *sorted(p for p in GOLDEN.iterdir() if p.is_dir())]


# model --------------------------------------------------------------------------------------


def test_runbook_is_attached_by_object_not_by_name() -> None:
    with pytest.raises(DefinitionError) as raised:
        Runbook("ResultsFailing", description="d")  # type: ignore[arg-type]
    assert raised.value.code == "OBS701"
    assert "Runbook(TOKEN_BUDGET_EXCEEDED" in (raised.value.hint or "")


def test_runbook_fields_are_checked_and_frozen() -> None:
    alert = _alert()
    book = Runbook(alert, description="  why  ", investigation=[
        Step("look", query=rate(RESULTS.where(result="failed"), "5m").sum(by="stage"))],
        root_causes=[RootCause("c", "how", "fix")], prevention=["p"], related=[alert])
    assert book.description == "why"
    assert isinstance(book.investigation, tuple)
    query = book.investigation[0].promql
    assert query is not None
    assert query.text == 'sum by (stage) (rate(app_results_total{result="failed"}[5m]))'
    with pytest.raises(DefinitionError):
        Runbook(alert, description="")
    with pytest.raises(DefinitionError):
        Runbook(alert, description="d", related=["ResultsFailing"])  # type: ignore[list-item]
    with pytest.raises(DefinitionError):
        Step("")


# anchors and URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["TokenBudgetExceeded", "Slow_Stage2", "X"])
def test_anchor_is_the_id_mkdocs_gives_the_heading(name: str) -> None:
    rendered = mdlinks.render(f"# Page\n\n## {name}\n")
    assert rendered.headings[1].id == anchor(_alert(name)) == slugify(name, "-")


def test_runbook_url_is_base_page_and_anchor() -> None:
    alert = _alert()
    group = RuleGroup("app", rules=[alert], file="app.v2")
    assert runbook_url("https://x.org/rb/", group, alert) == "https://x.org/rb/app.v2/#resultsfailing"
    assert runbook_url("", group, alert) == ""


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.name)
def test_every_runbook_url_names_a_heading_of_its_page(project: Path) -> None:
    compiled = compile_project(load_config(project))
    assert compiled.ok, compiled.diagnostics
    base = compiled.project.config.runbook_base_url if compiled.project else ""
    ids = {rel.removeprefix("runbooks/").removesuffix(".md"): mdlinks.render(text).ids
           for rel, text in compiled.artifacts.items() if rel.startswith("runbooks/")}
    urls = [rule["annotations"]["runbook_url"]
            for rel, text in compiled.artifacts.items() if rel.endswith(".rules.yml")
            for group in yaml.safe_load(text)["groups"] for rule in group["rules"]
            if "alert" in rule]
    assert urls
    for url in urls:
        page, _, fragment = url.removeprefix(base).partition("/#")
        assert fragment in ids[page], url


# Markdown output ----------------------------------------------------------------------------


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.name)
def test_pages_are_an_mdformat_fixed_point(project: Path) -> None:
    compiled = compile_project(load_config(project))
    pages = {rel: text for rel, text in compiled.artifacts.items() if rel.endswith(".md")}
    assert "runbooks/index.md" in pages
    for rel, text in pages.items():
        assert mdformat.text(text, extensions={"tables"}) == text, rel


def test_scaffold_pages_are_an_mdformat_fixed_point(tmp_path: Path) -> None:
    from obsgen import scaffold

    scaffold.create(tmp_path)
    compiled = compile_project(load_config(tmp_path))
    assert compiled.ok, compiled.diagnostics
    pages = {rel: t for rel, t in compiled.artifacts.items() if rel.endswith(".md")}
    assert sorted(pages) == ["runbooks/index.md", "runbooks/my-app.md",
                             "runbooks/reference/api.md", "runbooks/reference/metrics.md"]
    for text in pages.values():
        assert mdformat.text(text, extensions={"tables"}) == text


def test_table_pads_like_mdformat_tables_with_pipes_and_wide_characters() -> None:
    text = table(["Cause", "Fix"], [["a | b", "roll back ✋"], ["x", "y"]]) + "\n"
    assert "a \\| b" in text
    assert mdformat.text(text, extensions={"tables"}) == text


def test_seed_index_lists_all_alerts_with_links() -> None:
    compiled = compile_project(load_config(REPO))
    index = compiled.artifacts["runbooks/index.md"]
    assert index.count("](persona.md#") == 4
    assert "[TokenBudgetDepletionPredicted](token-forecasting.md#tokenbudgetdepletionpredicted)" \
        in index
    assert "## Escalation path" in index


def test_each_seed_runbook_has_two_catalog_queries() -> None:
    compiled = compile_project(load_config(REPO))
    project = compiled.project
    # The seven alerts' runbooks, and the four the two SLOs' burn-rate alerts get.
    assert project is not None and len(project.runbooks) == 11
    for book in project.runbooks:
        assert sum(1 for s in book.investigation if s.query is not None) >= 2, book.alert.name


# query checks -------------------------------------------------------------------------------


def test_query_with_unknown_metric() -> None:
    (found,) = check_query("sum(rate(app_result_total[5m]))", "step 1", WHERE, CATALOG)
    assert found.code == "OBS116"
    assert found.location == WHERE
    assert "app_results_total" in (found.hint or "")


def test_query_with_undeclared_label_value_and_label() -> None:
    found = check_query('app_results_total{result="fail"} + app_results_total{team="x"}',
                        "step", WHERE, CATALOG)
    assert [d.code for d in found] == ["OBS110", "OBS109"]


def test_query_that_does_not_parse_mentions_grafana_macros() -> None:
    (found,) = check_query("rate(app_results_total[$__rate_interval])", "s", WHERE, CATALOG)
    assert found.code == "OBS706"
    assert "5m" in (found.hint or "")


def test_query_on_a_recorded_series_is_allowed_when_recorded() -> None:
    text = "app_results_rate5m > 1"
    assert [d.code for d in check_query(text, "s", WHERE, CATALOG)] == ["OBS116"]
    assert check_query(text, "s", WHERE, CATALOG, frozenset({"app_results_rate5m"})) == []


def test_query_gets_the_type_checks_of_rules_too() -> None:
    found = check_query("histogram_quantile(0.9, rate(app_results_total[5m]))", "s", WHERE,
                        CATALOG)
    assert [d.code for d in found] == ["OBS111"]


# links --------------------------------------------------------------------------------------


PAGES = {"index.md": frozenset({"alerts"}), "app.md": frozenset({"resultsfailing"})}


@pytest.mark.parametrize(("href", "code"), [
    ("app.md#resultsfailing", None), ("#alerts", None), ("https://x.org/a.md", None),
    ("app.md", None), ("nope.md", "OBS708"), ("app/", "OBS708"), ("/app.md", "OBS708"),
    ("app.md#resultsfailng", "OBS709"), ("#nope", "OBS709"),
])
def test_resolve(href: str, code: str | None) -> None:
    broken = mdlinks.resolve(href, "index.md", PAGES)
    assert (broken.code if broken else None) == code


def test_links_in_code_blocks_are_not_links() -> None:
    assert mdlinks.links("```sh\ncurl '[x](nope.md)'\n```\n\n[y](app.md)\n") == ("app.md",)


# lint_markdown ------------------------------------------------------------------------------


RULES = """\
groups:
  - name: app
    rules:
      - alert: ResultsFailing
        expr: up == 0
        annotations:
          runbook_url: https://rb.example.org/app/#resultsfailing
      - alert: Renamed
        expr: up == 0
        annotations:
          runbook: https://rb.example.org/app.md#oldname
      - alert: Elsewhere
        expr: up == 0
        annotations:
          runbook_url: https://rb.example.org/other/#nothing-here
"""
PAGE = """\
# App

See the [index](index.md#alerts), a [missing page](gone.md) and
a [wrong anchor](#resultsfailng).

## ResultsFailing

Text.
"""


def test_lint_markdown_links_anchors_and_rule_annotations() -> None:
    page = ForeignFile("docs/app.md", PAGE, "markdown")
    context = LintContext((page, ForeignFile("docs/index.md", "# I\n\n## Alerts\n", "markdown"),
                           ForeignFile("rules/app.yml", RULES, "rules")))
    found = sorted(lint_markdown(page, context), key=lambda d: (d.location or WHERE).line)
    assert [(d.code, d.location.path, d.location.line) for d in found if d.location] == [
        ("OBS708", "docs/app.md", 3),
        ("OBS709", "docs/app.md", 4),
        ("OBS713", "rules/app.yml", 11),
    ]
    assert found[1].hint == "did you mean #resultsfailing?"
    assert "Renamed" in found[2].message
    assert "#oldname" in found[2].message


def test_lint_markdown_reads_linked_pages_from_disk(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Here\n", encoding="utf-8")
    page = ForeignFile(str(tmp_path / "a.md"), "[ok](other.md#here) [bad](other.md#gone)\n",
                       "markdown")
    found = lint_markdown(page, LintContext((page,)))
    assert [d.code for d in found] == ["OBS709"]
    assert found[0].location == Location(str(tmp_path / "a.md"), 1, 27)  # the second link


def test_lint_markdown_is_clean_on_our_own_output() -> None:
    compiled = compile_project(load_config(REPO))
    files = tuple(ForeignFile(f"build/{rel}", text, "rules" if rel.endswith(".rules.yml")
                              else "markdown")
                  for rel, text in compiled.artifacts.items()
                  if rel.endswith((".md", ".rules.yml")))
    context = LintContext(files)
    assert [d for f in context.of_kind("markdown") for d in lint_markdown(f, context)] == []


# mkdocs agrees ------------------------------------------------------------------------------


def test_mkdocs_strict_rejects_a_broken_link_at_its_line(tmp_path: Path) -> None:
    """What check_runbooks refuses (OBS708), mkdocs --strict refuses too; build_site reports
    mkdocs' warning at the page line."""
    compiled = compile_project(load_config(GOLDEN / "kitchen_sink"))
    for rel, text in compiled.artifacts.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert build_site(tmp_path) == []
    assert (tmp_path / "site" / "api" / "index.html").is_file()
    page = tmp_path / "runbooks" / "api.md"
    text = page.read_text(encoding="utf-8").replace("(queues.v1.md#queuestuck)",
                                                    "(queues.md#queuestuck)", 1)
    page.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "(queues.md#" in t)
    found = build_site(tmp_path, Path("build"))
    assert [d.code for d in found] == ["OBS711"]
    assert found[0].location == Location("build/runbooks/api.md", line)
    assert "queues.md" in found[0].message
    shutil.rmtree(tmp_path / "site")


def test_check_emitted_finds_a_runbook_url_whose_heading_is_gone() -> None:
    from obsgen.check.runbooks.checks import check_emitted

    compiled = compile_project(load_config(REPO))
    artifacts = dict(compiled.artifacts)
    assert check_emitted(Path("build"), artifacts) == []
    artifacts["runbooks/persona.md"] = artifacts["runbooks/persona.md"].replace(
        "## SlowWorkflowStage", "## SlowStage")
    everywhere = check_emitted(Path("build"), artifacts)
    # The metrics reference links each metric's readers, SlowWorkflowStage among them.
    from_reference = [d for d in everywhere if d.location and "reference" in d.location.path]
    assert from_reference and {d.code for d in from_reference} == {"OBS709"}
    found = [d for d in everywhere if d not in from_reference]
    # The overview's link, two related-alert links, and the alert's runbook_url.
    assert sorted(d.code for d in found) == ["OBS709", "OBS709", "OBS709", "OBS713"]
    (url,) = [d for d in found if d.code == "OBS713"]
    assert url.location is not None
    assert url.location.path == "build/prometheus/persona.rules.yml"
