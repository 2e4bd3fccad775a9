"""Names for the compressor: among the assignments exactly as short as the raw-shortest one, the
one whose text packs smallest.

Deflate codes a repeated string as a back-reference, so a name that repeats text the program
already holds (``at`` of ``math``, a letter that often follows ``(``) costs fewer bits than another
of the same length. The raw-shortest assignment (``choose_names``) is the start and the fallback.
Moves keep raw length: a group takes another name of the same length that is free for it, and
swaps with the one group in its way that may take its old name. Each of a fixed number of
chains hill-climbs from the start with its own seeded moves, scored by zlib's raw deflate of the
text; chains are spread over the cores but each does a fixed number of evaluations, so the result
depends on the seed and never on timing (a wall-clock cap stops runaway chains, and the result
then says it was capped). The best few are confirmed with the real measure, and one is kept only
when it beats the start there.

Scoring renders the text once with a placeholder per group and fills the placeholders in with
strings: each placeholder stands for exactly the spellings the rewrite changes (names, ``as``
names of imports, ``__slots__`` strings), so the filled-in text is the rewrite's own output.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from typing import Callable, Collection, Sequence

from golfkit.name_climb import ChainResult, Space, climb
from golfkit.rename.analysis import Analysis
from golfkit.rename.assign import Namespaces
from golfkit.rename.model import Group
from golfkit.rename.names import FIRST, UNAVAILABLE
from golfkit.rename.rewrite import apply_names, spelled_as
from golfkit.workers import drop_pool, has_pool, kept_pool, prepare_worker


@dataclass(frozen=True)
class SearchSettings:
    """The search's knobs, read from ``PassContext.settings`` by ``of``."""

    seed: int = 0
    # Independent hill-climbs: the result depends on their number, never on the core count. Few
    # long chains beat many short ones for the same work.
    chains: int = 4
    # Evaluations per chain times the text's KiB: a fixed amount of deflate work per chain (about
    # 1.5 s of one core), so a long text gets fewer evaluations rather than a longer search.
    budget: int = 7000
    seconds: float = 30.0  # wall-clock cap per chain: a safety net, never reached on golfed texts
    confirm: int = 3  # how many of the best distinct assignments the real measure judges
    workers: int | None = None  # processes; None: one per core (at most one per chain)
    # CPU seconds of chain work below which the chains run in this process: starting worker
    # processes (a fresh interpreter importing golfkit each) costs about that much wall time.
    pool_worth_seconds: float = 1.5

    @classmethod
    def of(cls, settings: dict) -> "SearchSettings":
        return cls(
            seed=int(settings.get("seed", cls.seed)),
            chains=int(settings.get("name_search_chains", cls.chains)),
            budget=int(settings.get("name_search_budget", cls.budget)),
            seconds=float(settings.get("name_search_seconds", cls.seconds)),
            confirm=int(settings.get("name_search_confirm", cls.confirm)),
            workers=settings.get("name_search_workers", cls.workers),
            pool_worth_seconds=float(settings.get("name_search_pool_worth_seconds", cls.pool_worth_seconds)),
        )


@dataclass(frozen=True)
class SearchResult:
    names: dict[Group, str]  # the chosen names of the groups whose name changes
    text: str
    measure: int  # the real measure of ``text``
    start_measure: int  # the real measure of the raw-shortest assignment's text
    evaluations: int
    seconds: float
    capped: bool  # a chain hit the wall-clock cap: the result may depend on timing

    @property
    def improved(self) -> bool:
        return self.measure < self.start_measure


def zopfli_size(text: str) -> int:
    """zopfli's raw deflate size of ``text``: the real measure without a packer."""
    import zopfli.zopfli

    return len(zopfli.zopfli.compress(text.encode("utf-8"), numiterations=15, gzip_mode=0)) - 6


# --- the search space ---------------------------------------------------------------------------
def searchable(group: Group) -> bool:
    """``import x`` gains `` as <new>`` only when renamed, which a placeholder cannot say: such
    groups keep the start's name (and still block it for the others)."""
    return not group.aliases


