"""The code blocks of README.md, by the section they stand in, for the tests that run them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt

README = Path(__file__).resolve().parent.parent / "README.md"


@dataclass(frozen=True)
class Block:
    section: str  # the nearest heading above the block, without its #s
    lang: str  # the fence's info string ("" for output shown as plain text)
    text: str
    line: int  # 1-based line of the opening fence

    @property
    def key(self) -> tuple[str, int]:
        return self.section, self.line


@cache
def blocks() -> tuple[Block, ...]:
    tokens = MarkdownIt("commonmark").parse(README.read_text(encoding="utf-8"))
    found: list[Block] = []
    section = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            section = tokens[i + 1].content
        elif token.type == "fence" and token.map is not None:
            found.append(Block(section, token.info.strip(), token.content, token.map[0] + 1))
    return tuple(found)


def in_section(section: str) -> tuple[Block, ...]:
    chosen = tuple(b for b in blocks() if b.section == section)
    assert chosen, f"README.md has no code block under the heading {section!r}"
    return chosen


def without_gutter_numbers(output: str) -> str:
    """Diagnostics as shown, with the line numbers that depend on where a block landed in a
    file taken out: `path:149:16:` and the `   149 |` excerpt gutter."""
    output = re.sub(r"^(\S+?):\d+:\d+:", r"\1:L:C:", output, flags=re.M)
    return re.sub(r"^ *\d+ \|", "N |", output, flags=re.M)
