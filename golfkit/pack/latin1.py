"""The bytes target: a latin-1 file whose string literal carries the stream almost byte for byte.

``#coding:l1`` (11 bytes with its newline) makes every byte one character, so a str literal holds
the compressed stream with only NUL, CR, the closing quote and (unless ``bare``) backslashes
escaped; ``bytes(...,'l1')`` turns it back into bytes (a bytes literal may only hold ASCII).
Python refuses the cookie when the program comes through a pipe, and a judge that reads the file
as UTF-8 rejects its bytes above 127, so this encoding is for ``--judge file`` only.
"""

from __future__ import annotations

import zlib

from golfkit.pack.codecs import Stream, decoder_spellings
from golfkit.pack.literals import QUOTES, literals, quoted
from golfkit.pack.program import Program

COOKIE = "#coding:l1\n"
TAIL = 8  # bytes at the end of a stream whose escapes can depend on its last byte


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


def best_literal(data: bytes, bare: bool = False) -> str:
    """The shortest literal of ``data`` read as latin-1 over all quote styles, escaped or raw."""
    return min(literals(data.decode("latin-1"), QUOTES, bare), key=len)


def latin1_programs(stream: Stream, bare: bool = False, merged: str = "") -> list[Program]:
    programs = []
    variants = padding_variants(stream)
    # Only the last byte differs between variants: keep the one whose end escapes least.
    data = min(variants, key=lambda d: min(len(quoted(d[-TAIL:].decode("latin-1"), q, bare)) for q in QUOTES))
    for prefix, expression in decoder_spellings(stream, f"bytes({best_literal(data, bare)},'l1')", merged):
        programs.append(Program(f"{COOKIE}{prefix}exec({expression})", "latin-1", 1))
    return programs
