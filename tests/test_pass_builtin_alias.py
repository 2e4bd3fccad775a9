"""builtin-alias pass: before/after pairs (both sides run and print the same) and no-op cases."""

import pytest

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.builtin_alias import BuiltinAliasPass
from tests.support import assert_same_behaviour, check_rewrite, dedent

ALIAS = BuiltinAliasPass()


def test_often_used_builtin_gets_an_alias_after_the_docstring():
    check_rewrite(
        ALIAS,
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


def test_called_module_function_gets_an_alias_after_its_import():
    check_rewrite(
        ALIAS,
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


def test_alias_avoids_names_visible_where_the_builtin_is_used():
    check_rewrite(
        ALIAS,
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


@pytest.mark.parametrize(
    "source",
    [
        # The module attribute is reassigned: its value at each call matters.
        """
        import random
        random.seed(3)
        random.randint = lambda a, b: a
        print(random.randint(1, 9), random.randint(1, 9), random.randint(1, 9), random.randint(1, 9))
        """,
        # The module is passed around: code elsewhere may change it.
        """
        import random
        def reseed(module):
            module.seed(1)
        reseed(random)
        print(random.randint(1, 9), random.randint(1, 9), random.randint(1, 9), random.randint(1, 9))
        """,
        # The builtin's name is bound somewhere: libcst's view of which reads are builtin is not trusted.
        """
        def total(range):
            return sum(range)
        print(total([1]), range(1), range(2), range(3), range(4), range(5))
        """,
        # Code run from strings may read any global.
        """
        x = 2
        print(eval("x"), range(1), range(2), range(3), range(4), range(5))
        """,
        # Zero-argument super() needs its own name.
        """
        class Base:
            def name(self):
                return "base"
        class Child(Base):
            def name(self):
                return super().name() + super().name() + super().name() + super().name()
        print(Child().name())
        """,
        # Too few uses to pay for the alias statement.
        """
        print(len("a"), len("b"))
        """,
        # Printed by a self-documenting f-string.
        """
        print(f"{range(1)=} {range(2)=} {range(3)=} {range(4)=} {range(5)=}")
        """,
    ],
)
def test_no_op(source):
    check_rewrite(ALIAS, source, None)
