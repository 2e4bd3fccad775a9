"""Compressors for the payload and the shortest ways to spell their decoders.

Each codec turns the payload into a few candidate *streams* (different settings give streams of
about the same length but different bytes, which matters for escapes and bit alignment); the
encodings then keep whichever stream packs shortest.
"""

from __future__ import annotations

import bz2
import functools
import lzma
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from golfkit.errors import UsageError

# zlib.decompress(raw, -9) is one character shorter than -15. A 512-byte window is accepted while
# the whole output fits in the first output buffer CPython allocates (16 KiB), because inflate may
# then reach back into the output itself.
SMALL_WINDOW_LIMIT = 16384

# (numiterations, blocksplitting, blocksplittinglast, blocksplittingmax), most useful first:
# equally short streams with different bytes, and more iterations sometimes save a byte.
ZOPFLI_SETTINGS = (
    (15, 1, 0, 15),
    (100, 1, 0, 0),
    (15, 1, 1, 15),
    (50, 1, 0, 15),
    (100, 1, 1, 0),
    (15, 0, 0, 15),
    (5, 1, 0, 15),
    (50, 1, 1, 15),
)
# zopfli's time grows with iterations times input size: settings are taken in order while their
# iterations times the input's KiB stay within this budget (about half a second), so big inputs
# get fewer, cheaper runs. Deterministic, unlike a time limit.
ZOPFLI_BUDGET = 1500


# Modules whose ``import *`` adds no name that shadows a builtin (lzma and bz2 export ``open``).
STAR_IMPORT_SAFE = frozenset({"brotli"})


@dataclass(frozen=True)
class Stream:
    """Compressed payload plus how to decode it: ``<module>.decompress(<data><args>)``."""

    codec: str
    data: bytes
    module: str
    args: str = ""
    trailing_ok: bool = True  # the decoder ignores bytes after the end of the stream


@dataclass(frozen=True)
class Codec:
    name: str
    stdlib: bool  # False: the packed program needs a third-party module to run
    compress: Callable[[bytes], list[Stream]]


def raw_deflate(codec: str, zlib_container: bytes, payload_size: int) -> Stream:
    """A zlib-format stream as raw deflate: header and checksum dropped, decoded with negative
    window bits (the smallest window that holds the payload)."""
    window = ",-9" if payload_size <= SMALL_WINDOW_LIMIT else ",-15"
    return Stream(codec, zlib_container[2:-4], "zlib", window)


def _deflate_forms(codec: str, zlib_container: bytes, payload_size: int) -> list[Stream]:
    """A zlib-format stream as raw deflate and as is (six bytes longer, but no window-bits
    argument)."""
    return [raw_deflate(codec, zlib_container, payload_size), Stream(codec, zlib_container, "zlib")]


def zopfli_container(payload: bytes, setting: tuple) -> bytes:
    """``payload`` compressed by zopfli with one of ``ZOPFLI_SETTINGS``, in zlib format."""
    import zopfli.zopfli

    iterations, splitting, split_last, split_max = setting
    return zopfli.zopfli.compress(payload, numiterations=iterations, blocksplitting=splitting,
                                  blocksplittinglast=split_last, blocksplittingmax=split_max, gzip_mode=0)


def zlib_container(payload: bytes, mem_level: int = 9, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 15, mem_level, strategy)
    return compressor.compress(payload) + compressor.flush()


def _zopfli(payload: bytes) -> list[Stream]:
    kib = max(len(payload) / 1024, 1)
    settings, spent = [], 0
    for setting in ZOPFLI_SETTINGS:
        if not settings or (spent + setting[0]) * kib <= ZOPFLI_BUDGET:
            settings.append(setting)
            spent += setting[0]
    # zopfli lets go of the interpreter while it compresses: the settings run on every core.
    with ThreadPoolExecutor(min(len(settings), os.cpu_count() or 1), thread_name_prefix="golfkit-zopfli") as pool:
        containers = list(pool.map(lambda setting: zopfli_container(payload, setting), settings))
    streams = []
    for container in containers:
        streams += _deflate_forms("zopfli", container, len(payload))
    return streams


