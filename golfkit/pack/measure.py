"""The shipped measure: the size of the file the packer would make from a text, computed cheaply.

A build compares tens of texts (every stage, every bisected subset, the choices some passes make
inside themselves), and the full packer spends about a second on each: every codec with every
setting, every scheme and spelling. The measure builds only what wins in practice: the packer's
own first zopfli stream (one setting instead of eight; without zopfli, the shortest stream of
each other codec but brotli), the target's best scheme on it (20 bits a character for chars;
the latin-1 file for bytes, or 7 bits a character when the judge wants UTF-8; two bytes a
character for tiny texts), with and without the payload's leading import merged into the
decoder (``+import``), and the unpacked text. The shortest such program that passes
the packer's self-check is the measure, memoised per text. It is an upper bound of the full
pack's result (every program it builds, the packer builds too), and the final file is still
made by the full packer (``golfkit.pack.stage``).
"""

from __future__ import annotations

import threading
import time
from typing import Iterable

from golfkit.pack import DEFAULT_CODECS
from golfkit.pack.ascii import ascii_programs
from golfkit.pack.chars import astral_programs, u16_program
from golfkit.pack.check import is_stdin_safe, self_check
from golfkit.pack.codecs import ZOPFLI_SETTINGS, Stream, raw_deflate, resolve_codecs, zlib_container, zopfli_container
from golfkit.pack.imports import leading_import
from golfkit.pack.latin1 import latin1_programs
from golfkit.pack.program import Program

# The judges whose files must be valid UTF-8 without a coding cookie (no latin-1 scheme).
UTF8_ONLY_JUDGES = frozenset({"stdin", "utf8"})
# Codecs the measure leaves out: brotli costs a tenth of a second and needs a module to run.
SKIPPED_CODECS = frozenset({"brotli"})


def zopfli_stream(payload: bytes) -> Stream:
    """The stream of the packer's first zopfli setting, as raw deflate."""
    return raw_deflate("zopfli", zopfli_container(payload, ZOPFLI_SETTINGS[0]), len(payload))


def zlib_stream(payload: bytes) -> Stream:
    """zlib at level 9 with the largest memory level, as raw deflate."""
    return raw_deflate("zlib", zlib_container(payload, mem_level=9), len(payload))


def streams_for(payload: bytes, codecs: Iterable[str]) -> list[Stream]:
    """The streams the measure packs: zopfli's when the build packs with it (the shortest codec
    on programs of this size, whatever their kind), else the shortest stream of each codec."""
    resolved = [codec for codec in resolve_codecs(tuple(codecs)) if codec.name not in SKIPPED_CODECS]
    if any(codec.name == "zopfli" for codec in resolved):
        return [zopfli_stream(payload)]
    streams = []
    for codec in resolved:
        made = [zlib_stream(payload)] if codec.name == "zlib" else codec.compress(payload)
        if made:
            streams.append(min(made, key=lambda stream: len(stream.data) + len(stream.args)))
    return streams


class ShippedMeasure:
    """``measure(text)``: the shipped size of ``text`` for a target and judge (characters of the
    packed file for ``chars``, its bytes for ``bytes``), memoised per text and safe to call from
    several threads. ``calls``, ``computed`` and ``seconds`` say what it cost."""

    def __init__(self, target: str, judge: str = "file", codecs: tuple[str, ...] = DEFAULT_CODECS):
        self.target = target
        self.judge = judge
        self.codecs = tuple(codecs)
        self.utf8_only = judge in UTF8_ONLY_JUDGES
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()
        self.calls = 0
        self.computed = 0
        self.seconds = 0.0

    def describe(self) -> str:
        """What decides the measure, for keys of stored results that depend on it."""
        return f"packed/{self.target}/{self.judge}/{','.join(self.codecs)}"

    def __call__(self, text: str) -> int:
        with self._lock:
            self.calls += 1
            size = self._sizes.get(text)
        if size is not None:
            return size
        started = time.perf_counter()
        size = self.compute(text)
        with self._lock:
            self._sizes[text] = size
            self.computed += 1
            self.seconds += time.perf_counter() - started
        return size

    def size_of(self, program_text: str, encoding: str) -> int:
        return len(program_text) if self.target == "chars" else len(program_text.encode(encoding))

    def compute(self, text: str) -> int:
        payload = text.encode("utf-8")
        unpacked = len(text) if self.target == "chars" else len(payload)
        if self.utf8_only and not is_stdin_safe(payload):
            unpacked = None  # the packer ships it only as a last resort
        built: list[tuple[int, Program, bytes]] = []
        merge = leading_import(payload)
        forms = [("", payload)] + ([(merge.names, merge.rest)] if merge else [])
        for merged, carried in forms:
            for stream in streams_for(carried, self.codecs):
                for program in self.programs(stream, merged):
                    built.append((self.size_of(program.text, program.encoding), program, carried))
        shortest = min((item[0] for item in built), default=unpacked or len(payload))
        if self.target == "chars" and len(payload) // 2 < shortest:
            # Two bytes a character: it wins only for texts too small to compress well.
            for bare in (False, True):
                program = u16_program(payload, bare)
                if program is not None:
                    built.append((self.size_of(program.text, program.encoding), program, payload))
        built.sort(key=lambda item: item[0])
        for size, program, carried in built:
            if unpacked is not None and size >= unpacked:
                break
            if self_check(program.text.encode(program.encoding), carried, program.stages, self.utf8_only):
                return size
        return unpacked if unpacked is not None else len(text) if self.target == "chars" else len(payload)

    def programs(self, stream: Stream, merged: str) -> list[Program]:
        """The target's programs for one stream, as the packer spells them."""
        if self.target == "chars":
            return astral_programs(stream, merged)
        programs = []
        for bare in (False, True):
            # Seven bits a byte never beats the latin-1 file's eight, where a judge allows one.
            programs += ascii_programs(stream, bare, merged) if self.utf8_only else latin1_programs(stream, bare, merged)
        return programs
