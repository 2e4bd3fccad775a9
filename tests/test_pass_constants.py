"""Constant propagation and folding: before/after pairs that must print the same."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.analysis import spell
from golfkit.passes.base import Edits, PassContext
from golfkit.passes.constants import ConstantsPass
from tests.support import PassTest
from tests.test_trace import assert_microgpt_output_kept, microgpt_source

PASS = ConstantsPass()


@pytest.mark.parametrize(
    "value, text",
    [
        (0.08, ".08"),
        (1e-05, "1e-5"),
        (2.0, "2."),
        (0.0, "0."),
        (-0.0, "-0."),
        (1000000.0, "1e6"),
        (1.5e16, "15e15"),
        (0.15000000000000002, ".15000000000000002"),
        (1000000, "10**6"),
        (1000, "1000"),
        (-5, "-5"),
        (True, "True"),
        ("a'b", '"a\'b"'),
    ],
)
def test_shortest_spelling_round_trips(value, text):
    spelling = spell(value)
    assert spelling.text == text
    result = eval(spelling.text)
    assert type(result) is type(value) and result == value
    if isinstance(value, float):
        assert repr(result) == repr(value)  # same bits, sign of zero included


class TestConstants(PassTest):
    golf_pass = PASS

    def test_propagates_cheap_constants_and_folds(self):
        self.assert_rewrite(
            """
            embedding_size = 16
            num_heads = 4
            head_size = embedding_size // num_heads
            for head in range(num_heads):
                print(head * head_size, head_size**0.5, 4 * embedding_size)
            print(embedding_size, embedding_size, embedding_size, embedding_size, embedding_size, embedding_size)
            """,
            """
            embedding_size = 16
            for head in range(4):
                print(head * 4, 2., 64)
            print(embedding_size, embedding_size, embedding_size, embedding_size, embedding_size, embedding_size)
            """,
        )

    def test_numbers_get_their_shortest_spelling(self):
        self.assert_rewrite(
            """
            def scale(x, std=0.08):
                return x * std + 0.00001 - 1.0 + 1000000 * (1 - 0.85)
            print(scale(3), 1e-05, 0x10)
            """,
            """
            def scale(x, std=.08):
                return x * std + 1e-5 - 1. + 10**6 * (1 - .85)
            print(scale(3), 1e-5, 16)
            """,
        )

    def test_fold_keeps_the_exact_float_and_precedence(self):
        # 1 - 0.85 is not 0.15: folding it would cost 19 characters, so it stays (its parts shrink).
        self.assert_rewrite(
            """
            power = 2 ** 3
            print(2 ** -1, -power ** 2, (2 * 3) ** 2, 7 // 2 * 2.0, (1 - 0.85) * 3)
            """,
            """
            print(.5, -64, 36, 6., (1 - .85) * 3)
            """,
        )

    def test_negative_constant_gets_parentheses_where_needed(self):
        self.assert_rewrite(
            """
            sign = -1
            def f(x):
                return sign ** x, x ** sign, x - sign
            print(f(2))
            """,
            """
            def f(x):
                return (-1) ** x, x ** -1, x - -1
            print(f(2))
            """,
        )

    def test_constant_into_fstring_field(self):
        self.assert_rewrite(
            """
            num_steps = 1000
            print(f"step {num_steps:4d}")
            """,
            """
            print("step 1000")
            """,
        )

    def test_fstring_debug_field_keeps_the_name(self):
        # ``{x=}`` prints the expression's own text.
        self.assert_noop(
            """
            x = 5
            print(f"{x=}")
            """,
        )

    def test_string_constant_becomes_fstring_text_only_as_a_whole_field(self):
        self.assert_rewrite(
            """
            sep = "-"
            print(f"a{sep}b")
            """,
            """
            print("a-b")
            """,
        )
        # Inside a larger field its quotes could clash with the f-string's own.
        self.assert_noop(
            """
            sep = "-"
            print(f"a{sep.upper()}b", sep, sep, sep)
            """,
        )

    def test_class_body_names_are_not_visible_in_methods(self):
        # The method reads the module's ``n``, not the class attribute.
        self.assert_rewrite(
            """
            n = 10
            class Box:
                n = 3
                def get(self):
                    return n
            print(Box().get(), Box.n)
            """,
            """
            class Box:
                n = 3
                def get(self):
                    return 10
            print(Box().get(), Box.n)
            """,
        )

    def test_walrus_in_comprehension_rebinds_the_module_name(self):
        # libcst files the walrus under the comprehension; Python binds ``n`` in the module.
        self.assert_noop(
            """
            n = 5
            values = [(n := i) for i in range(3)]
            print(n, values)
            """,
        )

    def test_rebound_or_conditional_names_stay(self):
        self.assert_noop(
            """
            a = 1
            a += 1
            if a:
                b = 2
            else:
                b = 3
            def f():
                global c
                c = 4
            c = 5
            f()
            print(a, b, c)
            """,
        )

    def test_except_as_unbinds_the_name(self):
        # The handler deletes ``e`` when it ends: the later read raises NameError.
        self.assert_noop(
            """
            e = 1
            try:
                1 / 0
            except ZeroDivisionError as e:
                pass
            try:
                print(e)
            except NameError:
                print("unbound")
            """,
        )

    def test_read_before_the_binding_stays(self):
        # ``show`` could run before ``late`` is bound: its read keeps the name.
        self.assert_noop(
            """
            def show():
                return late
            late = 7
            print(show())
            """,
        )

    def test_default_argument_reads_the_constant_once(self):
        self.assert_rewrite(
            """
            n = 3
            def f(x=n):
                return x
            print(f(), f(1))
            """,
            """
            def f(x=3):
                return x
            print(f(), f(1))
            """,
        )

    def test_function_local_constant(self):
        self.assert_rewrite(
            """
            def area(r):
                pi = 3
                return pi * r * r
            print(area(2))
            """,
            """
            def area(r):
                return 3 * r * r
            print(area(2))
            """,
        )

    def test_identity_tests_block_propagation_of_big_values(self):
        self.assert_noop(
            """
            big = 10000
            alias = big
            print(alias is big)
            """,
        )

    def test_risky_folds_are_left_alone(self):
        self.assert_noop(
            """
            try:
                print(1 / 0)
            except ZeroDivisionError:
                print("zero")
            print(len(str(2 ** 10000)), 10. ** 400 if False else 0)
            """,
        )

    def test_eval_freezes_names_but_literals_still_fold(self):
        self.assert_rewrite(
            """
            n = 2
            print(eval("n"), n * 3, 2 * 3)
            """,
            """
            n = 2
            print(eval("n"), n * 3, 6)
            """,
        )

    def test_no_literal_lands_in_an_identity_test(self):
        """``limit is None`` must not become ``3 is None``: that compiles with a SyntaxWarning."""
        self.assert_rewrite(
            """
            limit = 3
            print(limit is None, limit is not None, limit + 1)
            """,
            """
            limit = 3
            print(limit is None, limit is not None, 4)
            """,
        )

    def test_constant_fields_become_text_and_fieldless_fstrings_plain_strings(self):
        self.assert_rewrite(
            """
            layer = 0
            steps = 1000
            table = {}
            table[f"layer{layer}.query"] = 1
            print(table[f"layer{layer}.query"], f"step {5:4d} / {steps:4d} | {{}}", f"{3.5:.2f}", f"{None}{True!r}")
            print(rf"a\\d{7}", f'''{"it"}''')
            """,
            """
            table = {}
            table["layer0.query"] = 1
            print(table["layer0.query"], "step    5 / 1000 | {}", "3.50", "NoneTrue")
            print(r"a\\d7", '''it''')
            """,
        )

    def test_fields_that_cannot_be_proven_stay(self):
        # A nested spec field is folded on its own; the field it sits in waits for the next round.
        self.assert_rewrite(
            """
            width = 4
            name = "it's"
            print(f"{name}", f"{7:{width}}", f"{7=}", f"{'x'!r}", f"{'a':\\x41}" if False else "")
            """,
            """
            name = "it's"
            print(f"{name}", f"{7:4}", f"{7=}", f"{'x'!r}", f"{'a':\\x41}" if False else "")
            """,
        )

    def test_field_that_raises_is_left_to_raise(self):
        self.assert_noop(
            """
            try:
                print(f"{'a':d}")
            except ValueError:
                print("raised")
            """,
        )


def test_sites_are_numbered_and_selectable():
    source = "a = 1\nb = 2 * 3\nprint(a, b, 0.5)\n"
    edits = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), edits) == source
    count = edits.count
    assert count == 4  # name a, name b, the fold 2 * 3, the literal 0.5
    only_first = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert only_first == "b = 2 * 3\nprint(1, b, 0.5)\n"


def test_microgpt_keeps_its_output():
    before = microgpt_source()
    after = PASS.run(before)
    assert len(after) < len(before)
    assert_microgpt_output_kept(before, after)


# --- property: folding computes exactly what Python computes --------------------------------------

_literals = st.one_of(
    st.integers(-20, 300).map(str),
    st.sampled_from(["0.5", "0.1", "1e-05", "2.0", "0.85", "1000000", "0.0", "3.75"]),
)


def _expressions(leaves):
    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner)
        # Small exponents only: the unfolded program must still run quickly.
        power = st.tuples(inner, st.sampled_from(["2", "3", "-1", "0.5", "-2", "(-1)"]))
        return st.one_of(
            binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            binary.map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            power.map(lambda t: f"{t[0]} ** {t[1]}"),
            inner.map(lambda e: f"-{e}"),
        )

    return st.recursive(leaves, extend, max_leaves=5)


def _outcome(program: str):
    printed = []
    try:
        exec(program, {"print": lambda *values: printed.extend(values)})
        return [(type(v), repr(v)) for v in printed]
    except Exception as error:  # noqa: BLE001 - the same failure must survive the rewrite
        return type(error)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(st.one_of(_literals, st.just("k"))), _literals)
def test_folding_matches_python(expression, constant):
    program = f"k = {constant}\nprint({expression})\n"
    rewritten = PASS.run(program)
    compile(rewritten, "<rewritten>", "exec")
    assert _outcome(rewritten) == _outcome(program), rewritten
