"""The writer under the Alloy printer: tokens, whitespace intents and the file's comments."""

from __future__ import annotations

from dataclasses import dataclass

from obsgen.alloy import ast
from obsgen.alloy.tabwriter import ESCAPE

IGNORE, BLANK, VTAB, NEWLINE, FORMFEED, INDENT, UNINDENT = "", " ", "\v", "\n", "\f", ">", "<"
_WHITESPACE_CAPACITY = 16
_MAX_NEWLINES = 2
_END = 1 << 62  # a position after everything: the final flush writes trailing comments


@dataclass
class _Cursor:
    """A position in source space (estimated from what was written when not given)."""

    line: int = 1
    column: int = 1
    offset: int = 0

    def copy(self) -> _Cursor:
        return _Cursor(self.line, self.column, self.offset)


class TokenWriter:
    """Writes tokens, pending whitespace and comments; `output` is input for the aligner."""

    def __init__(self, groups: tuple[ast.CommentGroup, ...]) -> None:
        self.output: list[str] = []
        self._indent = 0
        self._last_kind = ""  # kind of the last token written ("" after whitespace)
        self._whitespace: list[str] = []
        self._groups = [g for g in groups if g.comments]
        self._group_index = 0
        self._pos = _Cursor()
        self._last = _Cursor(0, 0, 0)  # position after the last text written; line 0: none
        self._out_column = 1

    # --- the walker's interface ---------------------------------------------------------------

    def space(self, *intents: str) -> None:
        for intent in intents:
            if intent == IGNORE:
                continue
            if len(self._whitespace) == _WHITESPACE_CAPACITY:
                self._write_whitespace(len(self._whitespace))
            self._whitespace.append(intent)
            self._last_kind = ""

    def at(self, pos: ast.Position) -> None:
        """The next token is at `pos` in the source (ignored for hand-built nodes)."""
        if pos.known:
            self._pos = _Cursor(pos.line, pos.column, max(pos.offset, 0))

    def token(self, text: str, kind: str = "") -> None:
        """An operator or delimiter; `kind` defaults to its text."""
        if self._may_combine(text[0]):
            self._whitespace = [BLANK]
        self._write_text(text, kind or text)

    def word(self, text: str, kind: str) -> None:
        """An identifier or literal (kind IDENT, STRING, NUMBER, FLOAT, BOOL, NULL).

        Unlike Alloy's printer, a string is shielded from the aligner and the trimmer: Alloy
        lets a tab inside a string end a cell and trims blanks before a newline in a raw
        string, which changes the string's value."""
        self._write_text(text, kind, escaped=kind == "STRING")

    def hoist_comments(self, start: ast.Position, end: ast.Position) -> None:
        """Write now the comments between `start` and `end` if one of them ends its line: in a
        dotted block name (`a.// c` newline `b "x" {`) Alloy would write it after the whole
        name, where its line break cuts the header in two."""
        if not (start.known and end.known):
            return
        index, breaks_line = self._group_index, False
        while index < len(self._groups) and self._groups[index].comments[0].pos.offset < end.offset:
            group = self._groups[index].comments
            breaks_line = breaks_line or any(c.text.startswith("//") or "\n" in c.text
                                             for c in group)
            index += 1
        if breaks_line:
            self._flush(_Cursor(end.line, end.column, end.offset - 1), "IDENT")

    def finish(self) -> None:
        self._flush(_Cursor(_END, _END, _END), "EOF")

    # --- text -----------------------------------------------------------------------------------

    def _may_combine(self, first: str) -> bool:
        # Keep `1 .` and `/ *` from re-scanning as a float or a comment.
        return (self._last_kind == "NUMBER" and first == ".") or (
            self._last_kind == "/" and first == "*")

    def _write_text(self, text: str, kind: str, escaped: bool = False) -> None:
        self._last_kind = kind
        following = self._pos.copy()
        self._flush(following, kind)
        self._write_string(following, text, escaped)

    def _write_string(self, pos: _Cursor, text: str, escaped: bool) -> None:
        if self._out_column == 1:
            self._write_indent()
        self._pos = pos.copy()
        self.output.append(f"{ESCAPE}{text}{ESCAPE}" if escaped else text)
        newlines = text.count("\n") + text.count("\f")
        self._pos.offset += len(text)
        if newlines:
            last_break = max(text.rfind("\n"), text.rfind("\f"))
            self._pos.line += newlines
            self._pos.column = self._out_column = len(text) - last_break
        else:
            self._pos.column += len(text)
            self._out_column += len(text)
        self._last = self._pos.copy()

    def _write_indent(self) -> None:
        self.output.append("\t" * self._indent)
        self._pos.offset += self._indent
        self._pos.column += self._indent
        self._out_column += self._indent

    def _write_byte(self, ch: str, count: int) -> None:
        if self._out_column == 1:
            self._write_indent()
        self.output.append(ch * count)
        self._pos.offset += count
        if ch in "\n\f":
            self._pos.line += count
            self._pos.column = self._out_column = 1
        else:
            self._pos.column += count
            self._out_column += count

    def _write_whitespace(self, count: int) -> None:
        for intent in self._whitespace[:count]:
            if intent == INDENT:
                self._indent += 1
            elif intent == UNINDENT:
                self._indent -= 1
            elif intent != IGNORE:
                self._write_byte(intent, 1)
        del self._whitespace[:count]

    # --- comments -------------------------------------------------------------------------------

    def _comment_before(self, following: _Cursor) -> bool:
        if self._group_index >= len(self._groups):
            return False
        return self._groups[self._group_index].comments[0].pos.offset <= following.offset

    def _flush(self, following: _Cursor, kind: str) -> None:
        """Write the comments that come before the next token, then the pending whitespace."""
        if self._comment_before(following):
            self._inject_comments(following, kind)
        elif kind != "EOF":
            self._write_whitespace(len(self._whitespace))

    def _inject_comments(self, following: _Cursor, kind: str) -> None:
        last: ast.Comment | None = None
        while self._comment_before(following):
            for comment in self._groups[self._group_index].comments:
                self._comment_prefix(following, comment)
                self._write_string(_Cursor(comment.pos.line, comment.pos.column,
                                           comment.pos.offset), comment.text, escaped=True)
                last = comment
            self._group_index += 1
        if last is not None:
            self._comment_suffix(following, kind, last)

    def _comment_prefix(self, following: _Cursor, comment: ast.Comment) -> None:
        if not self.output:
            return
        if comment.pos.line == self._last.line:
            # After a token on the same line: a tab (aligns trailing comments), or a space
            # when the next token follows the comment on this line too.
            self._write_byte(" " if comment.pos.line == following.line else "\t", 1)
            return
        self._keep_leading_indents()
        newlines = comment.pos.line - self._last.line if self._last.line > 0 else 0
        if newlines > 0:
            self._write_byte("\f", min(newlines, _MAX_NEWLINES))

    def _keep_leading_indents(self) -> None:
        """Apply the indent changes pending before the first other whitespace, which is dropped
        (the comment brings its own line breaks)."""
        count = 0
        for i, intent in enumerate(self._whitespace):
            if intent in (INDENT, UNINDENT):
                continue
            if intent in (BLANK, VTAB, NEWLINE, FORMFEED):
                self._whitespace[i] = IGNORE
            count = i
            break
        self._write_whitespace(count)

    def _comment_suffix(self, following: _Cursor, kind: str, last: ast.Comment) -> None:
        if kind == "EOF":
            return
        if last.text.startswith("/*") and following.line == last.pos.line + last.text.count("\n"):
            self._write_byte(" ", 1)
        newlines = following.line - self._last.line
        if last.text.startswith("//") and newlines <= 0:
            # Where Alloy's estimate puts the next token on the comment's line, a line comment
            # would swallow it; break the line (Alloy's printer writes broken code there).
            newlines = 1
        dropped_formfeed = False
        for i, intent in enumerate(self._whitespace):
            if intent in (INDENT, UNINDENT):
                continue
            dropped_formfeed = dropped_formfeed or intent == FORMFEED
            self._whitespace[i] = IGNORE
        self._write_whitespace(len(self._whitespace))
        if newlines > 0:
            self._write_byte("\f" if dropped_formfeed else "\n", min(newlines, _MAX_NEWLINES))
