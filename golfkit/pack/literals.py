"""Python string literals that hold arbitrary text with as few escapes as possible.

Inside a literal every code point may appear raw except NUL, CR, backslash, the quote and (outside
triple quotes) LF. Lone surrogates cannot appear at all: a file holding one is not valid UTF-8.
"""

from __future__ import annotations

QUOTES = ("'", '"', "'''", '"""')

_OCTAL_DIGITS = "01234567"
_ALWAYS_ESCAPED = {"\0": "\\0", "\r": "\\r", "\\": "\\\\"}


def is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def quoted(text: str, quote: str) -> str:
    """``text`` as a literal between ``quote`` (one of QUOTES); ValueError if it holds a surrogate."""
    triple = len(quote) == 3
    mark = quote[0]
    out = []
    raw_marks = 0  # quote characters emitted raw in a row (triple quotes only)
    last = len(text) - 1
    for index, char in enumerate(text):
        if char == mark:
            # In triple quotes a raw quote is fine unless it makes three in a row, or is the last
            # character (it would merge with the closing quotes).
            if triple and raw_marks < 2 and index != last:
                out.append(char)
                raw_marks += 1
            else:
                out.append("\\" + char)
                raw_marks = 0
            continue
        raw_marks = 0
        if char == "\0":
            # "\0" followed by an octal digit would read as a longer octal escape.
            following = text[index + 1 : index + 2]
            out.append("\\x00" if following and following in _OCTAL_DIGITS else "\\0")
        elif char in _ALWAYS_ESCAPED:
            out.append(_ALWAYS_ESCAPED[char])
        elif char == "\n":
            out.append("\n" if triple else "\\n")
        elif is_surrogate(char):
            raise ValueError("a lone surrogate cannot appear in a source file")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def shortest_literal(text: str, quotes: tuple[str, ...] = QUOTES) -> str:
    """The shortest of ``text``'s literals over ``quotes`` (escapes are ASCII, so shortest in
    characters is also shortest in bytes). Ties keep the earlier quote style."""
    best = None
    for quote in quotes:
        literal = quoted(text, quote)
        if best is None or len(literal) < len(best):
            best = literal
    return best


def escape_cost(text: str, quote: str) -> int:
    """Characters the escapes add: ``len(quoted(...))`` minus the raw text and the quotes."""
    return len(quoted(text, quote)) - len(text) - 2 * len(quote)
