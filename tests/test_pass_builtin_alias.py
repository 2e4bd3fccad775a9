"""builtin-alias pass: before/after pairs (both sides run and print the same) and no-op cases."""

import pytest

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.builtin_alias import BuiltinAliasPass
from tests.support import PassTest, assert_same_behaviour, dedent

ALIAS = BuiltinAliasPass()


def test_sites_and_enabled_subset():
    source = dedent(
        """
        for i in range(2):
            print(i, range(i), range(3), range(4), range(5), sorted([i]), sorted([1]), sorted([2]), sorted([3]))
        """
    )
    counting = Edits()
    full = ALIAS.apply(source, PassContext(), counting)
    assert counting.count == 2  # range, sorted
    assert "a=range" in full and "b=sorted" in full
    only_sorted = ALIAS.apply(source, PassContext(), Edits({1}))
    assert "range(" in only_sorted and "a=sorted" in only_sorted
    assert_same_behaviour(source, only_sorted)


class TestBuiltinAlias(PassTest):
    golf_pass = ALIAS

    def test_often_used_builtin_gets_an_alias_after_the_docstring(self):
        self.assert_rewrite(
            '''
            """Squares."""
            for i in range(3):
                for j in range(2):
                    print(i, j, list(range(i)), range(j))
            ''',
            '''
            """Squares."""
            a=range
            for i in a(3):
                for j in a(2):
                    print(i, j, list(a(i)), a(j))
            ''',
        )

    def test_called_module_function_gets_an_alias_after_its_import(self):
        self.assert_rewrite(
            """
            import random

            random.seed(3)
            print(random.randint(1, 9), random.randint(1, 9), random.randint(1, 9), random.randint(1, 9))
            """,
            """
            import random
            a=random.randint

            random.seed(3)
            print(a(1, 9), a(1, 9), a(1, 9), a(1, 9))
            """,
        )

    def test_alias_avoids_names_visible_where_the_builtin_is_used(self):
        self.assert_rewrite(
            """
            a = 1
            def show(b):
                c = b
                print(len([c]), len([a]), len([b]), len([]), len([1]), len([2]), len("xy"))
            show(2)
            """,
            """
            d=len
            a = 1
            def show(b):
                c = b
                print(d([c]), d([a]), d([b]), d([]), d([1]), d([2]), d("xy"))
            show(2)
            """,
        )

    @pytest.mark.parametrize(
        "source",
        [
            # The module attribute is reassigned: its value at each call matters.
            pytest.param(
                """
                import random
                random.seed(3)
                random.randint = lambda a, b: a
                print(random.randint(1, 9), random.randint(1, 9), random.randint(1, 9), random.randint(1, 9))
                """,
                id="module attribute reassigned",
            ),
            # The module is passed around: code elsewhere may change it.
            pytest.param(
                """
                import random
                def reseed(module):
                    module.seed(1)
                reseed(random)
                print(random.randint(1, 9), random.randint(1, 9), random.randint(1, 9), random.randint(1, 9))
                """,
                id="module passed around",
            ),
            # The builtin's name is bound somewhere: libcst's view of which reads are builtin is not trusted.
            pytest.param(
                """
                def total(range):
                    return sum(range)
                print(total([1]), range(1), range(2), range(3), range(4), range(5))
                """,
                id="builtin name bound by the program",
            ),
            # Zero-argument super() needs its own name.
            pytest.param(
                """
                class Base:
                    def name(self):
                        return "base"
                class Child(Base):
                    def name(self):
                        return super().name() + super().name() + super().name() + super().name()
                print(Child().name())
                """,
                id="zero-argument super",
            ),
            # Too few uses to pay for the alias statement.
            pytest.param(
                """
                print(len("a"), len("b"))
                """,
                id="too few uses to pay",
            ),
            # Printed by a self-documenting f-string.
            pytest.param(
                """
                print(f"{range(1)=} {range(2)=} {range(3)=} {range(4)=} {range(5)=}")
                """,
                id="self-documenting f-string",
            ),
        ],
    )
    def test_no_op(self, source):
        self.assert_noop(source)

    def test_code_run_from_strings_declines_the_text(self):
        # Code run from strings may read any global.
        self.assert_noop(
            """
            x = 2
            print(eval("x"), range(1), range(2), range(3), range(4), range(5))
            """,
            reason="code from strings",
        )

    def test_example(self):
        self.assert_rewrite(*ALIAS.example)


def test_by_the_shipped_measure_an_alias_that_grows_the_packed_file_is_refused():
    """The raw text shrinks with both aliases; a stand-in packed size that grows with ``sorted``'s
    keeps ``range``'s alone, which then takes the first name."""
    source = dedent(
        """
        for i in range(2):
            print(i, range(i), range(3), range(4), range(5), sorted([i]), sorted([1]), sorted([2]), sorted([3]))
        """
    )
    context = PassContext(shipped_size=lambda text: len(text) + (100 if "=sorted" in text else 0))
    kept = ALIAS.run(source, context)
    assert "a=range" in kept and "sorted([1])" in kept and "=sorted" not in kept
    assert_same_behaviour(source, kept)
    assert ALIAS.run(source, PassContext(shipped_size=len)) == ALIAS.run(source)