def build_space(analysis: Analysis, enabled: Collection[Group]) -> tuple[Space, list[Group], dict[Group, str]]:
    """The search space over the enabled groups, the searched groups in slot order, and the
    raw-shortest names (``choose_names``'s choice)."""
    start_names = analysis.choose(enabled)
    enabled = set(enabled)
    moving = [g for g in analysis.groups if g in enabled and g.renamable and searchable(g)]
    moving_set = set(moving)
    fixed = {g: n for g, n in start_names.items() if g not in moving_set}
    start = tuple(start_names.get(g, g.name) for g in moving)

    taken = Namespaces(analysis.reserved, analysis.reserved_attributes)
    for group in analysis.groups:
        if group not in moving_set:
            taken.take(group, fixed.get(group, group.name))
    pieces, slots = render_template(analysis, moving, fixed)
    vocabulary = text_vocabulary("".join(pieces), {len(name) for name in start})
    pools = []
    for group, name in zip(moving, start):
        pool = [n for n in vocabulary.get(len(name), ()) if n != name and taken.free(group, n)]
        pools.append(tuple([name, *pool]))
    space = Space(tuple(pieces), tuple(slots), start, tuple(pools), conflict_lists(moving))
    return space, moving, start_names


def render_template(analysis: Analysis, moving: list[Group], fixed: dict[Group, str]) -> tuple[list[str], list[int]]:
    """The rewrite's text with a placeholder per searched group, cut into literal pieces and
    slots. Placeholders use a prefix the source never holds, so every one found is a spelling."""
    source = analysis.index.module.code
    prefix = next(p for p in (f"Zq{n}x" for n in itertools.count()) if p not in source)
    names = {**fixed, **{g: f"{prefix}{i}_" for i, g in enumerate(moving)}}
    text = apply_names(analysis.index.module, names)
    pieces, slots, last = [], [], 0
    for match in re.finditer(re.escape(prefix) + r"(\d+)_", text):
        pieces.append(text[last:match.start()])
        slots.append(int(match.group(1)))
        last = match.end()
    pieces.append(text[last:])
    return pieces, slots


def text_vocabulary(text: str, lengths: Collection[int]) -> dict[int, list[str]]:
    """Names worth trying, by length: every single letter, and longer identifiers that already
    occur somewhere in the text (a keyword's or a library name's letters repeat for free)."""
    vocabulary: dict[int, list[str]] = {}
    for length in sorted(lengths):
        if length == 1:
            names = set(FIRST)
        else:
            names = {text[i:i + length] for i in range(len(text) - length + 1)}
        vocabulary[length] = sorted(
            n for n in names if n.isascii() and n.isidentifier() and n not in UNAVAILABLE
        )
    return vocabulary


def conflicting(a: Group, b: Group) -> bool:
    """Two groups may not share a name: both attributes, or one is read where the other is."""
    return (a.attribute and b.attribute) or bool(a.scopes & b.scopes)


def conflict_lists(groups: list[Group]) -> tuple[tuple[int, ...], ...]:
    by_scope: dict = {}
    attributes = [i for i, g in enumerate(groups) if g.attribute]
    for i, group in enumerate(groups):
        for scope in group.scopes:
            by_scope.setdefault(scope, []).append(i)
    result = []
    for i, group in enumerate(groups):
        others = set(attributes) if group.attribute else set()
        for scope in group.scopes:
            others.update(by_scope[scope])
        others.discard(i)
        result.append(tuple(sorted(others)))
    return tuple(result)


