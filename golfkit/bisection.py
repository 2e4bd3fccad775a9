"""Bisection of a failing pass over its edits, and the memory of the sites found to break.

A pass whose whole output fails is applied again to halves of its edits, recursively, until the
largest set that verifies is known. A single edit that fails alone breaks the program: its site
key is remembered (per pass, for one program), and later applications leave it out, in this
build's later rounds and in later builds, so it is never bisected again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable

from golfkit.cache import BrokenSiteStore
from golfkit.verify import Verdict

# Keys passes give as mere positions ("#3"): they name no site across texts, so never remembered.
POSITIONAL_PREFIX = "#"


@dataclass(frozen=True)
class Bisection:
    text: str | None  # the best verified output; None when no set of edits verifies
    verdict: Verdict | None  # that output's verdict
    kept: int  # edits in that output
    broken: tuple[int, ...]  # edits that failed on their own
    edits: tuple[int, ...] = ()  # the edits in that output


def bisect_edits(
    edits: list[int],
    apply: Callable[[list[int]], str | None],
    submit: Callable[[str], Hashable],
    result: Callable[[Hashable], Verdict],
    rank: Callable[[str], Any] | None = None,
) -> Bisection:
    """The best set of ``edits`` whose output verifies, and the edits that fail on their own.

    ``apply`` gives a subset's output (None when there is nothing to verify: e.g. not better than
    the base); ``submit`` queues a verification and ``result`` waits for it. Each level's subsets
    are queued at once, so they run side by side. ``edits`` is known to fail as a whole. Of the
    outputs that verify (each subset found to pass, and their union), the best is the one of
    least ``rank`` (the build's objective), then of most edits; without ``rank``, of most edits.
    """
    if len(edits) == 1:  # the whole failure was this single edit's
        return Bisection(None, None, 0, tuple(edits))
    kept: list[tuple[list[int], str, Verdict]] = []
    broken: list[int] = []
    pending = _halves(edits) if edits else []
    while pending:
        queued = []
        for subset in pending:
            output = apply(subset)
            if output is not None:
                queued.append((subset, output, submit(output)))
        pending = []
        for subset, output, key in queued:
            verdict = result(key)
            if verdict.identical:
                kept.append((subset, output, verdict))
            elif len(subset) > 1:
                pending.extend(_halves(subset))
            else:
                broken.append(subset[0])
    broken.sort()
    if not kept:
        return Bisection(None, None, 0, tuple(broken))
    verified = list(kept)
    if len(kept) > 1:
        union = sorted(index for subset, _, _ in kept for index in subset)
        output = apply(union)
        if output is not None:
            verdict = result(submit(output))
            if verdict.identical:  # else edits that pass alone fail together: a single set is best
                verified.append((union, output, verdict))
    subset, output, verdict = min(verified, key=lambda found: (
        () if rank is None else rank(found[1]), -len(found[0])))
    return Bisection(output, verdict, len(subset), tuple(broken), tuple(subset))


def _halves(items: list[int]) -> list[list[int]]:
    middle = len(items) // 2
    return [items[:middle], items[middle:]]


class BrokenSites:
    """Site keys found to break, by pass name, for one program and the log it must reproduce.

    With a store and a key, what is known is read at once and every new finding written through,
    so a later build of the same program starts knowing it; without, it lasts one build.
    """

    def __init__(self, store: BrokenSiteStore | None = None, key: str | None = None):
        self.store = store if key is not None else None
        self.key = key
        self.by_pass: dict[str, frozenset[str]] = {}
        if self.store is not None:
            self.by_pass = {name: frozenset(keys) for name, keys in self.store.load(key).items()}

    def blocked(self, pass_name: str) -> frozenset[str]:
        """The keys of ``pass_name``'s sites never to apply."""
        return self.by_pass.get(pass_name, frozenset())

    def remember(self, pass_name: str, keys: Iterable[str]) -> list[str]:
        """Note sites of ``pass_name`` that break; returns the ones not known before."""
        known = self.blocked(pass_name)
        new = [key for key in dict.fromkeys(keys) if key and not key.startswith(POSITIONAL_PREFIX) and key not in known]
        if new:
            self.by_pass[pass_name] = known | set(new)
            if self.store is not None:
                self.store.save(self.key, {name: sorted(keys) for name, keys in self.by_pass.items()})
        return new

    def __len__(self) -> int:
        return sum(len(keys) for keys in self.by_pass.values())
