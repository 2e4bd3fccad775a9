"""char-unpack: before/after pairs that must print the same, and the displays it leaves alone."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.char_unpack import CharUnpackPass
from tests.support import PassTest, dedent

PASS = CharUnpackPass()


class TestCharUnpack(PassTest):
    golf_pass = PASS

    def test_displays_of_characters_become_starred_strings(self):
        self.assert_rewrite(
            """
            class V:
                __slots__ = 'a', 'b', 'c', 'd'
            def ops():
                return '+', '-', '*'
            print(V.__slots__, ops(), ['x', 'y'], sorted({'"', "'", '\\n'}), len(('a', 'b', 'c')))
            for c in 'p', 'q', 'r':
                print(c)
            """,
            """
            class V:
                __slots__ = *'abcd',
            def ops():
                return *'+-*',
            print(V.__slots__, ops(), [*'xy'], sorted({*'"\\'\\n'}), len((*'abc',)))
            for c in (*'pqr',):
                print(c)
            """,
        )

    def test_displays_that_stay(self):
        self.assert_rewrite(
            """
            table = {('a', 'b'): 1}
            print(table['a', 'b'])          # a subscript key
            print(('a',), ['ab', 'c'], [b'a', b'b'], ['a', f'{1}'], ('a', *'bc'), ('a', 'b'))
            print(['a', 'b' 'c'], ('\\u00e9', 1))
            pair = 'x', 'y'
            print(pair)
            for c in 'p', 'q':             # a bare pair that would need parentheses
                print(c)
            """,
            """
            table = {(*'ab',): 1}
            print(table['a', 'b'])          # a subscript key
            print(('a',), ['ab', 'c'], [b'a', b'b'], ['a', f'{1}'], ('a', *'bc'), (*'ab',))
            print(['a', 'b' 'c'], ('\\u00e9', 1))
            pair = *'xy',
            print(pair)
            for c in 'p', 'q':             # a bare pair that would need parentheses
                print(c)
            """,
        )

    @pytest.mark.skipif(sys.version_info >= (3, 12), reason="f-string fields may reuse their quotes from 3.12")
    def test_a_rewrite_that_does_not_compile_is_declined(self):
        # The starred string's quotes would close the f-string around it.
        self.assert_noop("""print(f'{("a", "b", "c")}')\n""", reason="does not compile")


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        print(['a', 'b', 'c'], ['d', 'e', 'f'])
        """
    )
    assert PASS.apply(source, PassContext(), Edits({1})) == "print(['a', 'b', 'c'], [*'def'])\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.characters(blacklist_categories=("Cs",)), min_size=2, max_size=6), st.sampled_from("()[]{}"))
def test_property_the_display_keeps_its_value(characters, kind):
    opening, closing = {"(": "()", "[": "[]", "{": "{}"}.get(kind, "()")
    source = f"x = {opening}{', '.join(repr(c) for c in characters)}{closing}\n"
    output = PASS.run(source)
    before, after = {}, {}
    exec(source, before)
    exec(output, after)
    assert before["x"] == after["x"] and type(before["x"]) is type(after["x"])
    assert len(output) <= len(source)
