"""strip: before/after pairs, no-op cases, site numbering, microgpt, and properties on the corpus.

Also home of ``check_on_microgpt``, which the other first-pass test files (lambda-fold, layout,
minify) import.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, Pass, PassContext
from golfkit.passes.strip import StripPass
from tests.support import PassTest, dedent
from tests.test_trace import assert_microgpt_output_kept, microgpt_source

CORPUS = sorted((Path(__file__).resolve().parent / "corpus").glob("*.py"))


# --- microgpt --------------------------------------------------------------------------------


def check_on_microgpt(golf_pass: Pass) -> str:
    """The pass on microgpt cut to 3 training steps (the 20 samples stay): the output parses, is
    shorter, and prints exactly what the original prints. Returns the output."""
    source = microgpt_source()
    golfed = golf_pass.run(source)
    compile(golfed, "<golfed microgpt>", "exec")
    assert len(golfed.encode("utf-8")) < len(source.encode("utf-8"))
    assert_microgpt_output_kept(source, golfed)
    return golfed


class TestStrip(PassTest):
    golf_pass = StripPass()

    # --- before/after pairs -------------------------------------------------------------------------
    def test_comments_go(self):
        self.assert_rewrite(
            """
            #!/usr/bin/env python
            # -*- coding: utf-8 -*-
            x = 1  # one
            # a full line
            print(x,  # inside brackets
                  2)
            """,
            """
            x = 1
            print(x,
                  2)
            """,
        )

    def test_docstrings_and_literal_statements_go(self):
        self.assert_rewrite(
            '''
            """Module docstring."""
            def f(x):
                """Doubles."""
                "another literal"
                ...
                return 2 * x
            class A:
                """A class."""
                n = 1
            42; print(f(3), A.n); None
            ''',
            """
            def f(x):
                return 2 * x
            class A:
                n = 1
            print(f(3), A.n)
            """,
        )

    def test_emptied_blocks_get_zero(self):
        self.assert_rewrite(
            '''
            def f():
                """Only a docstring."""
            class A:
                pass
            def g(): ...
            if f() is None: pass
            print(f(), A.__name__, g())
            ''',
            """
            def f():
                0
            class A:
                0
            def g(): 0
            if f() is None: 0
            print(f(), A.__name__, g())
            """,
        )

    def test_one_line_body_emptied_by_an_annotation_gets_zero(self):
        self.assert_rewrite("class A: x: int\nprint(A.__name__)\n", "class A: 0\nprint(A.__name__)\n")

    def test_pass_beside_other_statements_and_empty_else_go(self):
        self.assert_rewrite(
            """
            for i in range(2):
                pass
                print(i)
            else:
                # nothing left to do
                pass
            if i:
                print("yes")
            else:
                pass
            """,
            """
            for i in range(2):
                print(i)
            if i:
                print("yes")
            """,
        )

    def test_annotations_go(self):
        self.assert_rewrite(
            """
            def scale(x: float, factor: float = 2.0) -> float:
                result: float = x * factor
                return result
            total: int = 3
            label: str
            class Plain:
                size: int = 4
                name: str
            print(scale(total), Plain.size)
            """,
            """
            def scale(x, factor = 2.0):
                result = x * factor
                return result
            total = 3
            class Plain:
                size = 4
            print(scale(total), Plain.size)
            """,
        )

    def test_bare_local_annotation_goes_when_another_binding_makes_the_name_local(self):
        self.assert_rewrite(
            """
            def f():
                count: int
                count = 2
                return count
            print(f())
            """,
            """
            def f():
                count = 2
                return count
            print(f())
            """,
        )

    def test_bare_local_annotation_that_alone_makes_a_name_local_shrinks_to_zero(self):
        self.assert_rewrite(
            """
            flag = "global"
            def f():
                flag: bool
                try:
                    return flag
                except NameError:
                    return "unbound local"
            print(f())
            """,
            """
            flag = "global"
            def f():
                flag: 0
                try:
                    return flag
                except NameError:
                    return "unbound local"
            print(f())
            """,
        )

    def test_annotations_under_future_import_go_even_when_they_would_run_code(self):
        self.assert_rewrite(
            """
            from __future__ import annotations
            def f(x: print("never evaluated")) -> len(3):
                return x
            print(f(1))
            """,
            """
            from __future__ import annotations
            def f(x):
                return x
            print(f(1))
            """,
        )

    def test_methods_wrapped_by_builtin_decorators_lose_annotations_in_a_program_that_reads_none(self):
        self.assert_rewrite(
            """
            class Value:
                def __init__(self, data: float) -> None:
                    self.data = data
                @staticmethod
                def coerce(other: "Value | float") -> "Value":
                    return other if isinstance(other, Value) else Value(other)
                @classmethod
                def zero(cls) -> "Value":
                    return cls(0.0)
                @property
                def doubled(self) -> float:
                    return self.data * 2
            print(Value.coerce(2).doubled, Value.zero().data)
            """,
            """
            class Value:
                def __init__(self, data):
                    self.data = data
                @staticmethod
                def coerce(other):
                    return other if isinstance(other, Value) else Value(other)
                @classmethod
                def zero(cls):
                    return cls(0.0)
                @property
                def doubled(self):
                    return self.data * 2
            print(Value.coerce(2).doubled, Value.zero().data)
            """,
        )

    def test_plain_functions_lose_signature_annotations_where_readers_cannot_reach_them(self):
        self.assert_rewrite(
            """
            from dataclasses import dataclass
            import functools
            from typing import List
            @dataclass
            class Point:
                x: int
                def moved(self, by: int) -> "Point":
                    def shift(value: int) -> int:
                        return value + by
                    return Point(shift(self.x))
            def total(values: List[int]) -> int:
                def twice(n: int) -> int:
                    count: int = 2
                    return n * count
                return sum(twice(v) for v in values)
            @functools.lru_cache(maxsize=None)
            def fib(n: int) -> int:
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            print(Point(1).moved(2), total([1, 2]), fib(20))
            """,
            """
            from dataclasses import dataclass
            import functools
            from typing import List
            @dataclass
            class Point:
                x: int
                def moved(self, by: int) -> "Point":
                    def shift(value):
                        return value + by
                    return Point(shift(self.x))
            def total(values):
                def twice(n):
                    count = 2
                    return n * count
                return sum(twice(v) for v in values)
            @functools.lru_cache(maxsize=None)
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            print(Point(1).moved(2), total([1, 2]), fib(20))
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                from dataclasses import dataclass
                def f(x: int) -> int:
                    return x
                print(list(map(f, [1])), f.__annotations__, dataclass)
                """,
                id="used-as-a-value",  # the property below hands it to get_type_hints too
            ),
            pytest.param(
                """
                import functools
                @functools.singledispatch
                def show(x):
                    return "object"
                def show_int(x: int):
                    return "int"
                show.register(show_int)
                print(show(1), show("a"))
                """,
                id="registered-by-call",
            ),
            pytest.param(
                """
                from dataclasses import dataclass
                @dataclass
                class Point:
                    x: int
                    def moved(self, by: int) -> "Point":
                        return Point(self.x + by)
                print(Point(1).moved(2))
                """,
                id="method",
            ),
            pytest.param(
                """
                import dataclasses
                def f(x: int) -> int:
                    return x
                f = dataclasses.replace if False else f
                print(f(1))
                """,
                id="rebound",
            ),
            pytest.param(
                """
                import sys, typing
                def f(x: int) -> int:
                    return x
                print(f(1), typing.get_type_hints(getattr(sys.modules[__name__], "f")))
                """,
                id="own-module-reached",
            ),
            pytest.param(
                """
                import inspect
                def f(x: int) -> int:
                    return inspect.currentframe().f_back.f_globals["f"].__annotations__
                print(f(1))
                """,
                id="frames",
            ),
            pytest.param(
                """
                import functools, typing
                def register(function):
                    print(typing.get_type_hints(function))
                    return function
                @register
                def f(x: int) -> int:
                    return x
                print(f(1), functools)
                """,
                id="unknown-decorator",
            ),
            pytest.param(
                """
                import inspect
                class Value:
                    @staticmethod
                    def coerce(other: float) -> float:
                        return other
                print(Value.coerce(1.5), inspect.signature(Value.coerce))
                """,
                id="builtin-decorator-in-a-reading-program",
            ),
        ],
    )
    def test_signature_annotations_stay_where_a_reader_may_reach_the_function(self, program):
        self.assert_noop(program)

    # --- what must stay -----------------------------------------------------------------------------
    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                '''
                """Reads its own documentation."""
                def f():
                    """Function doc."""
                    return 1
                print(__doc__, f.__doc__, f())
                ''',
                id="docstrings-read",
            ),
            pytest.param(
                """
                from dataclasses import dataclass
                @dataclass
                class Point:
                    x: int
                    y: int = 0
                print(Point(1))
                """,
                id="dataclass-fields",
            ),
            pytest.param(
                """
                class Base:
                    def __init__(self):
                        print("made")
                class Child(Base):
                    size: int = 3
                print(Child().size)
                """,
                id="class-with-base",  # a base could turn annotations into fields (NamedTuple, ORMs)
            ),
            pytest.param(
                """
                import functools
                @functools.singledispatch
                def show(x):
                    return "object"
                @show.register
                def _(x: int):
                    return "int"
                print(show(1), show("a"))
                """,
                id="decorated-annotations",
            ),
            pytest.param(
                """
                def f(x: print("evaluated") or int):
                    return x
                limit: print("module annotation") or int = 3
                print(f(limit))
                """,
                id="annotation-with-effects",
            ),
            pytest.param(
                """
                def f(x: int) -> int:
                    return x
                print(f.__annotations__)
                """,
                id="annotations-read",
            ),
            pytest.param(
                """
                class Box:
                    items = []
                box = Box()
                def f():
                    box.items: list
                    return box.items
                print(f())
                """,
                id="complex-bare-target",
            ),
            pytest.param(
                """
                def f():
                    0
                print(f())
                """,
                id="already-zero",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)


# --- sites ---------------------------------------------------------------------------------------


def test_sites_are_numbered_the_same_whatever_is_enabled():
    source = dedent(
        '''
        # one
        def f(x: int) -> int:
            """doc"""
            return x  # two
        '''
    )
    everything = Edits()
    StripPass().apply(source, PassContext(), everything)
    # In the order libcst leaves the nodes: comment, parameter annotation, trailing comment,
    # docstring (when its block is left), return annotation (when the def is left).
    assert everything.count == 5
    for allowed in ([], [0], [1, 3], [4]):
        edits = Edits(allowed)
        StripPass().apply(source, PassContext(), edits)
        assert edits.count == everything.count
    only_docstring = StripPass().apply(source, PassContext(), Edits([3]))
    assert only_docstring == source.replace('    """doc"""\n', "")


# --- microgpt and the corpus --------------------------------------------------------------------


def test_microgpt():
    golfed = check_on_microgpt(StripPass())
    assert "#" not in golfed.replace('"#', "") and '"""' not in golfed


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=st.sampled_from(CORPUS), allowed=st.none() | st.sets(st.integers(0, 60)))
def test_corpus_with_any_subset_of_sites(program, allowed):
    """Whatever sites are enabled the output parses (for libcst too) and never grows; with all of
    them a second run changes nothing."""
    source = program.read_text(encoding="utf-8")
    output = StripPass().apply(source, PassContext(), Edits(allowed))
    cst.parse_module(output)
    compile(output, program.name, "exec")
    assert len(output.encode("utf-8")) <= len(source.encode("utf-8"))
    if allowed is None:
        assert StripPass().run(output) == output


USES = {"call": "print(f(2))", "hints": "print(typing.get_type_hints(f))", "annotations": "print(f.__annotations__)"}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uses=st.lists(st.sampled_from(sorted(USES)), min_size=1, max_size=4), nested=st.booleans())
def test_property_signature_annotations_go_exactly_when_the_function_is_only_called(uses, nested):
    """In a program that reads annotations somewhere, f's go only when every use calls it, and the
    printed output never changes."""
    definition = "def f(x: int) -> int:\n    return x + 1\n"
    if nested:
        definition = "def outer():\n" + "".join("    " + line + "\n" for line in definition.splitlines())
        body = "".join(f"    {USES[use]}\n" for use in uses)
        source = f"import typing\nreader = typing.get_type_hints\n{definition}{body}outer()\n"
    else:
        source = "import typing\nreader = typing.get_type_hints\n" + definition + "".join(USES[use] + "\n" for use in uses)
    output = StripPass().run(source)
    only_called = set(uses) == {"call"}
    assert ("x: int" not in output) == only_called
    printed_before, printed_after = [], []
    exec(compile(source, "<before>", "exec"), {"print": printed_before.append})
    exec(compile(output, "<after>", "exec"), {"print": printed_after.append})
    assert printed_before == printed_after
