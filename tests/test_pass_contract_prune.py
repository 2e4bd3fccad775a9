"""Contract pruning from a traced run: before/after pairs that must print the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.contract_prune import ContractPrunePass
from golfkit.trace import executed_lines
from tests.support import PassTest, dedent
from tests.test_trace import assert_microgpt_output_kept, microgpt_folder, microgpt_source

PASS = ContractPrunePass()


def traced(source: str) -> PassContext:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "prog.py").write_text("# check_rewrite runs programs as prog.py too\n")
        return PassContext(executed_lines=executed_lines(dedent(source), Path(folder)))


class TestContractPrune(PassTest):
    golf_pass = PASS

    def prune(self, before: str, after: str | None) -> None:
        if after is None:
            self.assert_noop(before, context=traced(before))
        else:
            self.assert_rewrite(before, after, context=traced(before))

    def test_download_if_missing_branch_goes(self):
        # os.path.exists is taken as read-only: the never-entered branch and its test go together.
        self.prune(
            """
            import os
            print("start")
            if not os.path.exists("prog.py"):
                import urllib.request
                urllib.request.urlretrieve("https://example.invalid/data", "prog.py")
            print("done")
            """,
            """
            import os
            print("start")
            print("done")
            """,
        )

    def test_test_with_side_effects_keeps_the_statement(self):
        self.prune(
            """
            def check():
                print("checked")
                return False
            if check():
                print("never")
            """,
            None,
        )

    def test_unreachable_else_goes(self):
        self.prune(
            """
            import sys
            if len(sys.argv) < 5:
                print("few arguments")
            else:
                print("many arguments")
            """,
            """
            import sys
            if len(sys.argv) < 5:
                print("few arguments")
            """,
        )

    def test_if_that_never_ran_leaves_its_else_body(self):
        self.prune(
            """
            import os
            if not os.path.isfile("prog.py"):
                print("missing")
            elif os.path.isdir("prog.py"):
                print("a folder")
            else:
                print("present")
                print("again")
            print("end")
            """,
            """
            import os
            print("present")
            print("again")
            print("end")
            """,
        )

    def test_elif_that_ran_becomes_the_if(self):
        # ``mode == 1`` is a pure test; the last test was never evaluated.
        self.prune(
            """
            import os
            mode = 2
            if mode == 1:
                print("one")
            elif mode == 2:
                print("two")
            elif print("tested") or mode == 3:
                print("three")
            """,
            """
            import os
            mode = 2
            if mode == 2:
                print("two")
            """,
        )

    def test_unreached_statement_goes_whole(self):
        self.prune(
            """
            import sys
            print("only line")
            sys.exit(0)
            if print("never evaluated"):
                print("never")
            """,
            """
            import sys
            print("only line")
            sys.exit(0)
            """,
        )

    def test_a_branch_in_a_function_whose_test_may_run_user_code_stays(self):
        # ``x > 100`` was evaluated on every call and may call a user __gt__.
        self.prune(
            """
            def f(x):
                if x > 100:
                    return "big"
                return "small"
            print(f(1))
            """,
            None,
        )

    def test_a_download_if_missing_branch_in_a_function_goes(self):
        self.prune(
            """
            import os
            def load(path):
                if not os.path.exists(path):
                    import urllib.request
                    urllib.request.urlretrieve("https://example.invalid/data", path)
                return open(path).read()
            print(len(load("prog.py")) > 0)
            print(len(load("prog.py")) > 1)
            """,
            """
            import os
            def load(path):
                return open(path).read()
            print(len(load("prog.py")) > 0)
            print(len(load("prog.py")) > 1)
            """,
        )

    def test_a_branch_whose_truth_may_run_user_code_stays(self):
        # ``flag`` is bound and reading it does nothing, but its truth value may call __bool__.
        self.prune(
            """
            class Flag:
                def __bool__(self):
                    print("asked")
                    return False
            def show(flag):
                if flag:
                    print("set")
                print("shown")
            show(Flag())
            """,
            None,
        )

    def test_branches_of_a_function_never_called_go_with_their_tests(self):
        self.prune(
            """
            def spare(flag):
                if flag:
                    print("set")
                else:
                    print("unset")
                return 1
            print("main")
            """,
            """
            def spare(flag):
                return 1
            print("main")
            """,
        )

    def test_methods_never_run_go(self):
        self.prune(
            """
            class Value:
                def __init__(self, data):
                    self.data = data
                def __add__(self, other):
                    return Value(self.data + other.data)
                def __rsub__(self, other):
                    return Value(other - self.data)
                def unused(self):
                    return 0
            print((Value(1) + Value(2)).data)
            """,
            """
            class Value:
                def __init__(self, data):
                    self.data = data
                def __add__(self, other):
                    return Value(self.data + other.data)
            print((Value(1) + Value(2)).data)
            """,
        )

    def test_methods_whose_presence_matters_stay(self):
        # __eq__ turns hashing off; a method read but never called; a generator never iterated.
        self.prune(
            """
            class Key:
                def __eq__(self, other):
                    return True
                def label(self):
                    return "label"
                def items(self):
                    yield 1
            key = Key()
            method = key.label
            generator = key.items()
            try:
                hash(key)
            except TypeError:
                print("unhashable")
            print(callable(method))
            """,
            None,
        )

    @pytest.mark.parametrize(
        "context, reason",
        [
            pytest.param(None, "no trace of the run", id="no trace"),
            pytest.param(PassContext(executed_lines=frozenset({1, 2}), contract=False),
                         "contract rewrites are off", id="contract off"),
        ],
    )
    def test_without_a_trace_or_contract_nothing_happens(self, context, reason):
        source = 'import os\nif not os.path.exists("x"):\n    print(1)\n'
        self.assert_noop(source, reason=reason, context=context)


def test_sites_can_be_chosen_one_by_one():
    source = dedent(
        """
        if 1 > 2:
            print("a")
        else:
            print("b")
        class C:
            def never(self):
                return 1
        """
    )
    context = PassContext(executed_lines=frozenset({1, 4, 5, 6}))
    edits = Edits(allowed=set())
    assert PASS.apply(source, context, edits) == source
    assert edits.count == 2
    assert edits.keys == ["branch if 1 > 2", "method C.never"]
    assert PASS.apply(source, context, Edits(allowed={1})) == source.replace(
        "    def never(self):\n        return 1\n", "    pass\n"
    )
    assert PASS.apply(source, context, Edits(allowed={0})).startswith('print("b")\nclass C:')


def test_microgpt_keeps_its_output():
    before = microgpt_source()
    lines = executed_lines(before, microgpt_folder())
    after = PASS.run(before, PassContext(executed_lines=lines))
    assert "urlretrieve" not in after and "__rsub__" not in after
    assert_microgpt_output_kept(before, after)
