"""The search stage: mutations of the golfed text, kept when a full run says the program is the same.

After the passes, the search tries the catalogue's mutations (golfkit.search.catalogue) one site at
a time on the current text, in an order drawn from the seed. A mutant goes on only if it compiles
and its shipped size is smaller (the build's objective). Then it is screened, several side by side
on every core:

- with a quick oracle (golfkit.search.quick: the program with its run-scaling constant lowered,
  against the reference under the same override), by a quick run;
- without one, by its own full run, which fails fast at the first line that differs, so a broken
  mutant costs little and one that passes is verified as it stands.

A mutant the screen rejects is remembered as broken. Those that pass are applied together as one
batch (each re-found by its site key on the text the previous ones left), and the batch is
verified with a full run like any stage: verified, it becomes the current text and a row of the
report; failing, it is bisected (golfkit.bisection) and the mutations that fail alone are
remembered. Nothing a quick oracle alone approved is ever kept.

Mutations hold for the verified run (or cases) only: the search is a contract stage. The seed fixes
the order of trials; the time budget only decides how far the search gets.

Runs are sandboxed where bubblewrap works (golfkit.sandbox). Where they are not (``confined`` is
False), a mutant is tried only if it spells no name, attribute, call or literal that the text the
search started from did not already spell: it can then do nothing the program could not already
do with its own words (a mode ``"w"`` or a ``socket`` it never named cannot appear).
"""

from __future__ import annotations

import ast
import random
import time
from collections import deque
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
    window: int = 4  # mutants screened side by side (enough to keep every core busy)
    max_batches: int | None = None  # a bound besides time (tests, benchmarks)


