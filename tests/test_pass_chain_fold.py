"""Folding of reassignment chains: before/after pairs that must print the same."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.chain_fold import ChainFoldPass
from tests.support import PassTest, dedent

PASS = ChainFoldPass()


class TestChainFold(PassTest):
    golf_pass = PASS

    def test_two_links_of_a_function_local_fold(self):
        self.assert_rewrite(
            """
            def rmsnorm(v):
                return [e / 2 for e in v]
            def f(x, y):
                x = [a + b for a, b in zip(x, y)]
                x = rmsnorm(x)
                return x
            print(f([1, 2], [3, 4]))
            """,
            """
            def rmsnorm(v):
                return [e / 2 for e in v]
            def f(x, y):
                x = rmsnorm([a + b for a, b in zip(x, y)])
                return x
            print(f([1, 2], [3, 4]))
            """,
        )

    def test_three_links_compose(self):
        self.assert_rewrite(
            """
            def scale(v, k):
                print("scale", k)
                return [e * k for e in v]
            def f(x):
                x = scale(x, 2)
                x = scale(x, 3)
                x = sum(x)
                return x
            print(f([1, 2]))
            """,
            """
            def scale(v, k):
                print("scale", k)
                return [e * k for e in v]
            def f(x):
                x = sum(scale(scale(x, 2), 3))
                return x
            print(f([1, 2]))
            """,
        )

    def test_small_statements_on_one_line_and_across_lines(self):
        self.assert_rewrite(
            """
            def f(v):
                print(v);x=[v,v];x=len(x)
                x=x*3
                return x
            print(f(1))
            """,
            """
            def f(v):
                print(v)
                x=len([v,v])*3
                return x
            print(f(1))
            """,
        )

    def test_one_line_suite_and_list_comprehensions_elsewhere(self):
        # A list comprehension reading ``x`` runs on the spot, never while the next value is computed.
        self.assert_rewrite(
            """
            def f(v):
                if v: x = v * 2; x = -x; print([x + i for i in range(2)])
                return [x for _ in "ab"]
            print(f(1))
            """,
            """
            def f(v):
                if v: x = -(v * 2); print([x + i for i in range(2)])
                return [x for _ in "ab"]
            print(f(1))
            """,
        )

    def test_first_iterable_of_a_comprehension_is_read_once(self):
        self.assert_rewrite(
            """
            def f(x):
                x = [e + 1 for e in x]
                x = [v * 2 for v in x]
                return x
            print(f([1, 2]))
            """,
            """
            def f(x):
                x = [v * 2 for v in [e + 1 for e in x]]
                return x
            print(f([1, 2]))
            """,
        )

    def test_comprehension_variable_of_the_same_name_is_another_binding(self):
        self.assert_rewrite(
            """
            def f(x):
                x = [e * 10 for e in x]
                x = [x + 1 for x in x]
                x = {x: 0 for x in x}
                return x
            print(f([1, 2]))
            """,
            """
            def f(x):
                x = {x: 0 for x in [x + 1 for x in [e * 10 for e in x]]}
                return x
            print(f([1, 2]))
            """,
        )

    def test_precedence_and_parentheses_are_kept(self):
        self.assert_rewrite(
            """
            def f(a, b):
                x = a + b
                x = x * 2
                y = a, b
                y = len(y)
                z = a - b
                z = not(z)
                return x, y, z
            print(f(1, 2))
            """,
            """
            def f(a, b):
                x = (a + b) * 2
                y = len((a, b))
                z = not(a - b)
                return x, y, z
            print(f(1, 2))
            """,
        )

    def test_module_global_no_function_sees_is_folded(self):
        self.assert_rewrite(
            """
            def double(v):
                return v * 2
            total = int("3")
            total = double(total)
            print(total)
            """,
            """
            def double(v):
                return v * 2
            total = double(int("3"))
            print(total)
            """,
        )

    def test_fstring_field_takes_a_quote_free_expression(self):
        self.assert_rewrite(
            """
            def f(a):
                s = a + 1
                s = f"<{s}>"
                t = str(a) + "!"
                t = f"<{t}>"
                return s + t
            print(f(1))
            """,
            """
            def f(a):
                s = f"<{a + 1}>"
                t = str(a) + "!"
                t = f"<{t}>"
                return s + t
            print(f(1))
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                def f(n):
                    x = print("once") or 2
                    x = [v * x for v in range(n)]
                    return x
                print(f(3))
                """,
                id="read in a comprehension element: evaluated once per item",
            ),
            pytest.param(
                """
                def f(n):
                    x = print("once") or [1]
                    x = [(v, w) for v in range(n) for w in x]
                    return x
                print(f(3))
                """,
                id="read in an inner iterable: evaluated once per outer item",
            ),
            pytest.param(
                """
                def f(a):
                    x = print("once") or a
                    x = x + x
                    return x
                print(f(3))
                """,
                id="read twice",
            ),
            pytest.param(
                """
                def f(a):
                    x = print("once") or a
                    x = list(map(lambda v: v + x, [1, 2]))
                    return x
                print(f(3))
                """,
                id="read in a lambda",
            ),
            pytest.param(
                """
                def f(a):
                    x = print("once") or a
                    x = a and x
                    y = print("once") or a
                    y = 0 if a else y
                    return x, y
                print(f(0))
                """,
                id="read in a short-circuited or conditional operand",
            ),
            pytest.param(
                """
                def f():
                    x = 1
                    try:
                        x = 2
                        x = 1 // (x - 2)
                    except ZeroDivisionError:
                        print("kept", x)
                f()
                """,
                id="inside try: the handler sees the value of the first assignment",
            ),
            pytest.param(
                """
                import contextlib
                def f():
                    x = 1
                    with contextlib.suppress(ZeroDivisionError):
                        x = 2
                        x = 1 // (x - 2)
                    print("kept", x)
                f()
                """,
                id="inside with: the context manager swallows the error, the value stays visible",
            ),
            pytest.param(
                """
                x = 0
                def peek(v):
                    print("global x is", x)
                    return v + 1
                x = 10
                x = peek(x)
                print(x)
                """,
                id="a global that a function reads while the second value is computed",
            ),
            pytest.param(
                """
                def f():
                    x = 0
                    def peek(v):
                        print("x is", x)
                        return v + 1
                    x = 10
                    x = peek(x)
                    return x
                print(f())
                """,
                id="a local captured by a nested function",
            ),
            pytest.param(
                """
                def f():
                    x = 0
                    later = (x for _ in "a")
                    x = 10
                    x = [x, *later]
                    return x
                print(f())
                """,
                id="a local read later by a generator expression created earlier",
            ),
            pytest.param(
                """
                def log(text):
                    print(text)
                    return 1
                def g():
                    print("g")
                    return 2
                def f():
                    x = g()
                    x = log("a") + x
                    y = g()
                    y = log("b"), y
                    return x, y
                print(f())
                """,
                id="side effects evaluated before the read would move ahead of the first value",
            ),
            pytest.param(
                """
                class Box:
                    def __getattr__(self, name):
                        print("lookup", name)
                        return lambda v: v
                box = Box()
                def f():
                    x = print("value") or 1
                    x = box.keep(x)
                    return x
                print(f())
                """,
                id="an attribute load could run user code before the read",
            ),
            pytest.param(
                """
                def f(a):
                    x = a
                    x += 1
                    y = a
                    y: int = y + 1
                    z = a
                    z, w = z, 1
                    v = a
                    v = u = v + 1
                    return x, y, z, w, v, u
                print(f(1))
                """,
                id="augmented, annotated, tuple and multiple targets",
            ),
            pytest.param(
                """
                x = 0
                def f():
                    global x
                    x = 1
                    x = x + 1
                def g():
                    y = 0
                    def h():
                        nonlocal y
                        y = 1
                        y = y + 1
                    h()
                    return y
                f()
                print(x, g())
                """,
                id="declared global or nonlocal",
            ),
            pytest.param(
                """
                class C:
                    x = 1
                    x = x + 1
                print(C.x)
                """,
                id="a class body",
            ),
            pytest.param(
                """
                def f():
                    x = 1
                    x = x + 1
                    return eval("x")
                print(f())
                """,
                id="names reached by string",
            ),
            pytest.param(
                """
                class Noisy:
                    def __del__(self):
                        print("gone")
                def f():
                    x = Noisy()
                    x = 1
                    x = x + (print("next") or 0)
                    return x
                print(f())
                """,
                id="the old value's finalizer would run after the second value is computed",
            ),
            pytest.param(
                """
                def f(a):
                    x = (b := a + 1)
                    x = b + x
                    return x
                print(f(1))
                """,
                id="walrus in the moved value (its target is no stable atom either)",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)

    # ---------------------------------------------------------------------------------------------
    # Copies: X = E; Y = X becomes X = Y = E
    # ---------------------------------------------------------------------------------------------
    def test_copy_on_one_line_and_across_lines(self):
        self.assert_rewrite(
            """
            def f(v):
                a = [v]; b = a
                c = v * 2
                d = c
                a.append(3)
                return a, b, c, d, a is b
            print(f(1))
            """,
            """
            def f(v):
                a = b = [v]
                c = d = v * 2
                a.append(3)
                return a, b, c, d, a is b
            print(f(1))
            """,
        )

    def test_copy_of_globals_nonlocals_and_tuples(self):
        # Declared names bind in the same order either way; a tuple value keeps its meaning.
        self.assert_rewrite(
            """
            g = 0
            def f():
                global g
                h = 0
                def inner():
                    nonlocal h
                    h = 5
                    k = h
                    return k
                g = 1, 2
                m = g
                return inner(), h, m
            x = [0]
            y = x
            print(f(), g, x is y)
            """,
            """
            g = 0
            def f():
                global g
                h = 0
                def inner():
                    nonlocal h
                    h = k = 5
                    return k
                g = m = 1, 2
                return inner(), h, m
            x = y = [0]
            print(f(), g, x is y)
            """,
        )

    def test_copies_in_a_row_compose(self):
        self.assert_rewrite(
            """
            x = [1]
            y = x
            z = y
            print(x is y is z)
            """,
            """
            x = y = z = [1]
            print(x is y is z)
            """,
        )

    def test_copy_after_a_link_composes(self):
        self.assert_rewrite(
            """
            def f(v):
                x = v + 1
                x = x * 2
                y = x
                return x, y
            print(f(1))
            """,
            """
            def f(v):
                x = y = (v + 1) * 2
                return x, y
            print(f(1))
            """,
        )

    def test_link_wins_over_a_copy_dropping_the_same_statement(self):
        # ``y = x`` is both the copy's second statement and the link's first: only the link is a site.
        source = dedent(
            """
            def f(v):
                x = [v]
                y = x
                y = len(y)
                return x, y
            print(f(1))
            """
        )
        counted = Edits(allowed=set())
        PASS.apply(source, PassContext(), counted)
        assert counted.count == 1
        self.assert_rewrite(
            source,
            """
            def f(v):
                x = [v]
                y = len(x)
                return x, y
            print(f(1))
            """,
        )

    def test_copy_then_rebinding_of_the_source_is_no_chain(self):
        # ``x = e1; y = x; x = f(x)``: the two ``x`` statements are not adjacent, so only the copy.
        self.assert_rewrite(
            """
            def f(v):
                x = [v]; y = x; x = len(x)
                return x, y
            print(f(1))
            """,
            """
            def f(v):
                x = y = [v]; x = len(x)
                return x, y
            print(f(1))
            """,
        )

    def test_copy_in_a_plain_class_body(self):
        self.assert_rewrite(
            """
            class C:
                a = [1]
                b = a
            print(C.a is C.b)
            """,
            """
            class C:
                a = b = [1]
            print(C.a is C.b)
            """,
        )

    def test_copy_taken_even_where_names_are_reached_by_string(self):
        self.assert_rewrite(
            """
            x = 1
            x = x + 1
            y = [x]
            z = y
            print(eval("x"), z)
            """,
            """
            x = 1
            x = x + 1
            y = z = [x]
            print(eval("x"), z)
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                x = 1
                y = x + 1
                z = 2
                w = y, z
                print(x, y, z, w)
                """,
                id="not a plain copy of the name just bound",
            ),
            pytest.param(
                """
                x = 1
                print(x)
                y = x
                if x:
                    z = 2
                w = z
                print(y, w)
                """,
                id="not adjacent",
            ),
            pytest.param(
                """
                x, u = 1, 2
                y = x
                a = b = 3
                c = a
                d: int = 4
                e = d
                f = 5
                f += 1
                g = f
                h = 6
                i: int = h
                print(y, c, e, g, i)
                """,
                id="tuple, multiple, annotated and augmented targets",
            ),
            pytest.param(
                """
                class Meta(type):
                    @classmethod
                    def __prepare__(cls, name, bases):
                        class Loud(dict):
                            def __getitem__(self, key):
                                print("read", key)
                                return dict.__getitem__(self, key)
                        return Loud()
                class C(metaclass=Meta):
                    a = 1
                    b = a
                print(C.b)
                """,
                id="a class body whose namespace may come from a metaclass",
            ),
            pytest.param(
                """
                class Noisy:
                    def __del__(self):
                        global x
                        x = "finalized"
                x = Noisy()
                x = 1
                y = x
                print(x, y)
                """,
                id="the old value's finalizer runs between the two statements and rebinds the name",
            ),
        ],
    )
    def test_copy_no_op(self, program):
        self.assert_noop(program)

    @pytest.mark.parametrize(
        "program, reason",
        [
            pytest.param(
                """
                class Noisy:
                    def __del__(self):
                        print("gone")
                def f():
                    x = Noisy()
                    x = 1
                    x = x + (print("next") or 0)
                    return x
                print(f())
                """,
                "observe when a value dies",
                id="a finalizer",
            ),
            pytest.param(
                """
                import sys
                def f():
                    x = [1]
                    x = len(x)
                    y = x
                    return sorted(sys._getframe().f_locals)
                print(f())
                """,
                "reads frames' locals",
                id="a frame reader",
            ),
        ],
    )
    def test_declined_programs(self, program, reason):
        self.assert_noop(program, reason=reason)


def test_sites_are_numbered_alike_whatever_is_enabled():
    source = dedent(
        """
        def f(x):
            x = x + 1
            x = x * 2
            x = -x
            return x
        y = 5
        y = f(y)
        print(y)
        """
    )
    edits = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), edits) == source
    assert edits.count == 3
    first = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert "    x = (x + 1) * 2\n    x = -x\n" in first
    second = PASS.apply(source, PassContext(), Edits(allowed={1}))
    assert "    x = x + 1\n    x = -(x * 2)\n" in second
    third = PASS.apply(source, PassContext(), Edits(allowed={2}))
    assert "y = f(5)\n" in third and "x = x + 1\n" in third
    both = PASS.apply(source, PassContext(), Edits(allowed={0, 1}))
    assert "    x = -((x + 1) * 2)\n    return x\n" in both
    assert PASS.run(source) == dedent(
        """
        def f(x):
            x = -((x + 1) * 2)
            return x
        y = f(5)
        print(y)
        """
    )
    for allowed in ({0}, {1}, {2}, {0, 2}, {0, 1, 2}):
        counted = Edits(allowed=allowed)
        PASS.apply(source, PassContext(), counted)
        assert counted.count == 3


def test_unparsable_source_is_returned_unchanged():
    assert PASS.run("x = (\n") == "x = (\n"


# ---------------------------------------------------------------------------------------------
# Property: random chains of integer arithmetic, with printing calls to expose evaluation order
# ---------------------------------------------------------------------------------------------

_PRELUDE = "def show(v):\n    print(v)\n    return v\n"


def _expressions():
    leaves = st.one_of(st.sampled_from(["x", "x", "x", "a"]), st.integers(-3, 5).map(str))

    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "//", "%"]), inner)
        return st.one_of(
            binary.map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"show({e})"),
            inner.map(lambda e: f"-{e}"),
            inner.map(lambda e: f"[v + 1 for v in [{e}]][0]"),
        )

    return st.recursive(leaves, extend, max_leaves=4)


_statements = st.one_of(
    _expressions().map(lambda e: f"x = {e}"),
    _expressions().map(lambda e: f"x = {e}"),
    _expressions().map(lambda e: f"a = {e}"),
    st.just("print(x)"),
)


def _program(statements: list[str], in_function: bool) -> str:
    if in_function:
        body = "".join(f"    {s}\n" for s in statements)
        return f"{_PRELUDE}def f(a):\n    x = a\n{body}    return x\nprint(f(2))\n"
    return _PRELUDE + "a = 2\nx = a\n" + "".join(f"{s}\n" for s in statements) + "print(x)\n"


def _outcome(program: str):
    printed = []
    try:
        exec(program, {"print": lambda *values: printed.append(values)})
    except Exception as error:  # noqa: BLE001 - the same failure at the same point must survive
        printed.append(type(error))
    return printed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    statements=st.lists(_statements, min_size=1, max_size=6),
    in_function=st.booleans(),
    allowed=st.none() | st.sets(st.integers(0, 7)),
)
def test_random_chains_print_the_same(statements, in_function, allowed):
    program = _program(statements, in_function)
    count = Edits(allowed=set())
    PASS.apply(program, PassContext(), count)
    edits = Edits(allowed=allowed)
    rewritten = PASS.apply(program, PassContext(), edits)
    assert edits.count == count.count
    compile(rewritten, "<rewritten>", "exec")
    assert len(rewritten) <= len(program)
    assert _outcome(rewritten) == _outcome(program), rewritten


def test_copy_and_link_sites_are_numbered_together_in_source_order():
    source = dedent(
        """
        def f(v):
            x = v + 1
            x = x * 2
            y = x
            return x, y
        a = [1]
        b = a
        c = b
        print(f(1), a, b, c)
        """
    )
    counted = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), counted) == source
    assert counted.count == 4  # link x, copy y, copy b, copy c
    link = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert "    x = (v + 1) * 2\n    y = x\n" in link
    copy = PASS.apply(source, PassContext(), Edits(allowed={1}))
    assert "    x = v + 1\n    x = y = x * 2\n" in copy
    second = PASS.apply(source, PassContext(), Edits(allowed={3}))
    assert "a = [1]\nb = c = a\n" in second
    both = PASS.apply(source, PassContext(), Edits(allowed={2, 3}))
    assert "a = b = c = [1]\nprint" in both
    assert PASS.run(source) == dedent(
        """
        def f(v):
            x = y = (v + 1) * 2
            return x, y
        a = b = c = [1]
        print(f(1), a, b, c)
        """
    )
    for allowed in ({0}, {1, 3}, {0, 2}, {0, 1, 2, 3}):
        counted = Edits(allowed=allowed)
        PASS.apply(source, PassContext(), counted)
        assert counted.count == 4
