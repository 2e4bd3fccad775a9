"""Size measures shown for every stage: characters, UTF-8 bytes, and a deflate estimate."""

import zlib


def char_count(source: str) -> int:
    return len(source)


def byte_count(source: str) -> int:
    return len(source.encode("utf-8"))


def deflate_size(source: str) -> int:
    """Raw deflate at zlib level 9: a quick proxy for what the packers will achieve."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    data = source.encode("utf-8")
    return len(compressor.compress(data) + compressor.flush())
