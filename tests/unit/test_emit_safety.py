"""What obsgen emits is what the definitions say, and nothing more (issue 12, items 12-14):
label templates in promtool tests are expanded as Prometheus expands them (real promtool), a
group page can never take a name the runbook site uses, and plain text reaches the runbook site
as text (real mkdocs build, parsed HTML; mdformat and two Markdown parsers for the escaping)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import markdown
import mdformat
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from obsgen import AlertRule, RuleGroup
from obsgen.diagnostics import DefinitionError
from obsgen.emit.mdtext import code_span, fence, text
from obsgen.emit.mkdocs import EXTENSIONS
from obsgen.emit.runbooks import table

if TYPE_CHECKING:
    from tests.conftest import Result, RunObsgen

JSON = ("--output-format", "json")
MARK = "# <-- HERE"


def _append(root: Path, name: str, code: str) -> str:
    path = root / "definitions" / name
    source = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + code.strip("\n") + "\n"
    path.write_text(source, encoding="utf-8")
    return source


def _line(source: str, needle: str = MARK) -> int:
    (line,) = [n for n, text in enumerate(source.splitlines(), start=1) if needle in text]
    return line


def _errors(result: Result) -> list[dict[str, object]]:
    assert "Traceback" not in result.output, result.describe()
    return [d for d in result.diagnostics() if d["severity"] == "error"]


# 12. label templates in promtool tests ------------------------------------------------------

OWNED_ALERT = """
from obsgen import ExpectAlert, Firing, RuleTest, Series

OWNED = AlertRule(
    "OwnedBudgetExceeded",
    expr=TOKEN_BUDGET_REMAINING.selector() <= 0,
    severity="critical",
    component="budget-{{ $labels.persona }}",
    summary="Persona {{ $labels.persona }} is out of budget",
    description="d",
    labels={"team": "owner-{{ .Labels.persona }}", "seen": "{{ $value }}"},
)
OWNED_GROUP = RuleGroup("owned", rules=[OWNED])
"""
OWNED_RUNBOOK = """
from obsgen import Runbook, Step

from .alerts import OWNED

OWNED_RUNBOOK = Runbook(OWNED, description="d", investigation=[Step("look")])
"""


def _owned_project(root: Path, firing: str) -> int:
    """The example project plus an alert with label templates and one test of it; returns the
    line of the test's ExpectAlert."""
    _append(root, "runbooks.py", OWNED_RUNBOOK)
    source = _append(root, "alerts.py", OWNED_ALERT + f"""
OWNED_TEST = RuleTest(
    "owned budget fires",
    series=[Series(TOKEN_BUDGET_REMAINING.where(persona="data-scientist"), "5 0 0")],
    expect=[ExpectAlert(OWNED, at="2m", firing=[{firing}])],  {MARK}
)
""")
    return _line(source)


def test_label_templates_are_expanded_in_the_promtool_test(example_project: Path,
                                                           obsgen: RunObsgen) -> None:
    _owned_project(example_project, 'Firing(labels={"persona": "data-scientist", "seen": "0"})')
    result = obsgen("check", *JSON, cwd=example_project)
    assert result.exit_code == 0, result.describe()
    emitted = (example_project / "build/prometheus/tests/owned.test.yml").read_text("utf-8")
    assert "team: owner-data-scientist" in emitted
    assert "component: budget-data-scientist" in emitted
    assert "{{" not in emitted.partition("exp_labels")[2].partition("exp_annotations")[0]


def test_a_wrong_expected_label_still_fails_in_promtool(example_project: Path,
                                                        obsgen: RunObsgen) -> None:
    _owned_project(example_project,
                   'Firing(labels={"persona": "data-scientist", "seen": "0", "team": "owner-bob"})')
    result = obsgen("check", *JSON, cwd=example_project)
    (error,) = _errors(result)
    assert error["code"] == "OBS304", result.describe()
    assert 'team="owner-bob"' in str(error["hint"])
    assert 'team="owner-data-scientist"' in str(error["hint"])


