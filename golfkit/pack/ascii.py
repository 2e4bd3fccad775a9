"""The stdin-safe bytes encoding: the stream as a big integer, 7 bits per ASCII character.

In a UTF-8 file an ASCII character is the only one-byte character, so 7 bits per byte is the
best density a file without a coding cookie can reach (2-byte characters carry 11 bits, 4-byte
ones 20). Decoded by ``n=n<<7|ord(c)`` and ``n.to_bytes(L)``. Values 0, 13 and 92 (and some
quotes) cost an escape; appending junk bytes shifts the stream against the 7-bit grid and
``ord(c)^key`` maps the values to other characters, both of which change which digits need one.
"""

from __future__ import annotations

import functools
from golfkit.pack.codecs import Stream, decoder_spellings
from golfkit.pack.literals import shortest_literal
from golfkit.pack.program import Program

BITS = 7
MAX_JUNK = 6  # 8 * junk covers every shift modulo 7
KEYS = range(10)  # one-digit XOR keys; 0: no XOR
KEPT = 3  # layouts per stream that get their literal built and measured
_ESCAPED = frozenset({0, 10, 13, 34, 39, 92})  # values that may need an escape in some literal
_XOR = {key: bytes(value ^ key for value in range(256)) for key in KEYS}


def septets_decode(text: str, key: int = 0, start: int = 0) -> int:
    number = start
    for char in text:
        number = number << BITS | ord(char) ^ key
    return number


def _digits(data: bytes, junk: int) -> tuple[bytearray, int]:
    """The 7-bit digits of ``data`` followed by ``junk`` zero bytes, most significant first, and
    the number of junk bits."""
    free_bits = 8 * junk
    number = int.from_bytes(data, "big") << free_bits
    count = max(1, -(-number.bit_length() // BITS))
    binary = format(number, "b").zfill(BITS * count)
    return bytearray(int(binary[i : i + BITS], 2) for i in range(0, BITS * count, BITS)), free_bits


def _apply_key(digits: bytearray, free_bits: int, key: int) -> str:
    """The characters for ``digits`` under ``key``; junk bits are set so that no escape is needed,
    high values first: junk bytes of 0xFF never start a further lzma or bz2 stream."""
    digits = bytearray(digits)
    count = len(digits)
    for index in range(count - 1, -1, -1):
        free = min(free_bits - BITS * (count - 1 - index), BITS)
        if free <= 0:
            break
        fixed = digits[index] >> free << free
        choices = (fixed | low for low in reversed(range(1 << free)) if fixed | low ^ key not in _ESCAPED)
        digits[index] = next(choices, digits[index])
    return digits.translate(_XOR[key]).decode("ascii")


def septets(data: bytes, junk: int = 0, key: int = 0) -> str:
    """ASCII text whose characters, XOR ``key``, are the 7-bit digits of ``data`` followed by
    ``junk`` free bytes, as an integer (``septets_decode`` inverts it)."""
    return _apply_key(*_digits(data, junk), key)


def _estimate(text: str, key: int) -> int:
    """Length of the text plus its unavoidable escapes and the key's cost: a cheap ranking."""
    return len(text) + text.count("\0") + text.count("\r") + text.count("\\") + (2 if key else 0)


@functools.lru_cache(maxsize=64)
def _best_layouts(stream: Stream) -> tuple[tuple[int, int, str], ...]:
    """(junk, key, text) of the KEPT layouts estimated shortest (cached: every spelling of the
    decoder, escaped or bare, starts from the same layouts)."""
    layouts = []
    for junk in range(MAX_JUNK + 1 if stream.trailing_ok else 1):
        digits, free_bits = _digits(stream.data, junk)
        for key in KEYS:
            text = _apply_key(digits, free_bits, key)
            layouts.append((_estimate(text, key), junk, key, text))
    layouts.sort(key=lambda layout: layout[:3])
    return tuple(layout[1:] for layout in layouts[:KEPT])


def ascii_programs(stream: Stream, bare: bool = False, merged: str = "") -> list[Program]:
    programs = []
    for junk, key, text in _best_layouts(stream):
        digit = f"ord(c)^{key}" if key else "ord(c)"
        # The first digit may also go into the start value, saving a character when it is small.
        starts = [(0, text)] + ([(ord(text[0]) ^ key, text[1:])] if text else [])
        for start, rest in starts:
            literal = shortest_literal(rest, bare=bare)
            for prefix, expression in decoder_spellings(stream, f"n.to_bytes({len(stream.data) + junk})", merged):
                program = f"{prefix}n={start}\nfor c in{literal}:n=n<<7|{digit}\nexec({expression})"
                programs.append(Program(program, "utf-8", 1))
    return programs
