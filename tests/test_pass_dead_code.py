"""Dead-code removal: before/after pairs that must print the same."""

from __future__ import annotations

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.contract_prune import ContractPrunePass
from golfkit.passes.dead_code import DeadCodePass
from tests.support import PassTest
from tests.test_trace import assert_microgpt_output_kept, microgpt_source

PASS = DeadCodePass()


class TestDeadCode(PassTest):
    golf_pass = PASS

    def test_unused_imports_go(self):
        self.assert_rewrite(
            """
            import os
            import sys, math
            import urllib.request
            from collections import deque, OrderedDict
            print(math.pi, deque([1]))
            """,
            """
            import math
            from collections import deque
            print(math.pi, deque([1]))
            """,
        )

    def test_imports_used_through_dotted_names_stay(self):
        self.assert_noop(
            """
            import os
            import os.path
            print(os.path.basename("a/b"))
            """,
        )

    def test_unused_functions_go_with_their_helpers(self):
        # ``helper`` is only called by ``unused``: both go in one application.
        self.assert_rewrite(
            """
            def helper(x):
                return x + 1

            def unused(a=3):
                return helper(a)

            def used():
                return 2

            print(used())
            """,
            """
            def used():
                return 2

            print(used())
            """,
        )

    def test_recursive_unused_function_goes(self):
        self.assert_rewrite(
            """
            def visit(n):
                return visit(n - 1) if n else 0

            print("done")
            """,
            """
            print("done")
            """,
        )

    def test_impure_default_keeps_the_def(self):
        # Defaults are evaluated once, when the def runs: this one prints.
        self.assert_noop(
            """
            def unused(x=print("default evaluated")):
                return x
            print("done")
            """,
        )

    def test_decorated_function_stays(self):
        self.assert_noop(
            """
            registry = []
            def register(f):
                registry.append(f)
                return f
            @register
            def hidden():
                return 1
            print(len(registry))
            """,
        )

    def test_pure_assignments_go_impure_ones_stay(self):
        self.assert_rewrite(
            """
            def f():
                tmp = 5
                pair = (1, "a")
                table = {"k": [1, 2]}
                call = print("kept")
                total = 2 * 3
                return 1
            unused = 10
            print(f())
            """,
            """
            def f():
                call = print("kept")
                return 1
            print(f())
            """,
        )

    def test_unused_type_aliases_go_with_the_typing_import(self):
        self.assert_rewrite(
            """
            import typing
            from typing import List, Optional as Maybe
            class Value:
                pass
            Vector = List[Value]
            Matrix = List[Vector]
            Table = dict[str, typing.Dict[str, Maybe["Value"]]]
            Fixed = list[int]
            print("built", type(Value()) is Value)
            """,
            """
            class Value:
                pass
            print("built", type(Value()) is Value)
            """,
        )

    def test_type_aliases_that_may_raise_or_run_code_stay(self):
        # Too many arguments raise TypeError; a bad forward reference, SyntaxError; a subscript
        # of anything but a known generic may run the program's own __getitem__.
        self.assert_noop(
            """
            from typing import List, Optional
            class Box:
                def __class_getitem__(cls, item):
                    print("subscripted", item)
                    return cls
            try:
                Pair = List[int, int]
            except TypeError:
                print("too many")
            try:
                Broken = Optional["1 +"]
            except SyntaxError:
                print("bad reference")
            Boxed = Box[int]
            """,
        )

    def test_arithmetic_on_unknown_values_stays(self):
        # ``a + b`` may call a user __add__ that prints.
        self.assert_noop(
            """
            class Loud:
                def __add__(self, other):
                    print("added")
                    return self
            a = Loud()
            b = Loud()
            c = a + b
            """,
        )

    def test_name_used_only_in_fstring_is_not_dead(self):
        self.assert_noop(
            """
            name = "x"
            width = 4
            print(f"{name:>{width}}")
            """,
        )

    def test_module_name_read_in_a_nested_scope_stays(self):
        self.assert_noop(
            """
            scale = 3
            def f(x):
                return [x * scale for _ in range(2)]
            print(f(2))
            """,
        )

    def test_global_written_in_a_function_stays(self):
        self.assert_noop(
            """
            def setup():
                global counter
                counter = 5
            setup()
            print(counter)
            """,
        )

    def test_unused_methods_and_class_attributes_go(self):
        self.assert_rewrite(
            """
            class Box:
                size = 3
                def keep(self):
                    return 1
                def drop(self):
                    return self.other()
                def other(self):
                    return 2
                def __repr__(self):
                    return "Box"
            print(Box().keep(), Box())
            """,
            """
            class Box:
                def keep(self):
                    return 1
                def __repr__(self):
                    return "Box"
            print(Box().keep(), Box())
            """,
        )

    def test_methods_reachable_by_name_stay(self):
        # getattr with a string, a format field and a foreign base can all reach methods.
        self.assert_noop(
            """
            import json
            class A:
                def hidden(self):
                    return 1
                def shown(self):
                    return 2
            class Encoder(json.JSONEncoder):
                def default(self, o):
                    return "encoded"
            print(getattr(A(), "hidden")(), "{0.shown.__name__}".format(A()), json.dumps(A(), cls=Encoder))
            """,
        )

    def test_walrus_bound_names_are_left_alone(self):
        # libcst files the ``count :=`` binding under the comprehension; Python binds it in the
        # function, whose ``count = 0`` the first ``count + 1`` reads: walrus names are never touched.
        self.assert_noop(
            """
            def f(data):
                count = 0
                values = [(count := count + 1) for x in data]
                return values
            print(f([5, 6]))
            """,
        )

    def test_eval_freezes_every_name(self):
        self.assert_noop(
            """
            import os
            hidden = 1
            print(eval("hidden"))
            """,
            reason="reaches names through strings",
        )


def test_sites_apply_only_with_what_reads_them():
    # ``helper`` (site 0) is read by ``unused`` (site 1): alone it must stay.
    source = "def helper():\n    return 1\ndef unused():\n    return helper()\nprint(2)\n"
    assert PASS.apply(source, PassContext(), Edits(allowed={0})) == source
    assert PASS.apply(source, PassContext(), Edits(allowed={1})) == "def helper():\n    return 1\nprint(2)\n"
    assert PASS.apply(source, PassContext(), Edits(allowed={0, 1})) == "print(2)\n"


def test_microgpt_keeps_its_output():
    # Once the download branch is gone (as contract-prune does), ``import os`` is dead.
    before = microgpt_source()
    branch_body = range(14, 18)
    assert "urllib.request.urlretrieve" in before.splitlines()[16]
    executed = frozenset(range(1, len(before.splitlines()) + 1)) - set(branch_body)
    pruned = ContractPrunePass().run(before, PassContext(executed_lines=executed))
    after = PASS.run(pruned)
    assert "import os" in pruned and "import os" not in after
    assert_microgpt_output_kept(before, after)
