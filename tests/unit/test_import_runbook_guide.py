"""`obsgen import` of several runbook pages that each carry text outside every alert's section:
that text joins the project's one RunbookGuide (pages in the order of their paths), so the
imported project builds (no OBS705) and no page's text is lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from obsgen.check.foreign import ForeignFile
from obsgen.config import load_config
from obsgen.importers import runbooks
from obsgen.importers.contract import ImportEnv, Ref
from obsgen.load import load_project

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "runbook_pages"
# Each page's text outside its alert's section, as the fixtures write it.
PAGE_LEVEL = {
    "about.md": ["Shop on-call", "Every shop alert pages the shop rotation first.",
                 "Blank checkout page", "CDN purge pending", "Purge the CDN cache"],
    "checkout.md": ["Checkout on-call", "Checkout pages go to the payments rotation; start at "
                    "the gateway dashboard.", "Payments on-call engineer", "Payments team lead"],
    "queue.md": ["Charge queue", "The charge worker drains the queue every few seconds; a stuck "
                 "worker holds every order.", "Restart the charge worker",
                 "systemctl restart charge-worker", "Glossary",
                 "A charge is one attempt to take payment for an order."],
    "search.md": ["Search runs on its own cluster; its pages mention the shard that answered "
                  "slowly.", "Compare the slow shard's heap with its neighbours.",
                  "Search on-call engineer"],
}


def test_page_level_text_of_every_page_lands_in_one_guide_and_builds(
        obsgen: RunObsgen, tmp_path: Path) -> None:
    done = obsgen("import", str(PAGES), "-o", "out", "--output-format", "json", cwd=tmp_path)
    assert done.exit_code == 0, done.describe()
    out = tmp_path / "out"
    built = obsgen("build", cwd=out)
    assert built.exit_code == 0, built.describe()
    assert "OBS705" not in built.stdout + built.stderr
    project, diagnostics = load_project(load_config(out))
    assert project is not None and not diagnostics
    (guide,) = project.guides
    assert guide.title == "Shop on-call"  # about.md, a page of guide text only, comes first
    assert guide.escalation_path == ("Payments on-call engineer", "Payments team lead")
    index = (out / "build" / "runbooks" / "index.md").read_text(encoding="utf-8")
    missing = {page: [t for t in texts if t not in index] for page, texts in PAGE_LEVEL.items()}
    assert missing == {page: [] for page in PAGE_LEVEL}
    # The later pages' text that no guide field holds is kept in notes, and reported there.
    notices = [(Path(d["location"]["path"]).name, d["location"]["line"])
               for d in json.loads(done.stdout) if d["code"] == "OBS986"]
    assert {("checkout.md", 1), ("queue.md", 1), ("search.md", 1)} <= set(notices)
    assert not [n for n in notices if n[0] == "about.md"]


def _pages(order: list[str]) -> list[tuple[ForeignFile, str]]:
    return [(ForeignFile(str(PAGES / name), (PAGES / name).read_text(encoding="utf-8"),
                         "markdown"), "runbooks." + name.removesuffix(".md")) for name in order]


def test_the_guide_is_the_same_whatever_order_the_pages_come_in() -> None:
    env = ImportEnv(alerts={name: Ref("rules.app", name.upper()) for name in
                            ("CheckoutErrors", "QueueBacklog", "SearchSlow")})
    names = ["about.md", "checkout.md", "queue.md", "search.md"]
    forward = runbooks.write_all(_pages(names), env)
    backward = runbooks.write_all(_pages(names[::-1]), env)
    assert forward == backward[::-1]
    guides = [m.name for result in forward for m in result.modules
              if "RunbookGuide(" in m.source]
    assert guides == ["runbooks.about"]
