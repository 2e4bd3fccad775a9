"""Encodings for the chars target: as few characters as possible, whatever their byte size.

* ``u16``: the payload itself, two bytes per character, ``exec(bytes('...','u16')[2:])``.
* ``chars-20bit``: the compressed stream as one big integer, 20 bits per supplementary-plane
  character (U+10000..U+10FFFF: exactly 2**20 code points, none of which needs escaping), decoded
  by ``n=n<<20^ord(c)`` from a small start value and ``n.to_bytes(L)``.
* ``chars-20bit-2stage``: the same, with the ASCII decoder itself packed two bytes per character
  by the ``u16`` trick; it reads the 20-bit string from a variable set outside.
"""

from __future__ import annotations

from golfkit.pack.codecs import Stream, decoder_spellings
from golfkit.pack.literals import is_surrogate, shortest_literal
from golfkit.pack.program import Program

BITS = 20
PLANE = 0x10000  # first supplementary code point
LIMIT = 0x110000  # one past the last code point
LOW_MASK = (1 << BITS) - 1

PAD = 0x20  # filler byte of the u16 trick (a space: never needs escaping whatever it pairs with)


# -- 20 bits per character ---------------------------------------------------------------------


def astral_decode(text: str, start: int = 0) -> int:
    """What the decoder computes: ``n=start`` then ``n=n<<20^ord(c)`` for each character."""
    number = start
    for char in text:
        number = number << BITS ^ ord(char)
    return number


def astral_layouts(number: int) -> list[tuple[int, str]]:
    """Every (start, characters) pair with a start below 100 that ``astral_decode`` turns into
    ``number``, most characters first.

    Each step is undone from the last character backwards: the low 20 bits of the number pick the
    one code point in U+10000..U+10FFFF with those low bits, and XOR-ing it out may flip bit 0 of
    what is left (through the code point's bit 20). Whatever is left after the last character is
    the start value, so any number fits: the start absorbs the top few bits."""
    codes = []
    layouts = []
    while True:
        if number < 100:
            layouts.append((number, "".join(map(chr, reversed(codes)))))
        if number <= 1:  # 0 and 1 only lead to themselves
            return layouts
        low = number & LOW_MASK
        code = low if low >= PLANE else low | 1 << BITS
        codes.append(code)
        number = (number ^ code) >> BITS


def astral_programs(stream: Stream, merged: str = "") -> list[Program]:
    """Every one- and two-stage spelling of the 20-bit decoder for ``stream``. The stream's length
    is given to ``to_bytes``, which restores any leading zero bytes."""
    programs = []
    number = int.from_bytes(stream.data, "big")
    for start, digits in astral_layouts(number):
        for prefix, expression in decoder_spellings(stream, f"n.to_bytes({len(stream.data)})", merged):
            one_stage = f"{prefix}n={start}\nfor c in'{digits}':n=n<<20^ord(c)\nexec({expression})"
            programs.append(Program(one_stage, "utf-8", 1))
            inner = f"{prefix}n={start}\nfor c in s:n=n<<20^ord(c)\nexec({expression})"
            if len(inner) % 2:
                inner += "\n"
            unpacker = u16_expression(inner.encode("ascii"))
            programs.append(Program(f"s='{digits}';exec({unpacker})", "utf-8", 2))
    return programs


# -- two bytes per character -------------------------------------------------------------------


def _u16_layouts(size: int):
    """(byte order, pad bytes in front, pad byte at the end, codec, slice) for ``size`` bytes.

    ``'u16'`` is UTF-16 with a byte-order mark, little-endian on the hosts golfkit targets; the
    slice drops the mark and any padding. Big-endian and shifted layouts only matter when the
    plain one would hold a surrogate code point."""
    for order, codec, mark in (("little", "u16", 2), ("big", "utf-16be", 0)):
        for front in (0, 1):
            back = (size + front) % 2
            start = mark + front
            stop = ":-1" if back else ":"
            window = "" if start == 0 and not back else f"[{start or ''}{stop}]"
            yield order, front, back, codec, window


def u16_expression(payload: bytes, bare: bool = False) -> str | None:
    """The shortest ``bytes('...','u16')[2:]``-style expression equal to ``payload``, or None when
    every layout would need a surrogate code point (which cannot be written in a source file)."""
    best = None
    for order, front, back, codec, window in _u16_layouts(len(payload)):
        padded = bytes([PAD]) * front + payload + bytes([PAD]) * back
        units = [padded[i : i + 2] for i in range(0, len(padded), 2)]
        text = "".join(chr(int.from_bytes(unit, order)) for unit in units)
        if any(is_surrogate(char) for char in text):
            continue
        expression = f"bytes({shortest_literal(text, bare=bare)},'{codec}'){window}"
        if best is None or len(expression) < len(best):
            best = expression
    return best


def u16_program(payload: bytes, bare: bool = False) -> Program | None:
    expression = u16_expression(payload, bare)
    return None if expression is None else Program(f"exec({expression})", "utf-8", 1)