def test_a_label_template_beyond_labels_must_be_given_in_the_test(example_project: Path,
                                                                  obsgen: RunObsgen) -> None:
    line = _owned_project(example_project, 'Firing(labels={"persona": "data-scientist"})')
    result = obsgen("build", *JSON, cwd=example_project)
    (error,) = _errors(result)
    assert error["code"] == "OBS210", result.describe()
    assert "label 'seen'" in str(error["message"]) and "$value" in str(error["message"])
    assert 'Firing(labels={..., "team": "..."})' in str(error["hint"])
    location = error["location"]
    assert isinstance(location, dict)
    assert location["line"] == line


# 13. names the runbook site uses ------------------------------------------------------------

GROUP = """
PAGE_GROUP = RuleGroup(  {mark}
    {args},
    rules=[TOKEN_BUDGET_EXCEEDED_COPY],
)
"""
ALERT_COPY = """
TOKEN_BUDGET_EXCEEDED_COPY = AlertRule(
    "TokenBudgetExceededCopy",
    expr=TOKEN_BUDGET_REMAINING.selector() <= 0,
    severity="critical",
    summary="s",
    description="d",
)
"""
RUNBOOK_COPY = """
from obsgen import Runbook, Step

from .alerts import TOKEN_BUDGET_EXCEEDED_COPY

COPY_RUNBOOK = Runbook(TOKEN_BUDGET_EXCEEDED_COPY, description="d", investigation=[Step("x")])
"""


@pytest.mark.parametrize(("args", "page"), [
    ('"index"', "index.md"),
    ('"Index"', "index.md"),
    ('"copies", file="index"', "index.md"),
    ('"search"', "search.md"),
    ('"copies", file="sitemap.xml"', "sitemap.xml.md"),
    ('"404.html"', "404.html.md"),
    ('"assets"', "assets.md"),
    ('"README"', "readme.md"),
])
def test_a_group_page_named_like_a_site_file_is_refused(example_project: Path, obsgen: RunObsgen,
                                                        args: str, page: str) -> None:
    _append(example_project, "runbooks.py", RUNBOOK_COPY)
    source = _append(example_project, "alerts.py",
                     ALERT_COPY + GROUP.format(mark=MARK, args=args))
    result = obsgen("build", *JSON, cwd=example_project)
    assert result.exit_code == 1, result.describe()
    (error,) = _errors(result)
    assert error["code"] == "OBS205", result.describe()
    assert page in str(error["message"])
    file = page.removesuffix(".md")
    assert f'file="{file}-alerts"' in str(error["hint"])
    location = error["location"]
    assert isinstance(location, dict)
    assert location["line"] == _line(source)
    assert not (example_project / "build").exists()


def test_the_hinted_file_name_builds_and_keeps_the_index(example_project: Path,
                                                         obsgen: RunObsgen) -> None:
    _append(example_project, "runbooks.py", RUNBOOK_COPY)
    _append(example_project, "alerts.py",
            ALERT_COPY + GROUP.format(mark="", args='"index", file="index-alerts"'))
    result = obsgen("build", *JSON, cwd=example_project)
    assert result.exit_code == 0, result.describe()
    runbooks = example_project / "build" / "runbooks"
    assert "## TokenBudgetExceededCopy" in (runbooks / "index-alerts.md").read_text("utf-8")
    assert "## Alerts" in (runbooks / "index.md").read_text("utf-8")


def test_two_groups_never_share_a_page(example_project: Path, obsgen: RunObsgen) -> None:
    _append(example_project, "runbooks.py", RUNBOOK_COPY)
    source = _append(example_project, "alerts.py", ALERT_COPY + f"""
SECOND_COPY_GROUP = RuleGroup("persona copies", file="persona", rules=[  {MARK}
    TOKEN_BUDGET_EXCEEDED_COPY])
""")
    result = obsgen("build", *JSON, cwd=example_project)
    (error,) = _errors(result)
    assert error["code"] == "OBS205", result.describe()
    assert "'persona'" in str(error["message"])
    location = error["location"]
    assert isinstance(location, dict)
    assert location["line"] == _line(source)