@dataclass
class SearchCounts:
    """What the report shows of the search."""

    tried: int = 0  # mutants made
    compiled: int = 0  # of which compile
    shorter: int = 0  # of which ship smaller
    quick_passed: int = 0  # of which the screen let through (a quick run, else their own full run)
    verified: int = 0  # of which a full run verified (their own, or their batch's)
    kept: int = 0  # of which the result holds
    batches: int = 0
    seconds: float = 0.0
    new_words: int = 0  # shorter mutants left out, unsandboxed, for spelling a word the text did not
    # Per kind: [mutants that shipped smaller, of which the screen passed, of which kept].
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    # (seconds into the search, shipped size) at its start and after each verified batch.
    timeline: list[tuple[float, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {**self.__dict__, "by_kind": {name: dict(zip(("shorter", "passed", "kept"), figures))
                                             for name, figures in self.by_kind.items()}}

    def note(self, kind: str, column: int) -> None:
        self.by_kind.setdefault(kind, [0, 0, 0])[column] += 1


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


def vocabulary(text: str) -> frozenset[tuple[str, str]] | None:
    """The names, attribute names, callees and literals ``text`` spells (None: it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    words: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(("name", node.id))
        elif isinstance(node, ast.Attribute):
            words.add(("attribute", node.attr))
        elif isinstance(node, ast.Constant):
            words.add(("literal", repr(node.value)))
        elif isinstance(node, ast.Call):
            words.add(("call", ast.unparse(node.func)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            words.add(("name", node.name))
        elif isinstance(node, ast.arg):
            words.add(("name", node.arg))
        elif isinstance(node, ast.keyword) and node.arg is not None:
            words.add(("name", node.arg))
        elif isinstance(node, ast.alias):
            words.update({("module", node.name), ("name", node.asname or node.name)})
        elif isinstance(node, ast.ImportFrom):
            words.add(("module", f"{'.' * node.level}{node.module or ''}"))
    return frozenset(words)


class Proposals:
    """The sites left to try on one text, taken a kind at a time: the next kind is drawn with
    weights from what the screen said of each kind so far (a Beta draw from its passes and
    failures), so kinds that pay are tried more often without leaving the others untried. Blind
    kinds (``blind``: character edits) come only when no other kind has sites left."""

    def __init__(self, queues: dict[Pass, list[str]], counts: SearchCounts, rng: random.Random):
        self.queues = queues
        self.counts = counts
        self.rng = rng

    def __bool__(self) -> bool:
        return any(self.queues.values())

    def pop(self) -> tuple[Pass, str]:
        left = [kind for kind, keys in self.queues.items() if keys]
        sighted = [kind for kind in left if not getattr(kind, "blind", False)]
        choices = sighted or left

        def draw(kind: Pass) -> float:
            shorter, passed, _ = self.counts.by_kind.get(kind.name, (0, 0, 0))
            return self.rng.betavariate(passed + 1, shorter - passed + 1)

        kind = max(choices, key=draw)
        return kind, self.queues[kind].pop(0)


class Search:
    def __init__(self, catalogue: list[Pass], better: Callable[[str, str], bool], full: Oracle,
                 quick: Callable[[list[str]], list[bool]] | None = None,
                 broken: BrokenSites | None = None, settings: SearchSettings = SearchSettings(),
                 context: PassContext = PassContext(), on_batch: Callable[[str, str, int], None] | None = None,
                 rank: Callable[[str], object] | None = None, shipped: Callable[[str], int] | None = None,
                 confined: bool = True):
        """``better(a, b)``: a ships smaller than b. ``quick(texts)``: the quick oracle's verdicts
        on mutants (None: no quick oracle). ``on_batch(before, after, kept)`` hears each verified
        batch; ``rank`` orders verified texts for bisection (the build's objective key);
        ``shipped`` gives a text's shipped size, for the progress shown in run labels;
        ``confined``: runs are sandboxed (else mutants keep to the starting text's words)."""
        self.catalogue = catalogue
        self.better = better
        self.full = full
        self.quick = quick
        self.broken = broken if broken is not None else BrokenSites()
        self.settings = settings
        self.context = context
        self.on_batch = on_batch
        self.rank = rank
        self.shipped = shipped
        self.confined = confined
        self.words: frozenset | None = None  # the starting text's vocabulary, when not confined
        self.quick_screened = False  # whether the current batch passed the quick oracle (not full runs)
        self.counts = SearchCounts()
        self.started = time.monotonic()
        self.best = ""
        self.kept_batches: list[tuple[str, str, int]] = []

    # -- proposals -------------------------------------------------------------------------------
    def proposals(self, text: str, rng: random.Random) -> Proposals:
        """Every (kind, site key) on ``text`` not known to break, each kind's in the seed's order."""
        queues = {}
        for kind in self.catalogue:
            blocked = self.broken.blocked(kind.name)
            keys = [key for key in site_keys(kind, text, self.context) if key not in blocked]
            rng.shuffle(keys)
            if keys:
                queues[kind] = keys
        return Proposals(queues, self.counts, rng)

    def mutant(self, kind: Pass, key: str, text: str) -> Proposal | None:
        self.counts.tried += 1
        mutant = apply_key(kind, text, key, self.context)
        if mutant is None:
            return None
        self.counts.compiled += 1
        if not self.better(mutant, text):
            return None
        if self.words is not None and not (vocabulary(mutant) or {("unparsable", "")}) <= self.words:
            self.counts.new_words += 1
            return None
        self.counts.shorter += 1
        self.counts.note(kind.name, 0)
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
        verdicts = self.quick([proposal.mutant for proposal in candidates])
        passed = []
        for proposal, ok in zip(candidates, verdicts):
            if ok:
                passed.append(proposal)
                self.counts.note(proposal.kind.name, 1)
            else:
                self.broken.remember(proposal.kind.name, [proposal.key])
        self.counts.quick_passed += len(passed)
        return passed

    def quick_for(self, text: str) -> bool:
        """Whether the quick oracle screens ``text``'s mutants (one with ``usable`` says per text)."""
        if self.quick is None:
            return False
        usable = getattr(self.quick, "usable", None)
        return usable is None or usable(text)

    def screened(self, text: str, pending: Proposals, deadline: float) -> list[Proposal]:
        """Up to a batch of ``text``'s mutants that pass the screen, taken from ``pending`` in order.
        Without a quick oracle for the text each mutant's own full run is the screen: ``window``
        of them run side by side, and those that differ are remembered as broken."""
        quick = self.quick_screened = self.quick_for(text)
        passed: list[Proposal] = []
        in_flight: deque[tuple[Proposal, Hashable]] = deque()

        def settle() -> None:
            proposal, key = in_flight.popleft()
            if self.full.result(key).identical:
                self.counts.quick_passed += 1
                self.counts.verified += 1
                self.counts.note(proposal.kind.name, 1)
                passed.append(proposal)
            else:
                self.broken.remember(proposal.kind.name, [proposal.key])

        while pending and len(passed) < self.settings.batch and time.monotonic() < deadline:
            candidates = []
            while pending and len(candidates) < self.settings.window:
                proposal = self.mutant(*pending.pop(), text)
                if proposal is not None:
                    candidates.append(proposal)
            if quick:
                passed += self.approved(candidates)
                continue
            for proposal in candidates:
                in_flight.append((proposal, self.full.submit(proposal.mutant, self.label("screen"))))
                while len(in_flight) > self.settings.window:
                    settle()
        while in_flight:  # started runs are seen through: a full run at most
            settle()
        return passed

    def verify_batch(self, text: str, batch: list[Proposal]) -> str:
        """Apply and fully verify the batch on ``text``; bisect it when it fails. Returns the text
        the search goes on from."""
        combined, applied = self.combine(text, batch)
        if not applied:
            return text
        self.counts.batches += 1
        verdict = self.full.result(self.full.submit(combined, self.label("batch")))
        if verdict.identical:
            return self.keep(text, combined, applied)
        found = bisect_edits(
            list(range(len(applied))),
            apply=lambda subset: self.combine(text, [applied[i] for i in subset])[0],
            submit=lambda candidate: self.full.submit(candidate, self.label("bisect")),
            result=self.full.result,
            rank=self.rank,
        )
        for index in found.broken:
            self.broken.remember(applied[index].kind.name, [applied[index].key])
        if found.text is None or found.text == text:
            return text
        return self.keep(text, found.text, [applied[index] for index in found.edits])

    def keep(self, before: str, after: str, proposals: list[Proposal]) -> str:
        kept = len(proposals)
        for proposal in proposals:
            self.counts.note(proposal.kind.name, 2)
        if self.quick_screened:  # else screened mutations were counted when their own run verified
            self.counts.verified += kept
        self.counts.kept += kept
        self.kept_batches.append((before, after, kept))
        self.best = after
        self.mark(after)
        if self.on_batch is not None:
            self.on_batch(before, after, kept)
        return after

    def mark(self, text: str) -> None:
        if self.shipped is not None:
            self.counts.timeline.append((round(time.monotonic() - self.started, 3), self.shipped(text)))

    def label(self, what: str) -> str:
        """A run's label with the search's progress: best size, mutants tried per second, verdicts."""
        counts = self.counts
        rate = counts.tried / max(time.monotonic() - self.started, 1e-9)
        best = f"best {self.shipped(self.best)}, " if self.shipped is not None and self.best else ""
        return (f"search ({what}; {best}{rate:.1f} tried/s, {counts.quick_passed} of {counts.shorter} "
                f"shorter passed, {counts.kept} kept)")

    # -- the loop --------------------------------------------------------------------------------
    def run(self, text: str) -> SearchOutcome:
        started = self.started = time.monotonic()
        self.best = text
        self.mark(text)
        if not self.confined:
            self.words = vocabulary(text) or frozenset()
        deadline = started + self.settings.seconds
        rng = random.Random(f"search/{self.settings.seed}")
        outcome = SearchOutcome(text, self.counts, self.kept_batches)
        while time.monotonic() < deadline:
            if self.settings.max_batches is not None and self.counts.batches >= self.settings.max_batches:
                break
            batch = self.screened(outcome.text, self.proposals(outcome.text, rng), deadline)
            if not batch:
                break  # every site tried on this text (or the time is up)
            remembered = len(self.broken)
            before = outcome.text
            outcome.text = self.verify_batch(before, batch)
            if outcome.text == before and len(self.broken) == remembered:
                break  # neither progress nor anything learnt: another pass would repeat this one
        self.counts.seconds = round(time.monotonic() - started, 3)
        return outcome
