"""Plain text and code inside generated Markdown.

An alert's summary, a group's name, a severity are plain text, not Markdown: on the runbook site
they must read exactly as written, `<script>` and `*y*` included. `text` escapes them, and
`fence` / `code_span` wrap code so that no run of backticks inside can end it early.

The escapes are the ones mdformat itself writes for a text node (it normalises escapes, adding
the needed ones and dropping the rest), so a page stays a fixed point of mdformat. mdformat
writes CommonMark escapes such as `\\<` and `\\&`, which Python-Markdown (mkdocs) does not know
by itself; `markdown_escapes` teaches it those, so the site and any CommonMark renderer (GitHub,
mdformat) show the same literal text.
"""

from __future__ import annotations

import html.entities
import re
import string
import unicodedata
from functools import cache, lru_cache

_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B))


def _is_punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char).startswith("P")


def _bad_neighbour(char: str | None) -> bool:
    return char is None or char in _WHITESPACE or _is_punctuation(char)


def _emphasis_escapes(text: str, before: str | None, after: str | None) -> str:
    """`*` and `_` escaped unless they cannot open or close emphasis (mdformat's rule: `*`
    between two whitespace characters; `_` there too, or inside a word)."""
    if "*" not in text and "_" not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char not in "*_":
            out.append(char)
            continue
        prev = text[i - 1] if i > 0 else before
        nxt = text[i + 1] if i + 1 < len(text) else after
        spaced = prev in _WHITESPACE and nxt in _WHITESPACE
        in_word = char == "_" and not _bad_neighbour(prev) and not _bad_neighbour(nxt)
        out.append(char if spaced or in_word else "\\" + char)
    return "".join(out)


def _bracket_escapes(text: str) -> str:
    """`[` and `]` escaped unless they form a pair around bracket-free text that is not
    followed by `(` or `:` (it could not become a link or a link definition)."""
    if "[" not in text and "]" not in text:
        return text
    escape_at: list[int] = []
    start: int | None = None
    for match in re.finditer(r"[\[\]]", text):
        pos = match.start()
        if match.group() == "[":
            if start is not None:
                escape_at.append(start)
            start = pos
        elif start is None:
            escape_at.append(pos)
        else:
            if text[pos + 1:pos + 2] in (":", "("):
                escape_at += [start, pos]
            start = None
    if start is not None:
        escape_at.append(start)
    for pos in sorted(escape_at, reverse=True):
        text = text[:pos] + "\\" + text[pos:]
    return text


@cache
def _char_reference() -> re.Pattern[str]:
    names = sorted({name.rstrip(";") for name in html.entities.html5}, key=len, reverse=True)
    return re.compile("&(?:#[0-9]{1,7}|#[Xx][0-9A-Fa-f]{1,6}|" + "|".join(names) + ");")


@lru_cache(maxsize=1 << 14)  # severities, categories and components repeat on every page
def text(value: str, before: str | None = None, after: str | None = None) -> str:
    """`value` as one line of Markdown inline text that renders literally. `before`/`after`:
    the character the surrounding Markdown puts right next to it in the same run of text
    (None: none, as in a table cell or a link's text), which decides some of the escapes."""
    plain = " ".join(value.split())
    plain = plain.replace("\\", "\\\\")
    plain = _emphasis_escapes(plain, before, after)
    # What follows the text decides some escapes ("< " is neither HTML nor an autolink).
    tail = after or ""
    plain = _bracket_escapes(plain + tail)
    # Every other "<" is escaped. mdformat (0.7.22) misses the second of "<<", which would turn
    # the text "<<b>" into a <b> tag; here safety wins over its fixed point.
    plain = re.sub(r"<(?! )", r"\\<", plain)
    plain = plain.replace("`", "\\`")
    if "&" in plain:  # the reference pattern alternates over every HTML entity name: slow
        plain = _char_reference().sub(r"\\\g<0>", plain)
    return plain[:len(plain) - len(tail)]


def _longest_run(code: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", code)), default=0)


def fence(code: str, info: str = "") -> str:
    """A fenced code block holding `code` verbatim: its fence is longer than any run of
    backticks inside (as mdformat sizes it), so no line of the code can close it."""
    marker = "`" * max(3, _longest_run(code, "`") + 1)
    return f"{marker}{info}\n{code.rstrip(chr(10))}\n{marker}"


def code_span(code: str) -> str:
    """An inline code span holding one line of `code` verbatim (mdformat's layout)."""
    code = " ".join(code.split())
    run = _longest_run(code, "`")
    if run:
        marker = "`" * (run + 1)
        return f"{marker} {code} {marker}"
    return f"`{code}`"
