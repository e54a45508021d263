"""A Python-Markdown extension: a backslash escapes any ASCII punctuation character, as in
CommonMark. Python-Markdown escapes only its own short list, so `\\<script>` (how mdformat, and
so obsgen, writes a literal `<` in text) would reach the site as a backslash and a raw tag.

pymdownx.escapeall is not used: it also drops the backslash before letters and digits, where
CommonMark (and GitHub, which shows the committed runbooks) keeps it, so `\\d` would differ.
The runbook site (mkdocs.yml) and obsgen's own link check (check/mdlinks) load this extension.
"""

from __future__ import annotations

import re
import string
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import ESCAPE_RE, EscapeInlineProcessor


class _Escape(EscapeInlineProcessor):
    # The stubs declare InlineProcessor.handleMatch against Pattern's with the same ignore.
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's name)
            self, m: re.Match[str], data: str) -> tuple[Element | str | None, int | None,
                                                        int | None]:
        if m.group(1) == "&":
            # Python-Markdown writes an "&" that starts an entity-like run ("&amp;") as is, so
            # the text "&amp;" would show as "&"; the raw "&amp;" of the stash cannot be misread.
            return self.md.htmlStash.store("&amp;"), m.start(0), m.end(0)
        return super().handleMatch(m, data)


class _Reference(ReferenceProcessor):
    # A link definition's label may not end at an escaped "]": the link "[\\]:](page.md)"
    # (text "]:") is no definition in CommonMark, but Python-Markdown's pattern took it for one.
    RE = re.compile(ReferenceProcessor.RE.pattern.replace(
        r"\[([^\[\]]*)\]", r"\[((?:[^\[\]\\]|\\.)*)\]", 1), re.MULTILINE)


class CommonMarkEscapes(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.ESCAPED_CHARS.extend(c for c in string.punctuation if c not in md.ESCAPED_CHARS)
        md.inlinePatterns.register(_Escape(ESCAPE_RE, md), "escape", 180)  # replaces PM's
        md.parser.blockprocessors.register(_Reference(md.parser), "reference", 15)


def makeExtension(**kwargs: object) -> CommonMarkEscapes:  # noqa: N802 (the name PM imports)
    return CommonMarkEscapes(**kwargs)
