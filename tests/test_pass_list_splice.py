"""list-splice: before/after pairs that must behave the same, the chains it must leave alone, site
numbering, and a property over random chains."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.list_splice import ListSplicePass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = ListSplicePass()


class TestListSplice(PassTest):
    golf_pass = PASS

    def test_displays_join_and_comprehensions_are_unpacked(self):
        self.assert_rewrite(
            """
            def bracket(doc, vocab, bos):
                return [bos] + [vocab.index(ch) for ch in doc] + [bos]
            print(bracket("ba", ["a", "b"], 9))
            print([1] + [2, 3] + [*"ab"], [[1] + [2]] + [3], [] + [4] + [])
            print(([1] + [2]) * 2, [0] + ([1] + [2]))
            """,
            """
            def bracket(doc, vocab, bos):
                return [bos, *[vocab.index(ch) for ch in doc], bos]
            print(bracket("ba", ["a", "b"], 9))
            print([1, 2, 3, *"ab"], [[1, 2], 3], [4])
            print([1, 2] * 2, [0, 1, 2])
            """,
        )

    def test_a_builtin_comprehension_becomes_map(self):
        self.assert_rewrite(
            """
            word = "abc"
            codes = [0] + [ord(c) for c in word]
            print(codes, [len(w) for w in ["a", "bb"]] + [str(n) for n in range(3)] + ["!"])
            """,
            """
            word = "abc"
            codes = [0, *map(ord, word)]
            print(codes, [*map(len, ["a", "bb"]), *map(str, range(3)), "!"])
            """,
        )

    def test_a_chain_ahead_of_anything_else_still_joins(self):
        self.assert_rewrite(
            """
            rest = (4, 5)
            print([1] + [2] + list(rest), [1] + [2] + [3] * 2)
            """,
            """
            rest = (4, 5)
            print([1, 2] + list(rest), [1, 2] + [3] * 2)
            """,
        )

    def test_the_order_of_evaluation_and_exceptions_are_kept(self):
        self.assert_rewrite(
            """
            def show(tag):
                print("evaluating", tag)
                return tag
            print([show(1)] + [show(c) for c in "ab"] + [show(2)])
            try:
                print([show(3)] + [1 // (c - 1) for c in [1]] + [show(4)])
            except ZeroDivisionError as error:
                print("raised", error)
            it = iter([1])
            try:
                print([0] + [next(it) for _ in range(2)] + [9])
            except StopIteration:
                print("stopped")
            """,
            """
            def show(tag):
                print("evaluating", tag)
                return tag
            print([show(1), *[show(c) for c in "ab"], show(2)])
            try:
                print([show(3), *[1 // (c - 1) for c in [1]], show(4)])
            except ZeroDivisionError as error:
                print("raised", error)
            it = iter([1])
            try:
                print([0, *[next(it) for _ in range(2)], 9])
            except StopIteration:
                print("stopped")
            """,
        )


@pytest.mark.parametrize(
    "program",
    [
        pytest.param("xs = [1]\nprint(xs + [2] + [3])\n", id="anything-on-the-left"),
        pytest.param("print([1] + (2, 3) if False else 0)\n", id="a-tuple-operand"),
        pytest.param("print([c for c in 'ab'] + [1])\n", id="comprehension-first-no-shorter"),
        pytest.param("print([] + [c for c in 'ab'])\n", id="empty-then-comprehension-no-shorter"),
        pytest.param("print([1] * 2 + [3])\n", id="a-repeated-display"),
        pytest.param("def f(a: [1] + [2]):\n    return a\nprint(f(0), f.__annotations__)\n", id="annotation"),
        pytest.param(
            "def ord(c):\n    return 0\nprint([1] + [ord(c) for c in 'ab'])\n", id="shadowed-builtin-no-map-no-gain"
        ),
        pytest.param(
            "class Box:\n    pass\nprint([1] + [str(c) for c in 'ab'])\n", id="a-class-could-raise-stopiteration"
        ),
        pytest.param("print([1] + [next(it) for it in [iter('a')]])\n", id="next-is-not-mappable"),
        pytest.param("print([1] + [str(c) for c in 'ab' if c])\n", id="filtered-comprehension"),
        pytest.param("print([1] + [str(c, 'ascii') for c in [b'a']])\n", id="two-arguments"),
        pytest.param("map = 3\nprint([1] + [str(c) for c in 'ab'], map)\n", id="map-rebound"),
    ],
)
def test_left_alone(program):
    assert PASS.run(program) == program
    assert_same_behaviour(program, program)


def test_sites_are_numbered_in_source_order_and_keyed_by_the_chain():
    source = dedent(
        """
        a = [1] + [2]
        b = [3] + [4] + [5]
        print(a, b)
        """
    )
    edits = Edits({1})
    second_only = PASS.apply(source, PassContext(), edits)
    assert edits.keys == ["[1] + [2]", "[3] + [4] + [5]"]
    assert second_only == source.replace("[3] + [4] + [5]", "[3, 4, 5]")
    assert_same_behaviour(source, second_only)


OPERANDS = st.sampled_from([
    "[]", "[1]", "[2, 3]", "[*'ab']", "[c for c in 'xy']", "[str(n) for n in range(2)]",
    "[len(w) for w in ['a', 'bb']]", "[show(4)]", "[show(c) for c in 'pq']", "([5] + [6])",
])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERANDS, min_size=2, max_size=5), st.sampled_from(["", " + tail", " * 2"]))
def test_property_random_chains_build_the_same_list(operands, after):
    source = dedent(
        """
        def show(tag):
            print("evaluating", tag)
            return tag
        tail = [7]
        """
    ) + f"print({' + '.join(operands)}{after})\n"
    output = PASS.run(source)
    compile(output, "<after>", "exec")
    assert len(output) <= len(source)
    assert_same_behaviour(source, output)
