"""Markdown that would take Python-Markdown quadratic time (very long runs of `[`, unclosed
links, emphasis marks, open tags) is left out of the link check with a warning (OBS973) at its
line, and the rest of the page is still checked with its lines in place. Real pages are never
touched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bounded_cli import bounded_obsgen

from obsgen.check.runbooks import mdlinks
from obsgen.check.runbooks.mdbudget import SHOWN, budget, findings

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


def page(hostile: str) -> str:
    """A runbook whose line 3 is `hostile`; line 5 links to an anchor that does not exist,
    line 7 to a heading (line 9) after the hostile part."""
    return (f"# Runbook\n\n{hostile}\n\nSee [the step](#nowhere).\n\nSee [later](#later).\n\n"
            "## Later\n")


@pytest.mark.parametrize("size", [10_000, 55_000, 234_000])
def test_a_long_bracket_run_is_left_out_and_the_rest_checked(tmp_path: Path, size: int) -> None:
    (tmp_path / "runbook.md").write_text(page("[" * size + " [x](#also-nowhere)"),
                                         encoding="utf-8")
    started = time.monotonic()
    result = bounded_obsgen("lint", "runbook.md", "--output-format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 20, result.describe()
    assert result.exit_code == 1, result.describe()
    assert result.found() == {("OBS973", "runbook.md", 3), ("OBS709", "runbook.md", 5)}


@pytest.mark.parametrize(("hostile", "why"), [
    ("[" * 200_000, "brackets"),  # one line
    ("\n".join(["[" * 20] * 5_000), "brackets"),  # one paragraph of many lines
    ("[a](" * 50_000, "brackets"),  # links whose target never closes
    ("\\\\[" * 60_000, "brackets"),  # escapes become long placeholders
    ("*a" * 100_000, "marks"),  # emphasis rebuilds the paragraph per match
    ("``a" * 70_000, "marks"),
    ("[a](#b) " * 30_000, "marks"),
    ("x<a " * 50_000, "brackets"),
])
def test_each_quadratic_shape_renders_in_bounded_time(hostile: str, why: str) -> None:
    text = page(hostile)
    started = time.monotonic()
    rendered = mdlinks.render.__wrapped__(text)
    assert time.monotonic() - started < 5
    assert [b.why for b in rendered.blanked] == [why]
    assert "#nowhere" in rendered.links
    assert "later" in rendered.ids


def test_open_tags_across_paragraphs_are_made_text() -> None:
    # Python-Markdown's HTML parser scans from each `<a` for its `>` across the whole page.
    text = page("\n\n".join(["<a " * 20] * 5_000))
    started = time.monotonic()
    rendered = mdlinks.render.__wrapped__(text)
    assert time.monotonic() - started < 5
    assert [(b.why, b.first) for b in rendered.blanked] == [("tags", 3)]
    assert rendered.blanked[0].count > 80_000
    assert "later" in rendered.ids


def test_many_short_hostile_paragraphs_stay_linear() -> None:
    text = page("\n\n".join(["\\\\[" * 30] * 3_000))
    started = time.monotonic()
    rendered = mdlinks.render.__wrapped__(text)
    assert time.monotonic() - started < 5
    assert len(rendered.blanked) == 3_000
    found = findings("p.md", rendered.blanked)
    assert len(found) == SHOWN
    assert found[-1].message.endswith(f"(and {3_000 - SHOWN:,} more parts of this page)")


def test_blanking_keeps_every_line_and_column() -> None:
    hostile = "\n".join(["[" * 50] * 100)
    text = f"# T\n\n```\ncode\n{hostile}\n```\n\nafter [x](#y)\n"
    budgeted = budget(text)
    assert len(budgeted.text) == len(text)
    assert budgeted.text.count("\n") == text.count("\n")
    assert "```\n" in budgeted.text and budgeted.text.rstrip().endswith("after [x](#y)")
    assert budgeted.text.splitlines()[2] == "```"  # fences stay, so code stays code
    [part] = budgeted.blanked
    assert (part.first, part.last, part.why) == (3, 105, "brackets")  # the fences included


def test_a_warning_names_the_paragraph_and_how_to_fix_it() -> None:
    [one] = findings("p.md", budget(page("[" * 5_000)).blanked)
    assert (one.code, one.severity.value, one.location and one.location.line) == (
        "OBS973", "warning", 3)
    assert one.message == ("this line has too many unclosed brackets ([, ( or <) to check its "
                           "links in bounded time; it was left out")
    [many] = findings("p.md", budget(page("\n".join(["[" * 40] * 40))).blanked)
    assert many.message.startswith("the paragraph of lines 3-42 has")


def _real_pages() -> list[Path]:
    pages = [*REPO.glob("build/runbooks/*.md"), *CORPUS.rglob("*.md"), REPO / "README.md"]
    return [p for p in pages if p.is_file()]


def test_real_pages_are_not_touched() -> None:
    pages = _real_pages()
    assert len(pages) >= 5
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert budget(text).text == text, path


def test_lists_tables_and_links_of_a_real_page_are_not_touched() -> None:
    items = "".join(f"- [item {n}](other.md#step-{n}) (see `a[{n}]` and <b>bold</b>)\n"
                    for n in range(2_000))
    table = "| a | b |\n|---|---|\n" + "".join(f"| [x](#{n}) | < {n} |\n" for n in range(500))
    text = f"# Page\n\n{items}\n{table}\nSome *emphasis*, **strong** and `code` [x][ref].\n"
    assert budget(text).blanked == ()


@pytest.mark.parametrize("hostile", [
    "- " * 1_000 + "x",  # one line: lists in lists in lists
    "".join("    " * k + "- x\n" for k in range(400)),  # nested a level per line
    "> " * 1_000 + "x",
])
def test_lists_and_quotes_nested_too_deep_are_left_out(hostile: str) -> None:
    rendered = mdlinks.render.__wrapped__(page(hostile))  # Python-Markdown recursed out
    assert {b.why for b in rendered.blanked} == {"nesting"}
    assert "#nowhere" in rendered.links


@pytest.mark.parametrize("hostile", ["*" * 2_000 + "x" + "*" * 2_000, "**" * 1_000 + "x" +
                                     "**" * 1_000, "_" * 2_000 + "x" + "_" * 2_000])
def test_long_emphasis_runs_are_left_out(hostile: str) -> None:
    rendered = mdlinks.render.__wrapped__(page(hostile))  # Python-Markdown recursed out
    assert [b.why for b in rendered.blanked] == ["marks"]


def test_a_long_horizontal_rule_is_no_emphasis_run() -> None:
    text = page("*" * 100 + "\n\n" + "_ " * 100)
    assert budget(text).blanked == ()
