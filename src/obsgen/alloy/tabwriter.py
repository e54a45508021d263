"""Column alignment and whitespace trimming behind `alloy fmt`.

Alloy's printer emits text with `\\v`/`\\t`-terminated cells and sends it through Go's
`text/tabwriter` (elastic tabstops: minwidth 0, tabwidth 8, padding 1, pad with spaces,
DiscardEmptyColumns | TabIndent) and then through a trimmer that drops trailing blanks. This
module is that pair, rewritten for whole strings: `align(text)` then `trim(text)`.

`ESCAPE` brackets text the aligner must not interpret (comments); the trimmer removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

ESCAPE = "\x00"  # Go uses 0xff; NUL cannot occur in parsed Alloy text and is escaped in values
_TAB_WIDTH = 8
_PADDING = 1


@dataclass(frozen=True)
class _Cell:
    text: str  # as written, escape characters included
    width: int  # characters, escape characters excluded
    htab: bool  # terminated by a hard tab ('\t') rather than a soft one ('\v')


class _Aligner:
    def __init__(self) -> None:
        self.out: list[str] = []
        self._lines: list[list[_Cell]] = [[]]
        self._text: list[str] = []
        self._width = 0
        self._escaped = False
        self._widths: list[int] = []

    def write(self, text: str) -> None:
        for ch in text:
            if self._escaped:
                self._append(ch, counts=ch != ESCAPE)
                self._escaped = ch != ESCAPE
            elif ch in "\t\v\n\f":
                self._end_cell(ch)
            elif ch == ESCAPE:
                self._append(ch, counts=False)
                self._escaped = True
            else:
                self._append(ch, counts=True)

    def _append(self, ch: str, counts: bool) -> None:
        self._text.append(ch)
        self._width += counts

    def _terminate_cell(self, htab: bool) -> int:
        line = self._lines[-1]
        line.append(_Cell("".join(self._text), self._width, htab))
        self._text, self._width = [], 0
        return len(line)

    def _end_cell(self, ch: str) -> None:
        cells = self._terminate_cell(ch == "\t")
        if ch in "\n\f":
            self._lines.append([])
            # A formfeed ends every column; a line of one cell cannot affect later lines.
            if ch == "\f" or cells == 1:
                self.flush()

    def flush(self) -> None:
        if self._text:
            self._escaped = False
            self._terminate_cell(False)
        self._format(0, len(self._lines))
        self._lines, self._widths = [[]], []

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        this = line0
        while this < line1:
            if column < len(self._lines[this]) - 1:
                # A column starts here: print what precedes, measure the block, recurse.
                self._write_lines(line0, this)
                line0 = this
                width, discardable = 0, True
                while this < line1 and column < len(self._lines[this]) - 1:
                    cell = self._lines[this][column]
                    width = max(width, cell.width + _PADDING)
                    discardable = discardable and cell.width == 0 and not cell.htab
                    this += 1
                self._widths.append(0 if discardable else width)
                self._format(line0, this)
                self._widths.pop()
                line0 = this
            this += 1
        self._write_lines(line0, line1)

    def _write_lines(self, line0: int, line1: int) -> None:
        for i in range(line0, line1):
            use_tabs = True  # TabIndent: leading empty cells are padded with tabs
            for j, cell in enumerate(self._lines[i]):
                if cell.text:
                    use_tabs = False
                    self.out.append(cell.text)
                if j < len(self._widths):
                    self._pad(cell.width, self._widths[j], use_tabs)
            if i + 1 < len(self._lines):
                self.out.append("\n")

    def _pad(self, text_width: int, cell_width: int, use_tabs: bool) -> None:
        if use_tabs:
            cell_width = -(-cell_width // _TAB_WIDTH) * _TAB_WIDTH
            self.out.append("\t" * -(-(cell_width - text_width) // _TAB_WIDTH))
        else:
            self.out.append(" " * (cell_width - text_width))


def align(text: str) -> str:
    """Go's tabwriter over `text` (escape characters are passed through)."""
    aligner = _Aligner()
    aligner.write(text)
    aligner.flush()
    return "".join(aligner.out)


def trim(text: str) -> str:
    """Drop blanks before line ends and the escape characters (Alloy's printer trimmer)."""
    out: list[str] = []
    space: list[str] = []
    in_text = escaped = False
    for ch in text:
        if escaped:
            if ch == ESCAPE:
                escaped = False
            else:
                out.append(ch)
        elif ch in " \t\v":
            in_text = False
            space.append("\t" if ch == "\v" else ch)
        elif ch in "\n\f":
            in_text = False
            space = []
            out.append("\n")
        else:
            if not in_text:
                out.extend(space)
                space = []
            if ch == ESCAPE:
                escaped, in_text = True, False
            else:
                in_text = True
                out.append(ch)
    return "".join(out)
