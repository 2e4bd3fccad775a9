"""Python string literals that hold arbitrary text with as few escapes as possible.

Inside a literal every code point may appear raw except NUL (refused in source by every Python),
CR (read as a newline), the closing quote, (outside triple quotes) LF, and a backslash that the
next character would turn into an escape. Lone surrogates cannot appear at all: a file holding one
is not valid UTF-8.

Backslashes. A backslash followed by a non-ASCII character is always read as a literal backslash,
silently, by every CPython 3 (its string parser turns the pair into ``\u005c`` and the character
before decoding escapes; checked on 3.8 to 3.13 with ``-W error``): such a backslash is never
escaped. Before an ASCII character that starts no escape sequence a bare backslash keeps its
value too, but is an "invalid escape sequence": silent up to 3.11 (a DeprecationWarning, hidden by
default), a SyntaxWarning on stderr from 3.12, while the value, hence stdout, stays the same.
``quoted(..., bare=True)`` relies on that; packed files that do are offered as their own schemes
(``+bare``) beside the fully escaped ones: a build verifies every candidate's stderr under the
target interpreter, so for a 3.12+ target the bare form fails and the escaped one is taken, and
the self-check rejects bare forms outright when golfkit itself runs on 3.12+.

Raw literals (``r'...'``) need no backslash escapes and never warn, but cannot hold NUL, CR, an
unescaped closing quote or a final backslash: ``raw_quoted`` offers them when they fit.
"""

from __future__ import annotations

import re

QUOTES = ("'", '"', "'''", '"""')

# What may follow a backslash to form an escape in a str literal (the Python reference, "String
# and Bytes literals"): a bare backslash before any of these would change the value or fail.
ESCAPE_STARTERS = frozenset("\\'\"abfnrtvx01234567NuU\n\r")


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
_BACKSLASH_PAIR = re.compile(r"\\.", re.DOTALL)
_ESCAPES = {"\0": "\\0", "\r": "\\r", "\\": "\\\\", "\n": "\\n"}
# Per quote, the escapes of a text with no backslash and no NUL (and, between triple quotes, no
# quote): CR, and between single quotes LF and the quote.
_SINGLE_ESCAPES = {
    quote: str.maketrans({"\r": "\\r"} if len(quote) == 3 else {"\r": "\\r", "\n": "\\n", quote: "\\" + quote})
    for quote in QUOTES
}


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


def _pieces(text: str, quote: str) -> list[str]:
    """The literal's body as pieces: plain runs, and one piece per escaped character or quote
    run. A backslash of the text is always its own piece ``\\\\``."""
    triple = len(quote) == 3
    mark = quote[0]
    end = len(text)
    pieces = []
    position = 0
    for match in _SPECIAL[triple][mark].finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        found = match.group()
        if found[0] == mark:
            pieces.append(_quote_run(len(found), match.end() == end, mark) if triple else "\\" + mark)
        elif found == "\0" and text[match.end() : match.end() + 1] in _OCTAL_DIGITS:
            pieces.append("\\x00")  # "\\0" then a digit would read as a longer octal escape
        else:
            pieces.append(_ESCAPES[found])
        position = match.end()
    if position < end:
        pieces.append(text[position:])
    return pieces


def quoted(text: str, quote: str, bare: bool = False) -> str:
    """``text`` as a literal between ``quote`` (one of QUOTES); ValueError if it holds a surrogate.
    A backslash before a non-ASCII character is left as is; ``bare``: also before any ASCII one
    that starts no escape."""
    if _SURROGATES.search(text):
        raise ValueError("a lone surrogate cannot appear in a source file")
    if "\\" not in text and "\0" not in text and (len(quote) == 1 or quote[0] not in text):
        # Every escape is then of one character alone: a table does them all at C speed.
        return quote + text.translate(_SINGLE_ESCAPES[quote]) + quote
    pieces = _pieces(text, quote)
    if "\\" in text:
        # Right to left, so that each backslash sees what finally follows it; the last piece is
        # followed by the closing quote, which a bare backslash would escape.
        following = quote[0]
        for index in range(len(pieces) - 1, -1, -1):
            if pieces[index] == "\\\\" and _may_follow_bare_backslash(following, bare):
                pieces[index] = "\\"
            following = pieces[index][0]
    return quote + "".join(pieces) + quote


def _may_follow_bare_backslash(char: str, bare: bool) -> bool:
    return char >= "\x80" or (bare and char not in ESCAPE_STARTERS)


def raw_quoted(text: str, quote: str) -> str | None:
    """``text`` as a raw literal ``r<quote>...<quote>``, or None when no raw literal holds it.

    In a raw literal a backslash keeps itself and the character after it (even a quote or LF), so
    the pair is always safe; NUL and CR cannot appear, nor a quote that would close the literal,
    nor a final backslash (it would escape the closing quote)."""
    if _SURROGATES.search(text):
        raise ValueError("a lone surrogate cannot appear in a source file")
    if "\0" in text or "\r" in text:
        return None
    mark = quote[0]
    # Each backslash takes the character after it, left to right; a pair becomes a NUL here (no
    # quote, and none was in the text), so quote runs stop at it as they do in the literal.
    rest = _BACKSLASH_PAIR.sub("\0", text)
    if "\\" in rest:  # a backslash with nothing after it
        return None
    if len(quote) == 1 and (mark in rest or "\n" in rest):
        return None
    if mark * 3 in rest or rest.endswith(mark):  # three would close it; one at the end would merge
        return None
    return f"r{quote}{text}{quote}"


def literals(text: str, quotes: tuple[str, ...] = QUOTES, bare: bool = False) -> list[str]:
    """Every literal of ``text`` over ``quotes``: escaped (bare backslashes if asked) and raw."""
    found = [quoted(text, quote, bare) for quote in quotes]
    found += [literal for literal in (raw_quoted(text, quote) for quote in quotes) if literal]
    return found


def shortest_literal(text: str, quotes: tuple[str, ...] = QUOTES, bare: bool = False) -> str:
    """The shortest of ``text``'s literals (escapes are ASCII, so shortest in characters is also
    shortest in bytes). Ties keep the earlier quote style, escaped before raw."""
    return min(literals(text, quotes, bare), key=len)


def escapes_added(literal: str, text: str) -> int:
    """Characters ``literal``'s escapes add to ``text``: its length minus the text, the quotes
    and any ``r`` prefix."""
    body = literal[1:] if literal[0] in "rR" else literal
    quote = 3 if body.startswith(("'''", '"""')) else 1
    return len(literal) - len(text) - 2 * quote - (len(literal) - len(body))