def test_the_ruler_manifest_group_name_is_refused() -> None:
    alert = AlertRule("Up", expr="up == 0", severity="critical", summary="s", description="d")
    with pytest.raises(DefinitionError) as raised:
        RuleGroup("obsgen-manifest", rules=[alert])
    assert raised.value.code == "OBS205"
    assert "obsgen's own in the ruler" in (raised.value.hint or "")
    assert RuleGroup("obsgen-manifest-copy", rules=[alert]).file == "obsgen-manifest-copy"


# 14. plain text and code on the runbook site ------------------------------------------------

HOSTILE = "<script>alert(1)</script> & <b>x</b> | *y*"
COMMAND = "echo start\n```\n````\necho 'end' `x`\n\n\necho after two blank lines"


class _Page(HTMLParser):
    """Every element's tag, every script's text, the visible text, the text of each <code>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self.codes: list[str] = []
        self.text = ""
        self.title = ""
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        if tag == "script":
            self.scripts.append("")
        if tag == "code":
            self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if "script" in self._open:
            self.scripts[-1] += data
        elif "title" in self._open:
            self.title += data
        else:
            self.text += data
        if "code" in self._open:
            self.codes[-1] += data


def _parsed(path: Path) -> _Page:
    """The page as a browser reads it. html.parser does not know that <title> holds only text
    up to the first "</title" (RCDATA), so the title is cut out that way first."""
    source = path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title", source, re.DOTALL | re.IGNORECASE)
    page = _Page()
    if title is not None:
        page.title = html.unescape(title.group(1))
        source = source[:title.start(1)] + source[title.end(1):]
    page.feed(source)
    page.close()
    return page


HOSTILE_DEFINITIONS = f"""
HOSTILE = AlertRule(
    "HostileText",
    expr=TOKEN_BUDGET_REMAINING.selector() <= 0,
    severity="warning",
    category="<i>cat</i>",
    component="c & <u>u</u> [a](b) `t`",
    summary={HOSTILE!r},
    description="d",
)
HOSTILE_GROUP = RuleGroup("<b>g</b> </title><script>alert(2)</script>", file="hostile",
                          rules=[HOSTILE])
"""
HOSTILE_RUNBOOK = f"""
from obsgen import Runbook, Step

from .alerts import HOSTILE, TOKEN_BUDGET_EXCEEDED as EXCEEDED

HOSTILE_RUNBOOK = Runbook(HOSTILE, description="Markdown *stays* Markdown.",
                          related=[HOSTILE, EXCEEDED],
                          investigation=[Step("Run this.", command={COMMAND!r})])
