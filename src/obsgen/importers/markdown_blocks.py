"""A Markdown page as its top-level blocks (headings, paragraphs, code blocks, lists, tables),
each with the source lines it was written on, as markdown-it (CommonMark and GFM tables) reads
them. Importers map blocks onto fields and keep the source text of every block they do not
map, so nothing of a page is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class Item:
    """One list item: its text blocks (Markdown, dedented) and its fenced code blocks."""

    texts: tuple[str, ...]
    fences: tuple[tuple[str, str], ...]  # (info, code)
    source: str  # the item as written, its marker removed and continuation lines dedented


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, fence, code, list, table, other
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    source: str  # the lines as written
    level: int = 0  # a heading's level
    content: str = ""  # a heading's or paragraph's inline text; a fence's code
    info: str = ""  # a fence's info string
    items: tuple[Item, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows, header first, cells unescaped
    ordered: bool = False


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def blocks(text: str) -> list[Block]:
    """The page's top-level blocks in order."""
    lines = lines_of(text)
    tokens = _parser().parse("\n".join(lines))
    found: list[Block] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        while end > start and not lines[end - 1].strip():
            end -= 1
        source = "\n".join(lines[start:end])
        found.append(_block(token, tokens, i, start, end, source, lines))
    return found


def _block(token: Token, tokens: list[Token], i: int, start: int, end: int, source: str,
           lines: list[str]) -> Block:
    kind = token.type
    if kind == "heading_open":
        return Block("heading", start, end, source, int(token.tag[1]), tokens[i + 1].content)
    if kind == "paragraph_open":
        return Block("paragraph", start, end, source, content=tokens[i + 1].content)
    if kind == "fence":
        return Block("fence", start, end, source, content=token.content,
                     info=token.info.strip().split(" ")[0].lower())
    if kind in ("bullet_list_open", "ordered_list_open"):
        return Block("list", start, end, source, items=tuple(_items(tokens, i, lines)),
                     ordered=kind == "ordered_list_open")
    if kind == "table_open":
        return Block("table", start, end, source, rows=tuple(_rows(tokens, i)))
    return Block("code" if kind == "code_block" else "other", start, end, source)


def _closing(tokens: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _items(tokens: list[Token], i: int, lines: list[str]) -> list[Item]:
    items = []
    j = i + 1
    close = _closing(tokens, i)
    while j < close:
        token = tokens[j]
        if token.type != "list_item_open" or token.map is None:
            j += 1
            continue
        end = _closing(tokens, j)
        items.append(_item(tokens[j + 1:end], token, lines))
        j = end + 1
    return items


_MARKER = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))")


def _item(children: list[Token], opening: Token, lines: list[str]) -> Item:
    level = opening.level + 1
    texts: list[str] = []
    fences: list[tuple[str, str]] = []
    for n, token in enumerate(children):
        if token.level != level or token.nesting == -1 or token.map is None:
            continue
        if token.type == "fence":
            fences.append((token.info.strip().split(" ")[0].lower(), token.content))
        elif token.type == "paragraph_open":
            texts.append(children[n + 1].content)
        else:
            texts.append(_dedented(lines, token.map, _indent(lines, opening)))
    assert opening.map is not None
    return Item(tuple(texts), tuple(fences), _dedented(lines, opening.map, _indent(lines, opening),
                                                       strip_marker=True))


def _indent(lines: list[str], opening: Token) -> int:
    assert opening.map is not None
    match = _MARKER.match(lines[opening.map[0]])
    return len(match.group(1)) if match else 2


def _dedented(lines: list[str], span: list[int], indent: int, strip_marker: bool = False
              ) -> str:
    part = lines[span[0]:span[1]]
    out = []
    for n, line in enumerate(part):
        if n == 0 and strip_marker:
            out.append(line[indent:] if _MARKER.match(line) else line.strip())
        else:
            out.append(line[indent:] if line[:indent].strip() == "" else line.strip())
    return "\n".join(out).strip("\n")


def _rows(tokens: list[Token], i: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for token in tokens[i + 1:_closing(tokens, i)]:
        if token.type == "tr_open":
            rows.append(())
        elif token.type == "inline" and rows:
            rows[-1] = (*rows[-1], token.content)
    return rows

