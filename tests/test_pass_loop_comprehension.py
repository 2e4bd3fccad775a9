"""loop-comprehension: before/after pairs that must print the same, and the cases it must leave alone."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.loop_comprehension import LoopComprehensionPass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = LoopComprehensionPass()


NO_OPS = {
    "loop variable read after the loop": """
        out = []
        for n in range(3):
            out.append(n)
        print(out, n)
        """,
    "read after the loop inside an enclosing loop that binds the same name": """
        for n in range(3):
            out = []
            for n in range(2):
                out.append(n)
            print(n, out)
        """,
    "loop variable read by a function": """
        def show():
            print(n)
        out = []
        for n in range(3):
            out.append(n)
        show()
        """,
    "body with two statements": """
        out = []
        for n in range(3):
            out.append(n)
            print(n)
        print(out)
        """,
    "loop with else": """
        def f():
            out = []
            for n in range(3):
                out.append(n)
            else:
                print("done")
            return out
        print(f())
        """,
    "break after the append": """
        def f():
            out = []
            for n in range(3): out.append(n); break
            return out
        print(f())
        """,
    "list read by the element": """
        def f():
            out = []
            for n in range(3):
                out.append(len(out) + n)
            return out
        print(f())
        """,
    "list read by the iterable": """
        def f(k):
            out = []
            for n in range(k) if out else "ab":
                out.append(n)
            return out
        print(f(2))
        """,
    "inside try": """
        def f(xs):
            try:
                out = []
                for x in xs:
                    out.append(1 / x)
            except ZeroDivisionError:
                print("partial", out)
        f([1, 2, 0, 4])
        """,
    "inside with": """
        import contextlib
        def f(xs):
            with contextlib.suppress(ZeroDivisionError):
                out = []
                for x in xs:
                    out.append(1 / x)
            print("partial", out)
        f([1, 2, 0])
        """,
    "class body": """
        class Table:
            k = 3
            rows = []
            for i in range(3):
                rows.append(i * k)
        print(Table.rows)
        """,
    "lambda capturing the loop variable": """
        def f():
            fs = []
            for i in range(3):
                fs.append(lambda: i)
            return [g() for g in fs]
        print(f())
        """,
    "generator capturing the loop variable": """
        def f():
            gs = []
            for i in range(3):
                gs.append(i * j for j in range(2))
            return [list(g) for g in gs]
        print(f())
        """,
    "walrus in the element": """
        def f():
            out = []
            for i in range(3):
                out.append(last := i * 2)
            return out, last
        print(f())
        """,
    "list declared global in a function": """
        out = None
        def f():
            global out
            out = []
            for i in range(3):
                out.append(i)
        f()
        print(out)
        """,
    "list not empty": """
        out = [0]
        for i in range(3):
            out.append(i)
        print(out)
        """,
    "statement between the list and the loop": """
        out = []
        k = 3
        for i in range(k):
            out.append(i)
        print(out)
        """,
    "eval present": """
        out = []
        for i in range(3):
            out.append(i)
        print(eval("out"))
        """,
    "local of the function that may be unbound": """
        def f(c):
            if c:
                y = 1
            out = []
            for i in range(2):
                out.append(y)
            return out
        try:
            f(0)
        except UnboundLocalError:
            print("unbound local")
        """,
    "zero-argument super": """
        class A:
            def tag(self):
                return "a"
        class B(A):
            def tags(self):
                out = []
                for _ in range(2):
                    out.append(super().tag())
                return out
        print(B().tags())
        """,
    "loop variable deleted later": """
        def f():
            out = []
            for i in range(2):
                out.append(i)
            del i
            return out
        print(f())
        """,
    "async loop": """
        import asyncio
        async def agen():
            yield 1
        async def main():
            out = []
            async for v in agen():
                out.append(v)
            print(out)
        asyncio.run(main())
        """,
}


class TestLoopComprehension(PassTest):
    golf_pass = PASS

    def test_append_at_module_level(self):
        self.assert_rewrite(
            """
            losses = []
            for n in range(5):
                losses.append(n * n - 1)
            print(losses)
            """,
            """
            losses = [n * n - 1 for n in range(5)]
            print(losses)
            """,
        )

    def test_augmented_forms_and_tuple_targets_in_a_function(self):
        self.assert_rewrite(
            """
            def pairs(k):
                # comments above the list stay
                out = []
                for a, b in zip(range(k), "abc"):
                    out += (a, b),
                ys = []
                for (x, y) in out: ys += [x if y > "a" else -1]
                return out, ys
            print(pairs(3))
            """,
            """
            def pairs(k):
                # comments above the list stay
                out = [(a, b)for a, b in zip(range(k), "abc")]
                ys = [x if y > "a" else -1 for (x, y) in out]
                return out, ys
            print(pairs(3))
            """,
        )

    def test_loop_variable_rebound_by_another_loop_before_every_later_read(self):
        # The golfed shape: the list ends a line of small statements, and the loop variable is read
        # again only inside another loop that binds it first.
        self.assert_rewrite(
            """
            for N in range(3):
            \tc=[N]*3;h=[]
            \tfor O in range(N):h+=c[O]+O,
            \tprint(h)
            for O in range(2):print(O, [O for O in "xy"])
            """,
            """
            for N in range(3):
            \tc=[N]*3;h=[c[O]+O for O in range(N)]
            \tprint(h)
            for O in range(2):print(O, [O for O in "xy"])
            """,
        )

    def test_inline_comprehensions_and_lambda_defaults_may_read_the_variable(self):
        self.assert_rewrite(
            """
            def build():
                rows = []
                for i in range(3):
                    rows.append(([i * j for j in range(3)], lambda x, i=i: x + i))
                return [(r, f(10)) for r, f in rows]
            print(build())
            """,
            """
            def build():
                rows = [([i * j for j in range(3)], lambda x, i=i: x + i)for i in range(3)]
                return [(r, f(10)) for r, f in rows]
            print(build())
            """,
        )

    def test_elements_and_iterables_keep_their_grouping(self):
        self.assert_rewrite(
            """
            gens = []
            for s in "ab", "cd":
                gens.append(c for c in s)
            flags = []
            for v in [1] if gens else [2]:
                flags += [0 if v else 1]
            print([list(g) for g in gens], flags)
            """,
            """
            gens = [(c for c in s)for s in ("ab", "cd")]
            flags = [0 if v else 1 for v in ([1] if gens else [2])]
            print([list(g) for g in gens], flags)
            """,
        )

    @pytest.mark.parametrize("source", NO_OPS.values(), ids=NO_OPS.keys())
    def test_refused(self, source):
        self.assert_noop(source)

    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            pytest.param('out = []\nfor i in range(3):\n    out.append(i)\nprint(eval("out"))\n',
                         "reaches names through strings", id="eval"),
            pytest.param("out = []\nfor i in range(3):\n    out.append(i)\nprint(out, 'i' in dir())\n",
                         "lists names", id="dir"),
            pytest.param("import sys\nout = []\nfor i in range(3):\n    out.append(i)\n"
                         "print(out, sorted(sys._getframe().f_locals)[:1])\n", "reads frames", id="frame locals"),
            pytest.param("class T:\n    def __del__(self):\n        print('gone')\nout = []\n"
                         "for i in range(3):\n    out.append(T())\nprint(len(out))\n",
                         "notice when an object dies", id="finalizer"),
        ],
    )
    def test_declines_the_whole_program(self, source, reason):
        self.assert_noop(source, reason=reason)


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        def f():
            a = []
            for i in range(2):
                a.append(i)
            return a
        b = []
        for j in range(3): b += j,
        print(f(), b)
        """
    )
    second_only = PASS.apply(source, PassContext(), Edits({1}))
    assert second_only == source.replace("b = []\nfor j in range(3): b += j,\n", "b = [j for j in range(3)]\n")
    assert_same_behaviour(source, second_only)
    counter = Edits(set())
    assert PASS.apply(source, PassContext(), counter) == source and counter.count == 2


_ELEMENTS = ["t", "t * t - 1", "(t, k)", "[t] * 2", "str(t) + 'x'", "t if t % 2 else -t", "[t + j for j in range(2)]"]
_ITERABLES = ["range(k)", "range(k, 0, -1)", "[k, 1, k]", "''"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from(["L.append({})", "L += {},", "L += [{}]"]),
    element=st.sampled_from(_ELEMENTS),
    iterable=st.sampled_from(_ITERABLES),
    in_function=st.booleans(),
    read_after=st.booleans(),
)
def test_property_rewrites_print_the_same(form, element, iterable, in_function, read_after):
    body = ["k = 3", "L = []", f"for t in {iterable}:", "    " + form.format(element), "print(L)"]
    if read_after:
        body.append("print(t)")
    if in_function:
        lines = ["def main():", *("    " + line for line in body), "main()"]
    else:
        lines = body
    source = "\n".join(lines) + "\n"
    output = PASS.run(source)
    assert (output == source) == read_after
    assert _printed(source) == _printed(output)


def _printed(source: str) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        try:
            exec(compile(source, "<prog>", "exec"), {})
        except NameError as error:  # ``print(t)`` after a loop that never ran
            print(type(error).__name__)
    return buffer.getvalue()
