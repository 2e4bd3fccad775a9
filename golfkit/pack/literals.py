"""Python string literals that hold arbitrary text with as few escapes as possible.

Inside a literal every code point may appear raw except NUL, CR, backslash, the quote and (outside
triple quotes) LF. Lone surrogates cannot appear at all: a file holding one is not valid UTF-8.
"""

from __future__ import annotations

import re

QUOTES = ("'", '"', "'''", '"""')


def is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


_SURROGATES = re.compile("[\ud800-\udfff]")
_SPECIAL = {
    # Between single quotes: LF and the quote are escaped too.
    False: {mark: re.compile(f"[\0\r\\\\\n{mark}]") for mark in "'\""},
    # Between triple quotes: runs of the quote are handled as a whole.
    True: {mark: re.compile(f"[\0\r\\\\]|{mark}+") for mark in "'\""},
}
_OCTAL_DIGITS = tuple("01234567")
_ESCAPES = {"\0": "\\0", "\r": "\\r", "\\": "\\\\", "\n": "\\n"}


def _quote_run(length: int, at_end: bool, mark: str) -> str:
    """A run of quote characters inside triple quotes: every third one is escaped so that no
    three raw ones close the literal, and so is a final one (it would merge with the closing
    quotes)."""
    out = []
    raw = 0
    for index in range(length):
        if raw < 2 and not (at_end and index == length - 1):
            out.append(mark)
            raw += 1
        else:
            out.append("\\" + mark)
            raw = 0
    return "".join(out)


def quoted(text: str, quote: str) -> str:
    """``text`` as a literal between ``quote`` (one of QUOTES); ValueError if it holds a surrogate."""
    if _SURROGATES.search(text):
        raise ValueError("a lone surrogate cannot appear in a source file")
    triple = len(quote) == 3
    mark = quote[0]
    end = len(text)

    def escape(match: re.Match) -> str:
        found = match.group()
        if found[0] == mark:
            return _quote_run(len(found), match.end() == end, mark) if triple else "\\" + mark
        if found == "\0" and text[match.end() : match.end() + 1] in _OCTAL_DIGITS:
            return "\\x00"  # "\\0" then a digit would read as a longer octal escape
        return _ESCAPES[found]

    return quote + _SPECIAL[triple][mark].sub(escape, text) + quote


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
