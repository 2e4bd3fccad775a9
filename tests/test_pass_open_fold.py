"""open-fold (contract): before/after pairs that must print the same, and the cases left alone."""

from __future__ import annotations

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.open_fold import OpenFoldPass
from tests.support import PassTest, assert_same_behaviour, dedent, run_source

PASS = OpenFoldPass()
DATA = {"input.txt": "emma\nolivia\n\nava\n"}


class TestOpenFold(PassTest):
    golf_pass = PASS

    def check(self, before: str, after: str | None, context: PassContext | None = None) -> None:
        """The rewrite (None: a no-op) holds, both sides read the same data file alike, and the
        output leaves no ResourceWarning on stderr."""
        if after is None:
            self.assert_noop(before, context=context)
            output = dedent(before)
        else:
            output = self.assert_rewrite(before, after, context=context, files=DATA)
        assert_same_behaviour(dedent(before), output, files=DATA)
        assert run_source(output, files=DATA).stderr == ""

    def test_read_into_a_name_folds(self):
        self.check(
            """
            import os
            # the dataset
            with open("input.txt") as handle:
                names = handle.read().strip().split("\\n")
            def lines():
                with open("input.txt", "r", encoding="utf-8") as f:
                    return f.readlines()[1]
            print(names, lines())
            """,
            """
            import os
            # the dataset
            names = open("input.txt").read().strip().split("\\n")
            def lines():
                return open("input.txt", "r", encoding="utf-8").readlines()[1]
            print(names, lines())
            """,
        )

    def test_cases_that_stay(self):
        self.check(
            """
            with open("input.txt") as f:
                first = f.readline()
                rest = f.read()
            with open("input.txt") as g:
                size = len(g.read())          # the handle is not what is evaluated first
            with open("input.txt") as h:
                text = h.read()
            print(h.closed)                   # the handle is read again after the block
            with open("out.txt", "w") as out:
                written = out.write(first)    # writing: closing time matters
            with open("input.txt", mode="a+") as both:
                both.seek(0)
            with open("input.txt") as a, open("input.txt") as b:
                pair = a.read() + b.read()
            with open("input.txt") as k: data = k.read()
            print(first, rest, size, text, written, pair, data)
            """,
            None,
        )

    def test_shadowed_open_and_switched_off_contract_stay(self):
        self.check(
            """
            def open(path):
                return __builtins__.open(path) if hasattr(__builtins__, "open") else __import__("io").open(path)
            with open("input.txt") as f:
                text = f.read()
            print(text)
            """,
            None,
        )
        self.assert_noop(
            """
            with open("input.txt") as f:
                text = f.read()
            print(text)
            """,
            reason="contract rewrites are off",
            context=PassContext(contract=False),
        )


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        with open("input.txt") as f:
            one = f.read()
        with open("input.txt") as g:
            two = g.read()
        print(one == two)
        """
    )
    second = PASS.apply(source, PassContext(), Edits({1}))
    assert second == source.replace('with open("input.txt") as g:\n    two = g.read()', 'two = open("input.txt").read()')
    assert_same_behaviour(source, second, files=DATA)
