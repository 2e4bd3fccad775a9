"""The name search: deterministic for a seed, never longer, never a name that is not free, and
smaller once compressed where repetition can be had."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import PassContext
from golfkit.passes.rename import RenamePass
from golfkit.rename import SearchSettings, analyse, search_names, start_workers
from golfkit.rename.rewrite import apply_names
from golfkit.name_climb import propose
from golfkit.rename.search import build_space, zopfli_size
from tests.support import assert_same_behaviour, dedent
from tests.test_rename_property import assert_same_shape, programs

# Small enough for a test: a few hundred evaluations, in this process unless a test says otherwise.
QUICK = SearchSettings(chains=2, budget=300, workers=1, confirm=2)

PROGRAM = dedent(
    """
    import math


    class Particle:
        __slots__ = ("position", "velocity", "mass")

        def __init__(self, position, velocity, mass):
            self.position = position
            self.velocity = velocity
            self.mass = mass

        def energy(self):
            return 0.5 * self.mass * self.velocity ** 2

        def advance(self, step):
            self.position += self.velocity * step
            return self.position


    def simulate(particles, steps, step_size):
        history = []
        for step in range(steps):
            total = 0.0
            for particle in particles:
                particle.advance(step_size)
                total += particle.energy()
            history.append(round(total + math.sin(step), 6))
        return history


    particles = [Particle(index, math.cos(index), 1 + index % 3) for index in range(12)]
    for energy in simulate(particles, 8, 0.25):
        print(energy)
    print(sorted(round(particle.position, 3) for particle in particles))
    """
)


def sites(source: str):
    analysis = analyse(source)
    return analysis, analysis.sites


def test_the_same_seed_gives_the_same_names_in_one_process_or_many():
    analysis, enabled = sites(PROGRAM)
    first = search_names(analysis, enabled, settings=QUICK)
    again = search_names(analysis, enabled, settings=QUICK)
    pooled = search_names(analysis, enabled, settings=SearchSettings(chains=2, budget=300, workers=2, confirm=2,
                                                                      pool_worth_seconds=0))
    assert first.text == again.text == pooled.text
    assert not first.capped


def test_workers_started_with_the_build_give_the_same_names():
    analysis, enabled = sites(PROGRAM)
    alone = search_names(analysis, enabled, settings=QUICK)
    # Chains below the pool's worth run here unless workers were started beforehand (a build's
    # rename pass starts them when the build starts): then they share the chains with this
    # process, and the result stays the seed's.
    settings = SearchSettings(chains=3, budget=300, workers=2, confirm=2)
    in_process = search_names(analysis, enabled, settings=settings)
    start_workers(settings)
    shared = search_names(analysis, enabled, settings=settings)
    assert shared.text == in_process.text
    assert alone.text == search_names(analysis, enabled, settings=QUICK).text


def test_it_shrinks_the_compressed_text_and_keeps_its_length():
    analysis, enabled = sites(PROGRAM)
    result = search_names(analysis, enabled, settings=SearchSettings(chains=2, budget=2000, workers=1))
    start = analysis.rewrite(enabled)
    assert result.start_measure == zopfli_size(start)
    assert result.improved and result.measure == zopfli_size(result.text) < zopfli_size(start)
    assert len(result.text) == len(start)
    assert_same_behaviour(PROGRAM, result.text)


def test_the_placeholder_text_is_the_rewrite_itself():
    """Scores are only worth anything if the filled-in text is what the rewrite would write."""
    analysis, enabled = sites(PROGRAM)
    space, moving, start_names = build_space(analysis, enabled)
    rng = random.Random(1)
    current = list(space.start)
    movable = [i for i, pool in enumerate(space.pools) if len(pool) > 1]
    for _ in range(200):
        move = propose(space, current, rng, movable)
        if move:
            for group, name in move.items():
                current[group] = name
    names = {g: n for g, n in start_names.items() if g not in set(moving)}
    names.update((g, n) for g, n in zip(moving, current) if n != g.name)
    assert current != list(space.start)
    assert space.render(current) == apply_names(analysis.index.module, names)
    assert space.render(space.start) == analysis.rewrite(enabled)


def test_without_a_packer_or_the_setting_the_pass_keeps_the_raw_shortest_names():
    assert RenamePass().run(PROGRAM, PassContext()) == analyse(PROGRAM).rewrite()


def test_the_pass_searches_with_the_shipped_measure():
    measured = []

    def shipped(text: str) -> int:
        measured.append(text)
        return zopfli_size(text) + 100

    settings_ = {"name_search_chains": 2, "name_search_budget": 300, "name_search_workers": 1}
    output = RenamePass().run(PROGRAM, PassContext(shipped_size=shipped, settings=settings_))
    assert measured and output in measured
    assert len(output) == len(analyse(PROGRAM).rewrite())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 3))
def test_searched_names_are_free_and_no_longer(source, seed):
    plain = RenamePass().run(source, PassContext())
    # A measure that prefers any other text, so whatever the chains reach is what ships.
    context = PassContext(shipped_size=lambda text: int(text == plain),
                          settings={"seed": seed, "name_search_chains": 2, "name_search_budget": 150,
                                    "name_search_workers": 1})
    output = RenamePass().run(source, context)
    assert len(output) <= len(plain)
    assert_same_shape(source, output)
    assert_same_behaviour(source, output)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 1000))
def test_any_sequence_of_moves_keeps_every_name_free(source, seed):
    """The moves alone decide which names are free: wherever a chain wanders, the text holds."""
    analysis, enabled = sites(source)
    space, _, _ = build_space(analysis, enabled)
    rng = random.Random(seed)
    current = list(space.start)
    movable = [i for i, pool in enumerate(space.pools) if len(pool) > 1]
    for _ in range(300 if movable else 0):
        move = propose(space, current, rng, movable)
        for group, name in (move or {}).items():
            current[group] = name
    output = space.render(current)
    assert len(output) == len(space.render(space.start))
    assert_same_shape(source, output)
    assert_same_behaviour(source, output)
