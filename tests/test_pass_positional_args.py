"""positional-args: before/after pairs that must print the same, the calls left alone, and a
property over random mixes of positional and keyword arguments."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.positional_args import PositionalArgsPass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = PositionalArgsPass()


class TestPositionalArgs(PassTest):
    golf_pass = PASS

    def test_keywords_named_by_the_next_parameters_move(self):
        self.assert_rewrite(
            """
            import random
            import heapq as hq
            from random import choices as pick
            import os.path
            random.seed(3)
            print(random.choices("abc", weights=[1, 2, 3], k=4), pick("ab", weights = [1, 1]))
            print(hq.nlargest(2, iterable=[3, -5, 1], key=abs), sum([0.5], start=1))
            print(list(enumerate("ab", start=1)), random.gauss(mu=0, sigma=1) < 9)
            print(os.path.join("a", "b"), open(os.devnull, mode="r").read())
            """,
            """
            import random
            import heapq as hq
            from random import choices as pick
            import os.path
            random.seed(3)
            print(random.choices("abc", [1, 2, 3], k=4), pick("ab", [1, 1]))
            print(hq.nlargest(2, [3, -5, 1], abs), sum([0.5], 1))
            print(list(enumerate("ab", 1)), random.gauss(0, 1) < 9)
            print(os.path.join("a", "b"), open(os.devnull, "r").read())
            """,
        )

    def test_only_the_leading_keywords_in_parameter_order_move(self):
        self.assert_rewrite(
            """
            import heapq
            print(heapq.nlargest(2, key=abs, iterable=[3, -5, 1]))
            print(heapq.nlargest(n=2, iterable=[3, -5, 1], key=abs))
            """,
            """
            import heapq
            print(heapq.nlargest(2, key=abs, iterable=[3, -5, 1]))
            print(heapq.nlargest(2, [3, -5, 1], abs))
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param("print(sorted([2, 1], key=abs, reverse=True))\n", id="keyword-only"),
            pytest.param("print(max([2, -3], key=abs))\n", id="no-signature"),
            pytest.param("print(sum(iterable=[1]) if False else 0)\n", id="positional-only"),
            pytest.param("import re\nprint(re.sub('a', 'b', 'aaa', count=1))\n", id="deprecated-positional"),
            pytest.param("print(str.split('a b', sep=' '), 'a b'.split(sep=' '))\n", id="methods-of-builtins"),
            pytest.param(
                "import random\nargs = ([1, 2],)\nrandom.seed(0)\nprint(random.choices(*args, weights=[1, 1]))\n",
                id="starred-arguments",
            ),
            pytest.param(
                """
                import random
                random.choices = lambda population, weights=None: weights
                print(random.choices("a", weights=[1]))
                """,
                id="attribute-rebound",
            ),
            pytest.param(
                """
                import random
                def pick():
                    global random
                    random = None
                print(random.choices("a", weights=[1]))
                """,
                id="module-name-rebound",
            ),
            pytest.param(
                """
                import random
                setattr(random, "choices", lambda population, weights=None: weights)
                print(random.choices("a", weights=[1]))
                """,
                id="attribute-set-by-string",
            ),
            pytest.param(
                """
                def round(number, ndigits=None):
                    return (number, ndigits)
                print(round(1.25, ndigits=1))
                """,
                id="builtin-shadowed",
            ),
            pytest.param(
                """
                import subprocess
                print(subprocess.list2cmdline(seq=["a", "b"]))
                """,
                id="module-not-allowed",
            ),
            pytest.param(
                """
                def own(a, b=0):
                    return a - b
                print(own(1, b=2))
                """,
                id="own-function",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)

    def test_names_reached_through_strings_decline(self):
        self.assert_noop(
            'import random\nrandom.seed(0)\nprint(random.choices("ab", weights=[1, 1]), eval("1"))\n',
            reason="reaches names through strings",
        )


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        import random
        random.seed(0)
        print(random.choices("ab", weights=[1, 2]))
        print(round(2.5, ndigits=0))
        """
    )
    edits = Edits({1})
    second = PASS.apply(source, PassContext(), edits)
    assert edits.keys == ["random.choices weights", "builtins.round ndigits"]
    assert second == source.replace("ndigits=0", "0")
    assert_same_behaviour(source, second)


# name -> (call prefix, parameters with argument texts), all results printable and deterministic.
CALLS = {
    "nlargest": ("heapq.nlargest", [("n", "2"), ("iterable", "[3, -5, 1, 4]"), ("key", "abs")]),
    "choices": ("random.choices", [("population", "'abc'"), ("weights", "[1, 0, 3]")]),
    "gauss": ("random.gauss", [("mu", "1"), ("sigma", "2")]),
    "round": ("round", [("number", "2.675"), ("ndigits", "2")]),
    "enumerate": ("list(enumerate", [("iterable", "'xy'"), ("start", "5")]),
    "wrap": ("textwrap.wrap", [("text", "'a bb ccc dddd'"), ("width", "5")]),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(CALLS)), st.data())
def test_property_mixed_arguments_bind_alike(name, data):
    prefix, parameters = CALLS[name]
    positional = data.draw(st.integers(0, len(parameters)))
    keywords = data.draw(st.permutations(parameters[positional:]))
    arguments = [text for _, text in parameters[:positional]] + [f"{key}={text}" for key, text in keywords]
    call = f"{prefix}({', '.join(arguments)})" + (")" if prefix.startswith("list(") else "")
    source = f"import heapq, random, textwrap\nrandom.seed(7)\nresult = {call}\n"
    output = PASS.run(source)
    before, after = {}, {}
    exec(compile(source, "<before>", "exec"), before)
    exec(compile(output, "<after>", "exec"), after)
    assert before["result"] == after["result"]
    in_order = [key for key, _ in keywords] == [key for key, _ in parameters[positional:]]
    if in_order:  # every parameter here is positional-or-keyword: all of them move
        assert "=" not in output.split("result = ", 1)[1]
