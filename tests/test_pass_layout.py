"""layout: before/after pairs, no-op cases, site numbering, microgpt, and properties on the corpus."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.layout import LayoutPass, shortest_float, shortest_string
from tests.support import PassTest, decline_reason, dedent
from tests.test_pass_strip import check_on_microgpt

CORPUS = sorted((Path(__file__).resolve().parent / "corpus").glob("*.py"))


def layout(source: str) -> str:
    return LayoutPass().run(dedent(source))


# --- before/after pairs -------------------------------------------------------------------------


def test_blocks_join_onto_their_header_with_one_space_indents():
    assert layout(
        """
        def f(a, b=2):
            # a comment
            total = a + b

            if total > 2:
                print("big")
                print('still big')
            else:
                for i in range(total):
                    print(i)
                    print(-i)
            return total
        print(f(1))
        """
    ) == dedent(
        """
        def f(a,b=2):
         total=a+b
         if total>2:print("big");print('still big')
         else:
          for i in range(total):print(i);print(-i)
         return total
        print(f(1))
        """
    ).rstrip("\n")


class TestLayout(PassTest):
    golf_pass = LayoutPass()

    def assert_layout(self, before: str, after: str) -> None:
        """A layout pair; ``after`` is written without its final newline, as layout emits it."""
        self.assert_rewrite(before, dedent(after).rstrip("\n"))

    def test_layout_pairs_behave(self):
        self.assert_layout(
            """
            class Point:
                def __init__(self, x, y):
                    self.x = x
                    self.y = y

            p = Point(1, 2)
            print(p.x + p.y)
            """,
            """
            class Point:
             def __init__(self,x,y):self.x=x;self.y=y
            p=Point(1,2)
            print(p.x+p.y)
            """,
        )

    def test_else_if_becomes_elif(self):
        self.assert_layout(
            """
            x = 5
            if x > 7:
                print("big")
            else:
                if x > 3:
                    print("mid")
                else:
                    print("small")
            """,
            """
            x=5
            if x>7:print("big")
            elif x>3:print("mid")
            else:print("small")
            """,
        )

    def test_elif_chains_lose_the_parentheses_of_every_test_and_join_every_block(self):
        # Blocks, elif and parentheses are all rewritten in the same walk: every arm of the chain.
        self.assert_layout(
            """
            for x in (1, 5, 9):
                if (x > 7):
                    y = (x)
                    print((y), "big")
                else:
                    if (x > 3):
                        print("mid")
                    else:
                        if (x < 2):
                            print((x + 1))
                        else:
                            print("other")
            """,
            """
            for x in 1,5,9:
             if x>7:y=x;print(y,"big")
             elif x>3:print("mid")
             elif x<2:print(x+1)
             else:print("other")
            """,
        )

    def test_words_keep_exactly_the_spaces_they_need(self):
        self.assert_layout(
            """
            import os.path as p
            x = [1, 2]
            print(1 if x else 2, 1.5 if x else .5, "a" in "abc", 3 not in x, x is not None, not -1)
            print((1).real, 1 .imag, [i for i in x if i], (lambda *a: a)(1), (lambda: 0)())
            """,
            """
            import os.path as p
            x=[1,2]
            print(1 if x else 2,1.5 if x else .5,"a"in"abc",3 not in x,x is not None,not-1)
            print((1).real,1 .imag,[i for i in x if i],(lambda*a:a)(1),(lambda:0)())
            """,
        )

    def test_redundant_parentheses_go_and_needed_ones_stay(self):
        self.assert_layout(
            """
            a, b, c = 2, 3, 4
            x = (a + b)
            print((a) + (b * c), -(a ** b), (-a) ** 2, (a - b) - c, a - (b - c), a ** (-b))
            print(not (a == b), (a and b) and c, a or (b and c), (a if b else c) + 1, abs((a)))
            """,
            """
            a,b,c=2,3,4
            x=a+b
            print(a+b*c,-a**b,(-a)**2,a-b-c,a-(b-c),a**-b)
            print(not a==b,(a and b)and c,a or b and c,(a if b else c)+1,abs(a))
            """,
        )

    def test_tuple_targets_and_values_lose_their_brackets(self):
        self.assert_layout(
            """
            pairs = [(1, (2, 3)), (4, (5, 6))]
            for (i, (a, b)) in pairs:
                print(i, a, b)
            for ((a, b), c) in [((1, 2), 3)]:
                print(a, b, c)
            (x, y) = (1, 2)
            (z,) = (3,)
            (*w,) = (4, 5)
            w += (6,)
            def f():
                return (x, y)
            def g():
                got = yield (1, 2)
                yield (got,)
            gen = g()
            print(x, y, z, w, f(), next(gen), gen.send(7))
            print([a + b for (a, b) in [f()]], sum(a for (a, b) in [(1, 2)]), {k: v for (k,) in [(1,)] for v in (2, 3)})
            for (a,) in [(1,), (2,)]:
                print(a)
            for n in (1, 2):
                print(n)
            """,
            """
            pairs=[(1,(2,3)),(4,(5,6))]
            for i,(a,b)in pairs:print(i,a,b)
            for(a,b),c in[((1,2),3)]:print(a,b,c)
            x,y=1,2
            z,=3,
            *w,=4,5
            w+=6,
            def f():return x,y
            def g():got=yield 1,2;yield got,
            gen=g()
            print(x,y,z,w,f(),next(gen),gen.send(7))
            print([a+b for a,b in[f()]],sum(a for a,b in[(1,2)]),{k:v for k,in[(1,)]for v in(2,3)})
            for a,in[(1,),(2,)]:print(a)
            for n in 1,2:print(n)
            """,
        )

    def test_tuple_brackets_the_grammar_needs_stay(self):
        # ``()`` has no bare spelling; a starred element needs brackets after ``return``, ``yield``
        # and ``in`` on older Pythons; ``yield from``, ``with ... as``, elements, arguments,
        # lambda bodies and comprehension iterables would change meaning or stop parsing.
        self.assert_layout(
            """
            import contextlib
            a = [1, 2]
            for () in [()]:
                print("empty")
            () = ()
            def f():
                return (*a,)
            def g():
                yield (*a,)
                yield from (1, 2)
            for n in (*a, 3):
                print(n)
            with contextlib.nullcontext((1, 2)) as (p, q):
                print(p, q)
            print(f(), list(g()), (lambda: (1, 2))(), [(1, 2)], [x for x in (1, 2)], f"{[b for (b,) in [(1,)]]}")
            """,
            """
            import contextlib
            a=[1,2]
            for()in[()]:print("empty")
            ()=()
            def f():return(*a,)
            def g():yield(*a,);yield from(1,2)
            for n in(*a,3):print(n)
            with contextlib.nullcontext((1,2))as(p,q):print(p,q)
            print(f(),list(g()),(lambda:(1,2))(),[(1,2)],[x for x in(1,2)],f"{[b for(b,)in[(1,)]]}")
            """,
        )

    def test_strings_take_the_shortest_quotes(self):
        self.assert_layout(
            r'''
            print("it's", 'say "hi"', 'it\'s', """one line""", u"unicode prefix", b"\x00\xff")
            print("implicit " 'concatenation', "tab\there", """two
            lines""")
            ''',
            r'''
            print("it's",'say "hi"',"it's",'one line','unicode prefix',b'\0\xff')
            print('implicit concatenation','tab	here','two\nlines')
            ''',
        )

    def test_fstrings_are_requoted_only_when_their_fields_allow(self):
        self.assert_layout(
            r"""
            x = 3
            print(f'{x!r:>5} it\'s', f"{x = }", f"{ {1: 2} }", f"{'quoted'} it's", f'{{braces}} {x}')
            """,
            r"""
            x=3
            print(f"{x!r:>5} it's",f"{x = }",f"{ {1:2} }",f"{'quoted'} it's",f'{{braces}} {x}')
            """,
        )

    def test_numbers_take_their_shortest_spelling(self):
        self.assert_layout(
            """
            print(1e-05, 0.5, 100000.0, 0x10, 1_000, 2.0j, 0.0, 1.5e+20, 0xFFFFFFFFFFFFFFFF)
            """,
            """
            print(1e-5,.5,1e5,16,1000,2j,0.,15e19,0xFFFFFFFFFFFFFFFF)
            """,
        )


def test_literal_spellings():
    assert shortest_float("1000000.0") == "1e6"
    assert shortest_float("0.001") == ".001"
    assert shortest_float("123.456") == "123.456"
    assert shortest_float("1.0") == "1."
    assert shortest_string("a'b\"c") == "'a\\'b\"c'"
    assert shortest_string("\u00e9\n") == "'\u00e9\\n'"
    assert shortest_string(b"\\d") in ("rb'\\d'", "br'\\d'", "b'\\\\d'")


# --- what must stay -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "program",
    [
        pytest.param('print("already compact")\n', id="one-line"),
        pytest.param("x=1\nif x:print(x)\nelse:print(-x)\n", id="compact-blocks"),
    ],
)
def test_compact_code_only_loses_its_final_newline(program):
    assert LayoutPass().run(program) == program.rstrip("\n")


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_a_longer_spacing_is_left_to_the_pipeline():
    # ``1if`` is valid but warns in 3.11: layout spaces it. The result is longer, and the
    # pipeline, which alone judges length, keeps the shorter text.
    source = "print(1if 1else 2)"
    assert LayoutPass().run(source) == "print(1 if 1 else 2)"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 parses type aliases")
def test_a_program_this_python_cannot_parse_is_declined():
    source = "type Pair = tuple[int, int]\nprint(1)\n"
    assert decline_reason(LayoutPass(), source) == (
        "this interpreter's parser rejects the program: no AST to compare against"
    )
    assert LayoutPass().run(source) == source


# --- sites ---------------------------------------------------------------------------------------


def test_site_zero_is_the_layout_then_one_site_per_literal():
    source = "x = 1.0\ny = 'it\\'s'\nz = 2\n"
    everything = Edits()
    LayoutPass().apply(source, PassContext(), everything)
    assert everything.count == 3  # layout, 1.0, 'it\'s' (2 is already shortest)
    assert LayoutPass().apply(source, PassContext(), Edits([1])) == "x = 1.\ny = 'it\\'s'\nz = 2\n"
    assert LayoutPass().apply(source, PassContext(), Edits([0, 2])) == "x=1.0\ny=\"it's\"\nz=2"


# --- microgpt and the corpus --------------------------------------------------------------------


def test_microgpt():
    golfed = check_on_microgpt(LayoutPass())
    assert "\n def __init__(self," in golfed and "\n    def" not in golfed  # one space per level
    assert "1e-5" in golfed


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=st.sampled_from(CORPUS), allowed=st.none() | st.sets(st.integers(0, 40)))
def test_corpus_with_any_subset_of_sites(program, allowed):
    """Whatever sites are enabled the output keeps the AST, parses for libcst and never grows;
    with all of them a second run changes nothing."""
    source = program.read_text(encoding="utf-8")
    output = LayoutPass().apply(source, PassContext(), Edits(allowed))
    cst.parse_module(output)
    assert ast.dump(ast.parse(output)) == ast.dump(ast.parse(source)) or "u'" in source or 'u"' in source
    assert len(output.encode("utf-8")) <= len(source.encode("utf-8"))
    if allowed is None:
        assert LayoutPass().run(output) == output
