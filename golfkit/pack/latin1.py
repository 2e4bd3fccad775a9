"""The bytes target: a latin-1 file whose string literal carries the stream almost byte for byte.

``#coding:l1`` (11 bytes with its newline) makes every byte one character, so a str literal holds
the compressed stream with only NUL, CR, backslash and some quotes escaped; ``bytes(...,'l1')``
turns it back into bytes (a bytes literal may only hold ASCII). Python refuses the cookie when
the program comes through a pipe, so this encoding is for ``--judge file`` only.
"""

from __future__ import annotations

import zlib

from golfkit.pack.codecs import Stream, decoder_spellings
from golfkit.pack.literals import QUOTES, escape_cost, quoted
from golfkit.pack.program import Program

COOKIE = "#coding:l1\n"


def padding_variants(stream: Stream) -> list[bytes]:
    """The stream with its last byte's unused high bits set in every way raw deflate still
    decodes identically: one of them may need no escape."""
    if stream.module != "zlib" or not stream.args or not stream.data:
        return [stream.data]
    expected = zlib.decompress(stream.data, -15)
    head, last = stream.data[:-1], stream.data[-1]
    variants = [stream.data]
    for high_bits in range(1, 8):
        mask = (1 << high_bits) - 1 << 8 - high_bits
        if last & mask:
            continue
        for fill in range(1, 1 << high_bits):
            candidate = head + bytes([last | fill << 8 - high_bits])
            try:
                if zlib.decompress(candidate, -15) == expected:
                    variants.append(candidate)
            except zlib.error:
                pass
    return list(dict.fromkeys(variants))


def best_literal(data: bytes) -> str:
    """The shortest literal of ``data`` read as latin-1 over all quote styles."""
    text = data.decode("latin-1")
    return min((quoted(text, quote) for quote in QUOTES), key=len)


def latin1_programs(stream: Stream) -> list[Program]:
    programs = []
    variants = padding_variants(stream)
    # Only the last byte differs between variants: keep the one with the fewest escapes.
    data = min(variants, key=lambda d: min(escape_cost(d.decode("latin-1"), q) for q in QUOTES))
    literal = best_literal(data)
    for prefix, expression in decoder_spellings(stream, f"bytes({literal},'l1')"):
        programs.append(Program(f"{COOKIE}{prefix}exec({expression})", "latin-1", 1))
    return programs
