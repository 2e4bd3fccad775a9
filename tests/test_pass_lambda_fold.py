"""lambda-fold: before/after pairs, what must stay a def, site numbering, microgpt, corpus property."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext, Skip
from golfkit.passes.lambda_fold import LambdaFoldPass
from tests.support import PassTest, dedent
from tests.test_pass_strip import check_on_microgpt

CORPUS = sorted((Path(__file__).resolve().parent / "corpus").glob("*.py"))


# --- before/after pairs -------------------------------------------------------------------------


# --- what must stay a def -----------------------------------------------------------------------


class TestLambdaFold(PassTest):
    golf_pass = LambdaFoldPass()

    def test_one_return_becomes_a_lambda(self):
        self.assert_rewrite(
            """
            def double(x):
                return x * 2
            def nothing():
                return
            print(double(4), nothing())
            """,
            """
            double=lambda x:x * 2
            nothing=lambda:None
            print(double(4), nothing())
            """,
        )

    def test_parameters_defaults_and_recursion_carry_over(self):
        self.assert_rewrite(
            """
            calls = []
            def record(x, /, scale=calls.append("once") or 3, *rest, sep, **options):
                return (x * scale, rest, sep, options)
            def countdown(n):
                return [n] + countdown(n - 1) if n else []
            print(record(1, 2, 3, sep="-", k=1), record(2, sep=""), calls, countdown(3))
            """,
            """
            calls = []
            record=lambda x,/,scale=calls.append("once") or 3,*rest,sep,**options:(x * scale, rest, sep, options)
            countdown=lambda n:[n] + countdown(n - 1) if n else []
            print(record(1, 2, 3, sep="-", k=1), record(2, sep=""), calls, countdown(3))
            """,
        )

    def test_methods_fold_in_the_class_body(self):
        self.assert_rewrite(
            """
            class Vector:
                def __init__(self, x, y):
                    self.x, self.y = x, y
                def __add__(self, other):
                    return Vector(self.x + other.x, self.y + other.y)
                def __repr__(self):
                    return f"Vector({self.x}, {self.y})"
            print(Vector(1, 2) + Vector(3, 4))
            """,
            """
            class Vector:
                def __init__(self, x, y):
                    self.x, self.y = x, y
                __add__=lambda self,other:Vector(self.x + other.x, self.y + other.y)
                __repr__=lambda self:f"Vector({self.x}, {self.y})"
            print(Vector(1, 2) + Vector(3, 4))
            """,
        )

    def test_assignment_read_twice_becomes_a_walrus(self):
        self.assert_rewrite(
            """
            def g(x):
                print("g", x)
                return x + 1
            def f(x):
                y = g(x)
                return y + y
            print(f(1))
            """,
            """
            def g(x):
                print("g", x)
                return x + 1
            f=lambda x:(y:=g(x)) + y
            print(f(1))
            """,
        )

    def test_assignments_read_once_move_into_place_in_order(self):
        self.assert_rewrite(
            """
            def g(x):
                print("g", x)
                return x + 1
            def h(x):
                print("h", x)
                return x * 2
            def f(x):
                a = g(x)
                b = h(a)
                x = g(b)
                return [x, x]
            def keep_param_read(x):
                y = g(x)
                return x - y
            print(f(1), keep_param_read(5))
            """,
            """
            def g(x):
                print("g", x)
                return x + 1
            def h(x):
                print("h", x)
                return x * 2
            f=lambda x:[(x:=g(h(g(x)))), x]
            keep_param_read=lambda x:x - g(x)
            print(f(1), keep_param_read(5))
            """,
        )

    def test_walrus_stands_bare_as_a_positional_argument(self):
        self.assert_rewrite(
            """
            def f(text):
                words = text.split()
                return max(words, key=len) + str(len(words))
            print(f("a bb ccc"))
            """,
            """
            f=lambda text:max(words:=text.split(), key=len) + str(len(words))
            print(f("a bb ccc"))
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                def gen(n):
                    return (yield n)
                print(list(gen(2)))
                """,
                id="generator",
            ),
            pytest.param(
                """
                import functools
                @functools.lru_cache
                def square(x):
                    return x * x
                print(square(3))
                """,
                id="decorated",
            ),
            pytest.param(
                """
                import asyncio
                async def one():
                    return 1
                print(asyncio.run(one()))
                """,
                id="async",
            ),
            pytest.param(
                """
                class Base:
                    def name(self):
                        return "base"
                class Child(Base):
                    def name(self):
                        return "child of " + super().name()
                    def cls(self):
                        return __class__.__name__
                print(Child().name(), Child().cls())
                """,
                id="super-and-class-cell",
            ),
            pytest.param(
                """
                total = 0
                def add(x):
                    global total
                    total += x
                    return total
                def counter():
                    n = 0
                    def bump():
                        nonlocal n
                        n += 1
                        return n
                    return bump
                print(add(2), add(3), counter()())
                """,
                id="global-and-nonlocal",
            ),
            pytest.param(
                """
                def f(x):
                    "Docstring."
                    return x
                print(f(1), f.__doc__)
                """,
                id="docstring",
            ),
            pytest.param(
                """
                def f(x):
                    return x
                def g(x):
                    return x
                print(f.__name__, g(1))
                """,
                id="name-read",
            ),
            pytest.param(
                """
                def f(x: int) -> int:
                    return x
                print(f(1))
                """,
                id="annotations",
            ),
            pytest.param(
                """
                def g(x):
                    print("g")
                    return x
                def conditional(x):
                    y = g(x)
                    return 0 if x else y
                def after_a_call(x):
                    y = g(x)
                    return print("first") or y
                def after_an_attribute(x):
                    y = g(x)
                    return x.real + y
                def inside_a_comprehension(xs):
                    total = sum(xs)
                    return [x / total for x in xs]
                def never_read(x):
                    y = g(x)
                    return x
                print(conditional(1), after_a_call(2), after_an_attribute(3))
                print(inside_a_comprehension([1, 3]), never_read(4))
                """,
                id="order-would-change",
            ),
            pytest.param(
                """
                def f(x):
                    y = z + x
                    z = 1
                    return y
                try:
                    f(1)
                except NameError as error:
                    print(type(error).__name__)
                """,
                id="unbound-local",
            ),
            pytest.param(
                """
                class Box:
                    def fill(self, x):
                        self.item = x
                        return self
                print(Box().fill(3).item)
                """,
                id="attribute-assignment",
            ),
            pytest.param(
                """
                g = abs
                def f(x):
                    a = g(x)
                    x = 5
                    return [x, x, a]
                print(f(1))
                """,
                id="read-after-a-rebinding-walrus",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param("def f(x):\n    return x\nprint(f.__name__)\n", id="__name__"),
            pytest.param("import pickle\ndef f(x):\n    return x\nprint(len(pickle.dumps(f)) > 0)\n", id="pickle"),
            pytest.param("def f(x):\n    return x\nprint(eval('f(2)'))\n", id="eval"),
        ],
    )
    def test_programs_that_can_read_function_names_are_declined(self, program):
        self.assert_noop(program, reason="can read function names")

    def test_global_read_after_a_call_stays_when_the_program_declares_it_global(self):
        self.assert_noop(
            """
            scale = 1
            def bump():
                global scale
                scale = 10
                return 1
            def f(x):
                y = bump()
                return scale * x + y
            print(f(2))
            """,
        )


# --- sites ---------------------------------------------------------------------------------------


def test_one_site_per_folded_function_numbered_alike_whatever_is_enabled():
    source = dedent(
        """
        def a(x):
            return x
        def b(x):
            yield x
        def c(x):
            return -x
        """
    )
    everything = Edits()
    LambdaFoldPass().apply(source, PassContext(), everything)
    assert everything.count == 2
    only_second = Edits([1])
    output = LambdaFoldPass().apply(source, PassContext(), only_second)
    assert only_second.count == 2
    assert output == source.replace("def c(x):\n    return -x", "c=lambda x:-x")


# --- microgpt and the corpus --------------------------------------------------------------------


def test_microgpt():
    golfed = check_on_microgpt(LambdaFoldPass())
    assert "linear=lambda x,matrix:" in golfed and "relu=lambda self:" in golfed
    assert "def __add__(self, other):" in golfed  # its first read comes after self.data


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=st.sampled_from(CORPUS), allowed=st.none() | st.sets(st.integers(0, 20)))
def test_corpus_with_any_subset_of_sites(program, allowed):
    source = program.read_text(encoding="utf-8")
    try:
        output = LambdaFoldPass().apply(source, PassContext(), Edits(allowed))
    except Skip:
        output = source
    cst.parse_module(output)
    compile(output, program.name, "exec")
    assert len(output.encode("utf-8")) <= len(source.encode("utf-8"))


def test_by_the_shipped_measure_a_fold_that_grows_the_packed_file_is_refused():
    source = "def area(w, h):\n    half = w / 2\n    return half * h\ndef sq(x):\n    return x * x\nprint(area(3, 4), sq(3))\n"
    assert "area=lambda" in LambdaFoldPass().run(source) and "sq=lambda" in LambdaFoldPass().run(source)
    # A stand-in for the packed size: it grows wherever ``area`` is folded.
    context = PassContext(shipped_size=lambda text: len(text) + (100 if "area=lambda" in text else 0))
    counting = Edits()
    folded = LambdaFoldPass().apply(source, context, counting)
    assert "def area(w, h):" in folded and "sq=lambda x:x * x" in folded and counting.count == 1
    assert LambdaFoldPass().run(source, PassContext(shipped_size=len)) == LambdaFoldPass().run(source)
