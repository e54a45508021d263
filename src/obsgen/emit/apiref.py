"""The API reference page of the runbook site (`runbooks/reference/api.md`): every public name
of `obsgen` (its `__all__`), rendered by mkdocstrings from the docstrings and signatures when
`obsgen docs` builds the site, so the reference is always the installed obsgen's.

The page itself holds only one `::: obsgen.Name` block per name: it stays small, deterministic
and a fixed point of mdformat, and its names follow `obsgen.__all__`."""

from __future__ import annotations

from typing import Any

import obsgen

PAGE = "reference/api.md"
NAV_TITLE = "obsgen API"
INTRO = ("The Python API the definitions are written in: every name `from obsgen import ...` "
         "gives, with its signature and an example. The examples build on each other, as a "
         "definitions folder does (`REQUESTS` is the one of `Counter`), and panels take "
         "grafanalib's `Target`: `from grafanalib.core import Target`.")
# mkdocstrings' Python handler: each name under its own heading (so the table of contents
# lists them), members in source order, no source listings (the site is read by on-call).
PLUGIN: dict[str, Any] = {"mkdocstrings": {"handlers": {"python": {"options": {
    "show_root_heading": True, "show_root_full_path": False, "heading_level": 2,
    "show_source": False, "members_order": "source", "show_bases": False,
    "docstring_style": None, "show_signature_annotations": True,
    "separate_signature": True, "merge_init_into_class": True, "filters": ["!^_"],
    "members": False}}}}}


def names() -> list[str]:
    """The public names, sorted so the page reads like an index."""
    return sorted(obsgen.__all__, key=str.lower)


def block(name: str) -> str:
    """The mkdocstrings block of one name. mdformat would escape the `_` that ends `not_` (it
    could close an emphasis), which would change the name: such a block goes inside an HTML
    block, which mdformat leaves as written and md_in_html still reads as Markdown."""
    line = f"::: obsgen.{name}"
    return f'<div markdown="1">\n{line}\n</div>' if name.endswith("_") else line


def page() -> str:
    return "\n\n".join([f"# {NAV_TITLE}", INTRO, *map(block, names())]) + "\n"
