"""Alloy literal values: decoding source spellings, and spelling values the way Alloy does.

Strings decode like Go's `strconv.Unquote` (Alloy's evaluator uses it); quoting follows Go's
`%q`, which is what `alloy fmt` writes for labels and quoted object keys, and whose every escape
Alloy's scanner accepts.
"""

from __future__ import annotations

_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
           "\\": "\\", '"': '"'}
_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\v": "\\v", "\\": "\\\\", '"': '\\"'}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def decode_string(text: str) -> str:
    """The value of a string literal as written (quotes included). The lexer has already
    rejected malformed escapes; byte escapes that do not form UTF-8 become surrogate escapes."""
    if text.startswith("`"):
        return text[1:-1].replace("\r", "")
    body = text[1:-1] if len(text) >= 2 and text.endswith('"') else text[1:]
    if "\\" not in body:
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
            continue
        try:
            i = _decode_escape(body, i + 1, out)
        except ValueError:  # malformed: the lexer has reported it; keep the text as written
            out += b"\\"
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _decode_escape(body: str, i: int, out: bytearray) -> int:
    """Append the escape starting after the backslash at `i`; return the index after it."""
    letter = body[i]
    if letter in _SIMPLE:
        out += _SIMPLE[letter].encode()
        return i + 1
    if letter in "01234567":
        out.append(int(body[i:i + 3], 8) & 0xFF)
        return i + 3
    width = _HEX_WIDTH.get(letter)
    if width is None:
        raise ValueError(f"unknown escape \\{letter}")
    value = int(body[i + 1:i + 1 + width], 16)
    if letter == "x":
        out.append(value)
    else:
        out += chr(value).encode("utf-8", "surrogatepass")
    return i + 1 + width


def quote(value: str) -> str:
    """Go's `strconv.Quote`: printable characters as they are, the rest escaped."""
    parts = ['"']
    for ch in value:
        parts.append(_quote_char(ch))
    parts.append('"')
    return "".join(parts)


def _quote_char(ch: str) -> str:
    if ch in _QUOTE_ESCAPES:
        return _QUOTE_ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte kept by decode_string
        return f"\\x{code - 0xDC00:02x}"
    if ch.isprintable():
        return ch
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code < 0xE000:
        return "\\ufffd"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def decode_number(text: str, is_float: bool) -> int | float:
    """NUMBER as Go's ParseInt/ParseUint(base 0) then ParseFloat; FLOAT as ParseFloat."""
    try:
        return _decode_number(text, is_float)
    except ValueError:  # `1e`: the lexer has reported it
        return 0.0


def _decode_number(text: str, is_float: bool) -> int | float:
    if is_float:
        return float(text)
    if len(text) > 1 and text.startswith("0"):
        if all(c in "01234567" for c in text):
            return _fit_int(int(text, 8), text)
        return float(text)
    return _fit_int(int(text), text)


def _fit_int(value: int, text: str) -> int | float:
    return value if value < 2**64 else float(text)
