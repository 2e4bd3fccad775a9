"""Dropping parameters whose literal defaults no call overrides: before/after pairs that must print the same."""

from __future__ import annotations

import pytest

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.fixed_defaults import FixedDefaultsPass
from tests.support import PassTest, dedent

PASS = FixedDefaultsPass()


class TestFixedDefaults(PassTest):
    golf_pass = PASS

    def test_lambda_default_becomes_the_literal(self):
        self.assert_rewrite(
            """
            import random
            random.seed(1)
            gauss = random.gauss
            n = 2
            F = lambda a, b, std=.08: [[gauss(0, std) for _ in range(b)] for _ in range(a)]
            print(F(3, 4), F(n, 16))
            """,
            """
            import random
            random.seed(1)
            gauss = random.gauss
            n = 2
            F = lambda a, b: [[gauss(0, .08) for _ in range(b)] for _ in range(a)]
            print(F(3, 4), F(n, 16))
            """,
        )

    def test_def_defaults_keyword_calls_and_parentheses(self):
        # ``k`` is passed by keyword and ``b`` positionally: both stay. The float gets its shortest
        # spelling, the negative number parentheses before ``**``, the closure its literal too.
        self.assert_rewrite(
            """
            def f(a, b=2, scale=0.50, sign=-1, *, k=3):
                g = lambda v: v * scale
                return g(a) * b + sign ** 2 + k
            def h(x):
                return f(x, k=1) + f(x, 4)
            print(f(1), h(2))
            """,
            """
            def f(a, b=2, *, k=3):
                g = lambda v: v * .5
                return g(a) * b + (-1) ** 2 + k
            def h(x):
                return f(x, k=1) + f(x, 4)
            print(f(1), h(2))
            """,
        )

    def test_function_level_def_strings_none_and_fstrings(self):
        # A quoted literal cannot go inside an f-string field: ``prefix`` stays.
        self.assert_rewrite(
            """
            def outer(n):
                def label(i, prefix='item', last=None):
                    return f"{prefix}{i}", last is None
                return [label(i) for i in range(n)]
            def width(v, w=7):
                return f"{v:>{w}}|{w}"
            print(outer(2), width(3))
            """,
            """
            def outer(n):
                def label(i, prefix='item'):
                    return f"{prefix}{i}", None is None
                return [label(i) for i in range(n)]
            def width(v):
                return f"{v:>{7}}|{7}"
            print(outer(2), width(3))
            """,
        )

    def test_recursive_calls_count_as_calls_and_lambda_may_lose_every_parameter(self):
        self.assert_rewrite(
            """
            def fact(n, step=1):
                return 1 if n <= 1 else n * fact(n - step)
            half = lambda d=0.50: d * 2
            print(fact(5), half())
            """,
            """
            def fact(n):
                return 1 if n <= 1 else n * fact(n - 1)
            half = lambda: .5 * 2
            print(fact(5), half())
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                F = lambda a, d=0.08: a * d
                print(F(1), F(1, 2))
                """,
                id="a call passes it positionally",
            ),
            pytest.param(
                """
                F = lambda a, d=0.08: a * d
                print(F(1), F(1, d=2))
                """,
                id="a call passes it by keyword",
            ),
            pytest.param(
                """
                F = lambda a, d=0.08: a * d
                print(list(map(F, [1, 2])), F(3))
                """,
                id="the function is passed as a value",
            ),
            pytest.param(
                """
                def f(a, d=0.25):
                    return a * d
                xs = [1]
                print(f(*xs), f(2))
                """,
                id="a call unpacks arguments",
            ),
            pytest.param(
                """
                def f(a, d=0.25):
                    d += a
                    return d
                def g(a, d=0.25):
                    def inner():
                        nonlocal d
                        d = 2
                    inner()
                    return a * d
                def h(a, d=0.25):
                    e = a * d
                    del d
                    return e
                print(f(1), g(1), h(1))
                """,
                id="rebound inside, in a nested scope, or deleted",
            ),
            pytest.param(
                """
                class C:
                    def m(self, d=0.25):
                        return d * 2
                    n = lambda self, d=0.25: d * 3
                print(C().m(), C().n())
                """,
                id="a method",
            ),
            pytest.param(
                """
                import functools
                @functools.lru_cache
                def f(a, d=0.25):
                    return a * d
                print(f(1))
                """,
                id="a decorated def",
            ),
            pytest.param(
                """
                def f(a, d=0.25):
                    return a * d
                print(f(1), f.__defaults__)
                """,
                id="its defaults are read",
            ),
            pytest.param(
                """
                def f(a, d=0.25):
                    return a * d
                print(f(1), eval("f(1, 2)"))
                """,
                id="names reached by string",
            ),
            pytest.param(
                """
                def f(a, d=0.25):
                    return f"{d=} {a * d=}"
                print(f(1))
                """,
                id="a self-documenting f-string field prints the name",
            ),
            pytest.param(
                """
                K = 0.25
                def f(a, d=K, e=[1]):
                    return a * d, e
                g = lambda a, d=0.25: a * d
                g = lambda a, d=0.5: a + d
                print(f(1), g(1))
                """,
                id="not a literal default, or a bound twice name",
            ),
            pytest.param(
                """
                def f(a, d=0.25, *rest):
                    return a * d, rest
                def g(a, d=0.25, **more):
                    return a * d, more
                print(f(1), g(1))
                """,
                id="*args / **kwargs in the signature",
            ),
            pytest.param(
                """
                def f(a, d='a long text'):
                    return d + d + str(a)
                print(f(1))
                """,
                id="would not be shorter",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)

    @pytest.mark.parametrize(
        ("program", "reason"),
        [
            pytest.param('def f(a, d=0.25):\n    return a * d\nprint(f(1), eval("f(1, 2)"))\n',
                         "through strings", id="eval"),
            pytest.param("def f(a, d=0.25):\n    return a * d\nprint(f(1), 'f' in dir())\n",
                         "lists names", id="dir"),
            pytest.param("def f(a, d=0.25):\n    return a * d\nprint(f(1), f(1) is f(2))\n",
                         "compares identities", id="identity"),
            pytest.param("import sys\ndef f(a, d=0.25):\n    return sys._getframe().f_locals\nprint(f(1))\n",
                         "reads frames", id="frames"),
        ],
    )
    def test_declines_the_whole_program(self, program, reason):
        self.assert_noop(program, reason=reason)


def test_sites_are_numbered_alike_whatever_is_enabled():
    source = dedent(
        """
        def f(a, b=0.25, c=0.5):
            return a * b + c
        g = lambda x, y=2.0: x * y
        print(f(1), g(3))
        """
    )
    counted = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), counted) == source
    assert counted.count == 3
    first = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert "def f(a, c=0.5):\n    return a * .25 + c\n" in first
    second = PASS.apply(source, PassContext(), Edits(allowed={1}))
    assert "def f(a, b=0.25):\n    return a * b + .5\n" in second
    third = PASS.apply(source, PassContext(), Edits(allowed={2}))
    assert "g = lambda x: x * 2.\n" in third and "def f(a, b=0.25, c=0.5):" in third
    assert PASS.run(source) == dedent(
        """
        def f(a):
            return a * .25 + .5
        g = lambda x: x * 2.
        print(f(1), g(3))
        """
    )
    for allowed in ({0}, {1, 2}, {0, 1, 2}):
        counted = Edits(allowed=allowed)
        PASS.apply(source, PassContext(), counted)
        assert counted.count == 3


def test_unparsable_source_is_returned_unchanged():
    assert PASS.run("def f(a, d=1:\n") == "def f(a, d=1:\n"
