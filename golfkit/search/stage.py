"""The search stage: mutations of the golfed text, kept when a full run says the program is the same.

After the passes, the search tries the catalogue's mutations (golfkit.search.catalogue) one site at
a time on the current text, in an order drawn from the seed. A mutant goes on only if it compiles
and its shipped size is smaller (the build's objective). Those left face the quick oracle when
there is one (golfkit.search.quick: the program with its run-scaling constant lowered, against the
reference under the same override), several at once on every core; a mutant it rejects is
remembered as broken. The survivors are applied together as one batch (each re-found by its site
key on the text the previous ones left), and the batch is verified with a full run like any stage:
verified, it becomes the current text and a row of the report; failing, it is bisected
(golfkit.bisection) and the mutations that fail alone are remembered. Nothing a quick oracle alone
approved is ever kept.

Mutations hold for the verified run (or cases) only: the search is a contract stage. The seed fixes
the order of trials; the time budget only decides how far the search gets.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable, Hashable, Protocol

from golfkit.bisection import BrokenSites, bisect_edits
from golfkit.passes.base import Edits, Pass, PassContext
from golfkit.verify import Verdict


class Oracle(Protocol):
    """What verifies texts: the build's verification pool (or one judging under an override)."""

    def submit(self, text: str, label: str) -> Hashable: ...

    def result(self, key: Hashable) -> Verdict: ...


@dataclass(frozen=True)
class SearchSettings:
    seconds: float = 120.0  # the budget: no new batch starts after it
    seed: int = 0
    batch: int = 12  # mutations applied together in one fully verified candidate
    window: int = 8  # mutants quick-checked side by side
    max_batches: int | None = None  # a bound besides time (tests, benchmarks)


@dataclass
class SearchCounts:
    """What the report shows of the search."""

    tried: int = 0  # mutants made
    compiled: int = 0  # of which compile
    shorter: int = 0  # of which ship smaller
    quick_passed: int = 0  # of which the quick oracle approved (all of them without one)
    verified: int = 0  # of which a full run verified, in a batch
    kept: int = 0  # of which the result holds
    batches: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Proposal:
    """One mutation: a catalogue entry's site, found by its key, and the mutant it makes."""

    kind: Pass
    key: str
    mutant: str


@dataclass
class SearchOutcome:
    text: str
    counts: SearchCounts
    batches: list[tuple[str, str, int]] = field(default_factory=list)  # (before, after, mutations kept)


def site_keys(kind: Pass, text: str, context: PassContext) -> list[str]:
    """The keys of ``kind``'s sites on ``text`` (none when it declines the text)."""
    try:
        return [site.key for site in kind.sites(text, context)[1]]
    except Exception:  # Skip, or a mutation kind that fails on a text: it offers nothing there
        return []


def apply_key(kind: Pass, text: str, key: str, context: PassContext) -> str | None:
    """``text`` with the one site of ``kind`` keyed ``key``; None when there is no such site or the
    result does not compile."""
    keys = site_keys(kind, text, context)
    if key not in keys:
        return None
    try:
        mutant = kind.apply(text, context, Edits(allowed=(keys.index(key),)))
        compile(mutant, "<mutant>", "exec")
    except Exception:
        return None
    return None if mutant == text else mutant