"""


def test_plain_text_and_commands_reach_the_site_literally(example_project: Path,
                                                          obsgen: RunObsgen) -> None:
    _append(example_project, "alerts.py", HOSTILE_DEFINITIONS)
    _append(example_project, "runbooks.py", HOSTILE_RUNBOOK)
    result = obsgen("docs", cwd=example_project)
    assert result.exit_code == 0, result.describe()
    site = example_project / "build" / "site"
    pages = {p.relative_to(site).as_posix(): _parsed(p) for p in site.rglob("*.html")}
    assert "hostile/index.html" in pages
    for name, page in pages.items():
        assert not {"b", "i", "u"} & set(page.tags), name
        assert not [s for s in page.scripts if "alert(" in s], name
    hostile, index = pages["hostile/index.html"], pages["index.html"]
    group_name = "<b>g</b> </title><script>alert(2)</script>"
    assert hostile.title.replace("\u200b", "").startswith(group_name)
    assert f"Summary: {HOSTILE}" in hostile.text
    assert hostile.text.count(HOSTILE) == 2  # its summary, and the related list names it
    assert "<i>cat</i>" in hostile.text and "c & <u>u</u> [a](b) `t`" in hostile.text
    assert f"{group_name} runbooks" in hostile.text
    assert HOSTILE in index.text and "<i>cat</i>" in index.text
    assert "Markdown stays Markdown." in hostile.text  # runbook fields stay Markdown
    assert COMMAND + "\n" in hostile.codes
    sources = example_project / "build" / "runbooks"
    for page_source in sources.glob("*.md"):
        text_ = page_source.read_text(encoding="utf-8")
        assert mdformat.text(text_, extensions={"tables"}) == text_, page_source.name


# The escaping itself, against mdformat and both Markdown parsers ----------------------------

SPECIAL = st.lists(st.sampled_from([*"<>&*_[]()`\\|#!:;-+.=~\"' /aZ19\n", "&amp;", "&#42;",
                                    "</title>", "[x]", "_a_", "\u00e9", "\u00a0", "\u3000",
                                    "http://x.org", "<b>", "**"]),
                  max_size=30).map("".join)
CONTEXTS = {
    "paragraph": lambda v: f"**Summary:** {text(v, before=' ')}\n",
    "heading": lambda v: f"# {text(v, after=' ')} runbooks\n",
    "cell": lambda v: table(["Summary"], [[text(v)]]) + "\n",
    "list": lambda v: f"- [Other](#other): {text(v, before=' ')}\n",
    "link": lambda v: f"[{text(v)}](page.md)\n",
    "code span": lambda v: f"Group {code_span(v)}.\n",
}
EXPECTED = {"paragraph": "Summary: {}", "heading": "{} runbooks", "cell": "Summary {}",
            "list": "Other: {}", "link": "{}", "code span": "Group {}."}


def _visible(rendered: str) -> str:
    page = _Page()
    page.feed(rendered)
    page.close()
    assert not {"script", "b", "em", "strong", "img"} & set(page.tags), rendered
    return " ".join(page.text.split())


def _python_markdown(source: str) -> str:
    return markdown.markdown(source, extensions=list(EXTENSIONS))


@settings(max_examples=300, deadline=None)
@given(SPECIAL, st.sampled_from(sorted(CONTEXTS)))
@example(HOSTILE, "paragraph")
@example("\\&amp; &lt; [a] [b] a_b_c _u_ ![x] <", "cell")
@example("<<b>x</b>", "cell")
@example("* leading star", "paragraph")
@example("* leading star", "cell")
@example("]:", "link")  # Python-Markdown took "[\\]:](page.md)" for a link definition
def test_plain_text_is_literal_in_both_parsers_and_an_mdformat_fixed_point(
        value: str, context: str) -> None:
    plain = " ".join(value.split())
    assume(plain)
    source = CONTEXTS[context](value)
    if "<<" not in plain:  # mdformat 0.7.22 unescapes the second "<" of "<<" (see mdtext)
        assert mdformat.text(source, extensions={"tables"}) == source
    wanted = EXPECTED[context].format(plain)
    if context == "paragraph":  # <strong> is the template's own
        wanted = wanted.removeprefix("Summary: ")
    commonmark = MarkdownIt("commonmark").enable("table").render(source)
    python_markdown = _python_markdown(source + "\nAfter *this*.\n")
    assert "<em>this</em>" in python_markdown  # nothing swallowed what follows
    for rendered in (commonmark, python_markdown.rpartition("<p>After")[0]):
        if context == "paragraph":
            rendered = rendered.replace("<strong>Summary:</strong>", "", 1)
        if context == "cell":
            rendered = re.sub(r"</?(table|thead|tbody|tr|th|td)>", " ", rendered)
        assert _visible(rendered) == " ".join(wanted.split()), (source, rendered)


CODE = st.lists(st.sampled_from([*"`~ \nab<>&\\", "```", "~~~", "````"]),
                max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(CODE)
@example("```\n````")
@example("a ``` b\n~~~~\n`")
def test_a_fence_holds_any_code_verbatim(code: str) -> None:
    code = "\n".join(line.rstrip() for line in code.strip().split("\n"))
    assume(code.strip())
    source = fence(code, "sh") + "\n\nAfter.\n"
    assert mdformat.text(source) == source
    wanted = code + "\n"
    for rendered in (MarkdownIt("commonmark").render(source), _python_markdown(source)):
        page = _Page()
        page.feed(rendered)
        assert page.codes == [wanted], rendered
        assert "After." in page.text
