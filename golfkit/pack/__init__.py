"""Packers: the pipeline's last stage turns a golfed source into the shortest self-extracting file.

``pack(source, target, judge, codecs)`` tries every applicable scheme (and the source unpacked)
and keeps the shortest for the target:

* ``unpacked``: the source itself, UTF-8.
* ``u16``: the source two bytes per character, no compression (small programs, chars target).
* ``chars-20bit/<codec>`` and ``chars-20bit-2stage/<codec>``: 20 bits per character.
* ``latin1/<codec>``: a ``#coding:l1`` file, the stream nearly raw (bytes target, ``judge=file``).
* ``ascii/<codec>``: 7 bits per ASCII character, valid UTF-8 and safe when piped on stdin.

Two modifiers name variants, each offered only when shorter than the plain scheme: ``+import``,
the payload's leading ``import`` joined to the decoder's import line (``imports.py``), and
``+bare``, backslashes left unescaped where they form no escape (silent up to Python 3.11, a
SyntaxWarning from 3.12: see ``literals.py``; the plain scheme stays offered as the fallback).

Judges: ``file`` runs the file as is; ``stdin`` pipes it into ``python -`` and ``utf8`` counts or
reads it as UTF-8: both need valid UTF-8 without a coding cookie, which rules out ``latin1``.

Every candidate is compiled and its payload decoded in-process before it is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from golfkit.errors import SourceError, UsageError
from golfkit.pack.ascii import ascii_programs
from golfkit.pack.chars import astral_programs, u16_program
from golfkit.pack.check import char_count, is_stdin_safe, self_check
from golfkit.pack.codecs import CODECS, DEFAULT_CODECS, Stream, compress, resolve_codecs
from golfkit.pack.imports import leading_import
from golfkit.pack.latin1 import latin1_programs

__all__ = ["pack", "pack_payload", "PackCandidate", "PackResult", "CODECS", "DEFAULT_CODECS"]

TARGETS = ("chars", "bytes")
JUDGES = ("file", "stdin", "utf8")
UTF8_JUDGES = frozenset({"stdin", "utf8"})  # the file must be valid UTF-8 without a coding cookie

# (scheme, what it is measured by when picking its shortest program), in the order tried.
SCHEMES = (("chars-20bit", "chars"), ("chars-20bit-2stage", "chars"), ("latin1", "bytes"), ("ascii", "bytes"))
BARE_SCHEMES = frozenset({"latin1", "ascii"})  # those whose literals may hold backslashes

# Streams this many bytes longer than a codec's shortest one cannot win, whatever their escapes.
STREAM_SLACK = 12


@dataclass(frozen=True)
class PackCandidate:
    scheme: str  # e.g. "unpacked", "u16", "chars-20bit/zopfli", "latin1/zopfli+import+bare"
    data: bytes  # the exact bytes of the packed file
    chars: int  # characters of the file, decoded with its own declared encoding
    size_bytes: int  # len(data)


@dataclass(frozen=True)
class PackResult:
    best: PackCandidate
    candidates: tuple[PackCandidate, ...]  # every scheme that passed its self-check

    def table(self) -> list[tuple[str, int, int]]:
        """(scheme, chars, bytes) per candidate, in the order they were tried."""
        return [(c.scheme, c.chars, c.size_bytes) for c in self.candidates]


def sort_key(target: str):
    if target == "chars":
        return lambda candidate: (candidate.chars, candidate.size_bytes)
    return lambda candidate: (candidate.size_bytes, candidate.chars)


def pack(
    source: str,
    target: str = "chars",
    judge: str = "file",
    codecs: tuple[str, ...] = DEFAULT_CODECS,
) -> PackResult:
    """The shortest file for ``target`` that hands ``source`` (UTF-8) to ``exec``, and every
    candidate tried. ``judge="stdin"`` keeps only files that also work piped into ``python -``,
    ``judge="utf8"`` only valid UTF-8 files read the same as UTF-8 (the same files today)."""
    _check_choice("target", target, TARGETS)
    _check_choice("judge", judge, JUDGES)
    try:
        payload = source.encode("utf-8")
    except UnicodeEncodeError as error:
        raise SourceError(f"the source cannot be written as UTF-8: {error}") from None
    unpacked = PackCandidate("unpacked", payload, len(source), len(payload))
    candidates = (unpacked, *pack_payload(payload, judge, codecs))
    # A source with its own non-UTF-8 coding cookie cannot be piped as is; the packed files can
    # (exec honours the cookie the way reading the file would).
    eligible = [c for c in candidates if judge not in UTF8_JUDGES or c is not unpacked or is_stdin_safe(c.data)]
    return PackResult(min(eligible or candidates, key=sort_key(target)), candidates)


def pack_payload(payload: bytes, judge: str = "file", codecs=DEFAULT_CODECS) -> list[PackCandidate]:
    """One self-checked candidate per packed scheme (not the unpacked source) for any bytes."""
    _check_choice("judge", judge, JUDGES)
    utf8_only = judge in UTF8_JUDGES
    candidates = []
    u16 = [_first_passing("u16", [u16_program(payload)], payload, utf8_only, "chars")]
    u16.append(_bare_variant(u16[0], "u16+bare", [u16_program(payload, bare=True)], payload, utf8_only, "chars"))
    candidates += [c for c in u16 if c]
    merge = leading_import(payload)
    # (decoder import line addition, what the payload's exec receives, scheme suffix)
    forms = [("", payload, "")] + ([(merge.names, merge.rest, "+import")] if merge else [])
    for codec in resolve_codecs(codecs):
        plain = {}  # (scheme, bare) -> the unmerged form's candidate, which a merged one must beat
        for merged, carried, suffix in forms:
            streams = _useful_streams(compress(carried, codec))
            for scheme, measure in SCHEMES:
                if scheme == "latin1" and utf8_only:
                    continue
                name = f"{scheme}/{codec.name}{suffix}"
                strict = _first_passing(name, _programs(scheme, streams, False, merged), carried, utf8_only, measure)
                bare = None
                if scheme in BARE_SCHEMES:
                    bare = _bare_variant(strict, f"{name}+bare", _programs(scheme, streams, True, merged), carried,
                                         utf8_only, measure)
                if suffix:
                    strict = strict if _shorter(strict, plain[scheme, False], measure) else None
                    unmerged = plain[scheme, True] or plain[scheme, False]
                    bare = bare if _shorter(bare, unmerged, measure) else None
                else:
                    plain[scheme, False], plain[scheme, True] = strict, bare
                candidates += [c for c in (strict, bare) if c]
    return candidates


def _programs(scheme: str, streams: list[Stream], bare: bool, merged: str) -> list:
    """Every program of ``scheme`` for ``streams``; ``bare`` matters only where literals may hold
    backslashes (the 20-bit characters never need an escape)."""
    if scheme == "latin1":
        return [program for stream in streams for program in latin1_programs(stream, bare, merged)]
    if scheme == "ascii":
        return [program for stream in streams for program in ascii_programs(stream, bare, merged)]
    stages = 2 if scheme == "chars-20bit-2stage" else 1
    return [program for stream in streams for program in astral_programs(stream, merged) if program.stages == stages]


def _shorter(candidate, than, measure) -> bool:
    return candidate is not None and (than is None or sort_key(measure)(candidate) < sort_key(measure)(than))


def _bare_variant(strict, scheme, programs, payload, utf8_only, measure) -> PackCandidate | None:
    """The bare-backslash form, only when it is shorter than the escaped one it stands beside."""
    candidate = _first_passing(scheme, programs, payload, utf8_only, measure)
    return candidate if _shorter(candidate, strict, measure) else None


def _check_choice(what: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")


def _useful_streams(streams: list[Stream]) -> list[Stream]:
    """Per decoder form, the streams close enough to the shortest to possibly win."""
    shortest = {}
    for stream in streams:
        form = (stream.module, stream.args)
        shortest[form] = min(shortest.get(form, len(stream.data)), len(stream.data))
    return [s for s in streams if len(s.data) <= shortest[(s.module, s.args)] + STREAM_SLACK]


def _first_passing(scheme, programs, payload, utf8_only, measure) -> PackCandidate | None:
    """The shortest program (by ``measure``, then the other measure) that passes its self-check."""
    built = []
    for program in programs:
        if program is None:
            continue
        try:
            data = program.text.encode(program.encoding)
        except UnicodeEncodeError:
            continue
        built.append((program, PackCandidate(scheme, data, len(program.text), len(data))))
    built.sort(key=lambda item: sort_key(measure)(item[1]))
    for program, candidate in built:
        if self_check(candidate.data, payload, program.stages, utf8_only):
            # The count the file's reader sees, which the self-check just confirmed decodes.
            return PackCandidate(scheme, candidate.data, char_count(candidate.data), candidate.size_bytes)
    return None
