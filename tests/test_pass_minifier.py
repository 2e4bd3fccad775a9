"""minify: before/after pairs (python-minifier's output, so they follow its version), what must not
be renamed, option-set sites, and microgpt."""

from __future__ import annotations

import sys

import pytest

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.minifier import OPTION_SETS, MinifierPass
from tests.support import PassTest, dedent
from tests.test_pass_strip import check_on_microgpt

AVERAGE = """
def average(values):
    total = 0
    for value in values:
        total += value
    return total / len(values)

measurements = [3, 5, 7]
print("average:", average(measurements))
print("again:", average(measurements))
"""


class TestMinifier(PassTest):
    golf_pass = MinifierPass()

    def assert_minify(self, before: str, after: str) -> str:
        """A minify pair; ``after`` is written without its final newline, as python-minifier emits it."""
        return self.assert_rewrite(before, dedent(after).rstrip("\n"))

    def test_globals_and_locals_are_renamed(self):
        self.assert_minify(
            AVERAGE,
            """
            C=print
            def A(values):
            \tA=values;B=0
            \tfor C in A:B+=C
            \treturn B/len(A)
            B=[3,5,7]
            C('average:',A(B))
            C('again:',A(B))
            """,
        )

    def test_names_reached_by_string_are_not_renamed(self):
        self.assert_minify(
            """
            counter = 10
            def show():
                return globals()["counter"]
            print(show(), counter)
            """,
            """
            counter=10
            def show():return globals()['counter']
            print(show(),counter)
            """,
        )

    def test_class_names_the_program_prints_are_kept(self):
        self.assert_minify(
            """
            class Shape:
                pass
            class Square(Shape):
                pass
            print(type(Square()).__name__, Square.__name__)
            """,
            """
            class Shape:0
            class Square(Shape):0
            print(type(Square()).__name__,Square.__name__)
            """,
        )

    def test_docstring_the_program_reads_is_kept(self):
        self.assert_minify(
            '''
            """Tool documentation."""
            print(__doc__)
            ''',
            """
            'Tool documentation.'
            print(__doc__)
            """,
        )

    def test_local_class_names_are_kept_too(self):
        self.assert_minify(
            """
            def make():
                class Local:
                    pass
                return Local
            print(make().__qualname__)
            """,
            """
            def make():
            \tclass Local:0
            \treturn Local
            print(make().__qualname__)
            """,
        )

    def test_positional_only_parameters_beside_kwargs_stay_positional_only(self):
        output = self.assert_minify(
            """
            def f(a, /, **options):
                return a, options
            print(f(1, a=2))
            """,
            """
            def A(A,/,**B):return A,B
            print(A(1,a=2))
            """,
        )
        assert "/" in output

    def test_already_minimal_input_is_left_alone(self):
        self.assert_noop("print(1)")

    @pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 parses type aliases")
    def test_a_program_python_minifier_refuses_is_declined(self):
        self.assert_noop("type Pair = tuple[int, int]\nprint(1)\n", reason="python-minifier refuses the program")


# --- sites ---------------------------------------------------------------------------------------


def test_one_site_per_option_set_and_the_shortest_enabled_one_wins():
    source = dedent(AVERAGE)
    everything = Edits()
    best = MinifierPass().apply(source, PassContext(), everything)
    assert everything.count == len(OPTION_SETS)
    none = Edits([])
    assert MinifierPass().apply(source, PassContext(), none) == source and none.count == len(OPTION_SETS)
    no_rename = MinifierPass().apply(source, PassContext(), Edits([len(OPTION_SETS) - 1]))
    assert "def average(values)" in no_rename
    assert len(best) < len(no_rename) < len(source)


# --- microgpt ------------------------------------------------------------------------------------


def test_microgpt():
    golfed = check_on_microgpt(MinifierPass())
    assert "class Value" not in golfed  # nothing prints class or function names