class Search:
    def __init__(self, catalogue: list[Pass], better: Callable[[str, str], bool], full: Oracle,
                 quick: Callable[[list[str]], list[bool]] | None = None,
                 broken: BrokenSites | None = None, settings: SearchSettings = SearchSettings(),
                 context: PassContext = PassContext(), on_batch: Callable[[str, str, int], None] | None = None,
                 rank: Callable[[str], object] | None = None):
        """``better(a, b)``: a ships smaller than b. ``quick(texts)``: the quick oracle's verdicts
        on mutants (None: no quick oracle). ``on_batch(before, after, kept)`` hears each verified
        batch; ``rank`` orders verified texts for bisection (the build's objective key)."""
        self.catalogue = catalogue
        self.better = better
        self.full = full
        self.quick = quick
        self.broken = broken if broken is not None else BrokenSites()
        self.settings = settings
        self.context = context
        self.on_batch = on_batch
        self.rank = rank
        self.counts = SearchCounts()
        self.kept_batches: list[tuple[str, str, int]] = []

    # -- proposals -------------------------------------------------------------------------------
    def proposals(self, text: str, rng: random.Random) -> list[tuple[Pass, str]]:
        """Every (kind, site key) on ``text`` not known to break, in the seed's order."""
        found = []
        for kind in self.catalogue:
            blocked = self.broken.blocked(kind.name)
            found += [(kind, key) for key in site_keys(kind, text, self.context) if key not in blocked]
        rng.shuffle(found)
        return found

    def mutant(self, kind: Pass, key: str, text: str) -> Proposal | None:
        self.counts.tried += 1
        mutant = apply_key(kind, text, key, self.context)
        if mutant is None:
            return None
        self.counts.compiled += 1
        if not self.better(mutant, text):
            return None
        self.counts.shorter += 1
        return Proposal(kind, key, mutant)

    # -- batches ---------------------------------------------------------------------------------
    def combine(self, text: str, batch: list[Proposal]) -> tuple[str, list[Proposal]]:
        """``text`` with the batch's mutations applied in order, each found again by its key on the
        text the previous ones left and kept only while the text keeps getting better."""
        applied = []
        for proposal in batch:
            after = apply_key(proposal.kind, text, proposal.key, self.context)
            if after is not None and self.better(after, text):
                text = after
                applied.append(proposal)
        return text, applied

    def approved(self, candidates: list[Proposal]) -> list[Proposal]:
        """The candidates the quick oracle lets through; those it rejects are remembered broken."""
        if self.quick is None:
            self.counts.quick_passed += len(candidates)
            return candidates
        verdicts = self.quick([proposal.mutant for proposal in candidates])
        passed = []
        for proposal, ok in zip(candidates, verdicts):
            if ok:
                passed.append(proposal)
            else:
                self.broken.remember(proposal.kind.name, [proposal.key])
        self.counts.quick_passed += len(passed)
        return passed

    def verify_batch(self, text: str, batch: list[Proposal]) -> str:
        """Apply and fully verify the batch on ``text``; bisect it when it fails. Returns the text
        the search goes on from."""
        combined, applied = self.combine(text, batch)
        if not applied:
            return text
        self.counts.batches += 1
        verdict = self.full.result(self.full.submit(combined, "search"))
        if verdict.identical:
            return self.keep(text, combined, len(applied))
        found = bisect_edits(
            list(range(len(applied))),
            apply=lambda subset: self.combine(text, [applied[i] for i in subset])[0],
            submit=lambda candidate: self.full.submit(candidate, "search (bisect)"),
            result=self.full.result,
            rank=self.rank,
        )
        for index in found.broken:
            self.broken.remember(applied[index].kind.name, [applied[index].key])
        if found.text is None or found.text == text:
            return text
        return self.keep(text, found.text, found.kept)

    def keep(self, before: str, after: str, kept: int) -> str:
        self.counts.verified += kept
        self.counts.kept += kept
        self.kept_batches.append((before, after, kept))
        if self.on_batch is not None:
            self.on_batch(before, after, kept)
        return after

    # -- the loop --------------------------------------------------------------------------------
    def run(self, text: str) -> SearchOutcome:
        started = time.monotonic()
        deadline = started + self.settings.seconds
        rng = random.Random(f"search/{self.settings.seed}")
        outcome = SearchOutcome(text, self.counts, self.kept_batches)
        while time.monotonic() < deadline:
            if self.settings.max_batches is not None and self.counts.batches >= self.settings.max_batches:
                break
            batch: list[Proposal] = []
            pending = self.proposals(outcome.text, rng)
            while pending and len(batch) < self.settings.batch and time.monotonic() < deadline:
                candidates = []
                while pending and len(candidates) < self.settings.window:
                    proposal = self.mutant(*pending.pop(0), outcome.text)
                    if proposal is not None:
                        candidates.append(proposal)
                batch += self.approved(candidates)
            if not batch:
                break  # every site tried on this text (or the time is up)
            remembered = len(self.broken)
            before = outcome.text
            outcome.text = self.verify_batch(before, batch)
            if outcome.text == before and len(self.broken) == remembered:
                break  # neither progress nor anything learnt: another pass would repeat this one
        self.counts.seconds = round(time.monotonic() - started, 3)
        return outcome