def _zlib(payload: bytes) -> list[Stream]:
    streams = []
    for strategy in (zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_FIXED):
        for mem_level in (8, 9):
            streams += _deflate_forms("zlib", zlib_container(payload, mem_level, strategy), len(payload))
    return streams


def _lzma(payload: bytes) -> list[Stream]:
    # The .lzma ("alone") container has the smallest header (13 bytes); lzma.decompress detects it.
    # A dictionary just big enough keeps the extreme preset fast and changes no byte count.
    dictionary = max(4096, 1 << max(len(payload) - 1, 1).bit_length())
    streams = []
    for literal_context in (0, 1, 2, 3):
        for position_bits in (0, 2):
            for nice_length in (64, 273):
                lzma_filter = {
                    "id": lzma.FILTER_LZMA1,
                    "preset": 9 | lzma.PRESET_EXTREME,
                    "dict_size": dictionary,
                    "nice_len": nice_length,
                    "lc": literal_context,
                    "lp": 0,
                    "pb": position_bits,
                }
                data = lzma.compress(payload, format=lzma.FORMAT_ALONE, filters=[lzma_filter])
                streams.append(Stream("lzma", data, "lzma"))
    return streams


def _bz2(payload: bytes) -> list[Stream]:
    return [Stream("bz2", bz2.compress(payload, 9), "bz2")]


def _brotli(payload: bytes) -> list[Stream]:
    try:
        import brotli
    except ImportError:
        return []
    streams = []
    for window in (10, 16, 18, 20, 22, 24):
        for mode in (brotli.MODE_GENERIC, brotli.MODE_TEXT):
            data = brotli.compress(payload, quality=11, lgwin=window, mode=mode)
            # brotli.decompress rejects trailing bytes.
            streams.append(Stream("brotli", data, "brotli", trailing_ok=False))
    return streams


CODECS = {
    codec.name: codec
    for codec in (
        Codec("zopfli", True, _zopfli),
        Codec("zlib", True, _zlib),
        Codec("lzma", True, _lzma),
        Codec("bz2", True, _bz2),
        Codec("brotli", False, _brotli),
    )
}
DEFAULT_CODECS = ("zopfli", "zlib", "lzma", "bz2")


def resolve_codecs(names) -> list[Codec]:
    """Codecs by name, in order, without repeats; UsageError names an unknown one."""
    if isinstance(names, str):
        names = (names,)
    resolved = []
    for name in names:
        codec = CODECS.get(name)
        if codec is None:
            raise UsageError(f"unknown codec {name!r}: choose from {', '.join(CODECS)}")
        if codec not in resolved:
            resolved.append(codec)
    return resolved


@functools.lru_cache(maxsize=16)
def compress(payload: bytes, codec: Codec) -> tuple[Stream, ...]:
    """The codec's distinct streams, shortest first (cached: the pipeline packs the same source
    once per target and judge)."""
    unique = {}
    for stream in codec.compress(payload):
        unique.setdefault((stream.data, stream.module, stream.args), stream)
    return tuple(sorted(unique.values(), key=lambda stream: len(stream.data) + len(stream.args)))


def decoder_spellings(stream: Stream, data_expression: str, merged: str = "") -> list[tuple[str, str]]:
    """Ways to write the decompression of ``data_expression``: (statements to put first, expression).

    ``import zlib`` + ``zlib.`` costs one more than ``__import__('zlib').``, but the import line can
    share a line the decoder needs anyway, so both are measured. ``merged``: names the payload's
    own leading import binds (``"a,b as c"``), joined to the decoder's import line, which is then
    the only spelling worth having."""
    module = stream.module
    call = f"decompress({data_expression}{stream.args})"
    if merged:
        return [(f"import {module},{merged}\n", f"{module}.{call}")]
    spellings = [(f"import {module}\n", f"{module}.{call}"), ("", f"__import__('{module}').{call}")]
    if module in STAR_IMPORT_SAFE:
        spellings.append((f"from {module} import*\n", call))
    return spellings


def decompress_stream(stream: Stream) -> bytes:
    """Decode ``stream`` the way its decoder spelling does (used by the tests and the bench)."""
    module = __import__(stream.module)
    return eval(f"module.decompress(data{stream.args})", {"module": module, "data": stream.data})
