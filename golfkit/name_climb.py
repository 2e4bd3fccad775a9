"""The name search's hill-climbs (``golfkit.rename.search``): the part that worker processes run.

A chain needs only a ``Space`` (the text as pieces around name slots, the candidate names, the
conflicts) and zlib, so this module imports neither libcst nor the rename package: a spawned
worker that imports it is ready in milliseconds instead of spending a build's fraction of a
second importing the analysis it never uses.
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Space:
    """Everything a chain needs, picklable: the text as pieces around placeholder slots, the
    start, each searched group's candidate names and the groups it must not share a name with."""

    pieces: tuple[str, ...]  # len(slots) + 1 literal pieces around the slots
    slots: tuple[int, ...]  # the searched group each slot spells
    start: tuple[str, ...]
    pools: tuple[tuple[str, ...], ...]  # per group: free names of its start name's length
    conflicts: tuple[tuple[int, ...], ...]

    def render(self, assignment: Sequence[str]) -> str:
        parts = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:]):
            parts.append(assignment[slot])
            parts.append(piece)
        return "".join(parts)


@dataclass(frozen=True)
class ChainResult:
    chain: int
    best: tuple[str, ...]
    score: int
    evaluations: int
    capped: bool


def deflate_size(data: bytes) -> int:
    """zlib's raw deflate at its best level: a fast stand-in for zopfli when comparing texts."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return len(compressor.compress(data) + compressor.flush())


# --- one chain ----------------------------------------------------------------------------------
def propose(space: Space, current: list[str], rng: random.Random, movable: Sequence[int]) -> dict[int, str] | None:
    """A random move as {group: new name}, or None when the drawn one is not allowed."""
    group = rng.choice(movable)
    pool = space.pools[group]
    name = pool[rng.randrange(len(pool))]
    old = current[group]
    if name == old:
        return None
    in_the_way = [j for j in space.conflicts[group] if current[j] == name]
    if not in_the_way:
        return {group: name}
    if len(in_the_way) > 1:
        return None
    other = in_the_way[0]
    # The swap partner takes the old name: it must be free for it and clash with no one else.
    if old not in space.pools[other]:
        return None
    if any(current[j] == old for j in space.conflicts[other] if j != group):
        return None
    return {group: name, other: old}


def climb(space: Space, seed: int, chain: int, evaluations: int, seconds: float) -> ChainResult:
    """One seeded hill-climb from the start: sideways moves are taken too, so a chain drifts
    across plateaus; the first best score seen wins."""
    rng = random.Random(f"{seed}/{chain}")
    deadline = time.monotonic() + seconds
    current = list(space.start)
    text = Rendering(space, current)
    limit = len(text.data())
    score = deflate_size(text.data())
    best, best_score = tuple(current), score
    # A group is drawn once per spelling: renaming a much-used group moves the size most.
    movable = [i for i in space.slots if len(space.pools[i]) > 1]
    done = capped = 0
    attempts = 0
    while movable and done < evaluations and attempts < evaluations * 50:
        attempts += 1
        move = propose(space, current, rng, movable)
        if move is None:
            continue
        if done % 64 == 0 and time.monotonic() > deadline:
            capped = True
            break
        saved = {i: current[i] for i in move}
        current_update(current, move)
        text.update(move)
        data = text.data()
        done += 1
        trial = deflate_size(data) if len(data) <= limit else None
        if trial is not None and trial <= score:
            score = trial
            if trial < best_score:
                best, best_score = tuple(current), trial
        else:
            current_update(current, saved)
            text.update(saved)
    return ChainResult(chain, best, best_score, done, bool(capped))


def current_update(current: list[str], move: dict[int, str]) -> None:
    for i, name in move.items():
        current[i] = name


class Rendering:
    """``space.render`` of an assignment kept up to date move by move: a move sets only its
    groups' slots instead of laying out every piece again."""

    def __init__(self, space: Space, assignment: Sequence[str]):
        self.parts = [space.pieces[0]]
        self.places: dict[int, list[int]] = {}
        for slot, piece in zip(space.slots, space.pieces[1:]):
            self.places.setdefault(slot, []).append(len(self.parts))
            self.parts += (assignment[slot], piece)

    def update(self, move: dict[int, str]) -> None:
        for group, name in move.items():
            for place in self.places.get(group, ()):
                self.parts[place] = name

    def data(self) -> bytes:
        return "".join(self.parts).encode("utf-8")
