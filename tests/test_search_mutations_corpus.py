"""The mutation catalogue on whole programs: every single-site mutant of corpus programs and of
generated programs compiles and changes the text, the printed mutant is the tree's own print, site
keys do not depend on anything but the text, and two sites applied at once give what applying one
after the other gives."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.analysis import facts_for
from golfkit.passes.base import Edits, PassContext
from golfkit.search import catalogue
from golfkit.search.mutations.characters import CharacterEdit, DeleteCharacter

CORPUS = Path(__file__).parent / "corpus"
# The five smallest corpus programs: every shape of statement, a few hundred sites each.
PROGRAMS = [
    "mandelbrot_ascii.py",
    "main_guard_inventory.py",
    "eval_exec_calculator.py",
    "del_statements.py",
    "shadowed_builtins.py",
]
# Character kinds sample their sites; a small cap keeps these checks quick.
CONTEXT = PassContext(settings={"char_edit_sites": 40})
KINDS = catalogue()


def compiles(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a text's own warnings (``x is 1``) stay its mutants'
        try:
            compile(text, "<mutant>", "exec", dont_inherit=True)
        except SyntaxError:
            return False
    return True


def check_every_single_site(kind, text: str, context: PassContext = CONTEXT) -> int:
    """Each site alone gives a text that compiles, differs from ``text``, and (tree kinds) is
    exactly the whole mutant tree's print."""
    facts, sites = kind.sites(text, context)
    for index, site in enumerate(sites):
        output = kind.apply(text, context, Edits({index}))
        assert output != text, (kind.name, site.key)
        assert compiles(output), (kind.name, site.key, output)
        if not isinstance(kind, CharacterEdit):
            assert output == kind.rebuilt_module(facts, [site]).code, (kind.name, site.key)
    return len(sites)


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_single_site_mutant_of_corpus_programs_compiles(program):
    text = (CORPUS / program).read_text(encoding="utf-8")
    counts = {kind.name: check_every_single_site(kind, text) for kind in KINDS}
    assert sum(counts.values()) > 100, counts


@pytest.mark.parametrize("program", PROGRAMS[:2])
def test_site_keys_depend_on_the_text_alone(program):
    text = (CORPUS / program).read_text(encoding="utf-8")
    first = {kind.name: [site.key for site in kind.sites(text, CONTEXT)[1]] for kind in KINDS}
    facts_for.cache_clear()  # fresh facts: nothing computed for the first listing is reused
    second = {kind.name: [site.key for site in kind.sites(text, CONTEXT)[1]] for kind in KINDS}
    assert first == second
    assert all(len(set(keys)) == len(keys) for keys in first.values())


def _later_sites(kind, text, first):
    """Indices after ``first`` whose site a batch with it keeps (no overlap)."""
    facts, sites = kind.sites(text, CONTEXT)
    return [index for index in range(first + 1, len(sites))
            if len(kind.compatible(facts, [sites[first], sites[index]])) == 2]


@pytest.mark.parametrize("program", PROGRAMS[:2])
def test_two_sites_at_once_equal_one_after_the_other(program):
    text = (CORPUS / program).read_text(encoding="utf-8")
    compared = 0
    for kind in KINDS:
        keys = [site.key for site in kind.sites(text, CONTEXT)[1]]
        for first in range(0, len(keys), max(1, len(keys) // 3)):
            for second in _later_sites(kind, text, first)[:2]:
                # A deletion shifts the positions after it: delete the later character first.
                earlier, later = (second, first) if isinstance(kind, DeleteCharacter) else (first, second)
                if "#" in keys[later]:
                    continue  # a key ranked among equal ones may name another site once one goes
                step = kind.apply(text, CONTEXT, Edits({earlier}))
                step_keys = [site.key for site in kind.sites(step, CONTEXT)[1]]
                if keys[later] not in step_keys:
                    continue  # not offered after the other: together they do not compile
                sequential = kind.apply(step, CONTEXT, Edits({step_keys.index(keys[later])}))
                assert kind.apply(text, CONTEXT, Edits({first, second})) == sequential, (kind.name, keys[later])
                compared += 1
    assert compared >= 20


# --- generated programs ------------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "x", "n", "total"])
LEAVES = st.one_of(NAMES, st.sampled_from(["0", "1", "2", "1000", "1000000", "0.5", "2.0", "0xff", "'s'", "None"]))


def _compound(inner):
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "//", "**", "<<", "|"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["not ", "-", "~"]), inner).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(inner, st.sampled_from(["<", "==", "!=", "in", "is", "not in"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        pair.map(lambda t: f"({t[0]} < {t[1]} and {t[1]} < 3)"),
        st.lists(inner, max_size=3).map(lambda items: f"f({', '.join(items)})"),
        pair.map(lambda t: f"g({t[0]}, k={t[1]})"),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
        pair.map(lambda t: f"({t[0]}, {t[1]})[0]"),
        inner.map(lambda e: f"list({e})"),
        inner.map(lambda e: f"[v for v in {e}]"),
        inner.map(lambda e: f"({e}).real"),
        inner.map(lambda e: f"(n - 1 + {e})"),
    )


EXPRESSIONS = st.recursive(LEAVES, _compound, max_leaves=5)


def _simple():
    one = st.one_of(
        st.tuples(NAMES, EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}"),
        st.tuples(NAMES, EXPRESSIONS).map(lambda t: f"{t[0]} = {t[0]} + {t[1]}"),
        st.tuples(NAMES, EXPRESSIONS).map(lambda t: f"{t[0]}.append({t[1]})"),
        EXPRESSIONS.map(lambda e: f"print({e})"),
    )
    return st.one_of(one, st.tuples(one, one).map(lambda t: f"{t[0]}; {t[1]}"))


def _block(statements) -> str:
    return textwrap.indent("\n".join(statements), "    ")


def _statements(depth: int):
    if depth == 0:
        return _simple()
    body = st.lists(_statements(depth - 1), min_size=1, max_size=3)
    return st.one_of(
        _simple(),
        st.tuples(EXPRESSIONS, body, st.sampled_from(["", "elif", "else"]), body).map(
            lambda t: f"if {t[0]}:\n{_block(t[1])}"
            + ("" if not t[2] else f"\n{t[2]}{' n' if t[2] == 'elif' else ''}:\n{_block(t[3])}")),
        st.tuples(NAMES, EXPRESSIONS, body).map(
            lambda t: f"def {t[0]}_f({t[0]}, k=1):\n{_block(t[2])}\n    return {t[1]}"),
        EXPRESSIONS.map(lambda e: f"def h(a, b=2):\n    return {e}"),
        EXPRESSIONS.map(lambda e: f"class K:\n    def m(self, x=1):\n        return {e}"),
        st.tuples(NAMES, EXPRESSIONS, body).map(lambda t: f"for {t[0]} in {t[1]}:\n{_block(t[2])}"),
    )


PROGRAMS_GENERATED = st.lists(_statements(2), min_size=1, max_size=5).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(PROGRAMS_GENERATED)
def test_property_every_offered_mutant_of_generated_programs_compiles(text):
    assert compiles(text), text
    small = PassContext(settings={"char_edit_sites": 15})
    for kind in KINDS:
        check_every_single_site(kind, text, small)