# --- the whole search ---------------------------------------------------------------------------
def search_names(
    analysis: Analysis,
    enabled: Collection[Group],
    measure: Callable[[str], int] | None = None,
    settings: SearchSettings = SearchSettings(),
) -> SearchResult:
    """The enabled groups' names chosen for the smallest ``measure`` (default: zopfli's deflate
    size) among assignments exactly as long as the raw-shortest one, which is kept unless beaten."""
    began = time.monotonic()
    measure = measure or zopfli_size
    space, moving, start_names = build_space(analysis, enabled)
    module = analysis.index.module
    # The filled-in template is the rewrite's text (one libcst pass fewer per text) whenever a
    # group left at its own name keeps every spelling as it is.
    rendered = faithful(moving)
    start_text = space.render(space.start) if rendered else apply_names(module, start_names)
    start_measure = measure(start_text)
    text_kib = max(len(start_text.encode("utf-8")) / 1024, 1)
    evaluations = max(1, int(settings.budget / text_kib))
    results = run_chains(space, settings, evaluations)

    ranked, seen = [], {space.start}
    for result in sorted(results, key=lambda r: (r.score, r.chain)):
        if result.best not in seen:
            seen.add(result.best)
            ranked.append(result.best)
    best_names, best_text, best_measure = start_names, start_text, start_measure
    fixed = {g: n for g, n in start_names.items() if g not in set(moving)}
    for assignment in ranked[: settings.confirm]:
        names = dict(fixed)
        names.update((g, n) for g, n in zip(moving, assignment) if n != g.name)
        text = space.render(assignment) if rendered else apply_names(module, names)
        size = measure(text)
        if size < best_measure and len(text) == len(start_text):
            best_names, best_text, best_measure = names, text, size
    return SearchResult(
        best_names, best_text, best_measure, start_measure,
        sum(r.evaluations for r in results), time.monotonic() - began, any(r.capped for r in results),
    )


def faithful(groups: Sequence[Group]) -> bool:
    """Spelling each group by its own name changes no node: then ``Space.render`` gives the
    rewrite's text for any assignment, groups left at their names included."""
    return all(spelled_as(group, group.name) for group in groups)


def run_chains(space: Space, settings: SearchSettings, evaluations: int) -> list[ChainResult]:
    """Every chain; each chain's work is fixed, so where it runs never changes the result. With
    worker processes already running (``start_workers``), they take every chain but the first,
    which runs here meanwhile. Otherwise the first runs here and tells what a chain costs: worker
    processes take the others only when that work outweighs starting them (a second or more of
    interpreter start-up each on a small program)."""
    chains = range(settings.chains)
    workers = worker_count(settings)
    if not chains:
        return []
    rest = chains[1:]
    if workers > 1 and rest and has_pool(workers):
        return pooled_chains(space, settings, evaluations, workers, rest, here=chains[0])
    started = time.process_time()
    first = climb(space, settings.seed, chains[0], evaluations, settings.seconds)
    remaining_work = (time.process_time() - started) * len(rest)
    if workers <= 1 or not rest or remaining_work < settings.pool_worth_seconds:
        return [first, *(climb(space, settings.seed, chain, evaluations, settings.seconds) for chain in rest)]
    return [first, *pooled_chains(space, settings, evaluations, workers, rest)]


def pooled_chains(space: Space, settings: SearchSettings, evaluations: int, workers: int,
                  chains: Sequence[int], here: int | None = None) -> list[ChainResult]:
    """``chains`` in worker processes and ``here``, if given, in this process while they run;
    results with ``here`` first, then in the order of ``chains``."""
    try:
        executor = kept_pool(workers)
        futures = [executor.submit(climb, space, settings.seed, chain, evaluations, settings.seconds) for chain in chains]
        first = [] if here is None else [climb(space, settings.seed, here, evaluations, settings.seconds)]
        return [*first, *(future.result() for future in futures)]
    except (BrokenExecutor, OSError):
        # No worker processes here (a main module that spawning cannot import again, no
        # semaphores): the same chains in this process give the same result, only later.
        drop_pool(workers)
        every = ([] if here is None else [here]) + list(chains)
        return [climb(space, settings.seed, chain, evaluations, settings.seconds) for chain in every]


def worker_count(settings: SearchSettings) -> int:
    return min(settings.workers or os.cpu_count() or 1, settings.chains)


def start_workers(settings: SearchSettings) -> None:
    """Start the search's worker processes now, in the background, when there is more than one
    core to give them: spawning takes a fraction of a second each, which a later search would
    otherwise wait for or, on a small program, forgo."""
    workers = worker_count(settings)
    if workers <= 1 or has_pool(workers):
        return
    try:
        executor = kept_pool(workers)
        # A pool spawns a process per task submitted while none is idle.
        for _ in range(workers):
            executor.submit(prepare_worker)
    except (BrokenExecutor, OSError):
        drop_pool(workers)
